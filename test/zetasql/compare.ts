/**
 * Compares a BigQuery REST query response with a ZetaSQL expected value: column types (BigQuery's names for ZetaSQL's
 * types), top-level column names where ZetaSQL names them (`f<k>_` for BigQuery's unnamed columns), and values, in
 * order or as a multiset as the expected text says.
 */
import { decodeQuoted, typeText, type ZType, type ZValue } from './value-text.ts';
import { zetaTypeOfRest } from './type-names.ts';

export interface RestField {
  name: string;
  type: string;
  mode?: string;
  fields?: RestField[];
  rangeElementType?: { type: string };
}

/** The ZetaSQL type of a REST field. */
export function fieldType(f: RestField): ZType {
  const base: ZType =
    f.type === 'RANGE'
      ? { name: 'RANGE', param: f.rangeElementType?.type }
      : zetaTypeOfRest[f.type] === 'STRUCT'
        ? { name: 'STRUCT', fields: (f.fields ?? []).map((s) => ({ name: s.name, type: fieldType(s) })) }
        : { name: zetaTypeOfRest[f.type] ?? f.type };
  return f.mode === 'REPEATED' ? { name: 'ARRAY', element: base } : base;
}

/** Types equal; an `ARRAY<>` (element type unknown in the expected text) matches any array. */
export function sameType(want: ZType, got: ZType): boolean {
  if (want.name !== got.name) return false;
  if (want.name === 'RANGE') return want.param?.trim().toUpperCase() === got.param;
  if (want.name === 'ARRAY') return !want.element || !got.element || sameType(want.element, got.element);
  if (want.name === 'STRUCT') {
    const a = want.fields ?? [];
    const b = got.fields ?? [];
    return a.length === b.length && a.every((f, k) => (!f.name || f.name === b[k].name) && sameType(f.type, b[k].type));
  }
  return true;
}

const pad = (n: number | bigint, w = 2) => String(n).padStart(w, '0');

function civilMicros(text: string): bigint | undefined {
  const m = /^(-?\d{1,5})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?)?(?:\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?|Z|\s*UTC))?$/.exec(text.trim());
  if (!m) return undefined;
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), 0);
  let micros = BigInt(d.getTime()) * 1000n + BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6) || '0');
  if (m[8]) micros -= BigInt((m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10] ?? 0))) * 60_000_000n;
  return micros;
}

function normDecimal(s: string): string {
  let t = s.trim().replace(/^\+/, '');
  const neg = t.startsWith('-');
  if (neg) t = t.slice(1);
  if (/e/i.test(t)) t = Number(t).toString();
  let [i, f = ''] = t.split('.');
  i = i.replace(/^0+(?=\d)/, '') || '0';
  f = f.replace(/0+$/, '');
  const out = f ? `${i}.${f}` : i;
  return neg && out !== '0' ? `-${out}` : out;
}

function normInterval(s: string): string {
  const m = /^(-?)(\d+)-(\d+) (-?\d+) (-?)(\d+):(\d+):(\d+)(?:\.(\d+))?$/.exec(s.trim());
  if (!m) return s.trim();
  const months = (m[1] ? -1 : 1) * (Number(m[2]) * 12 + Number(m[3]));
  const micros = (m[5] ? -1n : 1n) * ((BigInt(m[6]) * 3600n + BigInt(m[7]) * 60n + BigInt(m[8])) * 1_000_000n + BigInt((m[9] ?? '').padEnd(6, '0').slice(0, 6) || '0'));
  return `${months}|${Number(m[4])}|${micros}`;
}

function timeText(s: string): string {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(s.trim());
  return m ? `${pad(Number(m[1]))}:${m[2]}:${m[3]}${(m[4] ?? '').replace(/0+$/, '') ? '.' + (m[4] ?? '').replace(/0+$/, '') : ''}` : s.trim();
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, k) => jsonEqual(x, b[k]));
  // An object's members in order: BigQuery's JSON type holds them ordered by name, which a value shows as text.
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return jsonEqual(ka, kb) && ka.every((k) => jsonEqual((a as any)[k], (b as any)[k]));
  }
  return a === b;
}

function parseFloatText(s: string): number {
  const t = s.trim().toLowerCase();
  if (t === 'nan' || t === '-nan') return NaN;
  if (t === 'inf' || t === '+inf' || t === 'infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  return Number(t);
}

/** One scalar: the expected text against the REST `v` string, by type. */
function scalarEqual(type: ZType, want: string, got: string): boolean {
  switch (type.name) {
    case 'INT64':
      return BigInt(want) === BigInt(got);
    case 'DOUBLE': {
      const a = parseFloatText(want);
      const b = parseFloatText(got);
      if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
      // ±inf only equals itself (the relative tolerance below would match it with any finite value).
      if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
      return a === b || Math.abs(a - b) <= 1e-13 * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) < 1e-300;
    }
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return normDecimal(want) === normDecimal(got);
    case 'BOOL':
      return want.toLowerCase() === got.toLowerCase();
    case 'STRING':
      return decodeQuoted(want).toString('utf8') === got;
    case 'BYTES':
      return decodeQuoted(want).toString('base64') === got;
    case 'DATE':
      return civilMicros(want) === civilMicros(got);
    case 'DATETIME':
      return civilMicros(want) === civilMicros(got);
    case 'TIMESTAMP':
      return civilMicros(want) === BigInt(got);
    case 'TIME':
      return timeText(want) === timeText(got);
    case 'INTERVAL':
      return normInterval(want) === normInterval(got);
    case 'RANGE':
      return rangeEqual(type.param?.trim().toUpperCase() ?? '', want, got);
    case 'JSON':
      try {
        return jsonEqual(JSON.parse(want), JSON.parse(got));
      } catch {
        return want === got;
      }
    default:
      return want.replace(/\s+/g, ' ') === got.replace(/\s+/g, ' ');
  }
}

/** `[start, end)` against the REST text of a range: each end UNBOUNDED (or NULL in the expected text) or a value. */
function rangeEqual(element: string, want: string, got: string): boolean {
  const ends = (text: string) => /^\[(.*), (.*)\)$/.exec(text.trim())?.slice(1);
  const w = ends(want);
  const g = ends(got);
  if (!w || !g) return false;
  const open = (s: string) => /^(UNBOUNDED|NULL)$/i.test(s.trim());
  return w.every((x, k) => (open(x) || open(g[k]) ? open(x) && open(g[k]) : scalarEqual({ name: element }, x, g[k])));
}

/** Values equal under `type` (REST cell values: arrays as [{v}], structs as {f: [{v}]}). */
export function valueEqual(type: ZType, want: ZValue, got: any): boolean {
  // BigQuery returns a NULL ARRAY as an empty one.
  if (type.name === 'ARRAY' && (want === null || (want.kind === 'array' && !want.items.length))) return got === null || (Array.isArray(got) && !got.length);
  if (want === null || got === null || got === undefined) return want === null && (got === null || got === undefined);
  if (want.kind === 'array') {
    if (!Array.isArray(got)) return false;
    const el = want.type.element ?? type.element ?? { name: '?' };
    return listsEqual(
      want.items,
      got.map((c: any) => c.v),
      want.ordered,
      (w, g) => valueEqual(el, w, g),
    );
  }
  if (want.kind === 'struct') {
    const cells = got?.f;
    if (!Array.isArray(cells) || cells.length !== want.items.length) return false;
    return want.items.every((w, k) => valueEqual(type.fields?.[k]?.type ?? { name: '?' }, w, cells[k].v));
  }
  return scalarEqual(type, want.text, String(got));
}

export function listsEqual<W, G>(want: W[], got: G[], ordered: boolean, eq: (w: W, g: G) => boolean): boolean {
  if (want.length !== got.length) return false;
  if (ordered) return want.every((w, k) => eq(w, got[k]));
  const left = [...got];
  for (const w of want) {
    const k = left.findIndex((g) => eq(w, g));
    if (k < 0) return false;
    left.splice(k, 1);
  }
  return true;
}

export interface RowsCheck {
  ok: boolean;
  detail?: string;
}

/**
 * ZetaSQL's result keeps repeated column names; a BigQuery query result renames all but the first: "When a top-level
 * SELECT list contains duplicate column names and no destination table is specified, all duplicate columns, except
 * for the first one, are automatically renamed" (query-syntax#duplicate_aliases: `SELECT 1 AS a, 2 AS a` gives a, a_1).
 * Written apart from the emulator's own renaming (result-names.ts): the judge does not use the code it judges.
 */
function renamedDuplicates(names: string[]): string[] {
  const taken = new Set(names.map((n) => n.toLowerCase()));
  const seen = new Set<string>();
  return names.map((n) => {
    if (!n || !seen.has(n.toLowerCase())) {
      seen.add(n.toLowerCase());
      return n;
    }
    let k = 1;
    while (taken.has(`${n}_${k}`.toLowerCase())) k++;
    taken.add(`${n}_${k}`.toLowerCase());
    return `${n}_${k}`;
  });
}

/** The query result (rows of `fields`) against an expected `ARRAY<STRUCT<...>>[rows]` (or `ARRAY<T>` of one column). */
export function checkRows(want: { type: ZType; value: ZValue }, fields: RestField[], rows: any[][]): RowsCheck {
  const rowType = want.type.element;
  const columns = rowType?.name === 'STRUCT' ? (rowType.fields ?? []) : rowType ? [{ name: '', type: rowType }] : [];
  const got = fields.map(fieldType);
  const gotText = `STRUCT<${fields.map((f, k) => `${f.name} ${typeText(got[k])}`).join(', ')}>`;
  if (columns.length !== fields.length || !columns.every((c, k) => sameType(c.type, got[k]))) {
    return { ok: false, detail: `types ${gotText}, expected ${rowType ? typeText(rowType) : '?'}` };
  }
  let anonymous = 0;
  const names = renamedDuplicates(columns.map((c) => c.name || (rowType?.name === 'STRUCT' ? `f${anonymous++}_` : '')));
  for (let k = 0; k < columns.length; k++) {
    const name = names[k];
    if (name && name.toLowerCase() !== fields[k].name.toLowerCase()) return { ok: false, detail: `column ${k} is named ${fields[k].name}, expected ${name}` };
  }
  const value = want.value;
  const expectedRows = value && value.kind === 'array' ? value.items : [];
  const ordered = value && value.kind === 'array' ? value.ordered : true;
  const rowEq = (w: ZValue, g: any[]) => {
    if (rowType?.name !== 'STRUCT') return valueEqual(columns[0].type, w, g[0]);
    if (!w || w.kind !== 'struct') return false;
    return w.items.every((x, k) => valueEqual(columns[k].type, x, g[k]));
  };
  if (listsEqual(expectedRows, rows, ordered, rowEq)) return { ok: true };
  return { ok: false, detail: `rows ${JSON.stringify(rows).slice(0, Number(process.env.ZS_DETAIL ?? 300))} differ from the expected ${expectedRows.length} row(s)` };
}

/**
 * Set operations that match columns by name — `BY NAME [ON (...)]`, `[STRICT] CORRESPONDING [BY (...)]`, with the
 * INNER / FULL / LEFT [OUTER] modes — rewritten as positional ones before translation: each input becomes
 * `SELECT <its column for each output column, or NULL> FROM (input)`, and the positional operation then types the
 * columns as for any set operation. The inputs' column names come from the engine (`probe`: the input's query, with
 * the CTEs it sees, prepared but not run), innermost operation first, so nested operations see resolved inputs.
 * DuckDB's own UNION BY NAME is not used: it has no INNER/LEFT/STRICT modes and no INTERSECT/EXCEPT form.
 * Rules (column order, case-insensitive matching, the errors) are BigQuery's "BY NAME or CORRESPONDING":
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#set_operators
 */
import { parse, generate, Dialect } from './polyglot.ts';
import { ident, nullLit, type Node } from './ast-build.ts';
import { isAnonymous, nameResultColumns, outermostSelect } from './result-names.ts';
import { invalidQuery, notSupported } from '../errors.ts';

const SET_OPS = ['union', 'intersect', 'except'];
/** A cheap test on the text: statements without these words never pay for the AST pass. */
const MAY_MATCH_BY_NAME = /\bcorresponding\b|\bby\s+name\b|\b(?:full|left|inner|outer)\s+(?:union|intersect|except)\b/i;

export const mayMatchByName = (sql: string): boolean => MAY_MATCH_BY_NAME.test(sql);

/** Column names of a GoogleSQL query (in order, duplicates kept); throws if the engine cannot resolve it. */
type Probe = (googleSql: string) => Promise<string[]>;

type Mode = 'STRICT' | 'INNER' | 'FULL' | 'LEFT';
/** Where an input of a chain sits: `body[side]`. */
interface Slot {
  body: Node;
  side: 'left' | 'right';
}
/** A chain `q1 op q2 op q3 ...` of one set operation (BigQuery reads it as one operation over all its inputs). */
export interface Found {
  bodies: Node[];
  inputs: Slot[];
  op: string;
  ctes: Node[];
  withShape: Node;
}
interface OutColumn {
  name: string;
  sources: Array<string | undefined>;
}

/**
 * `marked` is the statement after markReferences (parameters as `@key`); returns the rewritten statement as GoogleSQL
 * text, or undefined when no set operation in it matches by name.
 */
export async function resolveByName(marked: string, probe: Probe): Promise<string | undefined> {
  let parsed = parse(marked, Dialect.BigQuery);
  if (!parsed.success) return undefined;
  restoreModeKeywords(parsed.ast);
  if (!findSetChain(parsed.ast, matchesByName)) return undefined;
  checkChains(parsed.ast);
  for (let found = findSetChain(parsed.ast, matchesByName); found; found = findSetChain(parsed.ast, matchesByName)) {
    const top = found.bodies[0];
    const mode = modeOf(top, found.op);
    const list = byList(top);
    const columns: string[][] = [];
    for (const [i, slot] of found.inputs.entries()) columns.push(await inputColumns(found, slot, i + 1, list, probe));
    const out = outputColumns(mode, list, columns);
    found.inputs.forEach((slot, i) => {
      slot.body[slot.side] = projected(
        slot.body[slot.side],
        out.map((c) => ({ name: c.name, source: c.sources[i] })),
      );
    });
    for (const b of found.bodies) Object.assign(b, { by_name: false, corresponding: false, strict: false, side: null, kind: null, on_columns: [] });
    parsed = parse(generated(parsed.ast), Dialect.BigQuery);
    if (!parsed.success) throw notSupported(`This set operation with BY NAME / CORRESPONDING (${parsed.error})`);
  }
  return generated(parsed.ast);
}

/**
 * The statement (or any node of it) as GoogleSQL text again; `what` names the construct in the error if polyglot
 * cannot write it.
 */
export function generated(ast: Node, what = 'This set operation with BY NAME / CORRESPONDING'): string {
  keepTimestampType(ast);
  const text = generate(Array.isArray(ast) ? ast : [ast], Dialect.BigQuery);
  if (!text.success || !text.sql) throw notSupported(`${what} (${text.error})`);
  return text.sql.join(';\n');
}

/**
 * Polyglot parses GoogleSQL's TIMESTAMP type as its own `timestamp`, which it writes back as DATETIME (`CAST(x AS
 * TIMESTAMP)` came back as `CAST(x AS DATETIME)`, a different type); named explicitly, it is written as read.
 */
function keepTimestampType(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach(keepTimestampType);
  if (node.data_type === 'timestamp' && node.precision == null) {
    delete node.timezone;
    Object.assign(node, { data_type: 'custom', name: 'TIMESTAMP' });
  }
  for (const value of Object.values(node)) if (value && typeof value === 'object') keepTimestampType(value);
}

/** Whether a set operation's body matches columns by name (or names a mode, which needs BY NAME / CORRESPONDING). */
export const matchesByName = (b: Node): boolean => Boolean(b?.by_name || b?.corresponding || b?.strict || b?.side || b?.kind);

/** The chain under `body` (top first) and its inputs in order: polyglot nests `a op b op c` as `(a op b) op c`. */
function chainOf(op: string, body: Node): { bodies: Node[]; inputs: Slot[] } {
  const bodies = [body];
  while (bodies[bodies.length - 1].left?.[op] && signature(op, bodies[bodies.length - 1].left[op]) === signature(op, body)) {
    bodies.push(bodies[bodies.length - 1].left[op]);
  }
  const last = bodies[bodies.length - 1];
  const inputs: Slot[] = [
    { body: last, side: 'left' },
    ...bodies
      .slice()
      .reverse()
      .map((b): Slot => ({ body: b, side: 'right' })),
  ];
  return { bodies, inputs };
}

/** The innermost set operation chain whose top body `matches` (inputs first), with the CTEs visible where it stands. */
export function findSetChain(root: Node, matches: (body: Node) => boolean): Found | undefined {
  let withShape: Node;
  const visit = (node: Node, ctes: Node[]): Found | undefined => {
    if (Array.isArray(node)) {
      for (const n of node) {
        const f = visit(n, ctes);
        if (f) return f;
      }
      return undefined;
    }
    if (!node || typeof node !== 'object') return undefined;
    let inner = ctes;
    const own: Node[] | undefined = node.with?.ctes;
    if (Array.isArray(own)) {
      withShape ??= node.with;
      // A CTE sees the ones before it; the query body sees them all.
      for (let i = 0; i < own.length; i++) {
        const f = visit(own[i], [...ctes, ...own.slice(0, i)]);
        if (f) return f;
      }
      inner = [...ctes, ...own];
    }
    const op = SET_OPS.find((o) => node[o] && matches(node[o]));
    if (op) {
      const chain = chainOf(op, node[op]);
      withShape ??= node[op].with ?? undefined;
      const seen = [...inner, ...(node[op].with?.ctes ?? [])];
      for (const b of chain.bodies) {
        for (const k of Object.keys(b)) {
          if (k === 'with' || k === 'left') continue;
          const f = visit(b[k], seen);
          if (f) return f;
        }
      }
      const f = visit(chain.inputs[0].body.left, seen);
      return f ?? { ...chain, op, ctes: seen, withShape };
    }
    for (const k of Object.keys(node)) {
      if (k === 'with') continue;
      const f = visit(node[k], inner);
      if (f) return f;
    }
    return undefined;
  };
  return visit(root, []);
}

const MODE_WORDS = new Set(['FULL', 'LEFT', 'OUTER']);

/**
 * polyglot reads `SELECT 1 AS a, 2 FULL UNION ...` as `2 AS FULL`: FULL, LEFT and OUTER are reserved words in BigQuery,
 * so such an implicit alias on the item just before a set operator is the operation's mode.
 */
function restoreModeKeywords(node: Node): void {
  if (Array.isArray(node)) return node.forEach(restoreModeKeywords);
  if (!node || typeof node !== 'object') return;
  for (const op of SET_OPS) {
    const body = node[op];
    if (!body) continue;
    let before = body.left;
    for (let o = SET_OPS.find((x) => before?.[x]); o; o = SET_OPS.find((x) => before?.[x])) before = before[o].right;
    const items: Node[] | undefined = before?.select && !before.select.from ? before.select.expressions : undefined;
    const last = items?.[items.length - 1]?.alias;
    const word = last && !last.alias_explicit_as && !last.alias?.quoted ? String(last.alias?.name ?? '').toUpperCase() : '';
    if (!MODE_WORDS.has(word)) continue;
    items![items!.length - 1] = last.this;
    if (word === 'OUTER') body.kind = 'OUTER';
    else Object.assign(body, { side: word, kind: body.kind === 'OUTER' ? 'OUTER' : null });
  }
  for (const k of Object.keys(node)) restoreModeKeywords(node[k]);
}

/** BigQuery needs parentheses between set operations that differ (operator, ALL/DISTINCT, column matching). */
function checkChains(node: Node): void {
  if (Array.isArray(node)) return node.forEach(checkChains);
  if (!node || typeof node !== 'object') return;
  for (const op of SET_OPS) {
    const body = node[op];
    const leftOp = body && SET_OPS.find((o) => body.left?.[o]);
    if (leftOp && (matchesByName(body) || matchesByName(body.left[leftOp])) && signature(op, body) !== signature(leftOp, body.left[leftOp])) {
      throw invalidQuery('Different column match modes cannot be used in the same query without using parentheses for grouping');
    }
  }
  for (const k of Object.keys(node)) checkChains(node[k]);
}

const signature = (op: string, b: Node) => JSON.stringify([op, !!b.all, !!b.distinct, !!b.by_name, !!b.corresponding, !!b.strict, b.side ?? null, b.kind ?? null, byList(b)]);

function modeOf(b: Node, op: string): Mode {
  const side = b.side ? String(b.side).toUpperCase() : undefined;
  const kind = b.kind ? String(b.kind).toUpperCase() : undefined;
  const prefix = side ?? kind;
  if (!b.by_name && !b.corresponding) {
    throw invalidQuery(`${b.strict ? 'STRICT' : prefix} in set operations cannot be used without BY NAME or CORRESPONDING`);
  }
  if (b.strict && prefix) throw invalidQuery(`STRICT cannot be combined with ${prefix} in a ${op.toUpperCase()} set operation`);
  if (side === 'FULL' || (!side && kind === 'OUTER')) return 'FULL';
  if (side === 'LEFT') return 'LEFT';
  if (side) throw invalidQuery(`${side} is not a set operation mode (use INNER, FULL or LEFT)`);
  if (kind === 'INNER') return 'INNER';
  // BY NAME alone and STRICT CORRESPONDING need the same columns on both sides; CORRESPONDING alone is INNER.
  return 'STRICT';
}

function byList(b: Node): string[] | undefined {
  const cols: Node[] = b?.on_columns ?? [];
  if (!cols.length) return undefined;
  return cols.map((c) => {
    const name = c?.column?.name?.name ?? c?.identifier?.name;
    if (typeof name !== 'string' || c?.column?.table) throw invalidQuery('The BY / ON list of a set operation takes column names');
    return name;
  });
}

/**
 * The input's query as a statement of its own (with the CTEs it sees), its column names checked as BigQuery does:
 * no anonymous or duplicate columns, except (with a BY / ON list) among the columns the list leaves out.
 */
async function inputColumns(found: Found, slot: Slot, n: number, list: string[] | undefined, probe: Probe): Promise<string[]> {
  const query = unwrap(slot.body[slot.side]);
  const select = outermostSelect(query);
  const anonymous = (select?.expressions ?? []).findIndex(isAnonymous);
  if (anonymous >= 0 && !list) {
    throw invalidQuery(`Anonymous columns are not allowed in set operations when BY NAME or CORRESPONDING is used: query ${n}, column ${anonymous + 1}`);
  }
  // The probe names anonymous columns f0_, f1_, ... (as results are named): such a name in the list is ambiguous here.
  if (anonymous >= 0 && list?.some((c) => /^f\d+_$/i.test(c))) throw notSupported(`A BY / ON list naming ${list.find((c) => /^f\d+_$/i.test(c))} beside anonymous columns`);
  const statement = withCtes(query, found.ctes, found.withShape);
  const text = generate([statement], Dialect.BigQuery);
  if (!text.success || !text.sql) throw notSupported(`This input of a set operation with BY NAME / CORRESPONDING (${text.error})`);
  let names: string[];
  try {
    names = await probe(text.sql.join(''));
  } catch (e) {
    // A correlated input (it reads the columns of an enclosing query) cannot be resolved on its own here.
    throw notSupported(`BY NAME / CORRESPONDING over an input the emulator cannot resolve on its own (${e instanceof Error ? e.message : e})`);
  }
  const seen = new Set<string>();
  const listed = list && new Set(list.map((c) => c.toLowerCase()));
  for (const name of names) {
    const key = name.toLowerCase();
    if (seen.has(key) && (!listed || listed.has(key))) throw invalidQuery(`Duplicate columns found when using BY NAME or CORRESPONDING in set operations: ${name} in query ${n}`);
    seen.add(key);
  }
  return names;
}

export const unwrap = (q: Node): Node => (q?.subquery && !q.subquery.alias ? unwrap(q.subquery.this) : q);

/** The input's query with the CTEs it sees, as a statement of its own. */
export function withCtes(query: Node, ctes: Node[], withShape: Node): Node {
  if (!ctes.length) return query;
  const key = ['select', ...SET_OPS].find((k) => query?.[k]);
  if (!key) throw notSupported('This input of a set operation');
  const body = query[key];
  const own: Node[] = body.with?.ctes ?? [];
  const ownNames = new Set(own.map((c) => String(c?.alias?.name ?? '').toLowerCase()));
  const visible = ctes.filter((c) => !ownNames.has(String(c?.alias?.name ?? '').toLowerCase()));
  return { [key]: { ...body, with: { ...(body.with ?? withShape), ctes: [...visible, ...own] } } };
}

/** BigQuery's output columns (names and order per mode and BY list), with each input's column for them, if any. */
function outputColumns(mode: Mode, list: string[] | undefined, inputs: string[][]): OutColumn[] {
  const maps = inputs.map((cols) => new Map(cols.map((c) => [c.toLowerCase(), c])));
  const column = (key: string): OutColumn => ({ name: maps.find((m) => m.has(key))!.get(key)!, sources: maps.map((m) => m.get(key)) });
  const missingFrom = (key: string) => maps.findIndex((m) => !m.has(key)) + 1;
  if (list) {
    const keys = list.map((c) => c.toLowerCase());
    const dup = keys.find((k, i) => keys.indexOf(k) !== i);
    if (dup) throw invalidQuery(`Duplicate column ${dup} in the BY / ON list of a set operation`);
    keys.forEach((k, i) => {
      const ok = mode === 'FULL' ? maps.some((m) => m.has(k)) : mode === 'LEFT' ? maps[0].has(k) : maps.every((m) => m.has(k));
      if (!ok) throw invalidQuery(`Column ${list[i]} in the BY / ON list of a set operation is missing from query ${mode === 'LEFT' ? 1 : missingFrom(k)}`);
    });
    if (mode === 'STRICT' && inputs.some((cols) => cols.length !== keys.length)) {
      throw notSupported('STRICT CORRESPONDING BY / BY NAME ON with input columns outside the list');
    }
    return keys.map(column);
  }
  const first = inputs[0].map((c) => c.toLowerCase());
  if (mode === 'STRICT') {
    maps.slice(1).forEach((m, i) => {
      const extra = [...m.keys()].find((k) => !maps[0].has(k));
      const missing = first.find((k) => !m.has(k));
      if (missing || extra) {
        throw invalidQuery(`Column ${missing ? maps[0].get(missing) : m.get(extra!)} is missing from query ${missing ? i + 2 : 1}: BY NAME and STRICT CORRESPONDING need the same columns in every input`);
      }
    });
    return first.map(column);
  }
  const common = first.filter((k) => maps.every((m) => m.has(k)));
  if ((mode === 'INNER' && !common.length) || (mode === 'LEFT' && maps.slice(1).some((m) => !first.some((k) => m.has(k))))) {
    throw invalidQuery('Queries of the set operation using BY NAME or CORRESPONDING do not have any columns in common');
  }
  if (mode === 'INNER') return common.map(column);
  if (mode === 'LEFT') return first.map(column);
  const keys: string[] = [];
  for (const cols of inputs) for (const c of cols) if (!keys.includes(c.toLowerCase())) keys.push(c.toLowerCase());
  return keys.map(column);
}

let template: Node | undefined;

/** `SELECT <source or NULL> AS <name>, ... FROM (input)`. */
function projected(input: Node, columns: Array<{ name: string; source?: string }>): Node {
  template ??= (parse('SELECT __gg_col FROM (SELECT 1) AS __gg_by_name', Dialect.BigQuery).ast as Node[])[0];
  const select = structuredClone(template).select;
  // The input's columns get the names its probe saw (field accesses named after the field, f0_ for anonymous ones).
  const query = unwrap(input);
  nameResultColumns(query);
  select.from.expressions[0].subquery.this = query;
  select.expressions = columns.map((c) => ({
    alias: {
      this: c.source === undefined ? nullLit() : { column: { name: ident(c.source, true), table: null, join_mark: false, trailing_comments: [] } },
      alias: ident(c.name, true),
      column_aliases: [],
      alias_explicit_as: true,
      pre_alias_comments: [],
      trailing_comments: [],
    },
  }));
  return { select };
}

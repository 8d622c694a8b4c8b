/**
 * Runs conformance cases against a BigQuery REST endpoint (the emulator, or real BigQuery with a
 * token) and compares results in canonical form. Shared by the test and the docs generator.
 */
import type { CanonicalValue, ConformanceCase } from './case.ts';

export interface CaseOutcome {
  name: string;
  passed: boolean;
  detail?: string;
}

interface Field {
  name: string;
  type: string;
  mode?: string;
  fields?: Field[];
  rangeElementType?: { type: string };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function timestampFromMicros(v: string): string {
  const micros = BigInt(v);
  const d = new Date(Number(micros / 1000n));
  const frac = Number(((micros % 1_000_000n) + 1_000_000n) % 1_000_000n);
  const f = frac ? '.' + String(frac).padStart(6, '0').replace(/0+$/, '') : '';
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${f}Z`;
}

export function canonical(field: Field, v: any): CanonicalValue {
  if (v === null || v === undefined) return null;
  if (field.mode === 'REPEATED') return (v as any[]).map((x) => canonical({ ...field, mode: 'NULLABLE' }, x.v));
  switch (field.type) {
    case 'RECORD':
    case 'STRUCT':
      return Object.fromEntries((field.fields ?? []).map((f, k) => [f.name, canonical(f, v.f[k].v)]));
    case 'FLOAT':
    case 'FLOAT64':
      return ['NaN', 'Infinity', '-Infinity'].includes(v) ? v : Number(v);
    case 'BOOLEAN':
    case 'BOOL':
      return v === 'true';
    case 'TIMESTAMP':
      return timestampFromMicros(v);
    case 'DATETIME':
      return String(v).replace(' ', 'T').replace(/\.0+$/, '');
    default:
      return String(v);
  }
}

export function standardType(f: Field): string {
  const map: Record<string, string> = { INTEGER: 'INT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL', RECORD: 'STRUCT' };
  let t = map[f.type] ?? f.type;
  if (t === 'STRUCT') t = `STRUCT<${(f.fields ?? []).map((s) => `${s.name} ${standardType(s)}`).join(', ')}>`;
  if (t === 'RANGE' && f.rangeElementType) t = `RANGE<${f.rangeElementType.type}>`;
  return f.mode === 'REPEATED' ? `ARRAY<${t}>` : t;
}

function equal(a: CanonicalValue, b: CanonicalValue): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, k) => equal(x, b[k]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => equal((a as any)[k], (b as any)[k]));
  }
  return a === b;
}

const show = (v: unknown) => JSON.stringify(v);

async function call(url: string, body: unknown): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}

export async function runCase(baseUrl: string, projectId: string, c: ConformanceCase): Promise<CaseOutcome> {
  const endpoint = `${baseUrl}/projects/${projectId}/queries`;
  // The case's own statements only: `conf` is dropped and made anew before them.
  const query = (sql: string, params?: ConformanceCase['params'], inConf = false) =>
    call(endpoint, {
      query: sql,
      useLegacySql: false,
      timeoutMs: 60_000,
      formatOptions: { useInt64Timestamp: true },
      ...(inConf && c.defaultDataset ? { defaultDataset: { projectId, datasetId: 'conf' } } : {}),
      ...(params?.length ? { parameterMode: params.some((p) => p.name) ? 'NAMED' : 'POSITIONAL', queryParameters: params } : {}),
    });
  await query('DROP SCHEMA IF EXISTS conf CASCADE');
  await query('CREATE SCHEMA conf');
  for (const s of c.setup ?? []) {
    const r = await query(s);
    if (r.error) return { name: c.name, passed: false, detail: `setup failed: ${r.error.message}` };
  }
  const exp = c.expect;
  if (c.concurrent) {
    const results = await Promise.all(Array.from({ length: c.concurrent }, () => query(c.sql, c.params, true)));
    const errors = results.filter((x) => x.error).map((x) => String(x.error.message));
    if (!('error' in exp)) return errors.length ? { name: c.name, passed: false, detail: `error: ${errors[0]}` } : { name: c.name, passed: true };
    const ok = errors.some((m) => new RegExp(exp.error, 'i').test(m));
    return { name: c.name, passed: ok, detail: ok ? undefined : `no job of ${c.concurrent} failed matching /${exp.error}/i (errors: ${show([...new Set(errors)]).slice(0, 300)})` };
  }
  const r = await query(c.sql, c.params, true);
  if ('error' in exp) {
    if (!r.error) return { name: c.name, passed: false, detail: `expected an error matching /${exp.error}/i but the job succeeded` };
    const ok = new RegExp(exp.error, 'i').test(r.error.message);
    return { name: c.name, passed: ok, detail: ok ? undefined : `error "${r.error.message}" does not match /${exp.error}/i` };
  }
  if (r.error) return { name: c.name, passed: false, detail: `error: ${r.error.message}` };
  const fields: Field[] = r.schema?.fields ?? [];
  const rows: CanonicalValue[][] = (r.rows ?? []).map((row: any) => row.f.map((cell: any, k: number) => canonical(fields[k], cell.v)));
  if (
    exp.columns &&
    !equal(
      fields.map((f) => f.name),
      exp.columns,
    )
  ) {
    return { name: c.name, passed: false, detail: `columns ${show(fields.map((f) => f.name))} != ${show(exp.columns)}` };
  }
  if (exp.types) {
    const got = fields.map(standardType).map((t) => t.replace(/\s+/g, '').toUpperCase());
    const want = exp.types.map((t) => t.replace(/\s+/g, '').toUpperCase());
    if (!equal(got, want)) return { name: c.name, passed: false, detail: `types ${show(fields.map(standardType))} != ${show(exp.types)}` };
  }
  if (exp.dmlAffectedRows !== undefined && Number(r.numDmlAffectedRows) !== exp.dmlAffectedRows) {
    return { name: c.name, passed: false, detail: `numDmlAffectedRows ${r.numDmlAffectedRows} != ${exp.dmlAffectedRows}` };
  }
  if (rows.length !== exp.rows.length) return { name: c.name, passed: false, detail: `got ${rows.length} rows ${show(rows).slice(0, 300)}, expected ${exp.rows.length} ${show(exp.rows).slice(0, 300)}` };
  if (exp.ordered) {
    const k = rows.findIndex((row, i) => !equal(row, exp.rows[i]));
    return k < 0 ? { name: c.name, passed: true } : { name: c.name, passed: false, detail: `row ${k}: got ${show(rows[k])}, expected ${show(exp.rows[k])}` };
  }
  const remaining = [...rows];
  for (const want of exp.rows) {
    const k = remaining.findIndex((row) => equal(row, want));
    if (k < 0) return { name: c.name, passed: false, detail: `expected row ${show(want)} not found in ${show(rows).slice(0, 400)}` };
    remaining.splice(k, 1);
  }
  return { name: c.name, passed: true };
}

export async function runAll(baseUrl: string, projectId: string, cases: ConformanceCase[]): Promise<CaseOutcome[]> {
  const out: CaseOutcome[] = [];
  for (const c of cases) {
    try {
      out.push(await runCase(baseUrl, projectId, c));
    } catch (e) {
      out.push({ name: c.name, passed: false, detail: `harness error: ${(e as Error).message}` });
    }
  }
  return out;
}

/**
 * Runs the ZetaSQL compliance cases through a BigQuery REST endpoint (the emulator): per file, a dataset with the
 * file's `[prepare_database]` tables, then every applicable case with ZetaSQL's default time zone as the
 * `time_zone` connection property; DML cases run on a fresh copy of the tables and compare the rows modified and
 * the table's contents afterwards. Files run concurrently; cases within a file in order.
 */
import { parseComplianceFile, type ComplianceCase } from './parse-file.ts';
import { parseExpected, type Expected, type ZType, type ZValue } from './value-text.ts';
import { bigQuerySpelling, decide, sqlWords, tableIsExcluded } from './applicability.ts';
import { checkRows, type RestField } from './compare.ts';
import { restParameters, type RestParam } from './params.ts';
import { complianceDir, complianceFiles } from './source.ts';

/** pass; refused = "not supported by the local emulator"; error = another error; wrong = a different answer. */
export type Outcome = 'pass' | 'refused' | 'error' | 'wrong';
export interface CaseResult {
  id: string;
  file: string;
  outcome?: Outcome;
  excluded?: string;
  detail?: string;
}

interface Endpoint {
  url: string;
  projectId: string;
}
interface QueryReply {
  error?: string;
  fields: RestField[];
  rows: any[][];
  affected?: number;
}

const REFUSAL = /not supported by the local emulator/i;

async function post(url: string, body: unknown, method = 'POST'): Promise<any> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return text ? JSON.parse(text) : {};
}

async function query(ep: Endpoint, dataset: string, sql: string, timeZone: string, params: RestParam[] = []): Promise<QueryReply> {
  let r = await post(`${ep.url}/projects/${ep.projectId}/queries`, {
    query: sql,
    useLegacySql: false,
    timeoutMs: 60_000,
    formatOptions: { useInt64Timestamp: true },
    defaultDataset: { projectId: ep.projectId, datasetId: dataset },
    connectionProperties: [{ key: 'time_zone', value: timeZone }],
    ...(params.length ? { parameterMode: 'NAMED', queryParameters: params } : {}),
  });
  while (!r.error && r.jobComplete === false) {
    r = await post(`${ep.url}/projects/${ep.projectId}/queries/${r.jobReference.jobId}?timeoutMs=60000&formatOptions.useInt64Timestamp=true`, undefined, 'GET');
  }
  if (r.error) return { error: String(r.error.message), fields: [], rows: [] };
  return {
    fields: r.schema?.fields ?? [],
    rows: (r.rows ?? []).map((row: any) => row.f.map((c: any) => c.v)),
    affected: r.numDmlAffectedRows === undefined ? undefined : Number(r.numDmlAffectedRows),
  };
}

const createDataset = (ep: Endpoint, id: string) => post(`${ep.url}/projects/${ep.projectId}/datasets`, { datasetReference: { projectId: ep.projectId, datasetId: id } });
const dropDataset = (ep: Endpoint, id: string) => post(`${ep.url}/projects/${ep.projectId}/datasets/${id}?deleteContents=true`, undefined, 'DELETE');

const isDml = (sql: string) => /^\s*(insert|update|delete|merge)\b/i.test(sql.replace(/^\s*(#|--).*$/gm, ''));
const createdTable = (sql: string) =>
  /^\s*create\s+(?:or\s+replace\s+)?(?:temp(?:orary)?\s+)?table\s+([`\w.]+)/i
    .exec(sql.replace(/^\s*(#|--).*$/gm, ''))?.[1]
    ?.replace(/`/g, '')
    .split('.')
    .pop()
    ?.toLowerCase();

function judge(expected: Expected, reply: QueryReply, dml: boolean, after?: QueryReply): { outcome: Outcome; detail?: string } {
  if ('error' in expected) {
    if (!reply.error) return { outcome: 'wrong', detail: `succeeded; expected an error (${expected.error.slice(0, 120)})` };
    return REFUSAL.test(reply.error) ? { outcome: 'refused', detail: reply.error } : { outcome: 'pass' };
  }
  if (reply.error) return { outcome: REFUSAL.test(reply.error) ? 'refused' : 'error', detail: reply.error.slice(0, 300) };
  if (!dml) {
    const check = checkRows(expected, reply.fields, reply.rows);
    return check.ok ? { outcome: 'pass' } : { outcome: 'wrong', detail: check.detail };
  }
  // DML: STRUCT<num_rows_modified INT64, all_rows ARRAY<STRUCT<...>>>{n, [...]}
  const v = expected.value as Extract<ZValue, { kind: 'struct' }>;
  const wantCount = v?.items?.[0] && v.items[0].kind === 'scalar' ? Number(v.items[0].text) : NaN;
  if (reply.affected !== wantCount) return { outcome: 'wrong', detail: `numDmlAffectedRows ${reply.affected}, expected ${wantCount}` };
  if (!after || after.error) return { outcome: 'error', detail: `reading the table back failed: ${after?.error}` };
  const allRows = v.items[1];
  const rowsType: ZType = expected.type.fields?.[1]?.type ?? { name: 'ARRAY' };
  const check = checkRows({ type: allRows && allRows.kind === 'array' && allRows.type.element ? allRows.type : rowsType, value: allRows }, after.fields, after.rows);
  return check.ok ? { outcome: 'pass' } : { outcome: 'wrong', detail: `table after the DML: ${check.detail}` };
}

export async function runFile(ep: Endpoint, file: string, dir = complianceDir): Promise<CaseResult[]> {
  const cases = parseComplianceFile(dir, file);
  const dataset = `zs_${file.replace(/\.test$/, '').replace(/\W/g, '_')}`;
  await dropDataset(ep, dataset);
  await createDataset(ep, dataset);
  const excludedTables = new Set<string>();
  /** Columns the file's tables declare FLOAT (32-bit): the harness holds them as FLOAT64, whose values differ. */
  const float32Columns = new Set<string>();
  /** Tables whose [prepare_database] statement the emulator failed: cases reading them fail the same way. */
  const failedTables = new Map<string, string>();
  const prepares: Array<{ sql: string; table?: string; tz: string }> = [];
  const out: CaseResult[] = [];
  let dmlRuns = 0;
  try {
    for (const c of cases) {
      let expected: Expected;
      try {
        expected = c.expected ? parseExpected(c.expected) : { type: { name: 'ARRAY' }, value: null };
      } catch (e) {
        if (!c.prepare) out.push({ id: c.id, file, outcome: 'error', detail: `harness: cannot read the expected result: ${(e as Error).message}` });
        continue;
      }
      if (c.prepare) {
        await prepare(ep, dataset, c, expected, excludedTables, failedTables, prepares, float32Columns);
        continue;
      }
      out.push(await runCase(ep, dataset, c, expected, { tables: excludedTables, float32Columns }, failedTables, prepares, () => `zd_${dataset.slice(3)}_${dmlRuns++}`));
    }
  } finally {
    await dropDataset(ep, dataset);
  }
  return out;
}

async function prepare(
  ep: Endpoint,
  dataset: string,
  c: ComplianceCase,
  expected: Expected,
  excluded: Set<string>,
  failed: Map<string, string>,
  prepares: Array<{ sql: string; table?: string; tz: string }>,
  float32Columns: Set<string>,
) {
  const table = createdTable(c.sql);
  if (table && tableIsExcluded(c.sql, expected)) {
    excluded.add(table);
    return;
  }
  if (table && 'type' in expected) for (const f of expected.type.element?.fields ?? []) if (/^FLOAT(32)?$/.test(f.type.name)) float32Columns.add(f.name.toLowerCase());
  const sql = bigQuerySpelling(c.sql, true);
  const r = await query(ep, dataset, sql, c.timeZone);
  // A table whose ZetaSQL-only integer/float columns hold values BigQuery's types cannot: BigQuery could not hold it.
  if (r.error && table && !REFUSAL.test(r.error) && sql !== bigQuerySpelling(c.sql)) {
    excluded.add(table);
    return;
  }
  if (r.error && table) failed.set(table, r.error);
  prepares.push({ sql, table, tz: c.timeZone });
}

async function runCase(
  ep: Endpoint,
  dataset: string,
  c: ComplianceCase,
  expected: Expected,
  excludedTables: { tables: Set<string>; float32Columns: Set<string> },
  failedTables: Map<string, string>,
  prepares: Array<{ sql: string; table?: string; tz: string }>,
  dmlDataset: () => string,
): Promise<CaseResult> {
  const base = { id: c.id, file: c.file };
  const verdict = decide(c, expected, excludedTables);
  if (!verdict.applies) return { ...base, excluded: verdict.reason };
  let params: RestParam[] = [];
  if (c.parameters) {
    const p = restParameters(c.parameters);
    if ('notEvaluable' in p) {
      return { ...base, excluded: /cannot hold NULL/.test(p.notEvaluable) ? 'rule array_null_element (parameter)' : `rule parameter_not_evaluable (${p.notEvaluable.slice(0, 80)})` };
    }
    params = p.params;
  }
  const sql = bigQuerySpelling(c.sql);
  const failedTable = sqlWords(sql)
    .map((w) => w.toLowerCase())
    .find((w) => failedTables.has(w));
  if (failedTable) {
    const why = failedTables.get(failedTable)!;
    return { ...base, outcome: REFUSAL.test(why) ? 'refused' : 'error', detail: `the table ${failedTable} could not be created: ${why.slice(0, 200)}` };
  }
  try {
    if (!isDml(sql)) return { ...base, ...judge(expected, await query(ep, dataset, sql, c.timeZone, params), false) };
    const ds = dmlDataset();
    await createDataset(ep, ds);
    try {
      const words = new Set(sqlWords(sql).map((w) => w.toLowerCase()));
      for (const p of prepares) if (!p.table || words.has(p.table)) await query(ep, ds, p.sql, p.tz);
      const reply = await query(ep, ds, sql, c.timeZone, params);
      const target = /^\s*(?:insert(?:\s+into)?|update|delete(?:\s+from)?|merge(?:\s+into)?)\s+([`\w.]+)/i.exec(sql)?.[1]?.replace(/`/g, '');
      const after = reply.error || !target ? undefined : await query(ep, ds, `SELECT * FROM ${target}`, c.timeZone);
      return { ...base, ...judge(expected, reply, true, after) };
    } finally {
      await dropDataset(ep, ds);
    }
  } catch (e) {
    return { ...base, outcome: 'error', detail: `harness: ${(e as Error).message}` };
  }
}

/** Every file (or the given ones), `concurrency` files at a time. */
export async function runCompliance(ep: Endpoint, opts: { files?: string[]; concurrency?: number; dir?: string } = {}): Promise<CaseResult[]> {
  const files = opts.files ?? complianceFiles(opts.dir);
  const results: CaseResult[][] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const k = next++;
      results[k] = await runFile(ep, files[k], opts.dir);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 3, files.length) }, worker));
  return results.flat();
}

/**
 * Jobs reuse the DuckDB connections earlier jobs left clean (emulator/bigquery/connection-pool.ts). Nothing of one
 * job may reach another through a reused connection: its temp tables and functions, its default dataset, an open or
 * failed transaction; and a job whose default dataset was dropped fails as it did on a new connection.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rest, startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';

let bq: LocalBigQuery;
beforeAll(async () => {
  bq = await startLocalBigQuery();
  await bq.rows('CREATE SCHEMA sc_a');
  await bq.rows("CREATE TABLE sc_a.t AS SELECT 'a' AS src");
});
afterAll(() => bq?.stop());

const query = async (query: string, body: Record<string, unknown> = {}) => {
  const r = await rest(bq.emulator.url, 'POST', `/projects/${bq.emulator.projectId}/queries`, { query, useLegacySql: false, ...body });
  if (r.json.error) throw new Error(r.json.error.message);
  return (r.json.rows ?? []).map((row: any) => row.f.map((c: any) => c.v));
};
// Enough jobs in a row to take every idle connection the pool keeps (8) more than once.
const JOBS = 20;
const repeat = async (f: () => Promise<void>) => {
  for (let i = 0; i < JOBS; i++) await f();
};

it("a script's temp table and temp function stay in its job", async () => {
  expect(await query('CREATE TEMP TABLE tt AS SELECT 7 AS x;\nCREATE TEMP FUNCTION plus1(x INT64) AS (x + 1);\nSELECT plus1(x) AS y FROM tt')).toEqual([['8']]);
  await repeat(async () => {
    await expect(query('SELECT x FROM tt')).rejects.toThrow(/tt/);
    await expect(query('SELECT plus1(1) AS y')).rejects.toThrow(/plus1/i);
  });
});

it('an unqualified name resolves only in the default dataset of its own job', async () => {
  await repeat(async () => {
    expect(await query('SELECT src FROM t', { defaultDataset: { datasetId: 'sc_a' } })).toEqual([['a']]);
    await expect(query('SELECT src FROM t')).rejects.toThrow(/must be qualified|not found|does not exist/i);
  });
});

it('a job ended with an open transaction or a failed statement leaves nothing for the next job', async () => {
  await expect(query('BEGIN TRANSACTION;\nINSERT INTO sc_a.t (src) VALUES ("tx")')).rejects.toThrow(/Transaction was not committed/);
  await expect(query('SELECT CAST("x" AS INT64) AS n')).rejects.toThrow();
  await repeat(async () => {
    expect(await query('SELECT src FROM sc_a.t ORDER BY src')).toEqual([['a']]);
    expect(await query('INSERT INTO sc_a.t (src) VALUES ("b");\nDELETE FROM sc_a.t WHERE src = "b";\nSELECT COUNT(*) AS n FROM sc_a.t')).toEqual([['1']]);
  });
});

it('a job whose default dataset was dropped fails as on a new connection', async () => {
  await query('CREATE SCHEMA sc_gone');
  await repeat(async () => void expect(await query('SELECT 1 AS x', { defaultDataset: { datasetId: 'sc_gone' } })).toEqual([['1']]));
  await query('DROP SCHEMA sc_gone');
  await repeat(async () => {
    await expect(query('SELECT 1 AS x', { defaultDataset: { datasetId: 'sc_gone' } })).rejects.toThrow(/sc_gone/);
  });
});

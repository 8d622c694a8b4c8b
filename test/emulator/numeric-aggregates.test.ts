/**
 * SUM and AVG of NUMERIC values whose running sum passes NUMERIC's range (29 integer digits) while the result is within
 * it: BigQuery answers (ZetaSQL's numeric_aggregation_queries and analytic_avg cases); DuckDB's DECIMAL sum of the
 * scaled values overflowed its HUGEINT ("Overflow in HUGEINT addition"). A SUM past the range is still BigQuery's
 * "numeric overflow: SUM" (https://cloud.google.com/bigquery/docs/reference/standard-sql/aggregate_functions#sum).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBigQueryEmulator, type BigQueryEmulator } from '@gradeguard/bigquery-emulator';

let emu: BigQueryEmulator;
const query = async (sql: string) => {
  const res = await fetch(`${emu.url}/projects/${emu.projectId}/queries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: sql, useLegacySql: false }),
  });
  const body = await res.json();
  return {
    error: body.error?.message as string | undefined,
    types: body.schema?.fields.map((f: { type: string }) => f.type),
    rows: (body.rows ?? []).map((r: { f: Array<{ v: unknown }> }) => r.f.map((c) => c.v)),
  };
};
const MAX = "NUMERIC '99999999999999999999999999999.999999999'";

beforeAll(async () => {
  emu = await startBigQueryEmulator({ port: 0 });
  await query('CREATE SCHEMA n');
  await query(`CREATE TABLE n.big AS SELECT * FROM UNNEST([STRUCT(1 AS id, ${MAX} AS v), (2, ${MAX}), (3, ${MAX}), (4, -${MAX}), (5, -${MAX}), (6, -${MAX}), (7, NUMERIC '1'), (8, NUMERIC '10')])`);
});
afterAll(async () => emu?.stop());

describe('NUMERIC SUM and AVG past the range on the way', () => {
  it('sums and averages values whose running sum passes NUMERIC, as plain aggregates and over a window', async () => {
    const r = await query('SELECT SUM(v), AVG(v) FROM n.big');
    expect(r.error).toBeUndefined();
    expect(r.types).toEqual(['NUMERIC', 'NUMERIC']);
    expect(r.rows).toEqual([['11', '1.375']]);
    const w = await query('SELECT id, AVG(v) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM n.big WHERE id <= 3 ORDER BY id');
    expect(w.error).toBeUndefined();
    expect(w.rows.map((row: unknown[]) => row[1])).toEqual(['99999999999999999999999999999.999999999', '99999999999999999999999999999.999999999', '99999999999999999999999999999.999999999']);
  });

  it('rounds an average half away from zero at the ninth decimal, on both sides of zero', async () => {
    const r = await query(`SELECT AVG(v), AVG(-v) FROM UNNEST([NUMERIC '0.000000001', 0.000000002, 0, 0]) AS v`);
    expect(r.rows).toEqual([['0.000000001', '-0.000000001']]);
    const half = await query(`SELECT AVG(v) FROM UNNEST([${MAX}, NUMERIC '1']) AS v`);
    expect(half.rows).toEqual([['50000000000000000000000000000.5']]);
  });

  it('keeps all 18 fractional digits of a BIGNUMERIC sum and average', async () => {
    await query("CREATE TABLE n.bn AS SELECT * FROM UNNEST([BIGNUMERIC '0.0000000002', 0, BIGNUMERIC '1.123456789012345678']) AS b");
    const r = await query('SELECT SUM(b), AVG(b) FROM n.bn');
    const small = await query('SELECT SUM(b), AVG(b) FROM n.bn WHERE b < 1');
    expect(r.types).toEqual(['BIGNUMERIC', 'BIGNUMERIC']);
    expect(r.rows).toEqual([['1.123456789212345678', '0.374485596404115226']]);
    expect(small.rows).toEqual([['0.0000000002', '0.0000000001']]);
  });

  it("still fails with BigQuery's error where the sum itself is past NUMERIC", async () => {
    const r = await query('SELECT SUM(v) FROM n.big WHERE id IN (1, 7)');
    expect(r.error).toBe('numeric overflow: SUM');
    // Whole parts past 10^29 whose fractions bring the sum back within NUMERIC: answered.
    const back = await query(`SELECT SUM(v) FROM UNNEST([NUMERIC '99999999999999999999999999999', 3, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5]) AS v`);
    expect(back.rows).toEqual([['99999999999999999999999999998']]);
  });

  it('keeps DISTINCT and FLOAT64/INT64 sums as they were', async () => {
    const r = await query("SELECT SUM(DISTINCT v), AVG(DISTINCT v), SUM(f), SUM(i) FROM UNNEST([STRUCT(NUMERIC '1.5' AS v, 0.1 AS f, 1 AS i), (NUMERIC '2.5', 0.2, 2), (NUMERIC '2.5', 0.3, 3)])");
    expect(r.error).toBeUndefined();
    expect(r.types).toEqual(['NUMERIC', 'NUMERIC', 'FLOAT', 'INTEGER']);
    expect(r.rows).toEqual([['4', '2', String(0.1 + 0.2 + 0.3), '6']]);
  });
});

/**
 * The RANGE type (emulator/bigquery/range-type.ts), against Google's documentation: the examples of
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/range-functions with their documented results, the
 * literal syntax of .../lexical#range_literals, and the REST text Google's Node.js client parses (`[start, end)`,
 * UNBOUNDED for an open end, each end as the REST API writes its type). The ZetaSQL compliance cases that use RANGE
 * values (test/zetasql) judge ordering, grouping and the aggregates over them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BigQuery } from '@google-cloud/bigquery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rest, startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';

let bq: LocalBigQuery;
beforeAll(async () => {
  bq = await startLocalBigQuery();
  await bq.client.createDataset('ranges');
}, 60_000);
afterAll(async () => bq?.stop());

/** One query through raw REST: the schema and the first row's cells as the API sends them. */
async function restQuery(query: string): Promise<{ status: number; fields: any[]; cells: unknown[]; error?: string }> {
  const r = await rest(bq.emulator.url, 'POST', `/bigquery/v2/projects/${bq.emulator.projectId}/queries`, { query, useLegacySql: false });
  return { status: r.status, fields: r.json.schema?.fields ?? [], cells: (r.json.rows?.[0]?.f ?? []).map((c: { v: unknown }) => c.v), error: r.json.error?.message };
}

describe('RANGE values', () => {
  it("RANGE() and RANGE_START / RANGE_END give the documented results, as the API's text", async () => {
    const r = await restQuery(`SELECT
      RANGE(DATE '2022-12-01', DATE '2022-12-31') AS d,
      RANGE(DATETIME '2022-10-01 14:53:27', DATETIME '2022-10-01 16:00:00') AS dt,
      RANGE(NULL, DATE '2022-12-31') AS open_start,
      RANGE(DATE '2022-10-01', NULL) AS open_end,
      RANGE_END(RANGE<DATE> '[2022-12-01, 2022-12-31)') AS e,
      RANGE_END(RANGE<DATE> '[2022-12-01, UNBOUNDED)') AS no_end,
      RANGE_START(RANGE<DATE> '[NULL, 2022-12-31)') AS no_start`);
    expect(r.error).toBeUndefined();
    expect(r.cells).toEqual(['[2022-12-01, 2022-12-31)', '[2022-10-01T14:53:27, 2022-10-01T16:00:00)', '[UNBOUNDED, 2022-12-31)', '[2022-10-01, UNBOUNDED)', '2022-12-31', null, null]);
    expect(r.fields.slice(0, 2)).toEqual([
      { name: 'd', type: 'RANGE', mode: 'NULLABLE', rangeElementType: { type: 'DATE' } },
      { name: 'dt', type: 'RANGE', mode: 'NULLABLE', rangeElementType: { type: 'DATETIME' } },
    ]);
    expect(r.fields[4]).toMatchObject({ name: 'e', type: 'DATE' });
  });

  it('a TIMESTAMP range reads back through the Node.js client at the instant the literal names', async () => {
    const [row] = await bq.rows("SELECT RANGE<TIMESTAMP> '[2020-10-01 12:00:00+08, 2020-12-31 12:00:00+08)' AS t, RANGE_START(RANGE<TIMESTAMP> '[2020-10-01 12:00:00+08, UNBOUNDED)') AS s");
    expect(row.t.elementType).toBe('TIMESTAMP');
    expect(row.t.start.value).toBe('2020-10-01T04:00:00.000Z');
    expect(row.t.end.value).toBe('2020-12-31T04:00:00.000Z');
    expect(row.s.value).toBe('2020-10-01T04:00:00.000Z');
  });

  it('orders by start, then end: an unbounded start first, an unbounded end last, a NULL range first ascending', async () => {
    const rows = await bq.rows(`SELECT r FROM UNNEST([
        RANGE<DATE> '[2020-01-01, UNBOUNDED)', RANGE<DATE> '[2020-01-01, 2020-02-01)', NULL,
        RANGE<DATE> '[UNBOUNDED, 2020-03-01)', RANGE<DATE> '[2020-01-01, 2020-01-15)', RANGE<DATE> '[UNBOUNDED, UNBOUNDED)']) AS r ORDER BY r`);
    expect(rows.map((x) => (x.r ? `[${x.r.start?.value ?? 'UNBOUNDED'}, ${x.r.end?.value ?? 'UNBOUNDED'})` : null))).toEqual([
      null,
      '[UNBOUNDED, 2020-03-01)',
      '[UNBOUNDED, UNBOUNDED)',
      '[2020-01-01, 2020-01-15)',
      '[2020-01-01, 2020-02-01)',
      '[2020-01-01, UNBOUNDED)',
    ]);
  });

  it('equal ranges group together; MIN and MAX follow the order', async () => {
    const [row] = await bq.rows(`SELECT COUNT(DISTINCT r) AS distinct_ranges, MIN(r) AS lo, MAX(r) AS hi,
        COUNTIF(r = RANGE(DATE '2020-01-01', NULL)) AS open_ended
      FROM UNNEST([RANGE<DATE> '[2020-01-01, UNBOUNDED)', RANGE(DATE '2020-01-01', NULL), RANGE<DATE> '[2019-06-01, 2020-01-01)']) AS r`);
    expect(row.distinct_ranges).toBe(2);
    expect(row.open_ended).toBe(2);
    expect([row.lo.start.value, row.lo.end.value]).toEqual(['2019-06-01', '2020-01-01']);
    expect([row.hi.start.value, row.hi.end]).toEqual(['2020-01-01', null]);
  });

  it('RANGE_OVERLAPS and RANGE_INTERSECT give the documented results; disjoint ranges do not intersect', async () => {
    const r = await restQuery(`SELECT
      RANGE_INTERSECT(RANGE<DATE> '[2022-02-01, 2022-09-01)', RANGE<DATE> '[2021-06-15, 2022-04-15)') AS a,
      RANGE_INTERSECT(RANGE<DATE> '[2022-02-01, UNBOUNDED)', RANGE<DATE> '[2021-06-15, 2022-04-15)') AS b,
      RANGE_OVERLAPS(RANGE<DATE> '[2022-02-01, 2022-09-01)', RANGE<DATE> '[2021-06-15, 2022-04-15)') AS c,
      RANGE_OVERLAPS(RANGE<DATE> '[2022-02-01, 2022-09-01)', RANGE<DATE> '[2023-06-15, 2023-08-15)') AS d,
      RANGE_OVERLAPS(RANGE<DATE> '[2022-02-01, UNBOUNDED)', RANGE<DATE> '[2021-06-15, 2022-04-15)') AS e,
      SAFE.RANGE_INTERSECT(RANGE<DATE> '[2022-02-01, 2022-09-01)', RANGE<DATE> '[2023-06-15, 2023-08-15)') AS f`);
    expect(r.error).toBeUndefined();
    expect(r.cells).toEqual(['[2022-02-01, 2022-04-15)', '[2022-02-01, 2022-04-15)', 'true', 'false', 'true', null]);
    const disjoint = await restQuery("SELECT RANGE_INTERSECT(RANGE<DATE> '[2022-02-01, 2022-09-01)', RANGE<DATE> '[2023-06-15, 2023-08-15)')");
    expect(disjoint.status).toBe(400);
    expect(disjoint.error).toMatch(/do not overlap/);
  });

  it('a lower bound not before the upper one is an error, NULL under SAFE.; a malformed literal is an error', async () => {
    for (const sql of ["SELECT RANGE(DATE '2022-02-01', DATE '2022-02-01')", "SELECT RANGE<DATE> '[2022-03-01, 2022-02-01)'"]) {
      const r = await restQuery(sql);
      expect(r.status, sql).toBe(400);
      expect(r.error, sql).toMatch(/lower bound must be less than the upper bound/);
    }
    expect((await restQuery("SELECT SAFE.RANGE(DATE '2022-02-01', DATE '2022-01-01') AS r")).cells).toEqual([null]);
    for (const sql of ["SELECT RANGE<DATE> '[2022-01-01,2022-02-01)'", "SELECT RANGE<DATE> '2022-01-01, 2022-02-01'", "SELECT RANGE<DATE> '[2022-01-01 10:00:00, 2022-02-01)'", "SELECT RANGE<INT64> '[1, 2)'"]) {
      const r = await restQuery(sql);
      expect(r.status, sql).toBe(400);
      expect(r.error, sql).toMatch(/RANGE<\w+>/);
    }
  });

  it('a table keeps RANGE columns: schema, INFORMATION_SCHEMA and values round-trip', async () => {
    await bq.rows('CREATE TABLE ranges.stays (guest STRING, stay RANGE<DATE>, visits ARRAY<RANGE<DATETIME>>)');
    await bq.rows("INSERT INTO ranges.stays VALUES ('a', RANGE<DATE> '[2024-01-01, 2024-01-05)', [RANGE<DATETIME> '[2024-01-01 10:00:00, UNBOUNDED)'])");
    const [meta] = await bq.client.dataset('ranges').table('stays').getMetadata();
    expect(meta.schema.fields.slice(1)).toEqual([
      { name: 'stay', type: 'RANGE', mode: 'NULLABLE', rangeElementType: { type: 'DATE' } },
      { name: 'visits', type: 'RANGE', mode: 'REPEATED', rangeElementType: { type: 'DATETIME' } },
    ]);
    const types = await bq.rows("SELECT column_name, data_type FROM ranges.INFORMATION_SCHEMA.COLUMNS WHERE table_name = 'stays' ORDER BY ordinal_position");
    expect(types.map((t) => t.data_type)).toEqual(['STRING', 'RANGE<DATE>', 'ARRAY<RANGE<DATETIME>>']);
    const [row] = await bq.rows('SELECT RANGE_END(stay) AS leaves, RANGE_START(visits[OFFSET(0)]) AS arrived FROM ranges.stays');
    expect(row.leaves.value).toBe('2024-01-05');
    expect(row.arrived.value).toBe('2024-01-01T10:00:00');
  });

  it('a script variable keeps a range with an open end', async () => {
    const r = await restQuery("DECLARE stay RANGE<DATE>; SET stay = RANGE<DATE> '[UNBOUNDED, 2020-01-01)'; SELECT stay, RANGE_START(stay) IS NULL AS open_start");
    expect(r.error).toBeUndefined();
    expect(r.cells).toEqual(['[UNBOUNDED, 2020-01-01)', 'true']);
  });

  it("takes a RANGE query parameter as Google's Node.js client sends it (an open end as UNBOUNDED)", async () => {
    const [row] = await bq.rows('SELECT RANGE_START(@r) AS s, RANGE_END(@r) IS NULL AS open_end, @r AS r', { r: BigQuery.range('[2020-01-01, UNBOUNDED)', 'DATE') });
    expect(row.s.value).toBe('2020-01-01');
    expect(row.open_end).toBe(true);
    expect([row.r.start.value, row.r.end]).toEqual(['2020-01-01', null]);
  });

  it('RANGE_INTERSECT of a NULL is NULL; bounds of different types are an error', async () => {
    const r = await restQuery("SELECT RANGE_INTERSECT(CAST(NULL AS RANGE<DATE>), RANGE<DATE> '[2020-01-01, 2020-02-01)') AS a");
    expect(r.cells).toEqual([null]);
    const mixed = await restQuery("SELECT RANGE(DATE '2020-01-01', TIMESTAMP '2020-02-01')");
    expect(mixed.status).toBe(400);
    expect(mixed.error).toMatch(/same type/);
  });

  it('an extract job of a table with a RANGE column is refused, not written as the STRUCT the emulator keeps', async () => {
    await bq.rows("CREATE TABLE ranges.periods AS SELECT 1 AS id, RANGE<DATE> '[2020-01-01, UNBOUNDED)' AS r");
    const dest = pathToFileURL(join(mkdtempSync(join(tmpdir(), 'gg-range-')), 'periods.csv')).href;
    const r = await rest(bq.emulator.url, 'POST', `/projects/${bq.emulator.projectId}/jobs`, {
      configuration: { extract: { sourceTable: { datasetId: 'ranges', tableId: 'periods' }, destinationUris: [dest] } },
    });
    const done = r.status === 200 ? (await rest(bq.emulator.url, 'GET', `/projects/${bq.emulator.projectId}/jobs/${r.json.jobReference.jobId}`)).json : r.json;
    expect(JSON.stringify(done)).toMatch(/Extracting a table with RANGE columns \(r\) is not supported by the local emulator/);
  });

  it('what the emulator does not implement is refused by name, never answered with a struct or a number list', async () => {
    for (const sql of [
      "SELECT SAFE_CAST(RANGE<DATE> '[2020-01-01, UNBOUNDED)' AS STRING)",
      "SELECT CAST([RANGE<DATE> '[2020-01-01, UNBOUNDED)'] AS ARRAY<STRING>)",
      "SELECT SAFE_CAST('[2020-01-01, 2020-02-01)' AS RANGE<DATE>)",
      "SELECT CAST(RANGE<TIMESTAMP> '[2020-01-01 00:00:00+00, 2020-01-01 00:00:01+00)' AS RANGE<DATE>)",
      "SELECT CAST(RANGE<DATE> '[2020-01-01, 2020-02-01)' AS STRING)",
      "SELECT FORMAT('%t', RANGE<DATE> '[2020-01-01, 2020-02-01)')",
      "SELECT RANGE_CONTAINS(RANGE<DATE> '[2020-01-01, 2020-02-01)', DATE '2020-01-15')",
      "SELECT GENERATE_RANGE_ARRAY(RANGE(DATE '2020-01-01', DATE '2020-01-06'), INTERVAL 1 DAY)",
    ]) {
      const r = await restQuery(sql);
      expect(r.status, sql).toBe(400);
      expect(r.error, sql).toMatch(/is not supported by the local emulator/);
    }
    // BigQuery's RANGE takes dates and times only; DuckDB's range(1, 5) would have been a list of numbers.
    const numbers = await restQuery('SELECT RANGE(1, 5)');
    expect(numbers.status).toBe(400);
    expect(numbers.error).toMatch(/RANGE's elements must be DATE, DATETIME or TIMESTAMP/);
  });
});

/**
 * Set operations that match columns by name (BY NAME, [STRICT] CORRESPONDING [BY], INNER/FULL/LEFT modes) answer with
 * BigQuery's column order, names, types and NULL padding, fail where BigQuery fails, and INTERSECT/EXCEPT ALL (not
 * BigQuery) are rejected. Rules: https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#set_operators
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rest, startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';

let bq: LocalBigQuery;
beforeAll(async () => {
  bq = await startLocalBigQuery();
  await bq.client.createDataset('sbn');
  await bq.rows('CREATE TABLE sbn.t AS SELECT 1 AS a, "x" AS b, 2.5 AS c');
}, 120_000);
afterAll(() => bq?.stop());

interface Reply {
  columns: string[];
  types: string[];
  rows: unknown[][];
}
const query = async (sql: string, params: unknown[] = []): Promise<Reply> => {
  const r = await rest(bq.emulator.url, 'POST', `/projects/${bq.emulator.projectId}/queries`, {
    query: sql,
    useLegacySql: false,
    ...(params.length ? { parameterMode: 'NAMED', queryParameters: params } : {}),
  });
  if (r.json.error) throw new Error(r.json.error.message);
  const fields = r.json.schema?.fields ?? [];
  return { columns: fields.map((f: any) => f.name), types: fields.map((f: any) => f.type), rows: (r.json.rows ?? []).map((row: any) => row.f.map((c: any) => c.v)) };
};
const sorted = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();

it("BY NAME and STRICT CORRESPONDING match by name in the first input's order", async () => {
  for (const by of ['BY NAME', 'STRICT CORRESPONDING']) {
    const r = await query(`SELECT 1 AS one_digit, 10 AS two_digit UNION ALL ${by} SELECT 20 AS two_digit, 2 AS one_digit`);
    expect(r.columns).toEqual(['one_digit', 'two_digit']);
    expect(sorted(r.rows)).toEqual(
      sorted([
        ['1', '10'],
        ['2', '20'],
      ]),
    );
  }
});

it('INNER / CORRESPONDING keeps the common columns; FULL pads with NULL and appends the right-only ones; LEFT keeps the left ones', async () => {
  const left = 'SELECT 1 AS one_digit, 10 AS two_digit, 100 AS three_digit';
  const right = 'SELECT 20 AS two_digit, 2 AS one_digit, "x" AS four_digit';
  const inner = await query(`${left} UNION ALL CORRESPONDING ${right}`);
  expect(inner.columns).toEqual(['one_digit', 'two_digit']);
  expect(sorted(inner.rows)).toEqual(
    sorted([
      ['1', '10'],
      ['2', '20'],
    ]),
  );
  expect((await query(`${left} INNER UNION ALL BY NAME ${right}`)).columns).toEqual(['one_digit', 'two_digit']);
  const full = await query(`${left} FULL OUTER UNION ALL BY NAME ${right}`);
  expect(full.columns).toEqual(['one_digit', 'two_digit', 'three_digit', 'four_digit']);
  expect(full.types).toEqual(['INTEGER', 'INTEGER', 'INTEGER', 'STRING']);
  expect(sorted(full.rows)).toEqual(
    sorted([
      ['1', '10', '100', null],
      ['2', '20', null, 'x'],
    ]),
  );
  const leftMode = await query(`${left} LEFT UNION ALL CORRESPONDING ${right}`);
  expect(leftMode.columns).toEqual(['one_digit', 'two_digit', 'three_digit']);
  expect(sorted(leftMode.rows)).toEqual(
    sorted([
      ['1', '10', '100'],
      ['2', '20', null],
    ]),
  );
  const on = await query(`${left} FULL OUTER UNION ALL BY NAME ON (three_digit, two_digit) ${right}`);
  expect(on.columns).toEqual(['three_digit', 'two_digit']);
  expect(sorted(on.rows)).toEqual(
    sorted([
      ['100', '10'],
      [null, '20'],
    ]),
  );
});

it("a mode word right after an unaliased select item is the mode, not an alias; types are the inputs' supertypes", async () => {
  const r = await query('SELECT 1 AS a, 2 FULL UNION ALL CORRESPONDING BY (a, b) SELECT 2.5 AS a, "s" AS b');
  expect(r.columns).toEqual(['a', 'b']);
  expect(r.types).toEqual(['FLOAT', 'STRING']);
  expect(sorted(r.rows)).toEqual(
    sorted([
      ['1', null],
      ['2.5', 's'],
    ]),
  );
});

it('INTERSECT / EXCEPT DISTINCT by name, chains of three inputs, nesting, CTEs, tables and parameters', async () => {
  const x = await query('WITH n AS (SELECT 1 AS a, 10 AS b UNION ALL SELECT 2, 20) SELECT a, b FROM n INTERSECT DISTINCT BY NAME SELECT 10 AS b, 1 AS a');
  expect(x.rows).toEqual([['1', '10']]);
  const e = await query('WITH n AS (SELECT 1 AS a, 10 AS b UNION ALL SELECT 2, 20) SELECT a, b FROM n EXCEPT DISTINCT CORRESPONDING SELECT 10 AS b, 1 AS a, 5 AS c');
  expect(e.rows).toEqual([['2', '20']]);
  const three = await query('SELECT 1 AS a FULL UNION ALL CORRESPONDING BY (a, b, c) SELECT 2 AS b FULL UNION ALL CORRESPONDING BY (a, b, c) SELECT 3 AS c');
  expect(three.columns).toEqual(['a', 'b', 'c']);
  expect(sorted(three.rows)).toEqual(
    sorted([
      ['1', null, null],
      [null, '2', null],
      [null, null, '3'],
    ]),
  );
  const nested = await query('(SELECT b, a FROM sbn.t UNION ALL CORRESPONDING SELECT @v AS a, "y" AS b) UNION DISTINCT BY NAME SELECT "x" AS b, 1 AS a ORDER BY a', [
    { name: 'v', parameterType: { type: 'INT64' }, parameterValue: { value: '7' } },
  ]);
  expect(nested.columns).toEqual(['b', 'a']);
  expect(nested.rows).toEqual([
    ['x', '1'],
    ['y', '7'],
  ]);
});

it('CREATE TABLE AS, views and INSERT take set operations by name', async () => {
  await query('CREATE TABLE sbn.made AS SELECT 1 AS a FULL UNION ALL BY NAME SELECT "z" AS b');
  expect((await query('SELECT * FROM sbn.made ORDER BY a')).rows).toEqual([
    [null, 'z'],
    ['1', null],
  ]);
  await query('CREATE VIEW sbn.v AS SELECT b, a FROM sbn.t UNION ALL BY NAME SELECT 5 AS a, "q" AS b');
  expect(sorted((await query('SELECT * FROM sbn.v')).rows)).toEqual(
    sorted([
      ['x', '1'],
      ['q', '5'],
    ]),
  );
  await query('INSERT INTO sbn.made (a, b) SELECT 9 AS a, "n" AS b UNION ALL CORRESPONDING SELECT "m" AS b, 8 AS a');
  expect((await query('SELECT a, b FROM sbn.made WHERE a > 5 ORDER BY a')).rows).toEqual([
    ['8', 'm'],
    ['9', 'n'],
  ]);
});

it('scripts, dry runs and statements that only look alike (ORDER BY name)', async () => {
  const script = await query('DECLARE k INT64 DEFAULT 4;\nSELECT k AS a, "s" AS name UNION ALL BY NAME SELECT "t" AS name, k + 1 AS a ORDER BY name');
  expect(script.rows).toEqual([
    ['4', 's'],
    ['5', 't'],
  ]);
  expect((await query('SELECT "n" AS name, 1 AS by_name ORDER BY name')).rows).toEqual([['n', '1']]);
  const dry = await rest(bq.emulator.url, 'POST', `/projects/${bq.emulator.projectId}/queries`, {
    query: 'SELECT 1 AS a FULL UNION ALL BY NAME SELECT "x" AS b',
    useLegacySql: false,
    dryRun: true,
  });
  expect(dry.json.error).toBeUndefined();
  expect(dry.json.schema.fields.map((f: any) => `${f.name} ${f.type}`)).toEqual(['a INTEGER', 'b STRING']);
});

it('fails where BigQuery fails', async () => {
  await expect(query('SELECT 1 AS a, 2 AS b UNION ALL BY NAME SELECT 1 AS a')).rejects.toThrow(/missing from query/);
  await expect(query('SELECT 1 AS a UNION ALL CORRESPONDING SELECT 2 AS b')).rejects.toThrow(/do not have any columns in common/);
  await expect(query('SELECT 1 AS a LEFT UNION ALL CORRESPONDING SELECT 2 AS b')).rejects.toThrow(/do not have any columns in common/);
  await expect(query('SELECT 1 AS a, 2 AS A UNION ALL CORRESPONDING SELECT 2 AS a')).rejects.toThrow(/Duplicate columns/);
  await expect(query('SELECT 1, 2 AS a UNION ALL CORRESPONDING SELECT 2 AS a')).rejects.toThrow(/Anonymous columns are not allowed/);
  await expect(query('SELECT 1 AS a UNION ALL CORRESPONDING BY (a, b) SELECT 2 AS a')).rejects.toThrow(/Column b in the BY \/ ON list/);
  await expect(query('SELECT 1 AS a UNION ALL SELECT 2 AS a UNION ALL CORRESPONDING SELECT 3 AS a')).rejects.toThrow(/without using parentheses/);
  await expect(query('SELECT 1 AS a FULL UNION ALL SELECT 2 AS a')).rejects.toThrow(/without BY NAME or CORRESPONDING/);
  await expect(query('SELECT 1 AS a INTERSECT ALL SELECT 1 AS a')).rejects.toThrow(/INTERSECT ALL is not supported/);
  await expect(query('SELECT 1 AS a EXCEPT ALL CORRESPONDING SELECT 1 AS a')).rejects.toThrow(/EXCEPT ALL is not supported/);
});

it('a correlated input is refused, not answered differently', async () => {
  await expect(query('SELECT (SELECT a FROM (SELECT t.a AS a UNION ALL CORRESPONDING SELECT 2 AS a) ORDER BY a LIMIT 1) FROM sbn.t')).rejects.toThrow(/not supported by the local emulator/);
});

it('ARRAY over a set operation is the array of its rows (polyglot made it LIST_VALUE, which DuckDB cannot parse)', async () => {
  const r = await query('SELECT ARRAY(SELECT 1 UNION ALL SELECT 2) AS xs UNION ALL SELECT ARRAY(SELECT 3 AS n INTERSECT DISTINCT SELECT 3)');
  expect(sorted(r.rows.map((row) => [(row[0] as Array<{ v: string }>).map((c) => c.v).sort()]))).toEqual(sorted([[['1', '2']], [['3']]]));
});

it('keeps a TIMESTAMP a TIMESTAMP through the rewrite (polyglot wrote CAST(x AS TIMESTAMP) back as DATETIME)', async () => {
  const r = await query("SELECT CAST('2020-01-01 10:00:00+05' AS TIMESTAMP) AS t, ARRAY<TIMESTAMP>[] AS ts UNION ALL BY NAME SELECT ARRAY<TIMESTAMP>[] AS ts, CAST('2020-01-01' AS TIMESTAMP) AS t");
  expect(r.columns).toEqual(['t', 'ts']);
  expect(r.types).toEqual(['TIMESTAMP', 'TIMESTAMP']);
  expect(sorted(r.rows)).toEqual(
    sorted([
      ['1577854800', []],
      ['1577836800', []],
    ]),
  );
});

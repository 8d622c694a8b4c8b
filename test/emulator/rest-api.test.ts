/** The REST surface through the real @google-cloud/bigquery client and raw HTTP, including bad input. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalBigQuery, rest, type LocalBigQuery } from '../helpers/bigquery.ts';

let bq: LocalBigQuery;
let base: string;
let project: string;

beforeAll(async () => {
  bq = await startLocalBigQuery();
  base = bq.emulator.url;
  project = bq.emulator.projectId;
  await bq.client.createDataset('api');
});
afterAll(() => bq?.stop());

describe('Node client', () => {
  it('datasets: create, get, list, delete', async () => {
    const [ds] = await bq.client.createDataset('scratch', { description: 'temporary' });
    const [meta] = await ds.getMetadata();
    expect(meta.datasetReference).toEqual({ projectId: project, datasetId: 'scratch' });
    expect(meta.description).toBe('temporary');
    const [all] = await bq.client.getDatasets();
    expect(all.map((d) => d.id)).toContain('scratch');
    await ds.delete({ force: true });
    const [exists] = await bq.client.dataset('scratch').exists();
    expect(exists).toBe(false);
  });

  it('tables: create from a schema with partitioning, get, setMetadata, insert, delete', async () => {
    const [table] = await bq.client.dataset('api').createTable('events', {
      schema: {
        fields: [
          { name: 'id', type: 'INTEGER', mode: 'REQUIRED', description: 'event id' },
          { name: 'at', type: 'TIMESTAMP' },
          { name: 'day', type: 'DATE' },
          { name: 'tags', type: 'STRING', mode: 'REPEATED' },
          {
            name: 'who',
            type: 'RECORD',
            fields: [
              { name: 'name', type: 'STRING' },
              { name: 'score', type: 'FLOAT' },
            ],
          },
        ],
      },
      timePartitioning: { type: 'DAY', field: 'day' },
      clustering: { fields: ['id'] },
      description: 'events',
    });
    const [meta] = await table.getMetadata();
    expect(meta.type).toBe('TABLE');
    expect(meta.schema.fields.map((f: any) => [f.name, f.type, f.mode])).toEqual([
      ['id', 'INTEGER', 'REQUIRED'],
      ['at', 'TIMESTAMP', 'NULLABLE'],
      ['day', 'DATE', 'NULLABLE'],
      ['tags', 'STRING', 'REPEATED'],
      ['who', 'RECORD', 'NULLABLE'],
    ]);
    expect(meta.schema.fields[0].description).toBe('event id');
    expect(meta.timePartitioning).toEqual({ type: 'DAY', field: 'day' });
    expect(typeof meta.lastModifiedTime).toBe('string');
    await table.setMetadata({ description: 'all events', labels: { team: 'grading' } });
    const [after] = await table.getMetadata();
    expect(after.description).toBe('all events');
    expect(after.labels).toEqual({ team: 'grading' });
    await table.insert([
      { id: 1, at: '2026-01-10T12:00:00Z', day: '2026-01-10', tags: ['x', 'y'], who: { name: 'ann', score: 1.5 } },
      { id: 2, at: '2026-01-10T13:30:00.250Z', day: '2026-01-10', tags: [], who: null },
    ]);
    const [rows] = await bq.client.query('SELECT id, at, tags, who FROM api.events ORDER BY id');
    expect(rows[0].at.value).toBe('2026-01-10T12:00:00.000Z');
    expect(rows[0].tags).toEqual(['x', 'y']);
    expect(rows[0].who).toEqual({ name: 'ann', score: 1.5 });
    expect(rows[1].at.value).toBe('2026-01-10T13:30:00.250Z');
    expect((await table.getMetadata())[0].numRows).toBe('2');
    await table.delete();
    expect((await table.exists())[0]).toBe(false);
  });

  it('query with named and positional parameters of several types', async () => {
    const [named] = await bq.client.query({
      query: 'SELECT @s AS s, @n + 1 AS n, @d AS d, ARRAY_LENGTH(@a) AS len, @b AS b',
      params: { s: 'it\'s \\ "quoted"', n: 41, d: bq.client.date('2026-01-17'), a: ['x', 'y', 'z'], b: true },
    });
    expect(named).toEqual([{ s: 'it\'s \\ "quoted"', n: 42, d: { value: '2026-01-17' }, len: 3, b: true }]);
    const [positional] = await bq.client.query({ query: 'SELECT ? * 2 AS v, ? AS w', params: [21, 'w'] });
    expect(positional).toEqual([{ v: 42, w: 'w' }]);
  });

  it('createQueryJob and getQueryResults page through results', async () => {
    const [job] = await bq.client.createQueryJob({ query: 'SELECT x FROM UNNEST(GENERATE_ARRAY(1, 25)) AS x ORDER BY x' });
    const [first, next] = await job.getQueryResults({ maxResults: 10, autoPaginate: false });
    expect(first.map((r: any) => r.x)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(next?.pageToken).toBeDefined();
    const [all] = await job.getQueryResults();
    expect(all).toHaveLength(25);
    const [meta] = await job.getMetadata();
    expect(meta.status.state).toBe('DONE');
    expect(meta.statistics.query.statementType).toBe('SELECT');
  });

  it('a DML job reports statementType and numDmlAffectedRows', async () => {
    await bq.rows('CREATE TABLE api.counts (k INT64)');
    const [job] = await bq.client.createQueryJob({ query: 'INSERT INTO api.counts VALUES (1), (2), (3)' });
    await job.getQueryResults();
    const [meta] = await job.getMetadata();
    expect(meta.statistics.query.statementType).toBe('INSERT');
    expect(meta.statistics.query.numDmlAffectedRows).toBe('3');
  });

  it('dry runs validate without running', async () => {
    const [job] = await bq.client.createQueryJob({ query: 'SELECT k FROM api.counts', dryRun: true });
    expect(job.metadata.statistics.totalBytesProcessed).toBe('24');
    await expect(bq.client.createQueryJob({ query: 'SELECT nope FROM api.counts', dryRun: true })).rejects.toThrow(/nope/);
  });
});

describe('bad input gets BigQuery-shaped errors', () => {
  const jobs = () => `/projects/${project}/jobs`;
  const query = (sql: string, extra: object = {}) => rest(base, 'POST', `/projects/${project}/queries`, { query: sql, useLegacySql: false, ...extra });

  it('malformed JSON', async () => {
    const r = await rest(base, 'POST', jobs(), '{"configuration": ');
    expect(r.status).toBe(400);
    expect(r.json.error.errors[0].reason).toBe('invalid');
    expect(r.json.error.message).toMatch(/Invalid JSON payload/);
  });

  it('a job with no or an unknown configuration', async () => {
    expect((await rest(base, 'POST', jobs(), {})).json.error.code).toBe(400);
    const none = await rest(base, 'POST', jobs(), { configuration: { dryRun: true } });
    expect(none.status).toBe(400);
    expect(none.json.error.message).toMatch(/exactly one of query, load, copy or extract/);
    const unknown = await rest(base, 'POST', jobs(), { configuration: { frobnicate: {} } });
    expect(unknown.json.error.message).toMatch(/Unknown name "frobnicate"/);
  });

  it('unknown fields are rejected, not ignored', async () => {
    const r = await rest(base, 'POST', jobs(), { configuration: { query: { query: 'SELECT 1', useLegacySql: false, quer: 'typo' } } });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/Unknown name "quer" at 'job.configuration.query'/);
  });

  it("a schema field's defaultValueExpression is refused, not ignored (ignored, rows that omit the field would hold NULL)", async () => {
    const r = await rest(base, 'POST', `/bigquery/v2/projects/${project}/datasets/api/tables`, {
      tableReference: { projectId: project, datasetId: 'api', tableId: 'with_default' },
      schema: { fields: [{ name: 'status', type: 'STRING', defaultValueExpression: "'new'" }] },
    });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/^The default value \(defaultValueExpression\) of field status is not supported by the local emulator/);
  });

  it('jobs.list shows finished jobs with their state', async () => {
    const r = await rest(base, 'GET', jobs());
    expect(r.status).toBe(200);
    expect(r.json.jobs.length).toBeGreaterThan(3);
    expect(r.json.jobs.every((j: any) => j.status.state === 'DONE')).toBe(true);
  });

  it('a SQL syntax error names the problem; an unsupported statement says so', async () => {
    const syntax = await query('SELECT FROM WHERE');
    expect(syntax.status).toBe(400);
    expect(syntax.json.error.errors[0].reason).toBe('invalidQuery');
    const unsupported = await query('GRANT `roles/bigquery.dataViewer` ON TABLE api.counts TO "user:a@b.c"');
    expect(unsupported.status).toBe(400);
    expect(unsupported.json.error.message).toMatch(/not supported by the local emulator/);
  });

  it("FORMAT's %t and %T write values as BigQuery's table documents them; what they cannot write is refused, and CAST of an ARRAY or STRUCT to STRING fails", async () => {
    // https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#t_and_t_behavior
    const ok = await query(`SELECT FORMAT('%t', 123.0), FORMAT('%T', 123.0), FORMAT('%T', CAST('-inf' AS FLOAT64)), FORMAT('%t', [1, 2]),
      FORMAT('%T', ['a', NULL]), FORMAT('%T', DATE '2011-02-03'), FORMAT('%t', NULL), FORMAT('%T', CAST(NULL AS ARRAY<STRING>))`);
    expect(ok.json.error).toBeUndefined();
    expect(ok.json.rows[0].f.map((c: { v: string }) => c.v)).toEqual(['123.0', '123.0', 'CAST("-inf" AS FLOAT64)', '[1, 2]', '["a", NULL]', 'DATE "2011-02-03"', 'NULL', 'NULL']);
    for (const sql of ["SELECT FORMAT('%t', STRUCT(1 AS a))", "SELECT FORMAT('%T', STRUCT(1 AS a))", "SELECT FORMAT('%T', b'ab')", "SELECT FORMAT('%t', [NUMERIC '1.5'])"]) {
      const refused = await query(sql);
      expect(refused.status, sql).toBe(400);
      expect(refused.json.error.message, sql).toMatch(/is not supported by the local emulator/);
    }
    for (const sql of ['SELECT CAST([1, 2] AS STRING)', 'SELECT CAST(STRUCT(1 AS a) AS STRING)']) {
      const invalid = await query(sql);
      expect(invalid.status, sql).toBe(400);
      expect(invalid.json.error.message, sql).toMatch(/^Invalid cast from (ARRAY|STRUCT) to STRING/);
    }
  });

  it('a CAST to a STRUCT (or an ARRAY of STRUCTs) takes the fields by position, as BigQuery does; another number of fields is an error, SAFE_CAST of a failing field NULL', async () => {
    // https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_functions (STRUCT to STRUCT: the same
    // number of fields, each field cast in order). DuckDB's cast matched names: swapped values, or an error.
    const ok = await query(`SELECT CAST(STRUCT(1 AS y, 2 AS x) AS STRUCT<x INT64, y INT64>).x AS swapped,
      CAST(STRUCT(1 AS b) AS STRUCT<a INT64>).a AS renamed, CAST(STRUCT(1, STRUCT('2' AS c)) AS STRUCT<f FLOAT64, g STRUCT<h INT64>>).g.h AS nested,
      CAST(CAST(NULL AS STRUCT<a INT64>) AS STRUCT<b STRING>) IS NULL AS null_stays,
      SAFE_CAST(STRUCT('x' AS a, '2' AS b) AS STRUCT<a INT64, b INT64>) IS NULL AS safe_null,
      CAST(arr AS ARRAY<STRUCT<x INT64, y INT64>>)[OFFSET(1)].x AS in_array FROM (SELECT [STRUCT(1 AS y, 2 AS x), STRUCT(3 AS y, 4 AS x)] AS arr)`);
    expect(ok.json.error).toBeUndefined();
    expect(ok.json.rows[0].f.map((c: { v: string }) => c.v)).toEqual(['1', '1', '2', 'true', 'true', '3']);
    for (const sql of ['SELECT CAST(STRUCT(1 AS a, 2 AS b) AS STRUCT<x INT64>)', 'SELECT CAST(1 AS STRUCT<a INT64>)']) {
      const invalid = await query(sql);
      expect(invalid.status, sql).toBe(400);
      expect(invalid.json.error.message, sql).toMatch(/^Invalid cast of a (STRUCT of 2 fields|value that is not a STRUCT) to a STRUCT/);
    }
  });

  it('RANGE(1, 5) is an error, never answered with DuckDB range(); a RANGE window frame still works', async () => {
    const r = await query('SELECT RANGE(1, 5)');
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/RANGE's elements must be DATE, DATETIME or TIMESTAMP/);
    const frame = await query('SELECT SUM(x) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM UNNEST([1, 2]) AS x ORDER BY s');
    expect(frame.json.rows.map((row: any) => row.f[0].v)).toEqual(['1', '3']);
  });

  it("a window call's HAVING MAX / MIN modifier, a SAFE. call with an OVER clause and GRAPH_TABLE are refused, not a syntax error; a HAVING clause still works", async () => {
    for (const sql of [
      'SELECT ANY_VALUE(x HAVING MAX y) OVER () FROM UNNEST([STRUCT(1 AS x, 2 AS y)])',
      'SELECT SAFE.SUM(x) OVER (ORDER BY x) FROM UNNEST([1, 2]) AS x',
      'SELECT * FROM GRAPH_TABLE(g MATCH (n) RETURN n.id)',
    ]) {
      const r = await query(sql);
      expect(r.status, sql).toBe(400);
      expect(r.json.error.message, sql).toMatch(/^(The HAVING MAX modifier of an aggregate function call|SAFE\.SUM with an OVER clause|GRAPH_TABLE \(graph queries\)) is not supported by the local emulator/);
    }
    // A SAFE. call beside a window function is answered.
    const beside = await query('SELECT SAFE.SQRT(x) AS r, SUM(x) OVER () AS s FROM UNNEST([4]) AS x');
    expect(beside.json.rows?.[0].f.map((c: any) => c.v)).toEqual(['2', '4']);
    // The clause, in a subquery inside a call's parentheses too.
    const clause = await query('SELECT ARRAY(SELECT x FROM UNNEST([1, 2, 2]) AS x GROUP BY x HAVING MAX(x) > 1) AS a, (SELECT COUNT(*) FROM UNNEST([1]) AS y HAVING MIN(y) = 1) AS n');
    expect(clause.status, JSON.stringify(clause.json)).toBe(200);
    expect(clause.json.rows[0].f.map((c: any) => c.v)).toEqual([[{ v: '2' }], '1']);
  });

  it('an INTERVAL times an integer literal multiplies; an INTERVAL column times an integer column is refused, not a DuckDB binder error', async () => {
    for (const sql of ['SELECT INTERVAL 1 DAY * 3 AS x', 'SELECT i * 3 AS x FROM (SELECT INTERVAL 1 DAY AS i)']) {
      const r = await query(sql);
      expect(r.json.schema?.fields[0].type, sql).toBe('INTERVAL');
      expect(r.json.rows[0].f[0].v, sql).toBe('0-0 3 0:0:0');
    }
    for (const sql of ['SELECT i * n AS x FROM (SELECT INTERVAL 1 DAY AS i, 2 AS n)', 'SELECT i / 2 AS x FROM (SELECT INTERVAL 1 DAY AS i)']) {
      const r = await query(sql);
      expect(r.status, sql).toBe(400);
      expect(r.json.error.message, sql).toMatch(/INTERVAL value other than an INTERVAL literal is not supported by the local emulator/);
    }
  });

  it('missing datasets and tables are 404 notFound', async () => {
    const ds = await rest(base, 'GET', `/projects/${project}/datasets/nope`);
    expect(ds.status).toBe(404);
    expect(ds.json.error.errors[0].reason).toBe('notFound');
    const t = await rest(base, 'GET', `/projects/${project}/datasets/api/tables/nope`);
    expect(t.status).toBe(404);
    expect(t.json.error.message).toBe(`Not found: Table ${project}:api.nope`);
    const q = await query('SELECT * FROM api.nope');
    expect(q.json.error.message).toMatch(/Not found: Table/);
    const dml = await query('DELETE FROM api.nope WHERE true');
    expect(dml.json.error.message).toMatch(/Not found: Table/);
  });

  it('duplicates are 409', async () => {
    const r = await rest(base, 'POST', `/projects/${project}/datasets`, { datasetReference: { datasetId: 'api' } });
    expect(r.status).toBe(409);
    expect(r.json.error.errors[0].reason).toBe('duplicate');
  });

  it('wrong parameter types are rejected before running', async () => {
    const r = await query('SELECT @n AS n', { parameterMode: 'NAMED', queryParameters: [{ name: 'n', parameterType: { type: 'INT64' }, parameterValue: { value: '1; DROP TABLE api.counts' } }] });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/not a valid INT64/);
    const missing = await query('SELECT @m AS m');
    expect(missing.json.error.message).toMatch(/Query parameter 'm' not found/);
    expect((await bq.rows('SELECT COUNT(*) AS n FROM api.counts'))[0].n).toBe(3);
  });

  it('invalid identifiers are refused', async () => {
    const r = await rest(base, 'POST', `/projects/${project}/datasets`, { datasetReference: { datasetId: 'bad-name; drop' } });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/Invalid dataset ID/);
  });

  it('legacy SQL is refused with a clear message', async () => {
    const r = await query('SELECT 1', { useLegacySql: true });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/Legacy SQL is not supported/);
  });

  it('unknown URLs and methods never crash the server', async () => {
    expect((await rest(base, 'GET', '/nope')).status).toBe(404);
    expect((await rest(base, 'DELETE', `/projects/${project}/queries/x`)).status).toBe(405);
    expect((await rest(base, 'GET', `/projects/${project}/queries/does-not-exist`)).status).toBe(404);
    const health = await rest(base, 'GET', '/healthz');
    expect(health.json).toEqual({ ok: true });
  });
});

describe('copy jobs', () => {
  it('copy, snapshot and WRITE_TRUNCATE replace atomically; snapshots are read-only; WRITE_EMPTY refuses', async () => {
    await bq.rows('CREATE TABLE api.orig (k INT64, d DATE) PARTITION BY d');
    await bq.rows("INSERT INTO api.orig VALUES (1, '2026-01-01'), (2, '2026-01-02')");
    const orig = bq.client.dataset('api').table('orig');
    await orig.copy(bq.client.dataset('api').table('orig_copy'));
    expect((await bq.rows('SELECT COUNT(*) AS n FROM api.orig_copy'))[0].n).toBe(2);
    const [copyMeta] = await bq.client.dataset('api').table('orig_copy').getMetadata();
    expect(copyMeta.timePartitioning).toEqual({ type: 'DAY', field: 'd' });

    const [snap] = await bq.client.createJob({
      configuration: {
        copy: { sourceTable: { projectId: project, datasetId: 'api', tableId: 'orig' }, destinationTable: { projectId: project, datasetId: 'api', tableId: 'orig_snap' }, operationType: 'SNAPSHOT' },
      },
    });
    await snap.promise();
    const [snapMeta] = await bq.client.dataset('api').table('orig_snap').getMetadata();
    expect(snapMeta.type).toBe('SNAPSHOT');
    await expect(bq.rows('DELETE FROM api.orig_snap WHERE true')).rejects.toThrow(/snapshot, which is read-only/);

    await bq.rows('DELETE FROM api.orig_copy WHERE k = 1');
    await expect(orig.copy(bq.client.dataset('api').table('orig_copy'), { writeDisposition: 'WRITE_EMPTY' })).rejects.toThrow(/Already Exists/);
    await orig.copy(bq.client.dataset('api').table('orig_copy'), { writeDisposition: 'WRITE_TRUNCATE' });
    expect(await bq.rows('SELECT k FROM api.orig_copy ORDER BY k')).toEqual([{ k: 1 }, { k: 2 }]);
  });
});

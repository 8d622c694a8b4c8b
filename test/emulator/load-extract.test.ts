/**
 * Load and extract jobs through the real Node client and raw REST (multipart uploads, local URIs), write
 * dispositions, BigQuery's errors for bad loads with nothing changed, and tabledata.list paging.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rest, startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';

let bq: LocalBigQuery;
let dir: string;
const file = (name: string, text: string) => {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
};
const count = async (t: string) => Number((await bq.rows(`SELECT COUNT(*) AS n FROM ld.${t}`))[0].n);

async function job(configuration: unknown): Promise<any> {
  const r = await rest(bq.emulator.url, 'POST', `/projects/${bq.emulator.projectId}/jobs`, { configuration });
  if (r.status !== 200) return r.json;
  for (;;) {
    const j = await rest(bq.emulator.url, 'GET', `/projects/${bq.emulator.projectId}/jobs/${r.json.jobReference.jobId}`);
    if (j.json.status.state === 'DONE') return j.json;
    await new Promise((res) => setTimeout(res, 20));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gg-load-'));
  bq = await startLocalBigQuery();
  bq.emulator.engine.gcsDir = join(dir, 'gcs');
  await bq.client.createDataset('ld');
});
afterAll(async () => {
  await bq?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A load job through the Node client's jobs.insert, its data staged as gs://staging/<name> (the local bucket folder). */
async function load(table: string, name: string, text: string, load: Record<string, unknown>): Promise<any> {
  file(join('gcs', 'staging', name), text);
  const [j] = await bq.client.createJob({ configuration: { load: { destinationTable: { projectId: bq.emulator.projectId, datasetId: 'ld', tableId: table }, sourceUris: [`gs://staging/${name}`], ...load } } });
  await j.promise();
  const [meta] = await j.getMetadata();
  return meta;
}

describe('load jobs', () => {
  it('loads NDJSON with autodetect and CSV with a schema (Node client, gs:// from the local bucket folder)', async () => {
    const j1 = await load('players', 'p.json', '{"id": 1, "name": "a", "tags": ["x"], "at": "2024-01-01"}\n{"id": 2, "name": "b", "at": "2024-01-02"}\n', {
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      autodetect: true,
    });
    expect(j1.statistics.load.outputRows).toBe('2');
    const [meta] = await bq.client.dataset('ld').table('players').getMetadata();
    expect(meta.schema.fields.map((f: any) => `${f.name}:${f.type}:${f.mode}`)).toEqual(['id:INTEGER:NULLABLE', 'name:STRING:NULLABLE', 'tags:STRING:REPEATED', 'at:DATE:NULLABLE']);
    await load('scores', 's.csv', 'player,points\na,10\n"b, jr",\n', {
      sourceFormat: 'CSV',
      skipLeadingRows: 1,
      schema: {
        fields: [
          { name: 'player', type: 'STRING' },
          { name: 'points', type: 'INTEGER' },
        ],
      },
    });
    expect(await bq.rows('SELECT player, points FROM ld.scores ORDER BY player')).toEqual([
      { player: 'a', points: 10 },
      { player: 'b, jr', points: null },
    ]);
  });

  it('WRITE_APPEND adds, WRITE_TRUNCATE replaces, WRITE_EMPTY refuses a non-empty table', async () => {
    const schema = {
      fields: [
        { name: 'player', type: 'STRING' },
        { name: 'points', type: 'INTEGER' },
      ],
    };
    const csv = 'c,3\nd,4\n';
    await load('scores', 'more.csv', csv, { sourceFormat: 'CSV', schema, writeDisposition: 'WRITE_APPEND' });
    expect(await count('scores')).toBe(4);
    await load('scores', 'more.csv', csv, { sourceFormat: 'CSV', schema, writeDisposition: 'WRITE_TRUNCATE' });
    expect(await count('scores')).toBe(2);
    await expect(load('scores', 'more.csv', csv, { sourceFormat: 'CSV', schema, writeDisposition: 'WRITE_EMPTY' })).rejects.toThrow(/Already Exists: Table .*ld\.scores/);
    expect(await count('scores')).toBe(2);
  });

  it('bad loads fail with BigQuery-style errors and change nothing', async () => {
    const before = await bq.rows('SELECT player, points FROM ld.scores ORDER BY player');
    const mismatch = await job({
      load: {
        destinationTable: { datasetId: 'ld', tableId: 'scores' },
        sourceUris: [pathToFileURL(file('gcs/staging/x.csv', 'e,5\n')).href],
        schema: {
          fields: [
            { name: 'player', type: 'STRING' },
            { name: 'points', type: 'STRING' },
          ],
        },
      },
    });
    expect(mismatch.status.errorResult.message).toMatch(/Provided Schema does not match Table .*ld\.scores\. Field points has changed type from INTEGER to STRING/);
    const unparsable = await job({
      load: { destinationTable: { datasetId: 'ld', tableId: 'scores' }, sourceUris: [pathToFileURL(file('gcs/staging/y.csv', 'e,5\nf,many\n')).href], writeDisposition: 'WRITE_TRUNCATE' },
    });
    expect(unparsable.status.errorResult.message).toMatch(/Error while reading data/);
    const unknownField = await job({
      load: { destinationTable: { datasetId: 'ld', tableId: 'scores' }, sourceFormat: 'NEWLINE_DELIMITED_JSON', sourceUris: [pathToFileURL(file('gcs/staging/z.json', '{"player": "g", "rank": 1}\n')).href] },
    });
    expect(unknownField.status.errorResult.message).toMatch(/No such field: rank/);
    expect(await bq.rows('SELECT player, points FROM ld.scores ORDER BY player')).toEqual(before);
    const gcsMissing = await job({ load: { destinationTable: { datasetId: 'ld', tableId: 'scores' }, sourceUris: ['gs://nobucket/none.csv'] } });
    expect(gcsMissing.status.errorResult.reason).toBe('notFound');
    const unknownType = await rest(bq.emulator.url, 'POST', `/projects/${bq.emulator.projectId}/jobs`, { configuration: { transfer: {} } });
    expect(unknownType.status).toBe(400);
    expect(unknownType.json.error.message).toMatch(/Unknown name "transfer"/);
  });

  it('a multipart upload (job resource + data in one request)', async () => {
    const boundary = 'gg_boundary';
    const body = [
      `--${boundary}`,
      'Content-Type: application/json; charset=UTF-8',
      '',
      JSON.stringify({ configuration: { load: { destinationTable: { datasetId: 'ld', tableId: 'multi' }, sourceFormat: 'CSV', autodetect: true } } }),
      `--${boundary}`,
      'Content-Type: application/octet-stream',
      '',
      'k,v\n1,one\n2,two',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const res = await fetch(`${bq.emulator.url}/upload/bigquery/v2/projects/${bq.emulator.projectId}/jobs?uploadType=multipart`, {
      method: 'POST',
      headers: { 'content-type': `multipart/related; boundary=${boundary}` },
      body,
    });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(await bq.rows('SELECT k, v FROM ld.multi ORDER BY k')).toEqual([
      { k: 1, v: 'one' },
      { k: 2, v: 'two' },
    ]);
  });
});

describe('NUMERIC and BIGNUMERIC input: never rounded', () => {
  // BigQuery rejects a NUMERIC with more than 9 fractional digits ("Invalid NUMERIC value: -0.8534597960201471" from a
  // load); the emulator keeps 18 of BIGNUMERIC's 38 and refuses what it cannot hold. DuckDB's cast would round both.
  const schema = {
    fields: [
      { name: 'n', type: 'NUMERIC' },
      { name: 'b', type: 'BIGNUMERIC' },
    ],
  };
  const values = async (t: string) => (await bq.rows(`SELECT CAST(n AS STRING) AS n, CAST(b AS STRING) AS b FROM ld.${t} ORDER BY n`)).map((r) => `${r.n}|${r.b}`);

  it('CSV and NDJSON loads keep exact values and fail, loading nothing, on a value with more digits', async () => {
    await load('dec_csv', 'dec.csv', '1.123456789,0.123456789012345678\n-2.5,\n', { sourceFormat: 'CSV', schema });
    expect(await values('dec_csv')).toEqual(['-2.5|null', '1.123456789|0.123456789012345678']);
    await load('dec_json', 'dec.json', '{"n": "1.123456789", "b": 0.5}\n{"n": 3}\n', { sourceFormat: 'NEWLINE_DELIMITED_JSON', schema });
    expect(await values('dec_json')).toEqual(['1.123456789|0.5', '3|null']);
    for (const [name, text, format, error] of [
      ['n.csv', '0.1234567891,1\n', 'CSV', /Invalid NUMERIC value: 0\.1234567891/],
      ['b.csv', '1,0.1234567890123456789\n', 'CSV', /BIGNUMERIC value 0\.1234567890123456789.*not supported by the local emulator/],
      ['n.json', '{"n": "-0.8534597960201471"}\n', 'NEWLINE_DELIMITED_JSON', /Invalid NUMERIC value: -0\.8534597960201471/],
      ['b.json', '{"b": "1e-30"}\n', 'NEWLINE_DELIMITED_JSON', /BIGNUMERIC value 1e-30.*not supported by the local emulator/],
    ] as const) {
      await expect(load('dec_csv', name, text, { sourceFormat: format, schema, writeDisposition: 'WRITE_APPEND' }), name).rejects.toThrow(error);
    }
    expect(await values('dec_csv')).toEqual(['-2.5|null', '1.123456789|0.123456789012345678']);
  });

  it('insertAll refuses the row with more digits and inserts nothing of the request', async () => {
    await bq.client.dataset('ld').createTable('dec_rows', { schema });
    const table = bq.client.dataset('ld').table('dec_rows');
    await table.insert([{ n: '1.5', b: '0.25' }]);
    const refused = await table
      .insert([{ n: '7' }, { n: '0.1234567891' }, { b: '0.1234567890123456789' }])
      .catch((e: { errors: Array<{ errors: Array<{ message: string }> }> }) => e.errors.map((r) => r.errors[0].message));
    expect(refused).toEqual(['', expect.stringMatching(/^Invalid NUMERIC value: 0\.1234567891/), expect.stringMatching(/BIGNUMERIC value 0\.1234567890123456789.*not supported by the local emulator/)]);
    expect(await values('dec_rows')).toEqual(['1.5|0.25']);
  });
});

describe('extract jobs and tabledata.list', () => {
  it('extracts CSV and NDJSON to file:// and gs:// (the local bucket folder)', async () => {
    const csvPath = join(dir, 'gcs', 'out', 'scores.csv');
    const r1 = await job({ extract: { sourceTable: { datasetId: 'ld', tableId: 'scores' }, destinationUris: [pathToFileURL(csvPath).href] } });
    expect(r1.status.errorResult).toBeUndefined();
    expect(readFileSync(csvPath, 'utf8').trim().split('\n')).toEqual(['player,points', 'c,3', 'd,4']);
    const r2 = await job({ extract: { sourceTable: { datasetId: 'ld', tableId: 'scores' }, destinationUris: ['gs://exports/scores.json'], destinationFormat: 'NEWLINE_DELIMITED_JSON' } });
    expect(r2.status.errorResult).toBeUndefined();
    expect(
      readFileSync(join(dir, 'gcs', 'exports', 'scores.json'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { player: 'c', points: 3 },
      { player: 'd', points: 4 },
    ]);
    const escape = await job({ extract: { sourceTable: { datasetId: 'ld', tableId: 'scores' }, destinationUris: ['gs://exports/../../escape.csv'] } });
    expect(escape.status.errorResult.message).toMatch(/Invalid Cloud Storage object name/);
  });

  it('tabledata.list pages with startIndex / maxResults and narrows with selectedFields', async () => {
    await bq.rows('CREATE TABLE ld.pages AS SELECT n, CAST(n AS STRING) AS s FROM UNNEST(GENERATE_ARRAY(1, 25)) AS n ORDER BY n');
    const base = `/projects/${bq.emulator.projectId}/datasets/ld/tables/pages/data`;
    const page = await rest(bq.emulator.url, 'GET', `${base}?startIndex=20&maxResults=3&selectedFields=s`);
    expect(page.json.totalRows).toBe('25');
    expect(page.json.rows.map((r: any) => r.f.map((c: any) => c.v))).toHaveLength(3);
    expect(page.json.rows[0].f).toHaveLength(1);
    expect(page.json.pageToken).toBe('23');
    const [rows] = await bq.client.dataset('ld').table('pages').getRows({ maxResults: 30, selectedFields: 'n' });
    expect(rows.map((r: any) => r.n).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 25 }, (_, k) => k + 1));
  });
});

/**
 * DDL around copies (COPY / CLONE / LIKE / SNAPSHOT), table expiration and time travel: FOR SYSTEM_TIME AS OF
 * across DML, replacement and deletion, `table@<ms>` restores through copy jobs, the window and its limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBigQueryEmulator, type BigQueryEmulator } from '@gradeguard/bigquery-emulator';
import { rest, startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';

let bq: LocalBigQuery;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A moment strictly between two changes. */
const moment = async () => {
  await sleep(15);
  const at = Date.now();
  await sleep(15);
  return at;
};

async function query(emulator: BigQueryEmulator, sql: string): Promise<{ rows: unknown[][]; error?: string }> {
  const r = await rest(emulator.url, 'POST', `/projects/${emulator.projectId}/queries`, { query: sql, useLegacySql: false });
  return { rows: (r.json.rows ?? []).map((row: any) => row.f.map((c: any) => c.v)), error: r.json.error?.message };
}
const ns = (rows: unknown[][]) => rows.map((r) => Number(r[0]));

/** A job's resource once it is DONE (polled: a fixed sleep is too short on a busy machine). */
async function jobDone(emulator: BigQueryEmulator, jobId: string): Promise<any> {
  for (let i = 0; ; i++) {
    const job = await rest(emulator.url, 'GET', `/projects/${emulator.projectId}/jobs/${jobId}`);
    if (job.json.status?.state === 'DONE' || i >= 600) return job.json;
    await sleep(100);
  }
}

beforeAll(async () => {
  bq = await startLocalBigQuery();
  await bq.client.createDataset('tt');
});
afterAll(() => bq?.stop());

describe('time travel', () => {
  it('FOR SYSTEM_TIME AS OF reads the table as it was before INSERT, DELETE and UPDATE', async () => {
    const e = bq.emulator;
    await query(e, 'CREATE TABLE tt.scores AS SELECT n FROM UNNEST([1, 2, 3]) AS n');
    const created = await moment();
    await query(e, 'INSERT INTO tt.scores VALUES (4)');
    const inserted = await moment();
    await query(e, 'DELETE FROM tt.scores WHERE n <= 2');
    const deleted = await moment();
    await query(e, 'UPDATE tt.scores SET n = n * 10 WHERE TRUE');
    const at = (ms: number) => query(e, `SELECT n FROM tt.scores FOR SYSTEM_TIME AS OF TIMESTAMP_MILLIS(${ms}) ORDER BY n`);
    expect(ns((await at(created)).rows)).toEqual([1, 2, 3]);
    expect(ns((await at(inserted)).rows)).toEqual([1, 2, 3, 4]);
    expect(ns((await at(deleted)).rows)).toEqual([3, 4]);
    expect(ns((await query(e, 'SELECT n FROM tt.scores ORDER BY n')).rows)).toEqual([30, 40]);
    // An alias, a qualified column and a parameter-free expression relative to now.
    const aliased = await query(e, `SELECT s.n FROM tt.scores FOR SYSTEM_TIME AS OF TIMESTAMP_MILLIS(${inserted}) AS s WHERE s.n > 3`);
    expect(ns(aliased.rows)).toEqual([4]);
    const unaliased = await query(e, `SELECT scores.n FROM tt.scores FOR SYSTEM_TIME AS OF TIMESTAMP_MILLIS(${inserted}) WHERE scores.n < 2`);
    expect(ns(unaliased.rows)).toEqual([1]);
  });

  it('undoes a bad swap: CREATE OR REPLACE TABLE ... CLONE t FOR SYSTEM_TIME AS OF before the replacement', async () => {
    const e = bq.emulator;
    await query(e, "CREATE TABLE tt.graded AS SELECT 'good' AS v UNION ALL SELECT 'good2'");
    const before = await moment();
    await query(e, "CREATE OR REPLACE TABLE tt.graded AS SELECT 'bad' AS v");
    const restore = await query(e, `CREATE OR REPLACE TABLE tt.graded CLONE tt.graded FOR SYSTEM_TIME AS OF TIMESTAMP_MILLIS(${before})`);
    expect(restore.error).toBeUndefined();
    expect((await query(e, 'SELECT v FROM tt.graded ORDER BY v')).rows).toEqual([['good'], ['good2']]);
  });

  it('restores a deleted table with a copy job from table@<epoch ms> (what `bq cp t@ms` sends)', async () => {
    const e = bq.emulator;
    await query(e, 'CREATE TABLE tt.dropped AS SELECT n FROM UNNEST([7, 8]) AS n');
    const before = await moment();
    await query(e, 'DROP TABLE tt.dropped');
    expect((await query(e, 'SELECT * FROM tt.dropped')).error).toMatch(/not found/i);
    const [job] = await bq.client.dataset('tt').table(`dropped@${before}`).copy(bq.client.dataset('tt').table('dropped'));
    expect(job.status?.errorResult).toBeUndefined();
    expect(ns((await query(e, 'SELECT n FROM tt.dropped ORDER BY n')).rows)).toEqual([7, 8]);
    // Relative decorators (`@-<ms ago>`) too.
    await query(e, 'DROP TABLE tt.dropped');
    const [job2] = await bq.client
      .dataset('tt')
      .table(`dropped@-${Date.now() - before}`)
      .copy(bq.client.dataset('tt').table('restored'));
    expect(job2.status?.errorResult).toBeUndefined();
    expect(ns((await query(e, 'SELECT n FROM tt.restored ORDER BY n')).rows)).toEqual([7, 8]);
  });

  it('refuses to read before the window, from the future, or a table that did not exist then', async () => {
    const e = bq.emulator;
    await query(e, 'CREATE TABLE tt.window_t AS SELECT 1 AS n');
    const old = await query(e, 'SELECT * FROM tt.window_t FOR SYSTEM_TIME AS OF TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 8 DAY)');
    expect(old.error).toMatch(/Invalid snapshot time \d+ for table .*window_t\. Cannot read before \d+/);
    const future = await query(e, 'SELECT * FROM tt.window_t FOR SYSTEM_TIME AS OF TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 HOUR)');
    expect(future.error).toMatch(/Cannot read from the future/);
    const before = await query(e, 'SELECT * FROM tt.window_t FOR SYSTEM_TIME AS OF TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 1 HOUR)');
    expect(before.error).toMatch(/did not exist/);
    // A failed restore changes nothing.
    const r = await rest(e.url, 'POST', `/projects/${e.projectId}/jobs`, {
      configuration: {
        copy: { sourceTable: { datasetId: 'tt', tableId: `window_t@${Date.now() - 9 * 86_400_000}` }, destinationTable: { datasetId: 'tt', tableId: 'window_t' }, writeDisposition: 'WRITE_TRUNCATE' },
      },
    });
    const status = await jobDone(e, r.json.jobReference.jobId);
    expect(status.status.errorResult.message).toMatch(/Cannot read before/);
    expect(ns((await query(e, 'SELECT n FROM tt.window_t')).rows)).toEqual([1]);
  });

  it('the window and the number of copies kept are configurable; reads beyond them say why', async () => {
    // A one-minute window (the default is 7 days): long enough for the copies check on a busy machine; a read two
    // minutes back is then refused for the window (the default would let it through to "did not exist").
    const short = await startBigQueryEmulator({ port: 0, timeTravel: { windowMs: 60_000, maxVersionsPerTable: 2 } });
    try {
      await query(short, 'CREATE SCHEMA w');
      await query(short, 'CREATE TABLE w.t AS SELECT 0 AS n');
      const first = await moment();
      for (let i = 1; i <= 3; i++) await query(short, `INSERT INTO w.t VALUES (${i})`);
      const evicted = await query(short, `SELECT * FROM w.t FOR SYSTEM_TIME AS OF TIMESTAMP_MILLIS(${first})`);
      expect(evicted.error).toMatch(/kept no older copy/);
      const late = await query(short, `SELECT * FROM w.t FOR SYSTEM_TIME AS OF TIMESTAMP_MILLIS(${Date.now() - 120_000})`);
      expect(late.error).toMatch(/Cannot read before \d+$/);
    } finally {
      await short.stop();
    }
  });
});

describe('copies, snapshots and expiration', () => {
  it('CREATE TABLE ... COPY / CLONE / LIKE copy rows (or only the schema) and partitioning', async () => {
    const e = bq.emulator;
    await query(e, 'CREATE TABLE tt.src (d DATE, n INT64) PARTITION BY d OPTIONS (description = "source")');
    await query(e, "INSERT INTO tt.src VALUES ('2024-01-01', 1), ('2024-01-02', 2)");
    for (const kind of ['COPY', 'CLONE', 'LIKE']) expect((await query(e, `CREATE TABLE tt.src_${kind.toLowerCase()} ${kind} tt.src`)).error).toBeUndefined();
    expect(ns((await query(e, 'SELECT COUNT(*) FROM tt.src_copy')).rows)).toEqual([2]);
    expect(ns((await query(e, 'SELECT COUNT(*) FROM tt.src_clone')).rows)).toEqual([2]);
    expect(ns((await query(e, 'SELECT COUNT(*) FROM tt.src_like')).rows)).toEqual([0]);
    const [meta] = await bq.client.dataset('tt').table('src_like').getMetadata();
    expect(meta.timePartitioning).toMatchObject({ type: 'DAY', field: 'd' });
    expect(meta.schema.fields.map((f: any) => f.name)).toEqual(['d', 'n']);
    // A clone is writable.
    expect((await query(e, "INSERT INTO tt.src_clone VALUES ('2024-01-03', 3)")).error).toBeUndefined();
  });

  it('CREATE SNAPSHOT TABLE is read-only: DML, streaming inserts, copies onto it and ALTER fail and change nothing', async () => {
    const e = bq.emulator;
    await query(e, 'CREATE TABLE tt.live AS SELECT n FROM UNNEST([1, 2]) AS n');
    expect((await query(e, 'CREATE SNAPSHOT TABLE tt.live_snap CLONE tt.live')).error).toBeUndefined();
    await query(e, 'INSERT INTO tt.live VALUES (3)');
    const [meta] = await bq.client.dataset('tt').table('live_snap').getMetadata();
    expect(meta.type).toBe('SNAPSHOT');
    for (const sql of ['INSERT INTO tt.live_snap VALUES (9)', 'DELETE FROM tt.live_snap WHERE TRUE', 'UPDATE tt.live_snap SET n = 0 WHERE TRUE', 'ALTER TABLE tt.live_snap ADD COLUMN x STRING']) {
      expect((await query(e, sql)).error, sql).toMatch(/is a table snapshot, which is read-only/);
    }
    await expect(
      bq.client
        .dataset('tt')
        .table('live_snap')
        .insert([{ n: 9 }]),
    ).rejects.toThrow(/read-only/);
    const copy = await rest(e.url, 'POST', `/projects/${e.projectId}/jobs`, {
      configuration: { copy: { sourceTable: { datasetId: 'tt', tableId: 'live' }, destinationTable: { datasetId: 'tt', tableId: 'live_snap' }, writeDisposition: 'WRITE_TRUNCATE' } },
    });
    const status = await jobDone(e, copy.json.jobReference.jobId);
    expect(status.status.errorResult.message).toMatch(/read-only/);
    expect(ns((await query(e, 'SELECT n FROM tt.live_snap ORDER BY n')).rows)).toEqual([1, 2]);
    // Restoring a snapshot gives a writable table.
    await query(e, 'CREATE TABLE tt.live_restored CLONE tt.live_snap');
    expect((await query(e, 'INSERT INTO tt.live_restored VALUES (5)')).error).toBeUndefined();
  });

  it('OPTIONS(expiration_timestamp) and ALTER TABLE SET OPTIONS: expired tables disappear (and can be restored)', async () => {
    const e = bq.emulator;
    await query(e, 'CREATE TABLE tt.short_lived (n INT64) OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 SECOND))');
    const [meta] = await bq.client.dataset('tt').table('short_lived').getMetadata();
    expect(Number(meta.expirationTime)).toBeGreaterThan(Date.now() - 1000);
    await query(e, 'INSERT INTO tt.short_lived VALUES (1)');
    const alive = await moment();
    await sleep(1_200);
    expect((await query(e, 'SELECT * FROM tt.short_lived')).error).toMatch(/not found/i);
    const [tables] = await bq.client.dataset('tt').getTables();
    expect(tables.map((t) => t.id)).not.toContain('short_lived');
    const back = await query(e, `CREATE TABLE tt.short_lived CLONE tt.short_lived FOR SYSTEM_TIME AS OF TIMESTAMP_MILLIS(${alive})`);
    expect(back.error).toBeUndefined();
    expect(ns((await query(e, 'SELECT n FROM tt.short_lived')).rows)).toEqual([1]);

    await query(e, 'CREATE TABLE tt.keep AS SELECT 1 AS n');
    await query(e, 'ALTER TABLE tt.keep SET OPTIONS (description = "kept", expiration_timestamp = TIMESTAMP "2999-01-01 00:00:00 UTC")');
    const [kept] = await bq.client.dataset('tt').table('keep').getMetadata();
    expect(kept.description).toBe('kept');
    expect(kept.expirationTime).toBe(String(Date.parse('2999-01-01T00:00:00Z')));
    await query(e, 'ALTER TABLE tt.keep SET OPTIONS (expiration_timestamp = NULL)');
    const [cleared] = await bq.client.dataset('tt').table('keep').getMetadata();
    expect(cleared.expirationTime).toBeUndefined();
    await query(e, 'ALTER TABLE tt.keep SET OPTIONS (expiration_timestamp = TIMESTAMP "2000-01-01 00:00:00 UTC")');
    expect((await query(e, 'SELECT * FROM tt.keep')).error).toMatch(/not found/i);
  });

  it('partition_expiration_days deletes expired partitions', async () => {
    const e = bq.emulator;
    await query(e, 'CREATE TABLE tt.parts (d DATE, n INT64) PARTITION BY d OPTIONS (partition_expiration_days = 3)');
    await query(e, 'INSERT INTO tt.parts VALUES (CURRENT_DATE(), 1), (DATE_SUB(CURRENT_DATE(), INTERVAL 10 DAY), 2)');
    await sleep(1_100);
    expect(ns((await query(e, 'SELECT n FROM tt.parts')).rows)).toEqual([1]);
  });
});

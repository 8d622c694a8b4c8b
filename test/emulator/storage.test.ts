/** State on disk: survives restarts and kill -9 of the emulator process; one process owns a file. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { BigQuery } from '@google-cloud/bigquery';
import { DuckDBInstance } from '@duckdb/node-api';
import { startBigQueryEmulator } from '@gradeguard/bigquery-emulator';
import { exited, spawnEmulator } from '../helpers/processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'gg-storage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
process.env.METADATA_SERVER_DETECTION = 'none';

describe('the emulator on a DuckDB file', () => {
  it('keeps tables, rows and metadata across a restart', async () => {
    const file = join(dir, 'restart.duckdb');
    const first = await startBigQueryEmulator({ port: 0, file });
    const bq1 = new BigQuery({ projectId: first.projectId, apiEndpoint: first.url });
    await bq1.createDataset('keep', { description: 'kept' });
    await bq1.query(`CREATE TABLE keep.t (k INT64, d DATE) PARTITION BY d CLUSTER BY k OPTIONS(description='a table')`);
    await bq1.query(`INSERT INTO keep.t VALUES (1, '2026-01-01'), (2, '2026-01-02')`);
    await first.stop();

    const second = await startBigQueryEmulator({ port: 0, file });
    try {
      const bq2 = new BigQuery({ projectId: second.projectId, apiEndpoint: second.url });
      const [rows] = await bq2.query('SELECT k FROM keep.t ORDER BY k');
      expect(rows).toEqual([{ k: 1 }, { k: 2 }]);
      const [meta] = await bq2.dataset('keep').table('t').getMetadata();
      expect(meta.description).toBe('a table');
      expect(meta.timePartitioning).toEqual({ type: 'DAY', field: 'd' });
      expect(meta.clustering).toEqual({ fields: ['k'] });
      const [ds] = await bq2.dataset('keep').getMetadata();
      expect(ds.description).toBe('kept');
    } finally {
      await second.stop();
    }
  });

  it('a file of an older storage version is refused with what to do, and left as it was', async () => {
    const file = join(dir, 'old-storage.duckdb');
    const old = await DuckDBInstance.create(file, { storage_compatibility_version: 'v1.0.0' });
    const conn = await old.connect();
    await conn.run('CREATE TABLE kept AS SELECT 1 AS k');
    conn.closeSync();
    old.closeSync();
    await expect(startBigQueryEmulator({ port: 0, file })).rejects.toThrow(/was created with an older DuckDB storage version than the emulator needs \(v1\.4\.0\)/);
    const reopened = await DuckDBInstance.create(file);
    const check = await reopened.connect();
    expect((await check.runAndReadAll('SELECT k FROM kept')).getRowObjects()).toEqual([{ k: 1 }]);
    check.closeSync();
    reopened.closeSync();
  });

  it('loses nothing a finished job committed when the process is killed with SIGKILL', async () => {
    const file = join(dir, 'kill.duckdb');
    const proc = await spawnEmulator(['--file', file]);
    const bq = new BigQuery({ projectId: proc.projectId, apiEndpoint: proc.url });
    await bq.createDataset('crash');
    await bq.query('CREATE TABLE crash.t (k INT64)');
    for (let k = 0; k < 5; k++) await bq.query(`INSERT INTO crash.t VALUES (${k})`);
    proc.child.kill('SIGKILL');
    await exited(proc.child);

    const again = await startBigQueryEmulator({ port: 0, file });
    try {
      const bq2 = new BigQuery({ projectId: again.projectId, apiEndpoint: again.url });
      const [rows] = await bq2.query('SELECT COUNT(*) AS n FROM crash.t');
      expect(rows[0].n).toBe(5);
    } finally {
      await again.stop();
    }
  });

  it('a second process on the same file fails with a clear error; so does a second open in one process', async () => {
    const file = join(dir, 'owned.duckdb');
    const owner = await startBigQueryEmulator({ port: 0, file });
    try {
      await expect(startBigQueryEmulator({ port: 0, file })).rejects.toThrow(/already open in this process/);
      const err = await spawnEmulator(['--file', file]).then(
        () => {
          throw new Error('second emulator started');
        },
        (e) => e,
      );
      expect(err.code).toBe(1);
      expect(err.stderr).toMatch(/in use by another process/);
    } finally {
      await owner.stop();
    }
  });
});

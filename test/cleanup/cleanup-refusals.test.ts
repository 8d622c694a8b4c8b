/**
 * What the cleanup refuses: bad input (exit 2, nothing written), a grading lock held by another process (exit 4),
 * a tampered deduped table (exit 3 before the swap, original untouched), a half-done cleanup, and a restore from a
 * backup that no longer matches what its cleanup recorded (exit 3, nothing changed).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DistributedLock } from '../../src/lock/index.ts';
import { expectedFigures } from './incident.ts';
import { killed, startHarness, type Harness } from './harness.ts';

let h: Harness;
const DS = 'nba_predictions';
const checksum = (table: string) => h.rows(`SELECT COUNT(*) AS n, SUM(CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(TO_JSON_STRING(t))), 1, 12)) AS INT64)) AS s FROM ${DS}.${table} AS t`);
const partitioning = async (table: string) => {
  const [meta] = await h.bigquery.dataset(DS).table(table).getMetadata();
  return meta.timePartitioning ? { type: meta.timePartitioning.type, field: meta.timePartitioning.field } : null;
};
const tables = async () => (await h.rows<{ table_name: string }>(`SELECT table_name FROM ${DS}.INFORMATION_SCHEMA.TABLES ORDER BY 1`)).map((r) => r.table_name);

beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterEach(() => h?.killChildren());
afterAll(async () => h?.stop());

describe('cleanup refusals', () => {
  it('bad input exits 2 and writes nothing', async () => {
    await h.reset();
    // A table with a business key that is not there (the deploy creates the sources' empty tables locally).
    await h.rows(`DROP TABLE IF EXISTS ${DS}.player_game_summary`);
    const before = await tables();
    const cases: Array<[string[], string]> = [
      [['run', '--table', 'no_such_table', '--confirm'], 'business key'],
      [['run', '--table', 'grading_write_fence', '--confirm'], 'business key'],
      [['run', '--table', 'player_game_summary', '--confirm'], 'Unknown table'],
      [['run', '--table', 'prediction_accuracy'], '--confirm'],
      [['run', '--table', 'prediction_accuracy; DROP TABLE x', '--confirm'], 'Invalid table'],
      [['run', '--table', 'prediction_accuracy', '--confirm', '--keep', 'random'], 'Invalid --keep'],
      [['plan'], 'needs --table'],
      [['resume', '--table', 'prediction_accuracy', '--confirm'], 'No unfinished cleanup'],
      [['restore', '--backup', 'prediction_accuracy_backup_20260101', '--confirm'], 'Unknown backup'],
    ];
    await h.rows(`CREATE TABLE ${DS}.taken_backup (x INT64)`);
    cases.push([['run', '--table', 'prediction_accuracy', '--confirm', '--backup', 'taken_backup'], 'already exists']);
    // Each case is its own process and none may write (checked below), so they run side by side.
    const results = await Promise.all(cases.map(([args]) => h.cli(args)));
    cases.forEach(([args, message], i) => {
      expect([results[i].code, results[i].stderr.includes(message)], `${args.join(' ')}: ${results[i].stderr}`).toEqual([2, true]);
    });
    expect(await tables()).toEqual([...before, 'taken_backup'].sort());
    expect((await h.firestore.collection('cleanup_state').get()).size).toBe(0);
  }, 300_000);

  it('refuses with exit 4 while another process holds the grading lock of an affected date', async () => {
    const lock = new DistributedLock({ lockType: 'grading', firestore: h.firestore, leaseMs: 60_000 });
    const lease = await lock.acquire('2026-01-10', { operationId: 'a-grading-run' });
    try {
      const before = await tables();
      const r = await h.cli(['run', '--table', 'prediction_accuracy', '--confirm', '--wait', '0s']);
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toContain('grading_2026-01-10');
      expect(await tables()).toEqual(before);
      expect((await h.firestore.collection('cleanup_state').get()).size).toBe(0);
      expect((await h.firestore.collection('cleanup_locks').get()).size).toBe(0);
    } finally {
      await lease.release();
    }
  }, 300_000);

  it('a tampered deduped table stops the cleanup before the swap, the original untouched; resume rebuilds and finishes', async () => {
    const rows = await h.reset();
    const expected = expectedFigures(rows);
    const original = await checksum('prediction_accuracy');
    const child = await h.pausedAt(['run', '--table', 'prediction_accuracy', '--confirm', '--lease', '20s'], 'verify:start');
    await killed(child);
    const deduped = (await tables()).find((t) => t.startsWith('prediction_accuracy_deduped_'))!;
    await h.rows(`DELETE FROM ${DS}.${deduped} WHERE player_lookup = 'player_5' AND game_date = DATE '2026-01-10'`);

    const failed = await h.cli(['resume', '--table', 'prediction_accuracy', '--confirm']);
    expect(failed.code, failed.stderr.slice(-2000)).toBe(3);
    expect(failed.stderr).toContain('key set unchanged');
    expect(await checksum('prediction_accuracy')).toEqual(original);
    const [state] = (await h.firestore.collection('cleanup_state').get()).docs.map((d) => d.data());
    expect(state.status).toBe('stopped');
    expect(state.steps.swap).toBeUndefined();

    const refused = await h.cli(['run', '--table', 'prediction_accuracy', '--confirm']);
    expect([refused.code, refused.stderr.includes('half-done')]).toEqual([2, true]);

    const resumed = await h.cli(['resume', '--table', 'prediction_accuracy', '--confirm', '--json']);
    expect(resumed.code, resumed.stderr.slice(-2000)).toBe(0);
    const report = JSON.parse(resumed.stdout);
    expect([report.before.rows, report.after.rows]).toEqual([expected.rows, expected.keys]);

    // A backup that no longer matches what the cleanup recorded (replaced by a table with fewer rows): exit 3, nothing changed.
    const backup = report.backup.split('.')[1];
    const live = await checksum('prediction_accuracy');
    await h.rows(`DROP TABLE ${DS}.${backup}`).catch(() => h.bigquery.dataset(DS).table(backup).delete());
    await h.rows(`CREATE TABLE ${DS}.${backup} LIKE ${DS}.prediction_accuracy`);
    await h.rows(`INSERT INTO ${DS}.${backup} SELECT * FROM ${DS}.prediction_accuracy WHERE game_date <> DATE '2026-01-10'`);
    const restore = await h.cli(['restore', '--backup', backup, '--confirm']);
    expect(restore.code, restore.stderr.slice(-2000)).toBe(3);
    expect(restore.stderr).toContain('does not match');
    expect(await checksum('prediction_accuracy')).toEqual(live);

    // The recorded backup replaced by the very same rows in an unpartitioned table: refused before the copy (20.2).
    await h.bigquery.dataset(DS).table(backup).delete();
    await h.rows(`CREATE TABLE ${DS}.${backup} AS SELECT * FROM ${DS}.prediction_accuracy`);
    const unpartitioned = await h.cli(['restore', '--backup', backup, '--confirm']);
    expect(unpartitioned.code, unpartitioned.stderr.slice(-2000)).toBe(3);
    expect(unpartitioned.stderr).toContain('partitioning');
    expect(await checksum('prediction_accuracy')).toEqual(live);
    expect(await partitioning('prediction_accuracy')).toEqual({ type: 'DAY', field: 'game_date' });
  }, 360_000);

  it('20.2: restore refuses a table that is not a cleanup backup of the table before touching anything', async () => {
    await h.reset();
    const original = await checksum('prediction_accuracy');
    // A remediation-style backup of one date (unpartitioned), and a table named like a cleanup backup with the exact
    // rows and shape of the table that no cleanup recorded.
    await h.rows(`CREATE TABLE ${DS}.prediction_accuracy_remediation_backup_20260110 AS SELECT * FROM ${DS}.prediction_accuracy WHERE game_date = DATE '2026-01-10'`);
    await h.rows(`CREATE TABLE ${DS}.prediction_accuracy_backup_20250101 LIKE ${DS}.prediction_accuracy`);
    await h.rows(`INSERT INTO ${DS}.prediction_accuracy_backup_20250101 SELECT * FROM ${DS}.prediction_accuracy`);
    for (const backup of ['prediction_accuracy_remediation_backup_20260110', 'prediction_accuracy_backup_20250101']) {
      const r = await h.cli(['restore', '--backup', backup, '--table', 'prediction_accuracy', '--confirm']);
      expect([r.code, r.stderr.includes('not a backup recorded by a cleanup of')], r.stderr.slice(-2000)).toEqual([2, true]);
      expect(await checksum('prediction_accuracy')).toEqual(original);
      expect(await partitioning('prediction_accuracy')).toEqual({ type: 'DAY', field: 'game_date' });
    }
    expect(await h.rows(`SELECT COUNT(*) AS n FROM ${DS}.grading_runs`)).toEqual([{ n: 0 }]);
    expect((await h.firestore.collection('cleanup_locks').get()).size).toBe(0);
  }, 300_000);
});

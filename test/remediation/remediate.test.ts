import type { ChildProcess } from 'node:child_process';
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { createAlerter } from '../../src/alerts/index.ts';
import { DistributedLock } from '../../src/lock/index.ts';
import { createFirestoreClient, terminateFirestore } from '../../src/lock/firestore-client.ts';
import { remediate, type RemediateOptions } from '../../src/remediation/index.ts';
import { ensureTables } from '../../src/warehouse/pipeline-tables.ts';
import { tableRef, type WarehouseTarget } from '../../src/warehouse/target.ts';
import { startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';
import { targetOf } from '../checks/seed.ts';
import { captureLog, testFirestore, type TestFirestore } from '../lock/helpers.ts';
import { runScript, spawnHolder } from '../locks-cli/cli.ts';

let bq: LocalBigQuery;
let target: WarehouseTarget;
let fs: TestFirestore;
let db: Firestore;
let slack: WebhookReceiver;
const children: ChildProcess[] = [];

beforeAll(async () => {
  [fs, slack] = await Promise.all([testFirestore(), startWebhookReceiver()]);
  // BigQuery in this file's Firestore project (Firestore may be shared with other files), so the command (one project
  // for both) sees the same locks.
  bq = await startLocalBigQuery(':memory:', undefined, fs.projectId);
  target = targetOf(bq);
  db = createFirestoreClient({ emulatorHost: fs.host, projectId: bq.target.projectId });
  await ensureTables(bq.client, target, ['prediction_accuracy', 'grading_write_fence', 'grading_runs', 'grading_duplicate_audit']);
}, 60_000);
afterAll(async () => {
  if (db) await terminateFirestore(db);
  await slack?.stop();
  await fs?.stop();
  await bq?.stop();
});
beforeEach(async () => {
  slack.requests.length = 0;
  await fs.wipe().catch(() => undefined);
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

const PA = () => tableRef(target, 'prediction_accuracy');
const row = (date: string, player: string, line: string, gradedAt: string, actual = 10, run = 'seed') =>
  `('g-${date}', DATE '${date}', '${player}', 's1', ${line}, ${actual}, TIMESTAMP '${date} ${gradedAt}', '${run}', 0, 'id-${player}')`;

/** 10 clean keys; p1 twice, p2 three times (different actual_points per copy), p10 (NULL line) twice: 15 rows, 11 keys. */
async function seedDate(date: string): Promise<void> {
  await bq.rows(`DELETE FROM ${PA()} WHERE game_date = DATE '${date}'`);
  const rows = Array.from({ length: 10 }, (_, p) => row(date, `p${p}`, '10.5', '10:00:00'));
  rows.push(row(date, 'p1', '10.5', '11:00:00', 11, 'dup-run'));
  rows.push(row(date, 'p2', '10.5', '12:00:00', 12, 'dup-run'), row(date, 'p2', '10.5', '09:00:00', 9, 'early-run'));
  rows.push(row(date, 'p10', 'NULL', '10:00:00'), row(date, 'p10', 'NULL', '10:00:00', 10, 'dup-run'));
  await bq.rows(`INSERT INTO ${PA()} (game_id, game_date, player_lookup, system_id, line_value, actual_points, graded_at, run_id, lock_token, prediction_id) VALUES ${rows.join(',')}`);
}

const dateRows = (date: string) =>
  bq.rows(`SELECT player_lookup, line_value, actual_points, run_id, CAST(graded_at AS STRING) AS graded_at FROM ${PA()} WHERE game_date = DATE '${date}' ORDER BY player_lookup, graded_at, run_id`);

function options(date: string, extra: Partial<RemediateOptions> = {}): RemediateOptions {
  return {
    bigquery: bq.client,
    target,
    firestore: db,
    alerter: createAlerter({ webhookUrl: slack.url, logger: captureLog().logger }),
    logger: captureLog().logger,
    date,
    maxDuplicates: 1000,
    keep: 'earliest',
    ...extra,
  };
}

test('removes the duplicates of the date in one transaction, keeping the earliest graded_at; backup verified, key set unchanged, audited', async () => {
  await seedDate('2026-01-15');
  await seedDate('2026-01-16');
  const untouched = await dateRows('2026-01-16');
  const result = await remediate(options('2026-01-15', { runId: 'remediate-test-1' }));
  expect(result).toMatchObject({ status: 'remediated', exitCode: 0, removedRows: 4, auditedKeys: 3 });
  expect(result.before).toEqual({ rows: 15, keys: 11, duplicateKeys: 3, extraRows: 4 });
  expect(result.after).toEqual({ rows: 11, keys: 11, duplicateKeys: 0, extraRows: 0 });

  const after = await dateRows('2026-01-15');
  expect(after).toHaveLength(11);
  expect(after.find((r) => r.player_lookup === 'p2')).toMatchObject({ actual_points: 9, run_id: 'early-run' });
  expect(after.find((r) => r.player_lookup === 'p1')).toMatchObject({ actual_points: 10, run_id: 'seed' });
  // Tie on graded_at (p10): the deterministic tie-breakers pick run_id ASC.
  expect(after.find((r) => r.player_lookup === 'p10')).toMatchObject({ line_value: null, run_id: 'dup-run' });
  expect(await dateRows('2026-01-16')).toEqual(untouched);

  const backup = await bq.rows(`SELECT COUNT(*) AS n FROM ${tableRef(target, result.backupTable!)}`);
  expect(result.backupTable).toMatch(/^prediction_accuracy_remediation_backup_20260115_/);
  expect(backup[0].n).toBe(15);
  const audit = await bq.rows(`SELECT processor, player_lookup, occurrence_count FROM ${tableRef(target, 'grading_duplicate_audit')} WHERE run_id = 'remediate-test-1' ORDER BY player_lookup`);
  expect(audit).toEqual([
    { processor: 'remediate', player_lookup: 'p1', occurrence_count: 2 },
    { processor: 'remediate', player_lookup: 'p10', occurrence_count: 2 },
    { processor: 'remediate', player_lookup: 'p2', occurrence_count: 3 },
  ]);
  const [run] = await bq.rows(`SELECT status, lock_token, duplicate_count, rows_written FROM ${tableRef(target, 'grading_runs')} WHERE run_id = 'remediate-test-1'`);
  expect(run).toEqual({ status: 'succeeded', lock_token: result.lockToken, duplicate_count: 3, rows_written: 11 });
  const [fence] = await bq.rows(`SELECT max_lock_token FROM ${tableRef(target, 'grading_write_fence')} WHERE game_date = DATE '2026-01-15' AND table_name = 'prediction_accuracy'`);
  expect(fence.max_lock_token).toBe(result.lockToken);
  // The remediation rewrote the date: every surviving row carries its token, equal to the fence (chaos invariant).
  const tokens = await bq.rows(`SELECT DISTINCT lock_token FROM ${PA()} WHERE game_date = DATE '2026-01-15'`);
  expect(tokens).toEqual([{ lock_token: result.lockToken }]);
  expect(slack.requests.map((r) => r.json.text)).toEqual([expect.stringContaining('Remediation removed duplicate rows')]);
  // The lock was released.
  expect(await new DistributedLock({ lockType: 'grading', firestore: db }).inspect('2026-01-15')).toBeUndefined();
  // Running it again finds nothing to do.
  expect(await remediate(options('2026-01-15'))).toMatchObject({ status: 'clean', exitCode: 0 });
});

test('--keep latest keeps the latest graded_at', async () => {
  await seedDate('2026-01-17');
  expect(await remediate(options('2026-01-17', { keep: 'latest' }))).toMatchObject({ status: 'remediated', removedRows: 4 });
  const after = await dateRows('2026-01-17');
  expect(after.find((r) => r.player_lookup === 'p2')).toMatchObject({ actual_points: 12 });
  expect(after.find((r) => r.player_lookup === 'p1')).toMatchObject({ actual_points: 11 });
});

test('refuses above --max-duplicates: exit 3, nothing removed, no backup, audited, alert points at cleanup', async () => {
  await seedDate('2026-01-18');
  const before = await dateRows('2026-01-18');
  const result = await remediate(options('2026-01-18', { maxDuplicates: 3, runId: 'remediate-refused' }));
  expect(result).toMatchObject({ status: 'refused', exitCode: 3 });
  expect(result.backupTable).toBeUndefined();
  const [tables] = await bq.client.dataset(target.dataset).getTables();
  expect(tables.map((t) => t.id).filter((id) => id!.includes('backup_20260118'))).toEqual([]);
  expect(result.error).toContain('npm run cleanup');
  expect(await dateRows('2026-01-18')).toEqual(before);
  const [run] = await bq.rows(`SELECT status, error FROM ${tableRef(target, 'grading_runs')} WHERE run_id = 'remediate-refused'`);
  expect(run.status).toBe('duplicates_detected');
  expect(slack.requests[0].json.text).toContain('npm run cleanup -- plan --table prediction_accuracy');
});

test('refuses while the grading lock of the date is held by someone else (exit 4), nothing removed', async () => {
  await seedDate('2026-01-19');
  const before = await dateRows('2026-01-19');
  const other = await new DistributedLock({ lockType: 'grading', firestore: db, holderId: 'grading-run' }).acquire('2026-01-19', { operationId: 'grade-0119' });
  try {
    const result = await remediate(options('2026-01-19'));
    expect(result).toMatchObject({ status: 'lock_not_acquired', exitCode: 4 });
    expect(await dateRows('2026-01-19')).toEqual(before);
    expect(slack.requests[0].json.text).toContain('*held_for_operation*: grade-0119');
  } finally {
    await other.release();
  }
});

test('a row written between the backup and the transaction: the transaction refuses and rolls back, nothing removed', async () => {
  await seedDate('2026-01-20');
  const result = await remediate(
    options('2026-01-20', {
      hooks: {
        // A writer that ignores the lock (a manual INSERT): the backup would not cover it.
        beforeTransaction: () =>
          bq
            .rows(
              `INSERT INTO ${PA()} (game_id, game_date, player_lookup, system_id, line_value, graded_at, run_id, lock_token) VALUES ('g', DATE '2026-01-20', 'late', 's1', 1.5, CURRENT_TIMESTAMP(), 'manual', 0)`,
            )
            .then(() => undefined),
      },
    }),
  );
  expect(result).toMatchObject({ status: 'failed', exitCode: 1 });
  expect(result.error).toContain('changed since the backup');
  expect(await dateRows('2026-01-20')).toHaveLength(16);
  expect(slack.requests.map((r) => r.json.text)).toEqual([expect.stringContaining('Remediation failed')]);
});

test('verification failing after the commit puts the backup back exactly', async () => {
  await seedDate('2026-01-21');
  const before = await dateRows('2026-01-21');
  const result = await remediate(
    options('2026-01-21', {
      hooks: {
        afterCommit: () =>
          bq
            .rows(
              `INSERT INTO ${PA()} (game_id, game_date, player_lookup, system_id, line_value, graded_at, run_id, lock_token) VALUES ('g-2026-01-21', DATE '2026-01-21', 'p3', 's1', 10.5, CURRENT_TIMESTAMP(), 'sneaky', 0)`,
            )
            .then(() => undefined),
      },
    }),
  );
  expect(result).toMatchObject({ status: 'failed', exitCode: 1, restored: true });
  expect(result.error).toMatch(/1 duplicate keys remain/);
  expect(await dateRows('2026-01-21')).toEqual(before);
});

test('the command: exit codes 2 (bad input), 3 (above threshold) and 4 (lock held by another process)', async () => {
  await seedDate('2026-01-22');
  const env = { BIGQUERY_EMULATOR_HOST: bq.emulator.url, GOOGLE_CLOUD_PROJECT: bq.target.projectId, FIRESTORE_EMULATOR_HOST: fs.host, SLACK_WEBHOOK_URL: '' };
  const bad = await Promise.all(
    [[], ['--date', '2026-13-01', '--keep', 'latest'], ['--date', '2026-01-22', '--keep', 'random'], ['--date', '2026-01-22', '--max-duplicates', '0']].map((args) =>
      runScript('scripts/remediate.ts', args, env),
    ),
  );
  for (const result of bad) expect(result.code, result.stderr).toBe(2);

  const refused = await runScript('scripts/remediate.ts', ['--date', '2026-01-22', '--max-duplicates', '2'], env);
  expect(refused.code, refused.stderr).toBe(3);
  expect(refused.stdout).toContain('REFUSED');

  const holder = await spawnHolder({ FIRESTORE_EMULATOR_HOST: fs.host, PROJECT_ID: bq.target.projectId, LOCK_TYPE: 'grading', SCOPE: '2026-01-22', LEASE_MS: '30000' });
  children.push(holder.child);
  const busy = await runScript('scripts/remediate.ts', ['--date', '2026-01-22', '--json'], env);
  expect(busy.code, busy.stderr).toBe(4);
  expect(JSON.parse(busy.stdout)).toMatchObject({ status: 'lock_not_acquired' });
  expect(await dateRows('2026-01-22')).toHaveLength(15);
  holder.child.kill('SIGKILL');

  // Once the holder is gone (its lease expired or released), the command does the job.
  await new DistributedLock({ lockType: 'grading', firestore: db }).forceRelease('2026-01-22', { reason: 'test holder killed' });
  const done = await runScript('scripts/remediate.ts', ['--date', '2026-01-22', '--json'], env);
  expect(done.code, done.stderr).toBe(0);
  expect(JSON.parse(done.stdout)).toMatchObject({ status: 'remediated', removedRows: 4 });
}, 300_000); // eight command processes one after another: minutes on a busy machine

test('a backup that does not match the live rows stops everything before a row is removed', async () => {
  await seedDate('2026-01-23');
  const before = await dateRows('2026-01-23');
  const result = await remediate(options('2026-01-23', { hooks: { afterBackup: (backup) => bq.rows(`DELETE FROM ${tableRef(target, backup)} WHERE player_lookup = 'p0'`).then(() => undefined) } }));
  expect(result).toMatchObject({ status: 'failed', exitCode: 1 });
  expect(result.error).toMatch(/backup .* has 14 rows \/ 10 keys, expected 15 \/ 11; nothing removed/);
  expect(await dateRows('2026-01-23')).toEqual(before);
});

test('the storage fence refuses the remediation when a higher token was committed for the date', async () => {
  await seedDate('2026-01-24');
  const before = await dateRows('2026-01-24');
  await bq.rows(
    `INSERT INTO ${tableRef(target, 'grading_write_fence')} (game_date, table_name, max_lock_token, run_id, updated_at) VALUES (DATE '2026-01-24', 'prediction_accuracy', 999, 'newer-run', CURRENT_TIMESTAMP())`,
  );
  const result = await remediate(options('2026-01-24'));
  expect(result).toMatchObject({ status: 'failed', exitCode: 1 });
  expect(result.error).toMatch(/gradeguard_fence_rejected: prediction_accuracy 2026-01-24\.\.2026-01-24: lock_token \d+ is lower than committed token 999/);
  expect(await dateRows('2026-01-24')).toEqual(before);
});

test('verification failing after a newer holder wrote the date: the restore is fenced off and the newer rows stand', async () => {
  await seedDate('2026-01-25');
  const result = await remediate(
    options('2026-01-25', {
      hooks: {
        // A newer lock holder (token 999) commits a row of a new key after the remediation's commit.
        afterCommit: async () => {
          await bq.rows(
            `INSERT INTO ${PA()} (game_id, game_date, player_lookup, system_id, line_value, graded_at, run_id, lock_token) VALUES ('g-2026-01-25', DATE '2026-01-25', 'newer', 's1', 10.5, CURRENT_TIMESTAMP(), 'newer-run', 999)`,
          );
          await bq.rows(`UPDATE ${tableRef(target, 'grading_write_fence')} SET max_lock_token = 999, run_id = 'newer-run' WHERE game_date = DATE '2026-01-25' AND table_name = 'prediction_accuracy'`);
        },
      },
    }),
  );
  expect(result).toMatchObject({ status: 'failed', exitCode: 1 });
  expect(result.restored).toBeFalsy();
  expect(result.error).toMatch(
    /1 keys are not in the backup.*NOT restored: a newer run owns the date \(gradeguard_fence_rejected: prediction_accuracy 2026-01-25\.\.2026-01-25: lock_token \d+ is lower than committed token 999/,
  );
  const after = await dateRows('2026-01-25');
  expect(after).toHaveLength(12);
  expect(after.filter((r) => r.player_lookup === 'newer')).toHaveLength(1);
  const [fence] = await bq.rows(`SELECT max_lock_token, run_id FROM ${tableRef(target, 'grading_write_fence')} WHERE game_date = DATE '2026-01-25' AND table_name = 'prediction_accuracy'`);
  expect(fence).toEqual({ max_lock_token: 999, run_id: 'newer-run' });
});

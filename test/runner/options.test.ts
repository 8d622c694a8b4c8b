/**
 * The lock options of `grade`, as real processes on real emulators:
 *  - the date's grading lock held by another holder (a DistributedLock in this process): `--if-locked fail` exits 4 at
 *    once, `--if-locked wait --lock-timeout 3s` exits 4 after waiting, `--if-locked skip` exits 0; none writes a graded
 *    row, each leaves a grading_runs row with its status, and the holder keeps its lock;
 *  - Firestore unreachable (FIRESTORE_EMULATOR_HOST at a closed port): `--on-lock-error proceed` grades without the
 *    lock (token 0, no duplicates) with a CRITICAL log line and alert; the default (`fail`) exits 4 and grades nothing.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DistributedLock } from '../../src/lock/index.ts';
import { createLogger } from '../../src/log/logger.ts';
import { findDuplicateKeys } from '../../src/warehouse/duplicates.ts';
import { ensureTables } from '../../src/warehouse/pipeline-tables.ts';
import type { Season } from '../../tools/synthetic/season.ts';
import { loadTestSeason, logEvents, runCommandProcess, startRunnerStack, type Finished, type RunnerStack, STACK_SETUP_TIMEOUT_MS } from './stack.ts';

const [HELD, PROCEED, REFUSED] = ['2026-02-10', '2026-02-11', '2026-02-12'];
/** A second date of the refused command: it must not wait out Firestore's timeouts again. */
const AFTER_REFUSED = '2026-02-13';
let stack: RunnerStack;
const quiet = createLogger('test-holder', { level: 'WARNING' });
let season: Season;
/** The two runs against an unreachable Firestore, started in beforeAll, awaited by their test. */
let unreachable: Promise<[Finished, Finished]>;

const explain = (r: Finished) => `exit ${r.code}\n${r.stdout}\n${r.stderr.slice(-3_000)}`;

async function gradedRows(date: string): Promise<number> {
  const [row] = await stack.rows(`SELECT COUNT(*) AS n FROM ${stack.table('prediction_accuracy')} WHERE game_date = @d`, { d: stack.bq.client.date(date) });
  return Number(row.n);
}

async function runRow(runId: string) {
  const rows = await stack.rows(`SELECT operation, status, error, lock_token, game_dates FROM ${stack.table('grading_runs')} WHERE run_id = @id`, { id: runId });
  expect(rows).toHaveLength(1);
  return rows[0];
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  stack = await startRunnerStack();
  season = await loadTestSeason(stack, { seed: 17, dates: 3, players: 30, systems: 2, teams: 6, gamesPerDate: 3, startDate: HELD });
  // The tables exist from the start, so a date's missing rows means nothing was written, not that nothing could be.
  await ensureTables(stack.bq.client, stack.target, ['prediction_accuracy', 'grading_runs', 'grading_duplicate_audit']);
  // Firestore's bound injected (default 20 s for the lock, 10 s for the circuit): what is tested is the decision taken
  // once Firestore counts as unavailable, not how long that takes.
  const env: NodeJS.ProcessEnv = { ...stack.env, FIRESTORE_EMULATOR_HOST: `127.0.0.1:${await closedPort()}`, GRADEGUARD_FIRESTORE_TIMEOUT: '2s' };
  delete env.SLACK_WEBHOOK_URL;
  // Started now and awaited by their test: they wait out Firestore's timeouts while the --if-locked test runs.
  unreachable = Promise.all([
    runCommandProcess('grade', ['--date', PROCEED, '--on-lock-error', 'proceed', '--json'], env),
    runCommandProcess('grade', ['--dates', `${REFUSED},${AFTER_REFUSED}`, '--parallel', '1', '--json'], env),
  ]);
}, STACK_SETUP_TIMEOUT_MS);
afterAll(async () => stack?.stop());

describe('--if-locked with the date held by another holder', () => {
  it('fail: exit 4 at once; wait: exit 4 after --lock-timeout; skip: exit 0; nothing graded, a grading_runs row each', async () => {
    const holder = new DistributedLock({ lockType: 'grading', firestore: stack.firestoreClient(), leaseMs: 120_000, maxWaitMs: 0, logger: quiet });
    const lease = await holder.acquire(HELD, { operationId: 'test-holder' });
    let fail: Finished, wait: Finished, skip: Finished;
    try {
      [fail, wait, skip] = await Promise.all([
        runCommandProcess('grade', ['--date', HELD, '--if-locked', 'fail', '--json'], stack.env),
        runCommandProcess('grade', ['--date', HELD, '--if-locked', 'wait', '--lock-timeout', '3s', '--json'], stack.env),
        runCommandProcess('grade', ['--date', HELD, '--if-locked', 'skip', '--json'], stack.env),
      ]);
      // The runs neither took nor broke the holder's lock.
      expect(lease.signal.aborted).toBe(false);
      expect((await holder.inspect(HELD))?.token).toBe(lease.token);
    } finally {
      await lease.release();
    }

    expect(fail.code, explain(fail)).toBe(4);
    const failed = JSON.parse(fail.stdout).dates[0];
    expect(failed).toMatchObject({ status: 'lock_not_acquired', exitCode: 4, locked: false, lockToken: 0, rows: null });
    expect(failed.lockWaitMs).toBeLessThan(3_000);
    expect(logEvents(fail.stderr).some((e) => e.alert_kind === 'lock_not_acquired' && e.severity === 'ERROR')).toBe(true);

    expect(wait.code, explain(wait)).toBe(4);
    const waited = JSON.parse(wait.stdout).dates[0];
    expect(waited).toMatchObject({ status: 'lock_not_acquired', exitCode: 4, locked: false });
    expect(waited.lockWaitMs).toBeGreaterThanOrEqual(3_000);

    expect(skip.code, explain(skip)).toBe(0);
    const skipped = JSON.parse(skip.stdout).dates[0];
    expect(skipped).toMatchObject({ status: 'skipped', exitCode: 0, locked: false });
    const skipEvents = logEvents(skip.stderr);
    expect(skipEvents.some((e) => e.event === 'date_skipped' && e.severity === 'NOTICE')).toBe(true);
    expect(skipEvents.some((e) => e.event === 'alert')).toBe(false);

    for (const [result, status] of [
      [failed, 'lock_not_acquired'],
      [waited, 'lock_not_acquired'],
      [skipped, 'skipped'],
    ] as const) {
      const row = await runRow(result.runId);
      expect(row).toMatchObject({ operation: 'grading', status, lock_token: 0 });
      expect(row.error).toMatch(/test-holder|grading_2026-02-10/);
    }
    expect(await gradedRows(HELD)).toBe(0);
    for (const r of [fail, wait, skip]) expect(logEvents(r.stderr).some((e) => e.event === 'dataform_started')).toBe(false);
  }, 120_000);
});

describe('--on-lock-error with Firestore unreachable', () => {
  it('proceed: grades without the lock (token 0, no duplicates) with a CRITICAL alert; fail (the default): exit 4, nothing graded', async () => {
    const [proceed, refused] = await unreachable;

    expect(proceed.code, explain(proceed)).toBe(0);
    const proceeded = JSON.parse(proceed.stdout).dates[0];
    expect(proceeded).toMatchObject({ status: 'succeeded', locked: false, lockToken: 0, duplicateKeys: 0 });
    const expected = new Set(season.predictions.filter((p) => p.game_date === PROCEED).map((p) => `${p.game_id}|${p.player_lookup}|${p.system_id}|${p.current_points_line}`)).size;
    expect(expected).toBeGreaterThan(0);
    expect(await gradedRows(PROCEED)).toBe(expected);
    expect(await findDuplicateKeys(stack.bq.client, stack.target, 'prediction_accuracy', [PROCEED])).toEqual([]);
    const tokens = await stack.rows(`SELECT DISTINCT lock_token, run_id FROM ${stack.table('prediction_accuracy')} WHERE game_date = @d`, { d: stack.bq.client.date(PROCEED) });
    expect(tokens).toEqual([{ lock_token: 0, run_id: proceeded.runId }]);
    const events = logEvents(proceed.stderr);
    expect(events.some((e) => e.event === 'running_without_lock' && e.severity === 'CRITICAL' && e.reason === 'lock_unavailable')).toBe(true);
    expect(events.some((e) => e.event === 'alert' && e.alert_kind === 'running_without_lock' && e.severity === 'CRITICAL' && e.game_date === PROCEED)).toBe(true);
    expect(await runRow(proceeded.runId)).toMatchObject({ operation: 'grading', status: 'succeeded', lock_token: 0 });

    expect(refused.code, explain(refused)).toBe(4);
    const refusedResult = JSON.parse(refused.stdout).dates[0];
    expect(refusedResult).toMatchObject({ status: 'lock_not_acquired', exitCode: 4, locked: false });
    expect(logEvents(refused.stderr).some((e) => e.alert_kind === 'lock_not_acquired' && e.severity === 'CRITICAL')).toBe(true);
    expect(logEvents(refused.stderr).some((e) => e.event === 'dataform_started')).toBe(false);
    expect(await gradedRows(REFUSED)).toBe(0);
    expect(await runRow(refusedResult.runId)).toMatchObject({ status: 'lock_not_acquired', lock_token: 0 });
    const [, second] = JSON.parse(refused.stdout).dates;
    expect(second).toMatchObject({ date: AFTER_REFUSED, status: 'lock_not_acquired', exitCode: 4, lockWaitMs: 0 });
    expect(second.error).toContain(`Firestore was unavailable earlier in this command (not retried for ${AFTER_REFUSED})`);
    expect(refusedResult.lockWaitMs).toBeGreaterThan(1000);
  }, 180_000);
});

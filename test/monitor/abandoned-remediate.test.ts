/**
 * The grading_runs row of a killed `remediate` is closed (issue 20): a real remediate process is held at its fenced
 * transaction (the gated proxy catches that request), killed with kill -9 while its row says `running`; once its lease
 * has run out, a monitor pass closes the row as `abandoned`, and so does the next grade of the date (it holds the
 * grading lock the remediate lost). Real BigQuery and Firestore emulators, real processes.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createAlerter } from '../../src/alerts/index.ts';
import { monitorPass } from '../../src/monitor/index.ts';
import { expireLease } from '../helpers/expire-lease.ts';
import { beforeExit, duplicateGradedRows, explain, startGatedStack, type GatedStack } from '../remediation/gated-stack.ts';
import { runCommandProcess, spawnCommand, type RunnerStack } from '../runner/stack.ts';
import { captureLog } from '../lock/helpers.ts';

const D = '2026-02-11';
let gated: GatedStack;
let stack: RunnerStack;

beforeAll(async () => {
  gated = await startGatedStack({ seed: 12, dates: 1, players: 12, systems: 2, teams: 4, gamesPerDate: 2, startDate: D });
  stack = gated.stack;
}, 180_000);
afterAll(() => gated?.stop());

/**
 * A real remediate of D killed with kill -9 while its fenced transaction is held at the proxy; its run id. The held
 * request is never let through (it would commit the dead process's transaction); stopping the proxy drops it.
 */
async function killedRemediate(): Promise<string> {
  // Two duplicate rows on D, so remediate goes on to its fenced transaction.
  await duplicateGradedRows(stack, D, 2);
  const atTransaction = gated.proxy.gate((body) => body.includes('BEGIN TRANSACTION'));
  const remediate = spawnCommand('remediate', ['--date', D, '--lease', '20s', '--json'], gated.proxiedEnv, { detached: true });
  await beforeExit(atTransaction.arrived, remediate.done, 'remediate sent its transaction');
  process.kill(-remediate.child.pid!, 'SIGKILL');
  const killed = await remediate.done;
  expect(killed.signal).toBe('SIGKILL');
  const runs = await stack.rows<{ run_id: string }>(`SELECT run_id FROM ${stack.table('grading_runs')} WHERE operation = 'remediate' AND status = 'running'`);
  expect(runs).toHaveLength(1);
  return runs[0].run_id;
}

test('a remediate killed with kill -9 leaves its row running; monitor closes it as abandoned once its lease is gone', async () => {
  const graded = await runCommandProcess('grade', ['--date', D, '--json'], stack.env);
  expect(graded.code, explain(graded)).toBe(0);
  const runs = [{ run_id: await killedRemediate() }];

  // Its lease runs out: written, not waited for (20 s, not renewed by the dead process; shorter leases expire under
  // load before the first renewal). The monitor judges it by Firestore's time, as it would after the wait.
  await expireLease(stack.firestoreClient(), 'grading', D);

  const { logger } = captureLog();
  const report = await monitorPass({
    firestore: stack.firestoreClient(),
    alerter: createAlerter({ webhookUrl: null, logger }),
    logger,
    warehouse: { bigquery: stack.bq.client, target: stack.target },
    dailyCheck: false,
    runGraceMs: 0,
  });
  expect(report.abandonedRuns).toEqual([runs[0].run_id]);
  const after = await stack.rows<{ status: string; error: string }>(`SELECT status, error FROM ${stack.table('grading_runs')} WHERE run_id = @id`, { id: runs[0].run_id });
  expect(after).toEqual([{ status: 'abandoned', error: expect.stringContaining('no live lease') }]);
}, 300_000);

test("the next grade of the date closes a killed remediate's row: it holds the grading lock the remediate lost", async () => {
  const runId = await killedRemediate();
  await expireLease(stack.firestoreClient(), 'grading', D);
  const graded = await runCommandProcess('grade', ['--date', D, '--if-locked', 'wait', '--json'], stack.env);
  expect(graded.code, explain(graded)).toBe(0);
  const after = await stack.rows<{ status: string; error: string }>(`SELECT status, error FROM ${stack.table('grading_runs')} WHERE run_id = @id`, { id: runId });
  expect(after).toEqual([{ status: 'abandoned', error: expect.stringContaining(JSON.parse(graded.stdout).dates[0].runId) }]);
}, 300_000);

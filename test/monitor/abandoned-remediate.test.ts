/**
 * The grading_runs row of a killed `remediate` is closed (issue 20): a real remediate process is held at its fenced
 * transaction (the gated proxy catches that request), killed with kill -9 while its row says `running`; once its lease
 * has run out, a monitor pass closes the row as `abandoned`, and so does the next grade of the date (it holds the
 * grading lock the remediate lost). Real BigQuery and Firestore emulators, real processes.
 */
import businessKeys from '../../includes/business_keys.js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createAlerter } from '../../src/alerts/index.ts';
import { DistributedLock } from '../../src/lock/index.ts';
import { monitorPass } from '../../src/monitor/index.ts';
import { startGatedProxy, type GatedProxy } from '../remediation/gated-proxy.ts';
import { loadTestSeason, runCommandProcess, spawnCommand, startRunnerStack, type Finished, type RunnerStack } from '../runner/stack.ts';
import { captureLog } from '../lock/helpers.ts';

const D = '2026-02-11';
let stack: RunnerStack;
let proxy: GatedProxy;

beforeAll(async () => {
  stack = await startRunnerStack();
  await loadTestSeason(stack, { seed: 12, dates: 1, players: 12, systems: 2, teams: 4, gamesPerDate: 2, startDate: D });
  proxy = await startGatedProxy(stack.bq.emulator.url);
  await stack.firestoreClient().collection('test_warm_up').doc('first').set({ at: Date.now() });
}, 180_000);
afterAll(async () => {
  await proxy?.stop();
  await stack?.stop();
});

const explain = (r: Finished) => `exit ${r.code}\n${r.stdout}\n${r.stderr.slice(-3_000)}`;

/** Two duplicate rows on D, so remediate goes on to its fenced transaction. */
async function duplicateTwoRows(): Promise<void> {
  const key = businessKeys.tables.prediction_accuracy;
  const columns = (
    await stack.rows<{ column_name: string }>(
      `SELECT column_name FROM \`${stack.target.projectId}.${stack.target.dataset}.INFORMATION_SCHEMA.COLUMNS\` WHERE table_name = 'prediction_accuracy' ORDER BY ordinal_position`,
    )
  ).map((c) => c.column_name);
  const copied = columns.map((c) => (c === key.writtenAtColumn ? `TIMESTAMP_ADD(${c}, INTERVAL 1 MINUTE)` : c));
  await stack.rows(
    `INSERT INTO ${stack.table('prediction_accuracy')} (${columns.join(', ')})
     SELECT ${copied.join(', ')} FROM ${stack.table('prediction_accuracy')} WHERE game_date = @d ORDER BY player_lookup, system_id LIMIT 2`,
    { d: stack.bq.client.date(D) },
  );
}

/**
 * A real remediate of D killed with kill -9 while its fenced transaction is held at the proxy; its run id. The held
 * request is never let through (it would commit the dead process's transaction); stopping the proxy drops it.
 */
async function killedRemediate(): Promise<string> {
  await duplicateTwoRows();
  const atTransaction = proxy.gate((body) => body.includes('BEGIN TRANSACTION'));
  const remediate = spawnCommand('remediate', ['--date', D, '--lease', '20s', '--json'], { ...stack.env, BIGQUERY_EMULATOR_HOST: proxy.url }, { detached: true });
  const first = await Promise.race([atTransaction.arrived.then(() => undefined), remediate.done]);
  expect(first, first && explain(first)).toBeUndefined();
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

  // Its lease runs out (20 s, not renewed by the dead process; shorter leases expire under load before the first renewal).
  const lock = new DistributedLock({ lockType: 'grading', firestore: stack.firestoreClient(), autoRenew: false });
  await expect.poll(async () => (await lock.inspect(D))?.expired ?? true, { timeout: 120_000, interval: 1_000 }).toBe(true);

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
  const graded = await runCommandProcess('grade', ['--date', D, '--if-locked', 'wait', '--json'], stack.env);
  expect(graded.code, explain(graded)).toBe(0);
  const after = await stack.rows<{ status: string; error: string }>(`SELECT status, error FROM ${stack.table('grading_runs')} WHERE run_id = @id`, { id: runId });
  expect(after).toEqual([{ status: 'abandoned', error: expect.stringContaining(JSON.parse(graded.stdout).dates[0].runId) }]);
}, 300_000);

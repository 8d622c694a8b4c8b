/**
 * `grade --executor dataform-api`, real processes end to end: the grade process drives Google's @google-cloud/dataform
 * client against the local Dataform API stand-in (emulator/dataform-api), which compiles and runs with the real dataform
 * CLI against the BigQuery emulator; the lock is the Firestore emulator. Checked against the CLI executor: same rows,
 * same audit, same exit codes; a failed assertion exits 3 with its rows alerted; a lease lost mid-invocation cancels it
 * and nothing of it commits; a project that does not compile exits before any lock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataformApi } from '../../emulator/dataform-api/index.ts';
import { startLocalDataformApi } from '../../src/runner/executors/local-dataform-api.ts';
import { FENCE_ERROR_PREFIX } from '../../src/runner/dataform-outcome.ts';
import type { PredictionRow, Season } from '../../tools/synthetic/season.ts';
import { BROKEN_MESSAGE, brokenProject } from '../helpers/broken-project.ts';
import { loadTestSeason, logEvents, runCommandProcess, spawnCommand, startRunnerStack, type Finished, type RunnerStack, STACK_SETUP_TIMEOUT_MS } from './stack.ts';

const DATES = ['2026-03-02', '2026-03-03', '2026-03-04'];
const [D1, D2, BROKEN] = DATES;
let stack: RunnerStack;
let season: Season;
let api: DataformApi;
let env: NodeJS.ProcessEnv;

const explain = (r: Finished) => `exit ${r.code}\n${r.stdout.slice(0, 2_000)}\n${r.stderr.slice(-3_000)}`;
const apiGrade = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => runCommandProcess('grade', ['--executor', 'dataform-api', ...args], { ...env, ...extraEnv });

beforeAll(async () => {
  stack = await startRunnerStack();
  season = await loadTestSeason(stack, { seed: 41, dates: 3, players: 20, systems: 2, teams: 4, gamesPerDate: 2, startDate: D1 });
  api = await startLocalDataformApi({ bigquery: stack.target });
  env = { ...stack.env, DATAFORM_EMULATOR_HOST: api.url, GRADEGUARD_DATAFORM_REPOSITORY: api.repository };
}, STACK_SETUP_TIMEOUT_MS);
afterAll(async () => {
  await api?.stop();
  await stack?.stop();
});

/** The graded rows of the dates without what differs by run (run id, token, timestamps), in a stable order. */
async function gradedRows(dates: string[]) {
  return stack.rows(
    `SELECT * EXCEPT (run_id, lock_token, graded_at) FROM ${stack.table('prediction_accuracy')} WHERE game_date IN UNNEST(@d) ORDER BY game_date, game_id, player_lookup, system_id, line_value`,
    { d: dates.map((d) => stack.bq.client.date(d)) },
  );
}

describe('grade --executor dataform-api', () => {
  it('grades several dates like the CLI executor: same rows, same audit, same exit code, and the invocations are recorded', async () => {
    const viaApi = await apiGrade(['--dates', `${D1},${D2}`, '--json']);
    expect(viaApi.code, explain(viaApi)).toBe(0);
    const apiSummary = JSON.parse(viaApi.stdout);
    expect(apiSummary.dates.map((d: { status: string }) => d.status)).toEqual(['succeeded', 'succeeded']);
    const apiRows = await gradedRows([D1, D2]);
    expect(apiRows.length).toBeGreaterThan(0);
    const events = logEvents(viaApi.stderr);
    expect(events.find((e) => e.event === 'target')?.dataform).toContain(`the Dataform API, repository ${api.repository}`);
    // The two dates are one locked run (a batch): one invocation, plus one per rerun after a transient error, as the
    // CLI executor reruns a `dataform run`.
    const finished = events.filter((e) => e.event === 'dataform_invocation_finished');
    expect(finished.at(-1)?.state).toBe('SUCCEEDED');
    expect(finished).toHaveLength(1 + events.filter((e) => e.event === 'dataform_retry').length);

    const viaCli = await runCommandProcess('grade', ['--dates', `${D1},${D2}`, '--json'], stack.env);
    expect(viaCli.code, explain(viaCli)).toBe(0);
    expect(await gradedRows([D1, D2])).toEqual(apiRows);

    // One run id per locked run (both dates are one batch): one grading_runs row per command.
    const runIds = [...new Set([...apiSummary.dates, ...JSON.parse(viaCli.stdout).dates].map((d: { runId: string }) => d.runId))];
    expect(runIds).toHaveLength(2);
    const runs = await stack.rows(`SELECT run_id, status, duplicate_count FROM ${stack.table('grading_runs')} WHERE run_id IN UNNEST(@ids) ORDER BY run_id`, { ids: runIds });
    expect(runs.map((r) => [r.status, r.duplicate_count])).toEqual(runIds.map(() => ['succeeded', 0]));
    const audit = await stack.rows(`SELECT run_id FROM ${stack.table('grading_duplicate_audit')} WHERE run_id IN UNNEST(@ids)`, { ids: runIds });
    expect(audit).toEqual([]);
  }, 300_000);

  it('a failed assertion in the invocation exits 3 and alerts with the failing rows read from the assertion view', async () => {
    const sameKey = (a: PredictionRow, b: PredictionRow) => a.game_id === b.game_id && a.player_lookup === b.player_lookup && a.system_id === b.system_id && a.current_points_line === b.current_points_line;
    const bad = season.predictions.find((p) => p.game_date === BROKEN && !season.predictions.some((q) => sameKey(p, q) && q.prediction_version > p.prediction_version))!;
    await stack.bq.client.query({ query: `UPDATE ${stack.table('player_prop_predictions')} SET confidence_score = 1.5 WHERE prediction_id = @id`, params: { id: bad.prediction_id } });

    const run = await apiGrade(['--date', BROKEN, '--json']);
    expect(run.code, explain(run)).toBe(3);
    const [result] = JSON.parse(run.stdout).dates;
    const assertion = 'nba_predictions_assertions_d20260304.assert_prediction_accuracy_row_conditions';
    expect(result).toMatchObject({ status: 'assertion_failed', exitCode: 3, duplicateKeys: 0 });
    expect(result.failedAssertions).toMatchObject([{ name: assertion, rowCount: 1 }]);
    expect(result.failedAssertions[0].sample[0]).toMatchObject({ failed_condition: 'confidence_score BETWEEN 0 AND 1', game_id: bad.game_id, player_lookup: bad.player_lookup });
    const alerts = logEvents(run.stderr).filter((e) => e.event === 'alert');
    expect(alerts.map((a) => [a.alert_kind, a.game_date])).toEqual([['assertion_failed', BROKEN]]);
    expect(alerts[0].counts).toEqual({ [assertion]: 1 });
  }, 300_000);

  it('a lease lost mid-invocation cancels the invocation and nothing of it commits; the newer run stands', async () => {
    // Invocations of this stand-in wait 10 minutes before running: the lease is lost while the invocation is queued.
    const slow = await startLocalDataformApi({ bigquery: stack.target, runDelayMs: 600_000 });
    try {
      const stale = spawnCommand('grade', ['--executor', 'dataform-api', '--date', D1, '--lease', '3s', '--json'], { ...env, DATAFORM_EMULATOR_HOST: slow.url }, { detached: true });
      await until(() => stale.stderr().includes('"event":"dataform_invocation_created"'), 120_000, 'the invocation to be created');
      process.kill(-stale.child.pid!, 'SIGSTOP');
      let fresh: Finished;
      try {
        fresh = await runCommandProcess('grade', ['--date', D1, '--lock-timeout', '2m', '--json'], stack.env);
      } finally {
        process.kill(-stale.child.pid!, 'SIGCONT');
      }
      const staleDone = await stale.done;
      expect(fresh.code, explain(fresh)).toBe(0);
      expect(staleDone.code, explain(staleDone)).toBe(1);
      expect(staleDone.stdout, explain(staleDone)).not.toBe('');
      const staleResult = JSON.parse(staleDone.stdout).dates[0];
      const freshResult = JSON.parse(fresh.stdout).dates[0];
      expect(staleResult.status).toBe('lease_lost');

      const invocation = logEvents(staleDone.stderr).find((e) => e.event === 'dataform_invocation_finished');
      expect(invocation?.state, explain(staleDone)).toBe('CANCELLED');
      expect(slow.state.invocation(invocation!.invocation).state).toBe('CANCELLED');
      const written = await stack.rows(`SELECT DISTINCT run_id FROM ${stack.table('prediction_accuracy')} WHERE game_date = @d`, { d: stack.bq.client.date(D1) });
      expect(written.map((w) => w.run_id)).toEqual([freshResult.runId]);
      expect(logEvents(staleDone.stderr).some((e) => e.event === 'alert' && e.alert_kind === 'lock_lost')).toBe(true);
    } finally {
      await slow.stop();
    }
  }, 300_000);

  it('a cancel that comes too late (the stale invocation runs after a newer run took the lock): the fence refuses it', async () => {
    // The stand-in holds each invocation queued until the gate opens; the stale process is frozen meanwhile, so it can
    // neither renew its lease nor cancel: its invocation runs with the stale token after the newer run committed.
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const gated = await startLocalDataformApi({ bigquery: stack.target, beforeRun: () => gate });
    try {
      const stale = spawnCommand('grade', ['--executor', 'dataform-api', '--date', D2, '--lease', '3s', '--json'], { ...env, DATAFORM_EMULATOR_HOST: gated.url }, { detached: true });
      await until(() => stale.stderr().includes('"event":"dataform_invocation_created"'), 120_000, 'the invocation to be created');
      const name = logEvents(stale.stderr()).find((e) => e.event === 'dataform_invocation_created')!.invocation as string;
      process.kill(-stale.child.pid!, 'SIGSTOP');
      let fresh: Finished;
      try {
        fresh = await runCommandProcess('grade', ['--date', D2, '--lock-timeout', '2m', '--json'], stack.env);
        expect(fresh.code, explain(fresh)).toBe(0);
        openGate();
        await until(() => gated.state.invocation(name).state === 'FAILED', 240_000, 'the stale invocation to end');
      } finally {
        process.kill(-stale.child.pid!, 'SIGCONT');
      }
      const staleDone = await stale.done;
      const refused = gated.state.invocation(name).actions.filter((a) => a.state === 'FAILED');
      expect(refused.map((a) => a.failureReason).join('\n')).toContain(FENCE_ERROR_PREFIX);

      // The stale run fails (lease lost, or the fence's refusal if its poll saw that first), and its row is closed.
      expect(staleDone.code, explain(staleDone)).toBe(1);
      const staleResult = JSON.parse(staleDone.stdout).dates[0];
      expect(['lease_lost', 'fence_rejected']).toContain(staleResult.status);
      const [row] = await stack.rows(`SELECT status FROM ${stack.table('grading_runs')} WHERE run_id = @id`, { id: staleResult.runId });
      expect(row?.status).toBe(staleResult.status);
      const written = await stack.rows(`SELECT DISTINCT run_id FROM ${stack.table('prediction_accuracy')} WHERE game_date = @d`, { d: stack.bq.client.date(D2) });
      expect(written.map((w) => w.run_id)).toEqual([JSON.parse(fresh.stdout).dates[0].runId]);
    } finally {
      openGate();
      await gated.stop();
    }
  }, 400_000);

  it('a project that does not compile exits 1 with the errors, before taking any lock or writing anything', async () => {
    const broken = await startLocalDataformApi({ bigquery: stack.target, projectDir: brokenProject() });
    try {
      const DATE = '2026-03-09';
      const run = await apiGrade(['--date', DATE, '--json'], { DATAFORM_EMULATOR_HOST: broken.url });
      expect(run.code, explain(run)).toBe(1);
      expect(run.stderr).toContain('the project does not compile; no lock was taken and nothing was written');
      expect(run.stderr).toContain(BROKEN_MESSAGE);
      expect(run.stdout).toBe('');
      const lock = await stack.firestoreClient().collection('grading_locks').doc(`grading_${DATE}`).get();
      expect(lock.exists).toBe(false);
      const runs = await stack.rows(`SELECT run_id FROM ${stack.table('grading_runs')} WHERE @d IN UNNEST(game_dates)`, { d: stack.bq.client.date(DATE) });
      expect(runs).toEqual([]);
    } finally {
      await broken.stop();
    }
  }, 300_000);
});

describe('grade --executor dataform-api with a release configuration', () => {
  it("grades through a release configuration as production does (deploy/gcloud-setup.sh): its commitish and settings, the run's vars on top", async () => {
    const production = await startLocalDataformApi({
      bigquery: stack.target,
      releaseConfigs: { production: { gitCommitish: 'dataform-release', codeCompilationConfig: { defaultDatabase: stack.target.projectId, defaultLocation: 'US' } } },
    });
    try {
      const run = await apiGrade(['--date', D1, '--dataform-release-config', 'production', '--json'], { DATAFORM_EMULATOR_HOST: production.url });
      expect(run.code, explain(run)).toBe(0);
      // The grade's invocation, and after it those of the later dates' summary refresh (operation reporting), each
      // compiled from the release configuration.
      const invocations = production.state.invocationList().map((invocation) => ({ invocation, compilation: production.state.compilation(invocation.compilationResult) }));
      for (const { compilation } of invocations) expect(compilation.gitCommitish).toBe('dataform-release');
      const graded = invocations.filter(({ compilation }) => compilation.codeCompilationConfig?.vars?.operation === 'grading');
      expect(graded).toHaveLength(1);
      const [{ invocation, compilation }] = graded;
      expect(invocation.state).toBe('SUCCEEDED');
      expect(compilation.codeCompilationConfig).toMatchObject({ defaultDatabase: stack.target.projectId, defaultLocation: 'US', vars: { operation: 'grading', run_id: JSON.parse(run.stdout).dates[0].runId } });
    } finally {
      await production.stop();
    }
  }, 300_000);

  it('a release configuration with static vars (a pinned game_date) is bad input: exit 2, the error printed, no lock taken', async () => {
    const pinned = await startLocalDataformApi({ bigquery: stack.target, releaseConfigs: { pinned: { gitCommitish: 'main', codeCompilationConfig: { vars: { game_date: '1970-01-01' } } } } });
    try {
      const DATE = '2026-03-10';
      const run = await apiGrade(['--date', DATE, '--dataform-release-config', 'pinned', '--json'], { DATAFORM_EMULATOR_HOST: pinned.url });
      expect(run.code, explain(run)).toBe(2);
      expect(run.stderr).toContain('no lock was taken and nothing was written');
      expect(run.stderr).toContain('Invalid var date_tokens: it replaces game_date, lookback_days and lock_token');
      expect(run.stdout).toBe('');
      expect((await stack.firestoreClient().collection('grading_locks').doc(`grading_${DATE}`).get()).exists).toBe(false);
      expect(pinned.state.invocationList()).toEqual([]);
    } finally {
      await pinned.stop();
    }
  }, 300_000);
});

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

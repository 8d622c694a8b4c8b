/**
 * Backfills as one locked run each, with real processes on real emulators (BigQuery's per-table limits on):
 *  - an 8-date backfill, a second overlapping backfill and a scheduled run of a date inside both, all at once: both
 *    backfills finish (no deadlock: leases are taken in date order), every business key of every date exactly once,
 *    no date lost, no run past its retry bound, no grading_runs row left `running`, every lock released;
 *  - the runner under the emulator's limits: a full DML queue on grading_write_fence (with each executor: the dataform
 *    CLI and the Dataform API) and a view past its metadata update rate, each met by a real run, which reruns with
 *    backoff and succeeds, the reason in its summary and JSON;
 *  - a run killed mid-`dataform run` (its whole process group, kill -9) leaves its grading_runs row `running`; the
 *    next locked run of the date, once the killed run's lease expired, closes it as `abandoned`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDataformApi } from '../../src/runner/executors/local-dataform-api.ts';
import { DistributedLock } from '../../src/lock/index.ts';
import { createLogger } from '../../src/log/logger.ts';
import { addDays } from '../../src/runner/dates.ts';
import { DEFAULT_RETRY_POLICY } from '../../src/runner/retryable.ts';
import { assertionDatasetFor } from '../../src/runner/run-id.ts';
import { findDuplicateKeys } from '../../src/warehouse/duplicates.ts';
import type { Season } from '../../tools/synthetic/season.ts';
import { fillMetadataWindow } from '../helpers/metadata-window.ts';
import { loadTestSeason, logEvents, runCommandProcess, spawnCommand, startRunnerStack, type RunnerStack, explainWarnings, STACK_SETUP_TIMEOUT_MS } from './stack.ts';

const START = '2026-01-01';
// Few dates: the claims (no deadlock between overlapping backfills, every key once, one locked run each) need
// overlapping ranges, not long ones, and every date is DuckDB work in this process and the dataform run's.
const DAYS = 12;
const date = (i: number) => addDays(START, i);
const A = { from: date(0), to: date(7) }; // 8 dates
const B = { from: date(4), to: date(11) }; // overlaps A's last 4
const SCHEDULED = date(6); // inside both
const MAX_ATTEMPTS = 1 + DEFAULT_RETRY_POLICY.retries;
let stack: RunnerStack;
let season: Season;
const quiet = createLogger('test', { level: 'ERROR' });

const explain = explainWarnings;
const env = () => ({ ...stack.env, GRADEGUARD_RETRY_BACKOFF: '500ms' });

function expectedKeys(d: string): string[] {
  return [...new Set(season.predictions.filter((p) => p.game_date === d).map((p) => `${p.game_id}|${p.player_lookup}|${p.system_id}|${p.current_points_line}`))].sort();
}

beforeAll(async () => {
  stack = await startRunnerStack();
  season = await loadTestSeason(stack, { seed: 16, dates: DAYS, players: 8, systems: 1, teams: 4, gamesPerDate: 2, startDate: START, revisionRate: 0 });
}, STACK_SETUP_TIMEOUT_MS);
afterAll(async () => stack?.stop());

describe('backfills as one locked run', () => {
  it('two overlapping backfills and a scheduled run at once: both finish, every key exactly once, no date lost', async () => {
    const [a, b, scheduled] = await Promise.all([
      runCommandProcess('grade', ['--from', A.from, '--to', A.to, '--json'], env()),
      runCommandProcess('grade', ['--from', B.from, '--to', B.to, '--json'], env()),
      runCommandProcess('grade', ['--date', SCHEDULED, '--if-locked', 'skip', '--json'], env()),
    ]);
    for (const r of [a, b, scheduled]) expect(r.code, explain(r)).toBe(0);
    const [sa, sb, ss] = [a, b, scheduled].map((r) => JSON.parse(r.stdout));
    // One locked run per backfill (8 dates each fit one batch), each within its retry bound.
    expect(sa).toMatchObject({ runs: 1 });
    expect(sb).toMatchObject({ runs: 1 });
    expect(new Set(sa.dates.map((d: { runId: string }) => d.runId)).size).toBe(1);
    for (const s of [sa, sb]) {
      expect(
        s.dates.every((d: { status: string }) => d.status === 'succeeded'),
        JSON.stringify(s.dates.filter((d: { status: string }) => d.status !== 'succeeded')),
      ).toBe(true);
      expect(s.dataformAttempts).toBeLessThanOrEqual(MAX_ATTEMPTS);
      for (const d of s.dates) expect(d.dataformAttempts).toBeGreaterThanOrEqual(1);
    }
    // The scheduled run either found the date held by a backfill (skipped: it is being graded) or graded it itself.
    expect(['skipped', 'succeeded']).toContain(ss.dates[0].status);
    expect(ss.dataformAttempts).toBeLessThanOrEqual(MAX_ATTEMPTS);
    // The summary table names the attempts (text mode) too: checked on the JSON's fields here, the table in options.

    const dates = Array.from({ length: DAYS }, (_, i) => date(i));
    const graded = await stack.rows(
      `SELECT CAST(game_date AS STRING) AS d, game_id, player_lookup, system_id, line_value FROM ${stack.table('prediction_accuracy')}
       WHERE game_date BETWEEN @from AND @to`,
      { from: stack.bq.client.date(dates[0]), to: stack.bq.client.date(dates.at(-1)!) },
    );
    const byDate = new Map<string, string[]>();
    for (const r of graded) byDate.set(r.d, [...(byDate.get(r.d) ?? []), `${r.game_id}|${r.player_lookup}|${r.system_id}|${r.line_value}`]);
    for (const d of dates) {
      expect(expectedKeys(d).length, d).toBeGreaterThan(0);
      expect((byDate.get(d) ?? []).sort(), `keys of ${d}`).toEqual(expectedKeys(d));
    }
    for (const table of ['prediction_accuracy', 'system_daily_performance', 'performance_summary']) {
      expect(await findDuplicateKeys(stack.bq.client, stack.target, table, dates), table).toEqual([]);
    }
    const running = await stack.rows(`SELECT run_id FROM ${stack.table('grading_runs')} WHERE status = 'running'`);
    expect(running).toEqual([]);
    // A generous deadline for the listing: on a loaded machine the emulator took more than the default 10 s.
    const lock = new DistributedLock({ lockType: 'grading', firestore: stack.firestoreClient(), leaseMs: 30_000, maxWaitMs: 0, operationTimeoutMs: 120_000, logger: quiet });
    expect(await lock.list()).toEqual([]);
  }, 600_000);
});

describe('the runner under BigQuery limits', () => {
  const limits = () => stack.bq.emulator.engine.limits;

  it.each(['cli', 'dataform-api'] as const)(
    'a full DML queue on grading_write_fence: the run reruns with backoff and succeeds (dml_outstanding in its JSON), %s executor',
    async (executor) => {
      // The Dataform API executor reruns a failed invocation as a new compilation and invocation, like a `dataform run`.
      const api = executor === 'dataform-api' ? await startLocalDataformApi({ bigquery: stack.target }) : undefined;
      const runEnv = api ? { ...env(), GRADEGUARD_EXECUTOR: executor, DATAFORM_EMULATOR_HOST: api.url, GRADEGUARD_DATAFORM_REPOSITORY: api.repository } : env();
      try {
        // 2 running + 20 queued statements hold the fence table's queue until the run has met the error once (each
        // queued place is released as soon as it gets to run).
        const places = Array.from({ length: 22 }, () => limits().admitMutatingDml(stack.target.projectId, `${stack.target.dataset}.grading_write_fence`));
        const run = spawnCommand('grade', ['--date', date(executor === 'cli' ? 5 : 8), '--json'], runEnv);
        try {
          for (let i = 0; i < 600 && !logEvents(run.stderr()).some((e) => e.event === 'dataform_retry') && run.child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 500));
        } finally {
          for (const place of places) void place.then((release) => release());
        }
        const done = await run.done;
        expect(done.code, explain(done)).toBe(0);
        const result = JSON.parse(done.stdout).dates[0];
        expect(result).toMatchObject({ status: 'succeeded' });
        expect(result.retryReasons).toContain('dml_outstanding');
        expect(result.dataformAttempts).toBeGreaterThanOrEqual(2);
        expect(result.dataformAttempts).toBeLessThanOrEqual(MAX_ATTEMPTS);
        if (api) {
          // One invocation per attempt: each rerun attempt's invocation FAILED, the last SUCCEEDED. The grade's own
          // invocations come first; after them the refresh of the later dates' summaries (its own runs) succeeds.
          const finished = logEvents(done.stderr)
            .filter((e) => e.event === 'dataform_invocation_finished')
            .map((e) => e.state);
          const own = result.retryReasons.length + 1;
          expect(finished.slice(0, own)).toEqual([...result.retryReasons.map(() => 'FAILED'), 'SUCCEEDED']);
          expect(
            finished.slice(own).every((state) => state === 'SUCCEEDED'),
            finished.join(','),
          ).toBe(true);
        }
      } finally {
        await api?.stop();
      }
    },
    400_000,
  );

  it('a view past its metadata update rate: the run reruns until the window passes and succeeds (rate_limited)', async () => {
    // The run's own assertion views (its date's assertion dataset) are the views a run still replaces (the project's
    // views are deployed once). Other updates keep one's 10-second window full until the run has been refused once.
    const D = date(0);
    const [viewDataset, viewName] = [assertionDatasetFor(stack.target.assertionDataset, D, 'grading'), 'assert_prediction_accuracy_unique_key'];
    const view = `${viewDataset}.${viewName}`;
    // The view must exist before the run (a view's first creation starts a fresh window, as in BigQuery). Backfill A
    // above created it (D is its batch's first date); this test run alone grades D once first.
    const [exists] = await stack.bq.client.dataset(viewDataset).table(viewName).exists();
    if (!exists) {
      const first = await runCommandProcess('grade', ['--date', D], env());
      expect(first.code, explain(first)).toBe(0);
    }
    const run = spawnCommand('grade', ['--date', D], env());
    for (let i = 0; i < 1200 && !logEvents(run.stderr()).some((e) => e.event === 'dataform_retry') && run.child.exitCode === null; i++) {
      fillMetadataWindow(limits(), view);
      await new Promise((r) => setTimeout(r, 250));
    }
    const done = await run.done;
    expect(done.code, explain(done)).toBe(0);
    // Text mode: the summary table's attempts column names the reason.
    expect(done.stdout).toMatch(/\| \d \(rate_limited\)\s+\| succeeded/);
    expect(logEvents(done.stderr).some((e) => e.event === 'dataform_retry' && e.reason === 'rate_limited' && /Exceeded rate limits: too many table update operations for this table/.test(e.error))).toBe(true);
  }, 300_000);
});

describe('a killed run', () => {
  it('leaves its grading_runs row running until the next locked run of the date closes it as abandoned', async () => {
    const D = date(7);
    const killed = spawnCommand('grade', ['--date', D, '--lease', '3s', '--json'], env(), { detached: true });
    let runId: string | undefined;
    for (let i = 0; i < 600 && !runId; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const [row] = await stack.rows(`SELECT run_id FROM ${stack.table('grading_runs')} WHERE status = 'running' AND @d IN UNNEST(game_dates)`, { d: stack.bq.client.date(D) });
      runId = row?.run_id;
    }
    expect(runId, killed.stderr()).toBeDefined();
    process.kill(-killed.child.pid!, 'SIGKILL');
    await killed.done;
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await stack.rows(`SELECT status FROM ${stack.table('grading_runs')} WHERE run_id = @id`, { id: runId }))[0].status).toBe('running');

    // The next run waits out the killed run's 3 s lease, then closes its row.
    const next = await runCommandProcess('grade', ['--date', D, '--json'], env());
    expect(next.code, explain(next)).toBe(0);
    const [row] = await stack.rows(`SELECT status, error, finished_at FROM ${stack.table('grading_runs')} WHERE run_id = @id`, { id: runId });
    expect(row).toMatchObject({ status: 'abandoned' });
    expect(row.error).toMatch(/lease ended without a final status/);
    expect(row.finished_at).not.toBeNull();
    expect(logEvents(next.stderr).some((e) => e.event === 'runs_abandoned_closed' && e.closed === 1)).toBe(true);
  }, 300_000);
});

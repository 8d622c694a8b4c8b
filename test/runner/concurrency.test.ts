/**
 * The incident and its fix, with real processes on real emulators:
 *  - the seed's write path (DELETE job, then INSERT job, no lock) run as "scheduled" and "backfill" at once duplicates
 *    every key of the date;
 *  - concurrent `grade` processes (4 with the CLI executor: scheduled-style single dates, backfill-style ranges; 2 overlapping ranges through the API) leave zero duplicate keys,
 *    every expected key exactly once, and aggregates equal to a from-scratch recomputation — with each executor: the
 *    local dataform CLI, and the Dataform API (every process a client of one local Dataform API stand-in);
 *  - `--no-lock` runs at once still leave no duplicates (the atomic write alone), and grading_runs shows they overlapped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataformApi } from '../../emulator/dataform-api/index.ts';
import { startLocalDataformApi } from '../../src/runner/executors/local-dataform-api.ts';
import { findDuplicateKeys } from '../../src/warehouse/duplicates.ts';
import { repoRoot, runDataform } from '../../src/warehouse/dataform-cli.ts';
import type { Season } from '../../tools/synthetic/season.ts';
import { gradeDateUnsafe } from '../../tools/synthetic/unsafe-grading.ts';
import { loadTestSeason, logEvents, runCommandProcess, startRunnerStack, type Finished, type RunnerStack, STACK_SETUP_TIMEOUT_MS } from './stack.ts';

const [D1, D2, D3, D4, D5] = ['2026-01-10', '2026-01-11', '2026-01-12', '2026-01-13', '2026-01-14'];
const STORM_DATES = [D1, D2, D3, D4];
const GRADED_TABLES = ['prediction_accuracy', 'system_daily_performance', 'performance_summary'];
let stack: RunnerStack;
let season: Season;

/** Distinct prediction_accuracy business keys a complete grading of the date has. */
function expectedKeys(date: string): Set<string> {
  return new Set(season.predictions.filter((p) => p.game_date === date).map((p) => `${p.game_id}|${p.player_lookup}|${p.system_id}|${p.current_points_line}`));
}

async function duplicateKeys(dates: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of GRADED_TABLES) out[table] = (await findDuplicateKeys(stack.bq.client, stack.target, table, dates)).length;
  return out;
}

const explain = (results: Finished[]) =>
  results
    .map(
      (r, i) =>
        `#${i} exit ${r.code}\n${r.stdout}\n${r.stderr
          .split('\n')
          .filter((l) => /"severity":"(WARNING|ERROR|CRITICAL)"/.test(l))
          .slice(0, 5)
          .join('\n')}`,
    )
    .join('\n');

beforeAll(async () => {
  stack = await startRunnerStack();
  season = await loadTestSeason(stack, { seed: 61, dates: 5, players: 24, systems: 2, teams: 8, gamesPerDate: 4, startDate: D1 });
}, STACK_SETUP_TIMEOUT_MS);
afterAll(async () => stack?.stop());

describe('the incident, reproduced with the seed write path', () => {
  it('scheduled + backfill DELETE/INSERT overlapping on a date: every key of the date twice', async () => {
    const pause = { pauseBetweenMs: 1_500 };
    const [scheduled, backfill] = await Promise.all([
      gradeDateUnsafe(stack.bq.client, stack.target, D1, { runId: 'unsafe-scheduled', ...pause }),
      gradeDateUnsafe(stack.bq.client, stack.target, D1, { runId: 'unsafe-backfill', ...pause }),
    ]);
    const keys = expectedKeys(D1).size;
    expect(scheduled.inserted).toBe(keys);
    expect(backfill.inserted).toBe(keys);
    const duplicates = await findDuplicateKeys(stack.bq.client, stack.target, 'prediction_accuracy', [D1]);
    expect(duplicates).toHaveLength(keys);
    expect(new Set(duplicates.map((d) => d.occurrenceCount))).toEqual(new Set([2]));
  }, 180_000);
});

describe('the fix: the incident repaired', () => {
  it('a first sequential locked grade repairs the incident date (the atomic per-date replace)', async () => {
    // The incident date alone: the storms below grade the other dates from nothing and over each other.
    const first = await runCommandProcess('grade', ['--date', D1, '--json'], stack.env);
    expect(first.code, explain([first])).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.dates.map((d: { date: string; status: string }) => [d.date, d.status])).toEqual([[D1, 'succeeded']]);
    expect(await duplicateKeys([D1])).toEqual({ prediction_accuracy: 0, system_daily_performance: 0, performance_summary: 0 });
    const [count] = await stack.rows(`SELECT COUNT(*) AS n FROM ${stack.table('prediction_accuracy')} WHERE game_date = @d`, { d: stack.bq.client.date(D1) });
    expect(count.n).toBe(expectedKeys(D1).size);
  }, 600_000);
});

const EXECUTORS = ['cli', 'dataform-api'] as const;

describe.each(EXECUTORS)('the fix: locked grade processes, %s executor', (executor) => {
  // The Dataform API executor: one stand-in shared by every process, as one Dataform repository is in production.
  let api: DataformApi | undefined;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    env = stack.env;
    if (executor === 'cli') return;
    api = await startLocalDataformApi({ bigquery: stack.target });
    env = { ...env, GRADEGUARD_EXECUTOR: executor, DATAFORM_EMULATOR_HOST: api.url, GRADEGUARD_DATAFORM_REPOSITORY: api.repository };
  }, 60_000);
  afterAll(async () => api?.stop());

  it('concurrent processes over overlapping dates (4 with the CLI, 2 through the API): zero duplicates, every key once, aggregates as from scratch', async () => {
    // Each process costs a Node start and a dataform compile (5-8 CPU-s), so the storm is as small as still overlaps
    // every way the incident did: a scheduled run that skips a held date, ranges that overlap each other, and a
    // `--dates` list that waits for both; every date is in two to three of them, D1 only in a range that waits.
    // Through the Dataform API, the two overlapping ranges alone: what it adds is many processes' invocations in one
    // stand-in (each date in one or both, D2 and D3 contended); the skip and the list are the CLI storm's.
    const invocations: string[][] = [
      ...(executor === 'cli' ? [['--date', D3, '--if-locked', 'skip']] : []),
      ['--from', D1, '--to', D3, '--parallel', '2'],
      ['--from', D2, '--to', D4, '--parallel', '2'],
      ...(executor === 'cli' ? [['--dates', `${D4},${D2}`]] : []),
    ];
    const results = await Promise.all(invocations.map((args) => runCommandProcess('grade', [...args, '--json'], env)));
    expect(
      results.map((r) => r.code),
      explain(results),
    ).toEqual(invocations.map(() => 0));
    const perDate = results.flatMap((r) => JSON.parse(r.stdout).dates as Array<{ date: string; status: string; runId: string }>);
    // Scheduled-style runs may skip a date a backfill holds; every date was graded by someone in the storm.
    for (const date of STORM_DATES) expect(perDate.filter((d) => d.date === date && d.status === 'succeeded').length).toBeGreaterThan(0);
    expect(perDate.every((d) => d.status === 'succeeded' || d.status === 'skipped')).toBe(true);

    expect(await duplicateKeys(STORM_DATES)).toEqual({ prediction_accuracy: 0, system_daily_performance: 0, performance_summary: 0 });
    for (const date of STORM_DATES) {
      const rows = await stack.rows(`SELECT game_id, player_lookup, system_id, line_value FROM ${stack.table('prediction_accuracy')} WHERE game_date = @d`, {
        d: stack.bq.client.date(date),
      });
      const keys = rows.map((r) => `${r.game_id}|${r.player_lookup}|${r.system_id}|${r.line_value}`);
      expect(keys.length).toBe(expectedKeys(date).size);
      expect(new Set(keys)).toEqual(expectedKeys(date));
    }
    // Every run of the storm left a grading_runs row.
    const runs = await stack.rows(`SELECT run_id, status FROM ${stack.table('grading_runs')}`);
    const byId = new Map(runs.map((r) => [r.run_id, r.status]));
    for (const d of perDate) expect(byId.get(d.runId), d.runId).toBe(d.status);

    if (api) {
      // Every process's runs went through the one stand-in: each invocation a process created is there, and each one
      // that did not succeed was a transient failure its process reran (a concurrent-update abort), none left behind.
      const states = new Map(api.state.invocationList().map((i) => [i.name, i.state]));
      const events = results.flatMap((r) => logEvents(r.stderr));
      const created = events.filter((e) => e.event === 'dataform_invocation_created').map((e) => e.invocation as string);
      expect(created.length).toBeGreaterThan(0);
      expect(new Set(created).size).toBe(created.length);
      expect(created.map((name) => states.get(name)).filter((state) => state !== 'SUCCEEDED' && state !== 'FAILED')).toEqual([]);
      expect(created.filter((name) => states.get(name) === 'FAILED').length).toBe(events.filter((e) => e.event === 'dataform_retry').length);
    }

    // Runs that graded an earlier date than another's refreshed the later summaries (summary-refresh.ts), so the
    // from-scratch equality holds whatever order the storm committed in.
    await expectEqualToFromScratch();
  }, 1_200_000);
});

describe('bare runs', () => {
  it('--no-lock runs at once on a fresh date: no duplicates (atomic write alone) and grading_runs shows the overlap', async () => {
    const results = await Promise.all([1, 2, 3].map(() => runCommandProcess('grade', ['--date', D5, '--no-lock', '--json'], stack.env)));
    expect(
      results.map((r) => r.code),
      explain(results),
    ).toEqual([0, 0, 0]);
    for (const r of results) expect(logEvents(r.stderr).some((e) => e.event === 'running_without_lock' && e.severity === 'WARNING')).toBe(true);
    expect(await duplicateKeys([D5])).toEqual({ prediction_accuracy: 0, system_daily_performance: 0, performance_summary: 0 });
    const [count] = await stack.rows(`SELECT COUNT(*) AS n FROM ${stack.table('prediction_accuracy')} WHERE game_date = @d`, { d: stack.bq.client.date(D5) });
    expect(count.n).toBe(expectedKeys(D5).size);
    const runIds = results.map((r) => JSON.parse(r.stdout).dates[0].runId);
    const runs = await stack.rows(
      `SELECT run_id, lock_token, status, UNIX_MILLIS(started_at) AS started, UNIX_MILLIS(finished_at) AS finished FROM ${stack.table('grading_runs')} WHERE run_id IN UNNEST(@ids)`,
      { ids: runIds },
    );
    expect(runs.map((r) => [r.lock_token, r.status])).toEqual([0, 0, 0].map(() => [0, 'succeeded']));
    // The audit shows three unlocked (token 0) runs of the same date; their own logs show their dataform runs overlapped.
    expect(new Set(runs.map((r) => r.run_id)).size).toBe(3);
    const spans = results.map((r) => {
      const events = logEvents(r.stderr);
      const times = (name: string) => events.filter((e) => e.event === name).map((e) => Date.parse(e.time));
      return [Math.min(...times('dataform_started')), Math.max(...times('dataform_finished'))];
    });
    const overlapping = spans.filter((a, i) => spans.some((b, j) => i !== j && a[0] < b[1] && b[0] < a[1]));
    expect(overlapping.length).toBeGreaterThanOrEqual(2);
  }, 300_000);
});

/**
 * The from-scratch run's rows, computed once: grading never changes its sources (predictions, box scores), so every
 * storm of the file is compared with the same recomputation.
 */
let fromScratch: Promise<Map<string, string[]>> | undefined;

/** The storm's tables equal a single from-scratch run of the same sources in a scratch dataset. */
async function expectEqualToFromScratch(): Promise<void> {
  fromScratch ??= recomputeFromScratch('scratch_recompute');
  const expected = await fromScratch;
  for (const [table, dateColumn] of GRADED_TABLE_DATES) {
    const ours = await readGraded(stack.target.dataset, table, dateColumn);
    expect(ours.length, table).toBeGreaterThan(0);
    expect(ours, table).toEqual(expected.get(table));
  }
}

const GRADED_TABLE_DATES = [
  ['prediction_accuracy', 'game_date'],
  ['system_daily_performance', 'game_date'],
  ['performance_summary', 'summary_date'],
] as const;

/** A table's rows of D1..D4 as comparable strings, without what differs by run (run id, token, timestamps). */
async function readGraded(dataset: string, table: string, dateColumn: string): Promise<string[]> {
  const strip = ['graded_at', 'computed_at', 'run_id', 'lock_token'];
  const rows = await stack.rows(`SELECT * FROM \`${stack.target.projectId}.${dataset}.${table}\` WHERE ${dateColumn} BETWEEN @a AND @b`, {
    a: stack.bq.client.date(D1),
    b: stack.bq.client.date(D4),
  });
  // Floats to 12 significant digits: the aggregates' sums run in a different order in one multi-date run (last-ulp differences).
  const value = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v);
  return rows
    .map((r) =>
      JSON.stringify(
        Object.fromEntries(
          Object.entries(r)
            .filter(([k]) => !strip.includes(k))
            .map(([k, v]) => [k, value(v)]),
        ),
      ),
    )
    .sort();
}

/** One `dataform run` of everything over copies of the sources in a scratch dataset; its rows by table. */
async function recomputeFromScratch(scratch: string): Promise<Map<string, string[]>> {
  await stack.bq.client.createDataset(scratch);
  for (const table of ['player_prop_predictions', 'player_game_summary']) {
    await stack.bq.client.query(`CREATE TABLE \`${stack.target.projectId}.${scratch}.${table}\` AS SELECT * FROM ${stack.table(table)}`);
  }
  const run = await runDataform(
    [
      'run',
      '.',
      '--tags',
      // From scratch includes the deploy (views, pipeline tables), which the runs of the storm find already done.
      'deploy',
      'grading',
      'reporting',
      `--vars=game_date=${D4},lookback_days=3,run_id=scratch,lock_token=0,operation=scratch`,
      `--default-schema=${scratch}`,
      `--assertion-schema=${scratch}_assertions`,
    ],
    { projectDir: repoRoot, target: stack.target, timeoutMs: 240_000 },
  );
  expect(run.code, run.stderr).toBe(0);
  const rows = new Map<string, string[]>();
  for (const [table, dateColumn] of GRADED_TABLE_DATES) rows.set(table, await readGraded(scratch, table, dateColumn));
  return rows;
}

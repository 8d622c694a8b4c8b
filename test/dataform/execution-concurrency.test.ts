/**
 * Two `dataform run`s of the same date at once, each in its own OS process (the CLI child processes), without any
 * lock (token 0): the incident's situation. The fenced per-date transaction must leave exactly one complete set of
 * rows: BigQuery (and the emulator) abort one of two overlapping transactions at COMMIT ("Transaction is aborted due
 * to concurrent update"); if the runs do not overlap, the second simply replaces the first. Either way no key may be
 * duplicated, and a failed run may only have failed with that abort. Each run has three fenced transactions, so both
 * runs can lose one race each; the runner then retries, and the retry must complete the date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.ts';
import { generateSeason, loadSeason, type Season } from '../../tools/synthetic/season.ts';
import { DATASET, GRADING_TAGS, output, startExecutionStack, type ExecutionStack } from './execution-stack.ts';

const log = createLogger('execution-concurrency');
const DATE = '2026-01-20';
let stack: ExecutionStack;
let season: Season;

/** Distinct business keys of the date's latest predictions: the rows a complete grading of the date has. */
function expectedKeys(): number {
  const keys = new Set(season.predictions.filter((p) => p.game_date === DATE).map((p) => `${p.game_id}|${p.player_lookup}|${p.system_id}|${p.current_points_line}`));
  return keys.size;
}

/** No business key of the date appears twice, in prediction_accuracy or either aggregate. */
async function expectNoDuplicateKeys(): Promise<void> {
  const duplicates = await stack.rows(
    `SELECT 'prediction_accuracy' AS t FROM ${stack.table('prediction_accuracy')} WHERE game_date = '${DATE}' GROUP BY game_id, player_lookup, system_id, line_value HAVING COUNT(*) > 1
     UNION ALL SELECT 'system_daily_performance' FROM ${stack.table('system_daily_performance')} WHERE game_date = '${DATE}' GROUP BY system_id HAVING COUNT(*) > 1
     UNION ALL SELECT 'performance_summary' FROM ${stack.table('performance_summary')} WHERE summary_date = '${DATE}' GROUP BY system_id, window_name HAVING COUNT(*) > 1`,
  );
  expect(duplicates).toEqual([]);
}

/** The date's rows are complete: every key graded once, by one run, and both aggregates cover every system. */
async function expectCompleteRows(writers: string[]): Promise<void> {
  const accuracy = stack.table('prediction_accuracy');
  const [counts] = await stack.rows(`SELECT COUNT(*) AS n, COUNT(DISTINCT run_id) AS writers, MAX(run_id) AS writer FROM ${accuracy} WHERE game_date = '${DATE}'`);
  expect({ n: counts.n, writers: counts.writers }).toEqual({ n: expectedKeys(), writers: 1 });
  expect(writers).toContain(counts.writer);
  const daily = await stack.rows(`SELECT system_id, predictions FROM ${stack.table('system_daily_performance')} WHERE game_date = '${DATE}'`);
  expect(daily).toHaveLength(season.systemIds.length);
  expect(daily.reduce((sum, row) => sum + row.predictions, 0)).toBe(expectedKeys());
  const [summary] = await stack.rows(`SELECT COUNT(*) AS n FROM ${stack.table('performance_summary')} WHERE summary_date = '${DATE}'`);
  expect(summary.n).toBe(season.systemIds.length * 3);
}

async function raceAndCheck(round: string): Promise<void> {
  const runIds = [`${round}-a`, `${round}-b`];
  const results = await Promise.all(runIds.map((run_id) => stack.run(GRADING_TAGS, { game_date: DATE, run_id })));
  log.info('concurrent runs finished', { round, exits: results.map((r) => r.code), ms: results.map((r) => Math.round(r.durationMs)) });
  // A run that failed failed only with the concurrent-update abort (never a duplicate, a fence or a SQL error) ...
  for (const r of results.filter((x) => x.code !== 0)) {
    expect(r.stderr).toMatch(/Transaction is aborted due to concurrent update/);
    expect(r.stderr).not.toMatch(/gradeguard_fence_rejected|Assertion failed/);
  }
  // ... and whatever committed, no key is duplicated.
  await expectNoDuplicateKeys();
  const writers = [...runIds];
  if (results.every((r) => r.code !== 0)) {
    // Each run lost one race (say one's grading, the other's aggregate): the runner retries an aborted run.
    const retry = await stack.run(GRADING_TAGS, { game_date: DATE, run_id: `${round}-retry` });
    expect(retry.code, output(retry)).toBe(0);
    writers.push(`${round}-retry`);
  }
  await expectCompleteRows(writers);
  const audit = await stack.rows(`SELECT processor FROM ${stack.table('grading_duplicate_audit')} WHERE run_id LIKE '${round}-%'`);
  expect(audit).toEqual([]);
}

beforeAll(async () => {
  // Every BigQuery limit on: the project's views are deployed once (startExecutionStack), so concurrent runs no longer
  // replace them and spend no table's metadata update rate on them (test/runner/deploy-once.test.ts).
  stack = await startExecutionStack();
  season = generateSeason({ seed: 20, dates: 1, players: 600, systems: 8, startDate: DATE, gamesPerDate: 15 });
  await loadSeason(stack.bq.client, DATASET, season);
}, 120_000);

afterAll(async () => {
  await stack?.bq.stop();
});

describe('two concurrent dataform runs of one date, separate processes, no lock', () => {
  it('on a date with no rows yet: never a duplicate key; any failure is the abort; complete (after the runner retry if both aborted)', async () => {
    await raceAndCheck('fresh');
  }, 240_000);

  it('on a date already graded: the same', async () => {
    await raceAndCheck('regrade');
  }, 240_000);
});

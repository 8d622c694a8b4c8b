/**
 * performance_summary of a date aggregates the 7d/30d/season windows ending on it (definitions/reporting/
 * performance_summary.sqlx), so re-grading an earlier date changes the summaries of the later dates of its season
 * (issue 20, a chaos finding). A real `grade` of two dates, then the actuals of the first change and it alone is graded
 * again: the second date's summary must equal the windows recomputed here by hand from prediction_accuracy.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadTestSeason, runCommandProcess, startRunnerStack, type Finished, type RunnerStack, STACK_SETUP_TIMEOUT_MS } from '../runner/stack.ts';

const [D1, D2] = ['2026-01-20', '2026-01-21'];
let stack: RunnerStack;

beforeAll(async () => {
  stack = await startRunnerStack();
  await loadTestSeason(stack, { seed: 21, dates: 2, players: 12, systems: 2, teams: 4, gamesPerDate: 2, startDate: D1 });
}, STACK_SETUP_TIMEOUT_MS);
afterAll(async () => stack?.stop());

const explain = (r: Finished) => `exit ${r.code}\n${r.stdout}\n${r.stderr.slice(-3_000)}`;

interface Window {
  system_id: string;
  window_name: string;
  graded: number;
  abs_error: number;
}

/** D2's summary as stored, and as computed here from prediction_accuracy (no duplicates in this season). */
async function summaryOfD2(): Promise<{ stored: Window[]; expected: Window[] }> {
  const stored = await stack.rows<Window>(
    `SELECT system_id, window_name, graded, ROUND(mae * graded, 6) AS abs_error FROM ${stack.table('performance_summary')}
     WHERE summary_date = DATE '${D2}' ORDER BY system_id, window_name`,
  );
  // 7d, 30d and season (from October 1) windows ending on D2 all cover D1 and D2 here.
  const expected = await stack.rows<Window>(
    `SELECT system_id, window_name, COUNT(actual_points) AS graded, ROUND(SUM(absolute_error), 6) AS abs_error
     FROM ${stack.table('prediction_accuracy')} CROSS JOIN UNNEST(['30d', '7d', 'season']) AS window_name
     WHERE game_date BETWEEN DATE '${D1}' AND DATE '${D2}' GROUP BY system_id, window_name ORDER BY system_id, window_name`,
  );
  return { stored, expected };
}

test('re-grading an earlier date refreshes the summaries of the later dates whose windows cover it', async () => {
  const first = await runCommandProcess('grade', ['--dates', `${D1},${D2}`, '--json'], stack.env);
  expect(first.code, explain(first)).toBe(0);
  const before = await summaryOfD2();
  expect(before.stored.length).toBeGreaterThan(0);
  expect(before.stored).toEqual(before.expected);

  // New actuals for D1 (a box score corrected): its grade changes, and with it every window of D2.
  await stack.rows(`UPDATE ${stack.table('player_game_summary')} SET points = points + 7 WHERE game_date = DATE '${D1}'`);
  const regrade = await runCommandProcess('grade', ['--date', D1, '--json'], stack.env);
  expect(regrade.code, explain(regrade)).toBe(0);
  const after = await summaryOfD2();
  expect(after.expected).not.toEqual(before.expected);
  expect(after.stored).toEqual(after.expected);
  // Every summary row of D2 carries the token its date's fence holds (the refresh wrote it under D2's lock).
  const offFence = await stack.rows(
    `SELECT s.lock_token, f.max_lock_token FROM ${stack.table('performance_summary')} AS s
     LEFT JOIN ${stack.table('grading_write_fence')} AS f ON f.game_date = s.summary_date AND f.table_name = 'performance_summary'
     WHERE s.summary_date = DATE '${D2}' AND (f.max_lock_token IS NULL OR f.max_lock_token != s.lock_token)`,
  );
  expect(offFence).toEqual([]);
}, 420_000);

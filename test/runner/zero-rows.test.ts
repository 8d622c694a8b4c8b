/**
 * A date graded into nothing is not a success (issue 18): the real `grade` of a date without predictions exits 8
 * with a message and a graded_zero_rows alert (it exited 0 without a word); a date with rows still exits 0.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadTestSeason, logEvents, runCommandProcess, startRunnerStack, type RunnerStack, STACK_SETUP_TIMEOUT_MS } from './stack.ts';

const GAME_DAY = '2026-03-02';
const NO_GAMES = '2026-03-09';
let stack: RunnerStack;
beforeAll(async () => {
  stack = await startRunnerStack();
  await loadTestSeason(stack, { seed: 5, dates: 1, players: 12, systems: 2, teams: 4, gamesPerDate: 2, startDate: GAME_DAY });
}, STACK_SETUP_TIMEOUT_MS);
afterAll(async () => stack?.stop());

test('grade of a date with no rows to write: exit 8, status zero_rows, said on stdout and as an alert', async () => {
  const [empty, full] = await Promise.all([runCommandProcess('grade', ['--date', NO_GAMES, '--json'], stack.env), runCommandProcess('grade', ['--date', GAME_DAY, '--json'], stack.env)]);
  expect(empty.code, empty.stderr.slice(-2_000)).toBe(8);
  const result = JSON.parse(empty.stdout);
  expect(result).toMatchObject({ exitCode: 8, dates: [{ date: NO_GAMES, status: 'zero_rows', rows: 0, exitCode: 8 }] });
  expect(result.dates[0].error).toContain(`grading of ${NO_GAMES} succeeded but prediction_accuracy has 0 rows for the date`);
  const alerts = logEvents(empty.stderr).filter((e) => e.event === 'alert');
  expect(alerts.map((a) => [a.alert_kind, a.severity, a.game_date])).toEqual([['graded_zero_rows', 'ERROR', NO_GAMES]]);
  expect(alerts[0].next_step).toContain(`npm run grade -- --date ${NO_GAMES}`);

  expect(full.code, full.stderr.slice(-2_000)).toBe(0);
  expect(JSON.parse(full.stdout).dates[0]).toMatchObject({ status: 'succeeded', exitCode: 0 });
  expect(JSON.parse(full.stdout).dates[0].rows).toBeGreaterThan(0);
}, 240_000);

test('the table, without --json, names the status and the reason', async () => {
  const r = await runCommandProcess('grade', ['--date', NO_GAMES], stack.env);
  expect(r.code).toBe(8);
  expect(r.stdout).toMatch(new RegExp(`\\| ${NO_GAMES} .*\\| zero_rows `));
  expect(r.stdout).toContain('prediction_accuracy has 0 rows for the date: nothing to grade (no predictions, or no actuals loaded yet?)');
  expect(r.stdout).toContain('exit 8');
}, 240_000);

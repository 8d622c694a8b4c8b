/**
 * A Dataform assertion that fails during a real `grade`: a prediction with confidence_score 1.5 is graded into
 * prediction_accuracy, whose row-conditions assertion (confidence_score BETWEEN 0 AND 1) fails. The run exits 3 with
 * status assertion_failed, the failing assertion and its rows (read from the assertion view) are in the result, the
 * grading_runs row and the alert; the two dates are one locked run (one grading_runs row, assertion_failed), and the
 * date the failing rows do not belong to is reported succeeded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictionRow, Season } from '../../tools/synthetic/season.ts';
import { loadTestSeason, logEvents, runCommandProcess, startRunnerStack, type Finished, type RunnerStack, STACK_SETUP_TIMEOUT_MS } from './stack.ts';

const [CLEAN, BROKEN] = ['2026-02-20', '2026-02-21'];
// One run for both dates: its assertion dataset is named after its first date.
const ASSERTION = 'nba_predictions_assertions_d20260220.assert_prediction_accuracy_row_conditions';
let stack: RunnerStack;
let season: Season;

const explain = (r: Finished) => `exit ${r.code}\n${r.stdout}\n${r.stderr.slice(-3_000)}`;

beforeAll(async () => {
  stack = await startRunnerStack();
  season = await loadTestSeason(stack, { seed: 29, dates: 2, players: 20, systems: 2, teams: 4, gamesPerDate: 2, startDate: CLEAN });
}, STACK_SETUP_TIMEOUT_MS);
afterAll(async () => stack?.stop());

describe('an assertion fails during grade', () => {
  it('exit 3, status assertion_failed, the assertion and its failing row recorded; the clean date succeeds', async () => {
    // A prediction that is its key's latest version, so it is the one graded.
    const sameKey = (a: PredictionRow, b: PredictionRow) => a.game_id === b.game_id && a.player_lookup === b.player_lookup && a.system_id === b.system_id && a.current_points_line === b.current_points_line;
    const bad = season.predictions.find((p) => p.game_date === BROKEN && !season.predictions.some((q) => sameKey(p, q) && q.prediction_version > p.prediction_version))!;
    await stack.bq.client.query({
      query: `UPDATE ${stack.table('player_prop_predictions')} SET confidence_score = 1.5 WHERE prediction_id = @id`,
      params: { id: bad.prediction_id },
    });

    const run = await runCommandProcess('grade', ['--dates', `${CLEAN},${BROKEN}`, '--json'], stack.env);
    expect(run.code, explain(run)).toBe(3);
    const summary = JSON.parse(run.stdout);
    expect(summary.exitCode).toBe(3);
    const [clean, broken] = summary.dates;
    expect(clean).toMatchObject({ date: CLEAN, status: 'succeeded', exitCode: 0, failedAssertions: [] });
    expect(broken).toMatchObject({ date: BROKEN, status: 'assertion_failed', exitCode: 3, duplicateKeys: 0 });
    expect(broken.failedAssertions).toHaveLength(1);
    expect(broken.failedAssertions[0]).toMatchObject({ name: ASSERTION, rowCount: 1 });
    expect(broken.failedAssertions[0].sample[0]).toMatchObject({
      failed_condition: 'confidence_score BETWEEN 0 AND 1',
      game_id: bad.game_id,
      player_lookup: bad.player_lookup,
      system_id: bad.system_id,
    });

    expect(broken.failedAssertions[0].dates).toEqual([BROKEN]);
    expect(clean.runId).toBe(broken.runId);
    const runs = await stack.rows(`SELECT run_id, status, error, finished_at FROM ${stack.table('grading_runs')} WHERE run_id = @id`, { id: broken.runId });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'assertion_failed', error: `assertion failed: ${ASSERTION} (1 rows)` });
    expect(runs[0].finished_at).not.toBeNull();

    const alerts = logEvents(run.stderr).filter((e) => e.event === 'alert');
    expect(alerts.map((a) => [a.alert_kind, a.game_date])).toEqual([['assertion_failed', BROKEN]]);
    expect(alerts[0].counts).toEqual({ [ASSERTION]: 1 });
  }, 180_000);
});

/**
 * A date where no prediction has its actual yet: every COUNTIF over grading columns sees only NULLs. BigQuery's COUNTIF
 * returns 0 there (not NULL) and SAFE_DIVIDE / AVG return NULL; the aggregates must say "0 graded, no accuracy", not
 * fail and not invent a 0% accuracy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRows, type PredictionRow } from '../../tools/synthetic/season.ts';
import { DATASET, GRADING_TAGS, output, startExecutionStack, type ExecutionStack } from './execution-stack.ts';

const DATE = '2026-02-03';
const row = (id: string, player: string, line: number | null, recommendation: PredictionRow['recommendation'], confidence: number): PredictionRow => ({
  prediction_id: id,
  game_id: '20260203_DEN_PHX',
  game_date: DATE,
  player_lookup: player,
  system_id: 'system_pending',
  current_points_line: line,
  predicted_points: 20,
  confidence_score: confidence,
  recommendation,
  created_at: `${DATE} 12:00:00+00`,
  prediction_version: 1,
});

let stack: ExecutionStack;

beforeAll(async () => {
  stack = await startExecutionStack();
  await loadRows(stack.bq.client, DATASET, 'player_prop_predictions', [row('u1', 'p1', 19.5, 'OVER', 0.6), row('u2', 'p2', null, 'PASS', 0.4)]);
  // player_game_summary exists but holds no actual for this date.
  await loadRows(stack.bq.client, DATASET, 'player_game_summary', [{ game_id: '20260202_X_Y', game_date: '2026-02-02', player_lookup: 'p1', points: 10, processed_at: '2026-02-02 23:00:00+00' }]);
  const run = await stack.run(GRADING_TAGS, { game_date: DATE, run_id: 'ungraded-1' });
  if (run.code !== 0) throw new Error(`dataform run failed:\n${output(run)}`);
}, 240_000);

afterAll(async () => {
  await stack?.bq.stop();
});

describe('aggregates of a date with no actuals yet', () => {
  it('grades both predictions as no_actual', async () => {
    const rows = await stack.rows(`SELECT prediction_id, outcome, prediction_correct FROM ${stack.table('prediction_accuracy')} ORDER BY prediction_id`);
    expect(rows).toEqual([
      { prediction_id: 'u1', outcome: 'no_actual', prediction_correct: null },
      { prediction_id: 'u2', outcome: 'no_actual', prediction_correct: null },
    ]);
  });

  it('counts 0 graded / 0 decided and leaves every rate NULL (COUNTIF over all-NULL is 0, SAFE_DIVIDE is NULL)', async () => {
    const [daily] = await stack.rows(`SELECT * EXCEPT (computed_at, run_id, lock_token) FROM ${stack.table('system_daily_performance')}`);
    expect(daily).toEqual({
      game_date: DATE,
      system_id: 'system_pending',
      predictions: 2,
      graded: 0,
      ungraded: 2,
      decided: 0,
      correct: 0,
      pushes: 0,
      passes: 1,
      accuracy_pct: null,
      mae: null,
      bias: null,
      over_hit_rate_pct: null,
      under_hit_rate_pct: null,
      within_3_pct: null,
      within_5_pct: null,
      mean_confidence: 0.5,
    });
  });
});

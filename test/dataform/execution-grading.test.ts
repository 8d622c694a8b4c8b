/**
 * The real `dataform run --tags grading reporting` of the root project on the emulator, on a hand-written fixture
 * (test/dataform/execution-fixtures.ts): every grading rule, both aggregates against hand-computed values, ungraded
 * predictions, idempotent reruns and a late actual graded by the next run of its date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import schemas from '../../includes/schemas.js';
import type { DataformResult } from '../../src/warehouse/dataform-cli.ts';
import { loadRows } from '../../tools/synthetic/season.ts';
import { ACTUALS, EXPECTED_OUTCOMES, LATE_ACTUAL, PREDICTIONS, PREVIOUS_DATE, RUN_DATE, earlierGradedRows } from './execution-fixtures.ts';
import { DATASET, GRADING_TAGS, output, startExecutionStack, type ExecutionStack } from './execution-stack.ts';

const RUN_COLUMNS = new Set(['run_id', 'graded_at', 'computed_at']);
const runDates = `game_date IN ('${PREVIOUS_DATE}', '${RUN_DATE}')`;
let stack: ExecutionStack;
let first: DataformResult;

/** Every column but the run's stamps, ordered by the business key: what must not change when a date is rerun. */
function snapshotQuery(table: string, dateColumn: string, orderBy: string): string {
  const columns = schemas.columnNames(table).filter((column) => !RUN_COLUMNS.has(column));
  return `SELECT ${columns.join(', ')} FROM ${stack.table(table)} WHERE ${dateColumn} IN ('${PREVIOUS_DATE}', '${RUN_DATE}') ORDER BY ${orderBy}`;
}
/**
 * Floats rounded to 12 significant digits: AVG over FLOAT64 is not bit-reproducible (BigQuery documents floating-point
 * aggregates as non-deterministic; DuckDB sums in parallel), so a rerun may differ in the last bit of a mean.
 */
const roundFloats = (rows: Record<string, unknown>[]) =>
  rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v])));
const snapshot = async () =>
  (
    await Promise.all([
      stack.rows(snapshotQuery('prediction_accuracy', 'game_date', 'game_date, game_id, player_lookup, system_id, line_value')),
      stack.rows(snapshotQuery('system_daily_performance', 'game_date', 'game_date, system_id')),
      stack.rows(snapshotQuery('performance_summary', 'summary_date', 'summary_date, system_id, window_name')),
    ])
  ).map(roundFloats);

beforeAll(async () => {
  stack = await startExecutionStack();
  await loadRows(stack.bq.client, DATASET, 'player_prop_predictions', PREDICTIONS);
  await loadRows(stack.bq.client, DATASET, 'player_game_summary', ACTUALS);
  await loadRows(stack.bq.client, DATASET, 'prediction_accuracy', earlierGradedRows());
  first = await stack.run(GRADING_TAGS, { game_date: RUN_DATE, lookback_days: 1, run_id: 'grade-1' });
}, 240_000);

afterAll(async () => {
  await stack?.bq.stop();
});

describe('dataform run of grading + reporting on the emulator (hand-computed fixture)', () => {
  it('grades every latest prediction of the run dates by the documented rules', async () => {
    expect(first.code, output(first)).toBe(0);
    const rows = await stack.rows(`SELECT * FROM ${stack.table('prediction_accuracy')} WHERE ${runDates}`);
    const byId = Object.fromEntries(rows.map((row) => [row.prediction_id, row]));
    // One row per latest version: a6-v1 is superseded, a-later (2026-01-18) is outside the run dates.
    expect(Object.keys(byId).sort()).toEqual(Object.keys(EXPECTED_OUTCOMES).sort());
    expect(rows).toHaveLength(Object.keys(EXPECTED_OUTCOMES).length);
    for (const [id, expected] of Object.entries(EXPECTED_OUTCOMES)) {
      const row = byId[id];
      expect({ id, outcome: row.outcome, actual: row.actual_points, absolute: row.absolute_error, signed: row.signed_error, correct: row.prediction_correct }).toEqual({ id, ...expected });
      expect(row.within_3_points).toBe(expected.absolute === null ? null : expected.absolute <= 3);
      expect(row.within_5_points).toBe(expected.absolute === null ? null : expected.absolute <= 5);
      expect([row.run_id, row.lock_token]).toEqual(['grade-1', 0]);
    }
    expect(byId['a6-v2'].prediction_version).toBe(2);
    expect(byId.a5.line_value).toBeNull();
    // Rows of other dates (an earlier run's) are untouched; nothing is written after the run dates.
    const others = await stack.rows(`SELECT game_date, run_id FROM ${stack.table('prediction_accuracy')} WHERE NOT (${runDates}) ORDER BY game_date`);
    expect(others).toEqual([
      { game_date: '2025-12-10', run_id: 'earlier-run' },
      { game_date: '2026-01-05', run_id: 'earlier-run' },
    ]);
  });

  it('writes ungraded predictions as no_actual with every grading column NULL, counted only as ungraded', async () => {
    const ungraded = await stack.rows(
      `SELECT prediction_id, outcome, actual_points, absolute_error, signed_error, prediction_correct, within_3_points, within_5_points
       FROM ${stack.table('prediction_accuracy')} WHERE ${runDates} AND actual_points IS NULL ORDER BY prediction_id`,
    );
    const nulls = { actual_points: null, absolute_error: null, signed_error: null, prediction_correct: null, within_3_points: null, within_5_points: null };
    expect(ungraded).toEqual([
      { prediction_id: 'a4', outcome: 'no_actual', ...nulls },
      { prediction_id: 'b3', outcome: 'no_actual', ...nulls }, // a PASS without its actual is ungraded, not a pass
    ]);
  });

  it('system_daily_performance holds the hand-computed metrics per date and system', async () => {
    const rows = await stack.rows(`SELECT * FROM ${stack.table('system_daily_performance')} ORDER BY game_date, system_id`);
    expect(rows.map((r) => [r.game_date, r.system_id, r.predictions, r.graded, r.ungraded, r.decided, r.correct, r.pushes, r.passes])).toEqual([
      [PREVIOUS_DATE, 'system_a', 1, 1, 0, 1, 1, 0, 0],
      [RUN_DATE, 'system_a', 6, 5, 1, 3, 2, 1, 1], // a1 a2 a3(push) a4(no actual) a5(pass) a6-v2
      [RUN_DATE, 'system_b', 4, 3, 1, 2, 0, 0, 1], // b1 b2(no line) b3(PASS, no actual) b4
    ]);
    const [, a, b] = rows;
    // system_a 01-17: |err| 2,5,2,1,3 -> MAE 13/5; signed -2,5,-2,1,3 -> bias 5/5; OVER decided a1 a2 a6 -> 2/3.
    expect(a.accuracy_pct).toBeCloseTo(200 / 3, 9);
    expect(a.mae).toBeCloseTo(2.6, 9);
    expect(a.bias).toBeCloseTo(1, 9);
    expect(a.over_hit_rate_pct).toBeCloseTo(200 / 3, 9);
    expect(a.under_hit_rate_pct).toBeNull(); // a3 (UNDER) is a push: no decided UNDER call
    expect(a.within_3_pct).toBeCloseTo(80, 9); // a2 (5 points) is the only one outside 3
    expect(a.within_5_pct).toBeCloseTo(100, 9); // inclusive: 5 <= 5
    expect(a.mean_confidence).toBeCloseTo(3.45 / 6, 9); // over all rows, v2's 0.65 not v1's 0.9
    // system_b 01-17: |err| 6,2,3 -> 11/3; signed -6,-2,-3; UNDER decided b1 b4, both wrong.
    expect(b.accuracy_pct).toBe(0);
    expect(b.mae).toBeCloseTo(11 / 3, 9);
    expect(b.bias).toBeCloseTo(-11 / 3, 9);
    expect(b.over_hit_rate_pct).toBeNull();
    expect(b.under_hit_rate_pct).toBe(0);
    expect(b.within_3_pct).toBeCloseTo(200 / 3, 9);
    expect(b.within_5_pct).toBeCloseTo(200 / 3, 9);
    expect(b.mean_confidence).toBeCloseTo(0.425, 9);
    expect(new Set(rows.map((r) => `${r.run_id}/${r.lock_token}`))).toEqual(new Set(['grade-1/0']));
  });

  it('performance_summary holds 7d / 30d / season windows per summary date, from the deduplicated grades of every date', async () => {
    const rows = await stack.rows(`SELECT * FROM ${stack.table('performance_summary')} ORDER BY summary_date, system_id, window_name`);
    expect(rows.map((r) => [r.summary_date, r.system_id, r.window_name, r.window_start, r.window_end, r.predictions, r.graded, r.decided, r.correct])).toEqual([
      // 01-16: 7d = a0; 30d adds the 01-05 row; season adds the 2025-12-10 row. system_b has nothing up to 01-16.
      [PREVIOUS_DATE, 'system_a', '30d', '2025-12-18', PREVIOUS_DATE, 2, 2, 2, 2],
      [PREVIOUS_DATE, 'system_a', '7d', '2026-01-10', PREVIOUS_DATE, 1, 1, 1, 1],
      [PREVIOUS_DATE, 'system_a', 'season', '2025-10-01', PREVIOUS_DATE, 3, 3, 3, 2],
      [RUN_DATE, 'system_a', '30d', '2025-12-19', RUN_DATE, 8, 7, 5, 4],
      [RUN_DATE, 'system_a', '7d', '2026-01-11', RUN_DATE, 7, 6, 4, 3],
      [RUN_DATE, 'system_a', 'season', '2025-10-01', RUN_DATE, 9, 8, 6, 4],
      [RUN_DATE, 'system_b', '30d', '2025-12-19', RUN_DATE, 4, 3, 2, 0],
      [RUN_DATE, 'system_b', '7d', '2026-01-11', RUN_DATE, 4, 3, 2, 0],
      [RUN_DATE, 'system_b', 'season', '2025-10-01', RUN_DATE, 4, 3, 2, 0],
    ]);
    const season = rows.find((r) => r.summary_date === RUN_DATE && r.system_id === 'system_a' && r.window_name === 'season')!;
    // |err| 1,2,5,2,1,3 + 2 + 8 = 24 over 8 graded; signed -1,-2,5,-2,1,3 + 2 - 8 = -2; UNDER decided: only 2025-12-10 (wrong).
    expect(season.mae).toBeCloseTo(3, 9);
    expect(season.bias).toBeCloseTo(-0.25, 9);
    expect(season.accuracy_pct).toBeCloseTo(400 / 6, 9);
    expect(season.over_hit_rate_pct).toBeCloseTo(80, 9);
    expect(season.under_hit_rate_pct).toBe(0);
    expect(season.within_3_pct).toBeCloseTo(75, 9);
    expect(season.within_5_pct).toBeCloseTo(87.5, 9);
    expect(season.mean_confidence).toBeCloseTo(5.35 / 9, 9);
    const week = rows.find((r) => r.summary_date === RUN_DATE && r.system_id === 'system_a' && r.window_name === '7d')!;
    expect(week.mae).toBeCloseTo(14 / 6, 9);
    expect(week.ungraded).toBe(1);
  });

  it('closes the grading_runs row: succeeded, with the rows it wrote', async () => {
    const [run] = await stack.rows(`SELECT status, rows_written, duplicate_count, error, finished_at IS NOT NULL AS finished FROM ${stack.table('grading_runs')} WHERE run_id = 'grade-1'`);
    expect(run).toEqual({ status: 'succeeded', rows_written: Object.keys(EXPECTED_OUTCOMES).length, duplicate_count: 0, error: null, finished: true });
  });

  it('a rerun of the same dates writes identical rows (ignoring run_id and write times)', async () => {
    const before = await snapshot();
    const rerun = await stack.run(GRADING_TAGS, { game_date: RUN_DATE, lookback_days: 1, run_id: 'grade-2' });
    expect(rerun.code, output(rerun)).toBe(0);
    const after = await snapshot();
    expect(after).toEqual(before);
    expect(before[0]).toHaveLength(Object.keys(EXPECTED_OUTCOMES).length);
    // The rerun replaced the rows (its run_id), it did not add any.
    const stamps = await stack.rows(`SELECT run_id, COUNT(*) AS n FROM ${stack.table('prediction_accuracy')} WHERE ${runDates} GROUP BY run_id`);
    expect(stamps).toEqual([{ run_id: 'grade-2', n: Object.keys(EXPECTED_OUTCOMES).length }]);
  }, 240_000);

  it('a late actual is graded by the next run of its date: no_actual rows become graded, no duplicate key', async () => {
    await loadRows(stack.bq.client, DATASET, 'player_game_summary', [LATE_ACTUAL]);
    const late = await stack.run(GRADING_TAGS, { game_date: RUN_DATE, run_id: 'grade-late' });
    expect(late.code, output(late)).toBe(0);
    const rows = await stack.rows(
      `SELECT prediction_id, outcome, actual_points, absolute_error, signed_error, prediction_correct FROM ${stack.table('prediction_accuracy')}
       WHERE game_date = '${RUN_DATE}' AND prediction_id IN ('a4', 'b3') ORDER BY prediction_id`,
    );
    expect(rows).toEqual([
      { prediction_id: 'a4', outcome: 'incorrect', actual_points: 17, absolute_error: 4, signed_error: 4, prediction_correct: false }, // OVER 18.5, 21 vs 17
      { prediction_id: 'b3', outcome: 'pass', actual_points: 17, absolute_error: 2, signed_error: -2, prediction_correct: null },
    ]);
    const [keys] = await stack.rows(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT CONCAT(game_id, player_lookup, system_id, IFNULL(CAST(line_value AS STRING), '-'))) AS distinct_keys
       FROM ${stack.table('prediction_accuracy')} WHERE game_date = '${RUN_DATE}'`,
    );
    expect(keys).toEqual({ n: 10, distinct_keys: 10 });
    const daily = await stack.rows(
      `SELECT system_id, predictions, graded, ungraded, decided, correct, passes FROM ${stack.table('system_daily_performance')} WHERE game_date = '${RUN_DATE}' ORDER BY system_id`,
    );
    expect(daily).toEqual([
      { system_id: 'system_a', predictions: 6, graded: 6, ungraded: 0, decided: 4, correct: 2, passes: 1 },
      { system_id: 'system_b', predictions: 4, graded: 4, ungraded: 0, decided: 2, correct: 0, passes: 1 },
    ]);
    // The run wrote only its date: 2026-01-16 keeps the previous run's rows.
    const previous = await stack.rows(`SELECT DISTINCT run_id FROM ${stack.table('prediction_accuracy')} WHERE game_date = '${PREVIOUS_DATE}'`);
    expect(previous).toEqual([{ run_id: 'grade-2' }]);
  }, 240_000);
});

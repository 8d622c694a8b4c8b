// The grading rules and the metrics of the compiled SQL, evaluated on literal inputs (DuckDB via polyglot):
// each `dataform test` must produce its expected row, and the aggregates must match hand-computed values.
// The emulator runs of the real `dataform run` / `dataform test` come on top of this.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject, operation, type CompiledGraph } from './compiled-graph.ts';
import { LiteralQueryEvaluator } from './duckdb-eval.ts';

let graph: CompiledGraph;
let evaluator: LiteralQueryEvaluator;

beforeAll(async () => {
  const [result, opened] = await Promise.all([compileProject({ game_date: '2026-01-17', lookback_days: '1', run_id: 'semantics', lock_token: '7' }), LiteralQueryEvaluator.open()]);
  expect(result.exitCode, result.stderr).toBe(0);
  graph = result.graph;
  evaluator = opened;
}, 240_000); // a CLI compile (unless cached) while other files compile too: minutes on a busy machine

afterAll(() => evaluator?.close());

describe('dataform test cases, evaluated', () => {
  it('covers every unit test', () => {
    expect(graph.tests?.length).toBe(10);
  });

  it('gives each unit test exactly its expected row', async () => {
    for (const test of graph.tests ?? []) {
      const actual = await evaluator.rows(test.testQuery);
      const expected = await evaluator.rows(test.expectedOutputQuery);
      expect(actual, test.name).toHaveLength(1);
      expect(actual, test.name).toEqual(expected);
    }
  });
});

/** A graded row of prediction_accuracy_deduped as a literal SELECT (errors derived from predicted and actual). */
function gradedRow(row: {
  player: string;
  line: number | null;
  predicted: number;
  actual: number | null;
  recommendation: string;
  outcome: string;
  correct: boolean | null;
  confidence: number;
  date?: string;
}): string {
  const sql = (value: number | boolean | null, type: string) => (value === null ? `CAST(NULL AS ${type})` : `CAST(${value} AS ${type})`);
  const absolute = row.actual === null ? null : Math.abs(row.predicted - row.actual);
  return `SELECT DATE('${row.date ?? '2026-01-17'}') AS game_date, 'sysA' AS system_id, '${row.player}' AS player_lookup,
    ${sql(row.line, 'FLOAT64')} AS line_value, ${sql(row.predicted, 'FLOAT64')} AS predicted_points, ${sql(row.actual, 'INT64')} AS actual_points,
    ${sql(absolute, 'FLOAT64')} AS absolute_error, ${sql(row.actual === null ? null : row.predicted - row.actual, 'FLOAT64')} AS signed_error,
    '${row.recommendation}' AS recommendation, '${row.outcome}' AS outcome, ${sql(row.correct, 'BOOL')} AS prediction_correct,
    ${sql(absolute === null ? null : absolute <= 3, 'BOOL')} AS within_3_points, ${sql(absolute === null ? null : absolute <= 5, 'BOOL')} AS within_5_points,
    ${sql(row.confidence, 'FLOAT64')} AS confidence_score`;
}

// sysA on 2026-01-17: one of each outcome; plus one correct UNDER on 2026-01-10 (inside 30d and season, outside 7d).
const DEDUPED_FIXTURE = `(${[
  gradedRow({ player: 'a', line: 25.5, predicted: 27, actual: 30, recommendation: 'OVER', outcome: 'correct', correct: true, confidence: 0.8 }),
  gradedRow({ player: 'b', line: null, predicted: 18, actual: 20, recommendation: 'OVER', outcome: 'no_line', correct: null, confidence: 0.6 }),
  gradedRow({ player: 'c', line: 20, predicted: 22, actual: 20, recommendation: 'OVER', outcome: 'push', correct: null, confidence: 0.7 }),
  gradedRow({ player: 'd', line: 15.5, predicted: 14, actual: 21, recommendation: 'PASS', outcome: 'pass', correct: null, confidence: 0.5 }),
  gradedRow({ player: 'e', line: 30.5, predicted: 25, actual: 40, recommendation: 'UNDER', outcome: 'incorrect', correct: false, confidence: 0.9 }),
  gradedRow({ player: 'f', line: 10.5, predicted: 12, actual: null, recommendation: 'OVER', outcome: 'no_actual', correct: null, confidence: 0.4 }),
  gradedRow({ player: 'g', line: 20.5, predicted: 18, actual: 17, recommendation: 'UNDER', outcome: 'correct', correct: true, confidence: 0.6, date: '2026-01-10' }),
].join('\nUNION ALL\n')})`;

/** The SELECT an aggregate's transaction inserts, reading the fixture instead of prediction_accuracy_deduped. */
function aggregateSelect(name: string): string {
  const script = operation(graph, name).queries[1];
  const select = script.slice(script.indexOf('FROM (\n') + 'FROM ('.length, script.indexOf(') AS replacement;'));
  return select.replaceAll('`gradeguard-local.nba_predictions.prediction_accuracy_deduped`', DEDUPED_FIXTURE);
}

// Hand-computed for sysA on 2026-01-17 (rows a-f): graded a-e; decided a (correct) and e (incorrect);
// absolute errors 3, 2, 2, 7, 15 -> MAE 29/5 = 5.8; signed -3, -2, 2, -7, -15 -> bias -25/5 = -5;
// within 3: a, b, c -> 60 %; within 5: the same 60 %; confidence (0.8+0.6+0.7+0.5+0.9+0.4)/6 = 0.65.
const JAN_17 = {
  predictions: '6',
  graded: '5',
  ungraded: '1',
  decided: '2',
  correct: '1',
  pushes: '1',
  passes: '1',
  accuracy_pct: 50,
  mae: 5.8,
  bias: -5,
  over_hit_rate_pct: 100,
  under_hit_rate_pct: 0,
  within_3_pct: 60,
  within_5_pct: 60,
};

describe('aggregates, evaluated on hand-computed fixtures', () => {
  it('computes system_daily_performance per date and system', async () => {
    const rows = await evaluator.rows(aggregateSelect('system_daily_performance'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ game_date: '2026-01-17', system_id: 'sysA', ...JAN_17, run_id: 'semantics', lock_token: 7 });
    expect(rows[0].mean_confidence as number).toBeCloseTo(0.65, 12);
  });

  it('computes performance_summary windows for each run date', async () => {
    const rows = await evaluator.rows(aggregateSelect('performance_summary'), 'summary_date, window_name');
    const byKey = Object.fromEntries(rows.map((row) => [`${row.summary_date}/${row.window_name}`, row]));
    expect(Object.keys(byKey).sort()).toEqual(['2026-01-16/30d', '2026-01-16/7d', '2026-01-16/season', '2026-01-17/30d', '2026-01-17/7d', '2026-01-17/season'].sort());
    // 7d of the 17th: 11th..17th, rows a-f only.
    expect(byKey['2026-01-17/7d']).toMatchObject({ window_start: '2026-01-11', window_end: '2026-01-17', ...JAN_17 });
    // 30d and season of the 17th add g (UNDER 20.5, predicted 18, actual 17: correct, error 1).
    for (const window of ['30d', 'season']) {
      const row = byKey[`2026-01-17/${window}`];
      expect(row, window).toMatchObject({ predictions: '7', graded: '6', decided: '3', correct: '2', mae: 5, bias: -4, over_hit_rate_pct: 100, under_hit_rate_pct: 50 });
      expect(row.accuracy_pct as number, window).toBeCloseTo(200 / 3, 10);
    }
    expect(byKey['2026-01-17/season'].window_start).toBe('2025-10-01');
    expect(byKey['2026-01-17/30d'].window_start).toBe('2025-12-19');
    // The 16th (no games) still summarizes the windows ending that day: only g.
    expect(byKey['2026-01-16/7d']).toMatchObject({ window_start: '2026-01-10', predictions: '1', correct: '1', accuracy_pct: 100, over_hit_rate_pct: null });
  });
});

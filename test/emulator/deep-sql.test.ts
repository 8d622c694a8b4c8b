/**
 * Deep statements after the translator has warmed up. polyglot's WASM, once V8 tiers it up to optimised code,
 * needed so much native stack per AST level that a UNION ALL of ~20 branches failed with "Maximum call stack
 * size exceeded" (performance_summary over 9+ dates, after a `dataform run` in the same process). The emulator
 * now compiles its own baseline-only copy (emulator/bigquery/sql/polyglot.ts); these tests fail without it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateStatement } from '@gradeguard/bigquery-emulator/testing';
import { loadRows } from '../../tools/synthetic/season.ts';
import { ACTUALS, PREDICTIONS, RUN_DATE, earlierGradedRows } from '../dataform/execution-fixtures.ts';
import { DATASET, GRADING_TAGS, output, startExecutionStack, type ExecutionStack } from '../dataform/execution-stack.ts';

let stack: ExecutionStack;

beforeAll(async () => {
  stack = await startExecutionStack();
}, 60_000);

afterAll(async () => {
  await stack?.bq.stop();
});

const unionOf = (n: number) => Array.from({ length: n }, (_, k) => `SELECT ${k} AS k, DATE_ADD(DATE '2024-01-01', INTERVAL ${k} DAY) AS d, 'w${k}' AS w`).join('\n  UNION ALL ');

describe('deep statements on a warmed-up translator', () => {
  it('translates a 120-branch UNION ALL and a 300-term sum after 800 translations', async () => {
    const ctx = { literal: () => undefined, resolveTable: () => undefined };
    const typical = "SELECT system_id, COUNT(*) AS n FROM ds.t WHERE game_date BETWEEN DATE '2024-01-01' AND DATE_SUB(CURRENT_DATE(), INTERVAL 3 DAY) GROUP BY 1";
    for (let i = 0; i < 800; i++) translateStatement(typical, ctx);
    // Give V8's background compiler time to install optimised code, as a long-running emulator would.
    await new Promise((r) => setTimeout(r, 2_500));
    const [union] = await stack.bq.rows(`WITH s AS (\n  ${unionOf(120)}\n) SELECT COUNT(*) AS n, SUM(k) AS total, MAX(d) AS last FROM s`);
    expect({ n: union.n, total: union.total, last: union.last.value }).toEqual({ n: 120, total: (119 * 120) / 2, last: '2024-04-29' });
    const terms = Array.from({ length: 300 }, (_, k) => String(k + 1)).join(' + ');
    const [sum] = await stack.bq.rows(`SELECT ${terms} AS s`);
    expect(sum.s).toBe(45_150);
  }, 60_000);

  it('the real dataform run of grading + reporting over 12 dates (performance_summary UNION ALL of 36 windows)', async () => {
    await loadRows(stack.bq.client, DATASET, 'player_prop_predictions', PREDICTIONS);
    await loadRows(stack.bq.client, DATASET, 'player_game_summary', ACTUALS);
    await loadRows(stack.bq.client, DATASET, 'prediction_accuracy', earlierGradedRows());
    const run = await stack.run(GRADING_TAGS, { game_date: RUN_DATE, lookback_days: 12, run_id: 'deep-1' });
    expect(run.code, output(run)).toBe(0);
    const dates = await stack.rows<{ n: number }>(`SELECT COUNT(DISTINCT summary_date) AS n FROM ${stack.table('performance_summary')} WHERE run_id = 'deep-1'`);
    expect(dates[0].n, 'the run date and the 12 before it').toBe(13);
  }, 240_000);

  it('nested arithmetic over window functions binds each operand once (ZetaSQL covariance cases took 18 s each)', async () => {
    // The division and product macros repeat their operands, so nesting them repeated the windows exponentially;
    // a nested operand now goes through the macro's _once form, a window or subquery operand too.
    const sql = `SELECT (SUM(x * y) OVER (PARTITION BY p) / COUNT(x) OVER (PARTITION BY p)) - (SUM(x) OVER (PARTITION BY p) / COUNT(x) OVER (PARTITION BY p)) * (SUM(y) OVER (PARTITION BY p) / COUNT(y) OVER (PARTITION BY p)) AS covar_pop`;
    const from = `FROM UNNEST([STRUCT(1 AS p, NUMERIC '30' AS x, NUMERIC '33' AS y), (1, NUMERIC '32', NUMERIC '22'), (1, NUMERIC '36', NUMERIC '50')])`;
    const translated = translateStatement(`${sql} ${from}`, { literal: () => undefined, resolveTable: () => undefined });
    expect(translated.match(/__GG_(DIV|MUL)_ONCE\(/g)?.length).toBe(4);
    // The plain form stays where repeating costs nothing: x * y on columns (inside SUM, MAX and MIN of the checked sum).
    expect(translated.match(/__GG_(DIV|MUL)\([^)]*\)/g)).toEqual(['__GG_MUL(x, y)', '__GG_MUL(x, y)', '__GG_MUL(x, y)']);
    const rows = await stack.bq.rows(`${sql} ${from}`);
    // NUMERIC rounds each quotient to 9 places: 3494/3 = 1164.666666667, 98/3 = 32.666666667, 105/3 = 35;
    // 1164.666666667 - 32.666666667 * 35 (= 1143.333333345) = 21.333333322.
    expect(rows.map((r) => String(r.covar_pop))).toEqual(['21.333333322', '21.333333322', '21.333333322']);
  }, 60_000);
});

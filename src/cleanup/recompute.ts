/**
 * Step 6: the reporting rows built from the duplicated table, recomputed by the real Dataform project (`--tags
 * reporting`) one date at a time, each run fenced with the token of the grading lease the cleanup holds for that date.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { classifyDataformRun } from '../runner/dataform-outcome.ts';
import { repoRoot, runDataform } from '../warehouse/dataform-cli.ts';
import { dataformTargetArgs, tableRef, type WarehouseTarget } from '../warehouse/target.ts';

/** Tables whose reporting rows derive from them (system_daily_performance and performance_summary read prediction_accuracy). */
export const REPORTED_TABLES = new Set(['prediction_accuracy']);

/**
 * Dates to recompute: the dates with duplicates, and every existing summary date after the first of them (a summary's
 * 7d/30d/season windows reach back over the duplicated dates).
 */
export async function recomputeDates(bigquery: BigQuery, target: WarehouseTarget, table: string, affected: readonly string[]): Promise<string[]> {
  if (!REPORTED_TABLES.has(table) || affected.length === 0) return [];
  const first = [...affected].sort()[0];
  const dates = new Set(affected);
  const [exists] = await bigquery.dataset(target.dataset).table('performance_summary').exists();
  if (exists) {
    const [rows] = await bigquery.query({
      query: `SELECT DISTINCT CAST(summary_date AS STRING) AS d FROM ${tableRef(target, 'performance_summary')} WHERE summary_date > CAST(@first AS DATE)`,
      params: { first },
      location: target.location,
    });
    for (const row of rows as Array<{ d: string }>) dates.add(row.d);
  }
  return [...dates].sort();
}

export async function recomputeDate(
  target: WarehouseTarget,
  input: { date: string; runId: string; lockToken: number; signal: AbortSignal },
): Promise<void> {
  const vars = `--vars=game_date=${input.date},lookback_days=0,run_id=${input.runId},lock_token=${input.lockToken},operation=cleanup`;
  const result = await runDataform(['run', '.', '--tags', 'reporting', ...dataformTargetArgs(target), vars], {
    projectDir: repoRoot,
    target,
    timeoutMs: 600_000,
    signal: input.signal,
  });
  const outcome = classifyDataformRun(result);
  if (outcome.kind !== 'success') throw new Error(`reporting recompute of ${input.date} ${outcome.kind}: ${outcome.message}`);
}

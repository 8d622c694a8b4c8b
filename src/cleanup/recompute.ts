/**
 * Step 6: the reporting rows built from the duplicated table, recomputed by the real Dataform project (the reporting
 * tags) through the command's executor (the local CLI or the Dataform API, as grade's). One run covers a batch of dates
 * (the `date_tokens` var), each date fenced with the token of the grading lease the cleanup holds for it, as if it had
 * its own run: one compile and run instead of one per date.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { classifyDataformRun } from '../runner/dataform-outcome.ts';
import type { Executor } from '../runner/executors/executor.ts';
import { RECOMPUTE_TAGS } from '../runner/operations.ts';
import { assertionDatasetFor } from '../runner/run-id.ts';
import { assertIdentifier, tableRef, type WarehouseTarget } from '../warehouse/target.ts';

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

/** Dates per recompute run: bounds the compiled SQL (3 summary windows per date) and the work a resume repeats. */
const RECOMPUTE_BATCH_DATES = 31;

/**
 * Recomputes the reporting rows of `dates` in runs of up to RECOMPUTE_BATCH_DATES dates, each date fenced with the
 * token of the grading lease held for it (in `leases`); `onBatch` records each finished batch (so a resume skips it).
 */
export async function recomputeInBatches(
  runner: { target: WarehouseTarget; executor: Executor },
  input: { dates: readonly string[]; leases: ReadonlyMap<string, { token: number }>; runIdPrefix: string; signal: AbortSignal; onBatch?: (dates: string[]) => Promise<void> },
): Promise<void> {
  for (let start = 0; start < input.dates.length; start += RECOMPUTE_BATCH_DATES) {
    if (input.signal.aborted) throw input.signal.reason;
    const batch = input.dates.slice(start, start + RECOMPUTE_BATCH_DATES);
    const tokens = batch.map((date) => {
      const lease = input.leases.get(date);
      if (!lease) throw new Error(`no grading lock held for ${date}`);
      return { date, token: lease.token };
    });
    const runId = `${input.runIdPrefix}.recompute.${batch[0].replaceAll('-', '')}-${batch.length}d`;
    await recomputeBatch(runner, { tokens, runId, signal: input.signal });
    await input.onBatch?.(batch);
  }
}

async function recomputeBatch(runner: { target: WarehouseTarget; executor: Executor }, input: { tokens: ReadonlyArray<{ date: string; token: number }>; runId: string; signal: AbortSignal }): Promise<void> {
  const dates = input.tokens.map((t) => t.date);
  const result = await runner.executor.run({
    vars: { date_tokens: input.tokens.map(({ date, token }) => `${date}:${token}`).join('+'), run_id: input.runId, operation: 'cleanup' },
    tags: RECOMPUTE_TAGS,
    assertionDataset: assertIdentifier('dataset', assertionDatasetFor(runner.target.assertionDataset, dates[0], 'grading')),
    signal: input.signal,
    timeoutMs: 600_000,
  });
  const outcome = classifyDataformRun(result);
  if (outcome.kind !== 'success') throw new Error(`reporting recompute of ${dates.join(', ')} ${outcome.kind}: ${outcome.message}`);
}

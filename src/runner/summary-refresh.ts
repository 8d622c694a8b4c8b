/**
 * performance_summary of a date aggregates the 7d/30d/season windows ending on it (includes/summary_windows.js), so
 * grading a date changes the summary of every later date whose windows cover it. A grading command computes the
 * summaries of its own dates after their windows' dates (batches run in date order); the later dates it did not grade
 * are refreshed here afterwards: existing summary dates only, each under its own grading lock (its token fences the
 * write), in locked runs of the `reporting` operation (`--tags reporting`) through the same executor.
 */
import { createRequire } from 'node:module';
import type { BigQuery } from '@google-cloud/bigquery';
import { tableRef, type WarehouseTarget } from '../warehouse/target.ts';
import { OPERATIONS } from './operations.ts';
import { runBatch } from './run-batch.ts';
import type { DateResult, DateStatus, RunContext } from './run-context.ts';

const require = createRequire(import.meta.url);
const { windowsOf } = require('../../includes/summary_windows.js') as { windowsOf(date: string): Array<{ windowStart: string }> };

/** Statuses of dates whose run committed its writes (the grade changed, so later summaries may have). */
const COMMITTED = new Set<DateStatus>(['succeeded', 'duplicates_detected', 'assertion_failed', 'zero_rows']);

/** Existing summary dates after a graded date whose windows reach back to it, other than `current` (already fresh). */
async function laterSummaryDates(bigquery: BigQuery, target: WarehouseTarget, graded: readonly string[], current: ReadonlySet<string>): Promise<string[]> {
  if (graded.length === 0) return [];
  const first = [...graded].sort()[0];
  const [exists] = await bigquery.dataset(target.dataset).table('performance_summary').exists();
  if (!exists) return [];
  const [rows] = await bigquery.query({
    query: `SELECT DISTINCT CAST(summary_date AS STRING) AS d FROM ${tableRef(target, 'performance_summary')} WHERE summary_date > CAST(@first AS DATE) ORDER BY d`,
    params: { first },
    location: target.location,
  });
  return (rows as Array<{ d: string }>)
    .map((r) => r.d)
    .filter((summaryDate) => {
      if (current.has(summaryDate)) return false;
      const earliest = windowsOf(summaryDate)
        .map((w) => w.windowStart)
        .sort()[0];
      return graded.some((date) => date < summaryDate && date >= earliest);
    });
}

/**
 * After a grading command: the summaries of the later dates refreshed, in batches of `batchSize`. `inOrder`: the
 * command's batches ran one after another in date order, so its own committed dates' summaries are fresh; otherwise
 * (parallel batches) they are refreshed too. Returns one result per refreshed date.
 */
export async function refreshLaterSummaries(ctx: RunContext, graded: readonly DateResult[], options: { batchSize: number; inOrder: boolean }): Promise<DateResult[]> {
  const committed = graded.filter((r) => COMMITTED.has(r.status)).map((r) => r.date);
  const dates = await laterSummaryDates(ctx.bigquery, ctx.target, committed, new Set(options.inOrder ? committed : []));
  if (dates.length === 0) return [];
  if (!ctx.lock) {
    // Without the lock there is no token to fence the later dates with (token 0 is refused once a locked run wrote a
    // date): they are named, not written.
    ctx.log.warn('summary_refresh_skipped', { event: 'summary_refresh_skipped', reason: 'run without the lock', dates: dates.join(',') });
    return [];
  }
  ctx.log.info('summary_refresh', { event: 'summary_refresh', dates: dates.length, first: dates[0], last: dates.at(-1), graded: committed.length });
  const refreshCtx: RunContext = { ...ctx, spec: OPERATIONS.reporting, onPhase: undefined };
  const results: DateResult[] = [];
  for (let i = 0; i < dates.length; i += options.batchSize) results.push(...(await runBatch(refreshCtx, dates.slice(i, i + options.batchSize))));
  return results;
}

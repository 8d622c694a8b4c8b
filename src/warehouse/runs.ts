/**
 * grading_runs rows written by the commands themselves: Dataform opens and closes a run's row when its actions run,
 * but a run refused by the lock, stopped by a lost lease or failed by the CLI never reaches those actions, and every
 * run must leave a row whatever its outcome. MERGE on run_id, so this both creates and finalises.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { bigQueryLibrary } from '../cloud/libraries.ts';
import { dateParams } from './duplicates.ts';
import { ensureTables } from './pipeline-tables.ts';
import { tableRef, type WarehouseTarget } from './target.ts';

export type RunStatus = 'running' | 'succeeded' | 'duplicates_detected' | 'assertion_failed' | 'failed' | 'skipped' | 'lock_not_acquired' | 'fence_rejected' | 'lease_lost' | 'abandoned';

export interface RunRecord {
  runId: string;
  operation: string;
  dates: readonly string[];
  lockToken: number;
  status: RunStatus;
  error?: string | null;
  rowsWritten?: number | null;
  duplicateCount?: number | null;
  /** Keep the row's started_at when it exists; set it to now otherwise. */
  finished: boolean;
}

export async function upsertRun(bigquery: BigQuery, target: WarehouseTarget, run: RunRecord): Promise<void> {
  await ensureTables(bigquery, target);
  const query = `MERGE ${tableRef(target, 'grading_runs')} AS runs
USING (
  SELECT @run_id AS run_id, @operation AS operation, @dates AS game_dates, @lock_token AS lock_token,
    CURRENT_TIMESTAMP() AS now, IF(@finished, CURRENT_TIMESTAMP(), CAST(NULL AS TIMESTAMP)) AS finished_at,
    @rows_written AS rows_written, @duplicate_count AS duplicate_count, @status AS status, @error AS error
) AS this_run
ON runs.run_id = this_run.run_id
WHEN MATCHED THEN UPDATE SET
  operation = this_run.operation,
  game_dates = this_run.game_dates,
  lock_token = this_run.lock_token,
  finished_at = this_run.finished_at,
  rows_written = COALESCE(this_run.rows_written, runs.rows_written),
  duplicate_count = COALESCE(this_run.duplicate_count, runs.duplicate_count),
  status = this_run.status,
  error = this_run.error
WHEN NOT MATCHED THEN
  INSERT (run_id, operation, game_dates, lock_token, started_at, finished_at, rows_written, duplicate_count, status, error)
  VALUES (this_run.run_id, this_run.operation, this_run.game_dates, this_run.lock_token, this_run.now, this_run.finished_at,
          this_run.rows_written, this_run.duplicate_count, this_run.status, this_run.error)`;
  await bigquery.query({
    query,
    params: {
      run_id: run.runId,
      operation: run.operation,
      dates: dateParams(run.dates),
      lock_token: run.lockToken,
      finished: run.finished,
      rows_written: run.rowsWritten ?? null,
      duplicate_count: run.duplicateCount ?? null,
      status: run.status,
      error: run.error ? run.error.slice(0, 2_000) : null,
    },
    types: {
      run_id: 'STRING',
      operation: 'STRING',
      dates: ['DATE'],
      lock_token: 'INT64',
      finished: 'BOOL',
      rows_written: 'INT64',
      duplicate_count: 'INT64',
      status: 'STRING',
      error: 'STRING',
    },
    location: target.location,
  });
}

export async function readRun(bigquery: BigQuery, target: WarehouseTarget, runId: string): Promise<Record<string, unknown> | undefined> {
  const [rows] = await bigquery.query({
    query: `SELECT * FROM ${tableRef(target, 'grading_runs')} WHERE run_id = @run_id`,
    params: { run_id: runId },
    location: target.location,
  });
  return rows[0];
}

export interface OpenRun {
  runId: string;
  operation: string;
  dates: string[];
  lockToken: number;
  startedAt: string;
  startedMs: number;
}

/**
 * Runs still `running`, of `operation` (all when omitted), that hold a fencing token (a --no-lock run has none and
 * may well be alive) and touch one of `dates` (all when omitted), other than `exceptRunId`. With `anyToken`, the
 * runs without a token too (a --no-lock run, or a Dataform run no runner started).
 */
export async function openRuns(
  bigquery: BigQuery,
  target: WarehouseTarget,
  filter: { operation?: string; dates?: readonly string[]; exceptRunId?: string; startedBefore?: Date; anyToken?: boolean } = {},
): Promise<OpenRun[]> {
  const where = [`status = 'running'`, filter.anyToken ? 'TRUE' : 'lock_token > 0'];
  const params: Record<string, unknown> = {};
  const condition = (sql: string, name: string, value: unknown) => {
    where.push(sql);
    params[name] = value;
  };
  if (filter.operation) condition('operation = @operation', 'operation', filter.operation);
  if (filter.exceptRunId) condition('run_id != @except', 'except', filter.exceptRunId);
  if (filter.dates) condition('EXISTS (SELECT 1 FROM UNNEST(game_dates) AS d WHERE d IN UNNEST(@dates))', 'dates', dateParams(filter.dates));
  if (filter.startedBefore) condition('started_at < @before', 'before', bigQueryLibrary().BigQuery.timestamp(filter.startedBefore));
  const [rows] = await bigquery.query({
    query: `SELECT run_id, operation, ARRAY(SELECT CAST(d AS STRING) FROM UNNEST(game_dates) AS d ORDER BY d) AS dates, lock_token, CAST(started_at AS STRING) AS started_at, UNIX_MILLIS(started_at) AS started_ms
FROM ${tableRef(target, 'grading_runs')} WHERE ${where.join(' AND ')} ORDER BY started_at`,
    params,
    location: target.location,
  });
  return rows.map((r: Record<string, unknown>) => ({
    runId: String(r.run_id),
    operation: String(r.operation),
    dates: (r.dates as string[]) ?? [],
    lockToken: Number(r.lock_token),
    startedAt: String(r.started_at),
    startedMs: Number(r.started_ms),
  }));
}

/**
 * Closes runs that stopped while `running` (killed, frozen past their lease): status `abandoned`, with why. Only rows
 * still `running` change, so a run that finishes after all keeps its own final status if it writes later.
 */
export async function markAbandoned(bigquery: BigQuery, target: WarehouseTarget, runIds: readonly string[], reason: string): Promise<number> {
  if (!runIds.length) return 0;
  const [job] = await bigquery.createQueryJob({
    query: `UPDATE ${tableRef(target, 'grading_runs')}
SET status = 'abandoned', finished_at = CURRENT_TIMESTAMP(), error = @reason
WHERE run_id IN UNNEST(@ids) AND status = 'running'`,
    params: { ids: [...runIds], reason: reason.slice(0, 2_000) },
    location: target.location,
  });
  await job.getQueryResults();
  const [metadata] = await job.getMetadata();
  return Number(metadata.statistics?.query?.numDmlAffectedRows ?? 0);
}

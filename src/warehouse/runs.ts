/**
 * grading_runs rows written by the commands themselves: Dataform opens and closes a run's row when its actions run,
 * but a run refused by the lock, stopped by a lost lease or failed by the CLI never reaches those actions, and every
 * run must leave a row whatever its outcome. Every write is one appended event (includes/run_events.js): an INSERT,
 * never a MERGE or UPDATE, so runs finishing together never queue on BigQuery's 2 running + 20 pending mutating DML
 * statements per table. Reads go through the one latest-state SQL (the deployed grading_runs view's), over the events
 * table, so they work where only the tables exist.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import runEvents from '../../includes/run_events.js';
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

const EVENTS_TABLE = 'grading_run_events';
const eventColumns = runEvents.EVENT_COLUMNS.join(', ');

/** The latest state per run (what the deployed grading_runs view holds), as a subquery over the events. */
const runsSubquery = (target: WarehouseTarget) => `(\n${runEvents.latestRunStateSql(tableRef(target, EVENTS_TABLE))}\n)`;

/** The run's newest event other than an abandonment (its own state), as a one-row-or-none subquery. */
const latestOwnEvent = (target: WarehouseTarget) => `(
  SELECT * FROM ${tableRef(target, EVENTS_TABLE)}
  WHERE run_id = @run_id AND event != '${runEvents.EVENTS.abandoned}'
  QUALIFY ROW_NUMBER() OVER (ORDER BY recorded_at DESC) = 1
)`;

/**
 * Appends the run's state: its started_at kept when it has one (now otherwise), rows_written and duplicate_count kept
 * when not given, as the MERGE it replaces did. One INSERT.
 */
export async function upsertRun(bigquery: BigQuery, target: WarehouseTarget, run: RunRecord): Promise<void> {
  await ensureTables(bigquery, target);
  const query = `INSERT INTO ${tableRef(target, EVENTS_TABLE)} (${eventColumns})
SELECT @run_id, @operation, @dates, @lock_token,
  COALESCE(previous.started_at, CURRENT_TIMESTAMP()),
  IF(@finished, CURRENT_TIMESTAMP(), CAST(NULL AS TIMESTAMP)),
  COALESCE(@rows_written, previous.rows_written), COALESCE(@duplicate_count, previous.duplicate_count),
  @status, @error, '${runEvents.EVENTS.recorded}', CURRENT_TIMESTAMP()
FROM (SELECT 1 AS one) AS this_run
LEFT JOIN ${latestOwnEvent(target)} AS previous ON TRUE`;
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
    query: `SELECT * FROM ${runsSubquery(target)} AS runs WHERE run_id = @run_id`,
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
FROM ${runsSubquery(target)} AS runs WHERE ${where.join(' AND ')} ORDER BY started_at`,
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
 * Closes runs that stopped while `running` (killed, frozen past their lease): an `abandoned` event, with why, for each
 * run whose state is still `running`. The latest state lets an abandonment replace only a running state, so a run that
 * finishes after all keeps its own final status, whenever it writes it. One INSERT.
 */
export async function markAbandoned(bigquery: BigQuery, target: WarehouseTarget, runIds: readonly string[], reason: string): Promise<number> {
  if (!runIds.length) return 0;
  const [job] = await bigquery.createQueryJob({
    query: `INSERT INTO ${tableRef(target, EVENTS_TABLE)} (${eventColumns})
SELECT run_id, operation, game_dates, lock_token, started_at, CURRENT_TIMESTAMP(), rows_written, duplicate_count,
  'abandoned', @reason, '${runEvents.EVENTS.abandoned}', CURRENT_TIMESTAMP()
FROM ${runsSubquery(target)} AS runs
WHERE run_id IN UNNEST(@ids) AND status = 'running'`,
    params: { ids: [...runIds], reason: reason.slice(0, 2_000) },
    location: target.location,
  });
  await job.getQueryResults();
  const [metadata] = await job.getMetadata();
  return Number(metadata.statistics?.query?.numDmlAffectedRows ?? 0);
}

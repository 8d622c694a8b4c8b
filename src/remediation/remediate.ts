/**
 * `remediate`: the seed's auto-remediation of one date of prediction_accuracy, made safe. Under the date's grading
 * lock: count, audit the duplicate keys, refuse above a threshold (that is a job for the cleanup), take a backup of
 * the date and verify it, then in ONE transaction replace the date's rows by one row per key (earliest graded_at
 * by default), fenced by the lock's token. Afterwards verify zero duplicates and the same key set; if that fails,
 * put the backup back. Every outcome leaves a grading_runs row and an alert.
 */
import { randomUUID } from 'node:crypto';
import type { BigQuery } from '@google-cloud/bigquery';
import type { Firestore } from '@google-cloud/firestore';
import type { Alert, Alerter } from '../alerts/index.ts';
import { duplicationByDate, type DateDuplication } from '../checks/duplication.ts';
import { DistributedLock, type Lease } from '../lock/index.ts';
import type { Logger } from '../log/logger.ts';
import { FENCE_ERROR_PREFIX } from '../runner/dataform-outcome.ts';
import { ExitCode } from '../runner/exit-codes.ts';
import { DEFAULT_RETRY_POLICY, withRetries } from '../runner/retryable.ts';
import { dateParams, recordDuplicateKeys } from '../warehouse/duplicates.ts';
import { ensureTables } from '../warehouse/pipeline-tables.ts';
import { upsertRun } from '../warehouse/runs.ts';
import { withLockedRun, type FinalRow } from '../runner/locked-run.ts';
import { assertIdentifier, type WarehouseTarget } from '../warehouse/target.ts';
import { backupSql, countsSql, keySetDiffSql, remediationScript, REMEDIATED_TABLE, restoreScript, seedFenceSql, type Keep } from './sql.ts';

const REMEDIATE_PROCESSOR = 'remediate';
export const DEFAULT_MAX_DUPLICATES = 1000;

export interface RemediateOptions {
  bigquery: BigQuery;
  target: WarehouseTarget;
  firestore: Firestore;
  alerter: Alerter;
  logger: Logger;
  date: string;
  /** Refuse when more extra rows (rows beyond one per key) than this would be removed. */
  maxDuplicates: number;
  keep: Keep;
  runId?: string;
  /** How long to wait for the date's grading lock; default 0 (busy: exit 4 at once). */
  lockWaitMs?: number;
  leaseMs?: number;
  /** Test seams: after the backup is written (before its verification), before the transaction, after the commit. */
  hooks?: { afterBackup?(backupTable: string): Promise<void>; beforeTransaction?(): Promise<void>; afterCommit?(): Promise<void> };
}

type RemediationStatus = 'clean' | 'remediated' | 'refused' | 'lock_not_acquired' | 'failed';

interface Counts {
  rows: number;
  keys: number;
  duplicateKeys: number;
  extraRows: number;
}

export interface RemediationResult {
  status: RemediationStatus;
  exitCode: number;
  runId: string;
  date: string;
  keep: Keep;
  before?: Counts;
  after?: Counts;
  backupTable?: string;
  removedRows: number;
  auditedKeys: number;
  lockToken?: number;
  restored?: boolean;
  error?: string;
}

function backupTableName(date: string, runId: string): string {
  const suffix = runId.replace(/[^A-Za-z0-9]/g, '').slice(-12);
  return assertIdentifier('table', `${REMEDIATED_TABLE}_remediation_backup_${date.replace(/-/g, '')}_${suffix}`);
}

export async function remediate(options: RemediateOptions): Promise<RemediationResult> {
  const { bigquery, target, date } = options;
  const runId = options.runId ?? `remediate-${date}-${randomUUID().slice(0, 8)}`;
  const log = options.logger.child({ run_id: runId, game_date: date });
  const result: RemediationResult = { runId, date, keep: options.keep, removedRows: 0, auditedKeys: 0, status: 'failed', exitCode: ExitCode.runFailed };
  const lock = new DistributedLock({ lockType: 'grading', firestore: options.firestore, maxWaitMs: options.lockWaitMs ?? 0, leaseMs: options.leaseMs, logger: log });
  const end = await withLockedRun({
    runId,
    operation: 'remediate',
    bigquery,
    target,
    log,
    async acquire() {
      const lease = await lock.acquire(date, { operationId: runId });
      return { leases: [lease], token: lease.token, lease };
    },
    async refused(error) {
      await upsertRun(bigquery, target, { runId, operation: 'remediate', dates: [date], lockToken: 0, status: 'lock_not_acquired', error: error.message, finished: true });
      await send(options, runId, {
        kind: 'lock_not_acquired',
        severity: 'ERROR',
        title: `remediate ${date}: the grading lock is held, nothing was changed`,
        nextStep: `Wait for the run holding grading ${date} to finish (npm run locks -- list), then re-run remediate`,
        details: { held_by: error.holder?.holderId ?? null, held_for_operation: error.holder?.operationId ?? null, held_token: error.holder?.token ?? null },
      });
    },
    opensRow: true,
    row: () => ({ dates: [date], duplicateCount: result.before?.duplicateKeys }),
    work: async ({ lease }) => {
      result.lockToken = lease.token;
      return underLock(options, lease, runId, log, result);
    },
    finish: (done) => done.row,
    async failed({ error }) {
      result.error = error.message;
      log.error('remediate_failed', { event: 'remediate_failed', error: error.message, backup_table: result.backupTable ?? null });
      await send(options, runId, {
        kind: 'remediation_failed',
        severity: 'CRITICAL',
        title: `remediate ${date} failed: ${error.message}`.slice(0, 300),
        nextStep: result.backupTable
          ? `Check ${REMEDIATED_TABLE} for ${date} against the backup ${result.backupTable}; re-run remediate or the cleanup`
          : `Fix the cause and re-run: npm run remediate -- --date ${date}`,
        counts: result.before ? countsOf(result.before) : undefined,
        details: { backup_table: result.backupTable ?? null, restored: Boolean(result.restored) },
      });
    },
  });
  if (end.outcome === 'refused') return { ...result, status: 'lock_not_acquired', exitCode: end.exitCode, error: end.error.message };
  // The result's status is the remediation's own (lock_not_acquired, refused, failed...); grading_runs says lease_lost for a lost lease.
  if (end.outcome === 'failed') return { ...result, status: 'failed', exitCode: end.exitCode, error: end.error.message };
  await end.value.report?.();
  return { ...result, status: end.value.status, exitCode: end.value.exitCode, error: end.value.error };
}

interface UnderLockEnd {
  status: RemediationStatus;
  exitCode: number;
  error?: string;
  row: FinalRow;
  /** The alert of the outcome, sent once its row is written. */
  report?(): Promise<void>;
}

/** The remediation itself, under the date's grading lease; `result` collects the figures as they are known. */
async function underLock(options: RemediateOptions, lease: Lease, runId: string, log: Logger, result: RemediationResult): Promise<UnderLockEnd> {
  const { bigquery, target, date } = options;
  await ensureTables(bigquery, target, [REMEDIATED_TABLE, 'grading_write_fence', 'grading_run_events', 'grading_duplicate_audit']);
  const before = toCounts((await duplicationByDate(bigquery, target, REMEDIATED_TABLE, [date]))[0]);
  result.before = before;
  if (before.duplicateKeys === 0) {
    log.info('remediate_clean', { event: 'remediate_clean', rows: before.rows });
    return { status: 'clean', exitCode: ExitCode.ok, row: { status: 'succeeded', duplicateCount: 0, rowsWritten: 0 } };
  }
  result.auditedKeys = await recordDuplicateKeys(bigquery, target, { runId, processor: REMEDIATE_PROCESSOR, table: REMEDIATED_TABLE, dates: [date] });

  if (before.extraRows > options.maxDuplicates) {
    const error = `${before.extraRows} duplicate rows (${before.duplicateKeys} keys) exceed --max-duplicates ${options.maxDuplicates}; use npm run cleanup -- plan --table ${REMEDIATED_TABLE}`;
    log.warn('remediate_refused', { event: 'remediate_refused', ...countsOf(before), max_duplicates: options.maxDuplicates });
    return {
      status: 'refused',
      exitCode: ExitCode.duplicatesOrAssertion,
      error,
      row: { status: 'duplicates_detected', error, duplicateCount: before.duplicateKeys },
      report: () =>
        send(options, runId, {
          kind: 'remediation_refused',
          severity: 'CRITICAL',
          title: `remediate ${date}: ${before.extraRows} duplicate rows in ${REMEDIATED_TABLE} is above the in-place limit of ${options.maxDuplicates}; nothing was changed`,
          nextStep: `Use the cleanup (backup, dedupe and verify at scale): npm run cleanup -- plan --table ${REMEDIATED_TABLE}, then npm run cleanup -- run --table ${REMEDIATED_TABLE} --confirm`,
          counts: countsOf(before, { max_duplicates: options.maxDuplicates }),
        }),
    };
  }

  const backupTable = backupTableName(date, runId);
  result.backupTable = backupTable;
  await query(bigquery, target, backupSql(target, backupTable), { date: dateParams([date])[0] });
  await options.hooks?.afterBackup?.(backupTable);
  const backup = await counts(bigquery, target, backupTable, date);
  if (backup.rows !== before.rows || backup.keys !== before.keys) {
    throw new Error(`backup ${backupTable} has ${backup.rows} rows / ${backup.keys} keys, expected ${before.rows} / ${before.keys}; nothing removed`);
  }
  log.info('remediate_backup_verified', { event: 'remediate_backup_verified', backup_table: backupTable, rows: backup.rows, keys: backup.keys });

  await options.hooks?.beforeTransaction?.();
  const fenced = { dates: dateParams([date]), lock_token: lease.token, run_id: runId };
  await retryFencedWrite(lease, log, async () => {
    lease.signal.throwIfAborted();
    await query(bigquery, target, seedFenceSql(target), { dates: fenced.dates });
    lease.signal.throwIfAborted();
    await query(bigquery, target, remediationScript(target, options.keep), { ...fenced, expected_rows: before.rows, expected_keys: before.keys });
  });
  await options.hooks?.afterCommit?.();

  const after = toCounts((await duplicationByDate(bigquery, target, REMEDIATED_TABLE, [date]))[0]);
  result.after = after;
  const diff = (await query(bigquery, target, keySetDiffSql(target, backupTable), { date: dateParams([date])[0] }))[0];
  const problems = [
    after.duplicateKeys !== 0 && `${after.duplicateKeys} duplicate keys remain`,
    after.rows !== before.keys && `${after.rows} rows instead of one per key (${before.keys})`,
    Number(diff.missing_keys) !== 0 && `${diff.missing_keys} keys of the backup are missing`,
    Number(diff.new_keys) !== 0 && `${diff.new_keys} keys are not in the backup`,
  ].filter(Boolean);
  if (problems.length) {
    const failure = `verification failed after the commit (${problems.join('; ')})`;
    // The fence (in restoreScript) is what guarantees a newer holder's rows are never overwritten; the lease check
    // only spares a write that would be refused anyway.
    if (lease.signal.aborted) {
      throw new Error(`${failure}; NOT restored: the grading lease was lost (${(lease.signal.reason as Error | undefined)?.message ?? 'lease lost'}), so a newer run may own the date`);
    }
    try {
      await retryFencedWrite(lease, log, () => query(bigquery, target, restoreScript(target, backupTable), fenced));
    } catch (error) {
      const message = (error as Error).message;
      const fencedOff = message.includes(FENCE_ERROR_PREFIX);
      throw new Error(`${failure}; NOT restored: ${fencedOff ? `a newer run owns the date (${message})` : `the restore failed (${message})`}`, { cause: error });
    }
    result.restored = true;
    throw new Error(`${failure}; the date was restored from ${backupTable}`);
  }
  const removedRows = before.rows - after.rows;
  result.removedRows = removedRows;
  log.info('remediate_finished', { event: 'remediate_finished', removed_rows: removedRows, backup_table: backupTable, ...countsOf(before) });
  return {
    status: 'remediated',
    exitCode: ExitCode.ok,
    row: { status: 'succeeded', duplicateCount: before.duplicateKeys, rowsWritten: after.rows },
    report: () =>
      send(options, runId, {
        kind: 'remediation_finished',
        severity: 'ERROR',
        title: `remediate ${date}: removed ${removedRows} duplicate rows from ${REMEDIATED_TABLE} (kept the ${options.keep} graded_at of each of ${before.duplicateKeys} keys)`,
        nextStep: `Find why the date had duplicates (grading_runs, lock logs); the backup ${backupTable} can be dropped once the date is confirmed`,
        counts: { ...countsOf(before), removed_rows: removedRows, rows_after: after.rows },
        details: { backup_table: backupTable, lock_token: lease.token },
      }),
  };
}

/**
 * A fenced write of the remediation, retried by the runner's rule (retryable.ts: BigQuery's documented transient
 * errors, bounded, backoff with jitter) — every fenced write shares grading_write_fence, so a `grade` of any date
 * committing meanwhile aborts it; the transaction rolled back entirely, and under the lock it is safe to rerun as is.
 * Never once the lease is lost: the attempt then throws the lease error, which is not retryable.
 */
function retryFencedWrite<T>(lease: Lease, log: Logger, write: () => Promise<T>): Promise<T> {
  return withRetries(
    () => {
      lease.signal.throwIfAborted();
      return write();
    },
    DEFAULT_RETRY_POLICY,
    (attempt, reason) => log.warn('remediate_retry', { event: 'remediate_retry', attempt, reason }),
  );
}

function toCounts(d: DateDuplication): Counts {
  return { rows: d.rows, keys: d.uniqueKeys, duplicateKeys: d.duplicateKeys, extraRows: d.extraRows };
}

function countsOf(c: Counts, extra: Record<string, number> = {}): Record<string, number> {
  return { rows: c.rows, unique_keys: c.keys, duplicate_keys: c.duplicateKeys, extra_rows: c.extraRows, ...extra };
}

async function counts(bigquery: BigQuery, target: WarehouseTarget, table: string, date: string): Promise<{ rows: number; keys: number }> {
  const [row] = await query(bigquery, target, countsSql(target, table), { date: dateParams([date])[0] });
  return { rows: Number(row.row_count), keys: Number(row.key_count) };
}

async function query(bigquery: BigQuery, target: WarehouseTarget, sql: string, params: Record<string, unknown>): Promise<Record<string, any>[]> {
  const [rows] = await bigquery.query({ query: sql, params, location: target.location });
  return rows;
}

async function send(options: RemediateOptions, runId: string, alert: Omit<Alert, 'gameDate' | 'table' | 'runId' | 'operation'>): Promise<void> {
  await options.alerter.send({ ...alert, gameDate: options.date, table: REMEDIATED_TABLE, runId, operation: 'remediate' });
}

/**
 * The one skeleton of every command that writes under the lock (grade and consolidate, remediate, the cleanup and its
 * restore): take the leases → open the run's `running` row in grading_runs → work under the held leases (they renew
 * themselves; `signal` aborts the moment one is lost) → the final row → release, always. How an error becomes a row
 * status and an exit code is decided here once: a lost lease is `lease_lost`, a RunFailedError says its own status,
 * anything else is `failed`; the exit code is exitCodeOf's. What each command alerts on stays with the command.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { LockAcquisitionError, type Lease } from '../lock/index.ts';
import type { Logger } from '../log/logger.ts';
import { upsertRun, type RunStatus } from '../warehouse/runs.ts';
import type { WarehouseTarget } from '../warehouse/target.ts';
import { exitCodeOf, ExitCode } from './exit-codes.ts';
import { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from './retryable.ts';

/** What `acquire` took: every lease (all released when the run ends) and the token its row records. */
export interface HeldLocks {
  leases: readonly Lease[];
  token: number;
}

/** What a row says besides its status and error. */
interface RunRowFields {
  dates: readonly string[];
  rowsWritten?: number | null;
  duplicateCount?: number | null;
}

/** The row closing a run whose work returned. */
export interface FinalRow {
  status: Exclude<RunStatus, 'running'>;
  error?: string | null;
  rowsWritten?: number | null;
  duplicateCount?: number | null;
}

/** A failure whose row status is not `failed` (a fence rejection, say). Exit code 1. */
export class RunFailedError extends Error {
  override name = 'RunFailedError';
  constructor(
    readonly status: Exclude<RunStatus, 'running' | 'succeeded'>,
    message: string,
  ) {
    super(message);
  }
}

export interface LockedRunSpec<H extends HeldLocks, T> {
  runId: string;
  /** grading_runs.operation */
  operation: string;
  bigquery: BigQuery;
  target: WarehouseTarget;
  log: Logger;
  /** Retries of the row writes (BigQuery's transient errors); default DEFAULT_RETRY_POLICY. */
  retryPolicy?: RetryPolicy;
  /** Takes the leases. A LockAcquisitionError (busy) is the run's refusal: no work, exit 4, `refused`. */
  acquire(): Promise<H>;
  /** Records and reports a refusal (its row, its alert); nothing when the command leaves no trace of one. */
  refused?(error: LockAcquisitionError): Promise<void>;
  /** Whether the skeleton opens the `running` row; false when the work's own writer does (Dataform's actions, for grade). */
  opensRow: boolean;
  /** The dates and figures of the run's row for a status (read at each write: a cleanup's dates can grow under its locks). */
  row(status: RunStatus): RunRowFields;
  work(held: H & { signal: AbortSignal }): Promise<T>;
  /** The final row of a run whose work returned; undefined when the work's own writer closed it (Dataform). */
  finish(value: T): FinalRow | undefined;
  /** Reports a failed run (after its row is written, before the leases are released): state, alert. */
  failed?(failure: RunFailure): Promise<void>;
  /**
   * Bookkeeping of the run's outcome that needs no lease (the circuit breaker's update), run at the same time as the
   * release instead of after it: the process exits one Firestore round trip sooner. Errors are its own to handle.
   */
  alongsideRelease?(): Promise<void>;
}

interface RunFailure {
  error: Error;
  status: Exclude<RunStatus, 'running' | 'succeeded'>;
  exitCode: number;
}

export type LockedRunEnd<T> = { outcome: 'done'; value: T; token: number } | ({ outcome: 'refused'; error: LockAcquisitionError } & { exitCode: number }) | ({ outcome: 'failed' } & RunFailure);

/** A lost lease decides the status whatever the work threw on its way out: what stopped it was the lost lock. */
function failureOf(error: unknown, signal: AbortSignal | undefined): RunFailure {
  const err = error instanceof Error ? error : new Error(String(error));
  const status = signal?.aborted ? 'lease_lost' : err instanceof RunFailedError ? err.status : 'failed';
  return { error: err, status, exitCode: exitCodeOf(err) };
}

export async function withLockedRun<H extends HeldLocks, T>(spec: LockedRunSpec<H, T>): Promise<LockedRunEnd<T>> {
  let held: H;
  try {
    held = await spec.acquire();
  } catch (error) {
    if (!(error instanceof LockAcquisitionError)) throw error;
    await spec.refused?.(error);
    return { outcome: 'refused', error, exitCode: ExitCode.lockNotAcquired };
  }
  const signal = AbortSignal.any(held.leases.map((lease) => lease.signal));
  const write = (row: FinalRow | { status: 'running' }) =>
    withRetries(
      () =>
        upsertRun(spec.bigquery, spec.target, {
          runId: spec.runId,
          operation: spec.operation,
          lockToken: held.token,
          ...spec.row(row.status),
          ...row,
          finished: row.status !== 'running',
        }),
      spec.retryPolicy ?? DEFAULT_RETRY_POLICY,
    );
  // A row that cannot be written does not change what the run did; the monitor closes a row left `running`.
  const writeFinal = (row: FinalRow) =>
    write(row).catch((error: Error) => spec.log.error('grading_runs_write_failed', { event: 'grading_runs_write_failed', run_id: spec.runId, status: row.status, error: error.message }));
  try {
    let value: T;
    try {
      if (spec.opensRow) await write({ status: 'running' });
      value = await spec.work({ ...held, signal });
    } catch (error) {
      const failure = failureOf(error, signal);
      await writeFinal({ status: failure.status, error: failure.error.message });
      await spec.failed?.(failure);
      return { outcome: 'failed', ...failure };
    }
    const final = spec.finish(value);
    if (final) await writeFinal(final);
    return { outcome: 'done', value, token: held.token };
  } finally {
    await Promise.all([
      ...held.leases.map((lease) => lease.release().catch((error: Error) => spec.log.error('lock_release_failed', { event: 'lock_release_failed', lock_key: lease.lockKey, error: error.message }))),
      spec.alongsideRelease?.(),
    ]);
  }
}

/**
 * The retry rule for BigQuery's "Transaction is aborted due to concurrent update": every fenced write UPDATEs
 * grading_write_fence, so fenced transactions of any dates and tables conflict at table level (BigQuery and the
 * emulator alike), and the one that commits second is aborted with nothing of it visible. Under the lock that is safe
 * to rerun as is. Shared by the runner (a whole `dataform run`) and remediation (its transaction).
 */
import type { Logger } from '../log/logger.ts';

/** BigQuery's message for a transaction that lost to a concurrent commit. */
export const CONCURRENT_ABORT = /Transaction is aborted due to concurrent update/;

/** Retries after the first attempt (a busy backfill of many dates needs several). */
export const DEFAULT_CONCURRENT_ABORT_RETRIES = 8;

export interface ConcurrentAbortRetry<T> {
  retries: number;
  log: Logger;
  /** The warning logged before each retry. */
  event: string;
  /** No retry once this aborts (a lost lease: the write would be refused anyway). */
  signal?: AbortSignal;
  /** For attempts that report an abort as a value (a `dataform run` outcome) rather than by throwing. */
  aborted?(value: T): boolean;
}

/**
 * Runs `attempt` (numbered from 1) until it neither throws nor returns a concurrent-update abort, at most 1 + retries
 * times, backing off 500 ms × attempt (jittered ±50%) in between. The last attempt's value or error is the result.
 */
export async function retryConcurrentAborts<T>(options: ConcurrentAbortRetry<T>, attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    let value: T;
    try {
      value = await attempt(n);
    } catch (error) {
      if (!retryable(options, n) || !CONCURRENT_ABORT.test((error as Error).message ?? '')) throw error;
      await backOff(options, n);
      continue;
    }
    if (!options.aborted?.(value) || !retryable(options, n)) return value;
    await backOff(options, n);
  }
}

function retryable(options: ConcurrentAbortRetry<unknown>, n: number): boolean {
  return n <= options.retries && !options.signal?.aborted;
}

async function backOff(options: ConcurrentAbortRetry<unknown>, n: number): Promise<void> {
  const backoffMs = Math.round(500 * n * (0.5 + Math.random()));
  options.log.warn(options.event, { event: options.event, attempt: n, backoff_ms: backoffMs });
  await new Promise((resolve) => setTimeout(resolve, backoffMs));
}

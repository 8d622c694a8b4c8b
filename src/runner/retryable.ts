/**
 * The BigQuery errors Google documents as transient, and nothing else: a run that met one is rerun (bounded, with
 * exponential backoff and jitter); any other error fails the run at once.
 *
 *  - "Transaction is aborted due to concurrent update": a conflicting transaction was cancelled ("Transactions" →
 *    transaction concurrency); every fenced write of any date conflicts at table level, so concurrent runs meet it.
 *  - "Could not serialize access to table ... due to concurrent update": mutating DML that lost a conflict after
 *    BigQuery's own three reruns ("Data manipulation language" → DML statement conflicts).
 *  - "Too many DML statements outstanding against table ...": 2 running + 20 queued mutating DML per table; the queue
 *    drains ("Troubleshoot quotas").
 *  - "Exceeded rate limits: ..." (reason rateLimitExceeded, e.g. too many table update operations for this table): a
 *    short-term limit; retry after a few seconds with exponential backoff ("Troubleshoot quotas"). quotaExceeded
 *    (a longer-term quota) is not retried.
 */
export type RetryableReason = 'transaction_aborted' | 'serialize_conflict' | 'dml_outstanding' | 'rate_limited';

const PATTERNS: Array<[RetryableReason, RegExp]> = [
  ['transaction_aborted', /Transaction is aborted due to concurrent update/],
  ['serialize_conflict', /Could not serialize access to table \S+ due to concurrent update/],
  ['dml_outstanding', /Too many DML statements outstanding against table/],
  ['rate_limited', /Exceeded rate limits:/],
];

/** The retryable reason `text` (an error message or a CLI's output) names, if any. */
export function retryableReason(text: string): { reason: RetryableReason; message: string } | undefined {
  for (const [reason, pattern] of PATTERNS) {
    const match = pattern.exec(text);
    if (match) {
      const line = text
        .slice(text.lastIndexOf('\n', match.index) + 1)
        .split('\n')[0]
        .replace(/^\s*bigquery error:\s*/, '')
        .trim();
      return { reason, message: line || match[0] };
    }
  }
  return undefined;
}

export interface RetryPolicy {
  /** Reruns after the first attempt (so at most 1 + retries attempts). */
  retries: number;
  /** First backoff; doubles every attempt, capped at maxBackoffMs; each is jittered by ±50 %. */
  baseBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 6, baseBackoffMs: 1_000, maxBackoffMs: 30_000 };

export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  return Math.round(Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** (attempt - 1)) * (0.5 + random()));
}

/**
 * `fn` retried while it throws a retryable error, up to the policy's bound (for the runner's own bookkeeping queries;
 * the `dataform run` retry is in run-batch.ts because it reads the CLI's output, not an exception).
 */
export async function withRetries<T>(fn: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY_POLICY, onRetry?: (attempt: number, reason: RetryableReason) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const retry = retryableReason((error as Error).message ?? '');
      if (!retry || attempt > policy.retries) throw error;
      onRetry?.(attempt, retry.reason);
      await new Promise((r) => setTimeout(r, backoffMs(policy, attempt)));
    }
  }
}

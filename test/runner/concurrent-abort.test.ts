// The one retry rule for "Transaction is aborted due to concurrent update", shared by the runner and remediation.
import { expect, test } from 'vitest';
import { retryConcurrentAborts } from '../../src/runner/concurrent-abort.ts';
import { captureLog } from '../lock/helpers.ts';

const ABORT = 'Transaction is aborted due to concurrent update against table p:d.grading_write_fence. (transaction already ended)';

test('retries a thrown concurrent abort, then returns the value; each retry is logged', async () => {
  const { logger, events } = captureLog();
  let calls = 0;
  const value = await retryConcurrentAborts({ retries: 2, log: logger, event: 'x_retry' }, async (n) => {
    calls = n;
    if (n === 1) throw new Error(ABORT);
    return 'done';
  });
  expect([value, calls]).toEqual(['done', 2]);
  expect(events('x_retry')).toHaveLength(1);
});

test('retries an abort reported as a value, at most `retries` times, and returns the last value', async () => {
  const { logger } = captureLog();
  const seen: number[] = [];
  const value = await retryConcurrentAborts({ retries: 2, log: logger, event: 'x_retry', aborted: (v: string) => v === 'aborted' }, async (n) => {
    seen.push(n);
    return 'aborted';
  });
  expect([value, seen]).toEqual(['aborted', [1, 2, 3]]);
});

test('never retries another error, nor an abort once the signal (the lease) is aborted', async () => {
  const { logger } = captureLog();
  let calls = 0;
  await expect(retryConcurrentAborts({ retries: 3, log: logger, event: 'x_retry' }, async () => { calls++; throw new Error('gradeguard_fence_rejected: ...'); })).rejects.toThrow('fence');
  const lease = new AbortController();
  lease.abort(new Error('lease lost'));
  await expect(retryConcurrentAborts({ retries: 3, log: logger, event: 'x_retry', signal: lease.signal }, async () => { calls++; throw new Error(ABORT); })).rejects.toThrow('concurrent update');
  expect(calls).toBe(2);
});

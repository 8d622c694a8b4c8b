import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { DistributedLock, LockAcquisitionError, LockLostError } from '../../src/lock/index.ts';
import { captureLog, testFirestore, type TestFirestore } from './helpers.ts';

let firestore: TestFirestore;
beforeAll(async () => {
  firestore = await testFirestore();
});
afterAll(() => firestore?.stop());
beforeEach(() => firestore.wipe());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function lock(options: Partial<ConstructorParameters<typeof DistributedLock>[0]> = {}) {
  return new DistributedLock({ lockType: 'grading', firestore: firestore.client(), ...options });
}

test('a held lease renews itself, so nobody else gets the lock after the lease time', async () => {
  const log = captureLog();
  const holder = lock({ leaseMs: 3_000, logger: log.logger });
  const lease = await holder.acquire('2026-01-17');
  await sleep(3_500); // Past the lease: only renewals keep the lock.
  await expect(lock().acquire('2026-01-17', { maxWaitMs: 0 })).rejects.toBeInstanceOf(LockAcquisitionError);
  expect(lease.signal.aborted).toBe(false);
  expect((await holder.inspect('2026-01-17'))?.renewals).toBeGreaterThanOrEqual(2);
  expect(log.events('lock_renewed').length).toBeGreaterThanOrEqual(2);
  expect(await lease.release()).toBe(true);
});

test('a holder that stops renewing loses the lock: higher token for the next, refusals and an aborted signal for the old', async () => {
  const log = captureLog();
  const old = await lock({ leaseMs: 1_500, autoRenew: false, logger: log.logger }).acquire('2026-01-17');
  const next = await lock({ maxWaitMs: 10_000 }).acquire('2026-01-17');
  expect(next.acquiredAt.getTime()).toBeGreaterThanOrEqual(old.expiresAt.getTime());
  expect(next.token).toBeGreaterThan(old.token);

  expect(old.signal.aborted).toBe(true);
  expect(old.signal.reason).toBeInstanceOf(LockLostError);
  expect((old.signal.reason as LockLostError).reason).toBe('lock_expired');
  await expect(old.renew()).rejects.toBeInstanceOf(LockLostError);
  expect(await old.release()).toBe(false);
  expect(log.events('lock_lost')).toHaveLength(1);
  expect(log.events('lock_release_skipped')).toHaveLength(1);

  // The refused release left the new holder's lock in place.
  const current = await lock().inspect('2026-01-17');
  expect(current?.token).toBe(next.token);
  expect(await next.release()).toBe(true);
});

test('renewing after someone else took over is refused by Firestore, and the signal aborts with lock_lost', async () => {
  // A long lease, so only Firestore (not the holder's own expiry timer) can tell the old holder it lost.
  const old = await lock({ autoRenew: false }).acquire('2026-01-17');
  await lock().forceRelease('2026-01-17', { reason: 'test: simulate a takeover' });
  const next = await lock().acquire('2026-01-17', { maxWaitMs: 0 });
  expect(old.signal.aborted).toBe(false);
  const error = await old.renew().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LockLostError);
  expect((error as LockLostError).reason).toBe('lock_lost');
  expect(old.signal.aborted).toBe(true);
  expect((old.signal.reason as LockLostError).reason).toBe('lock_lost');
  expect(await old.release()).toBe(false);
  expect((await lock().inspect('2026-01-17'))?.token).toBe(next.token);
  await next.release();
});

test('release is idempotent: the second release is a no-op with a warning', async () => {
  const log = captureLog();
  const lease = await lock({ logger: log.logger }).acquire('2026-01-17');
  expect(await lease.release()).toBe(true);
  expect(await lease.release()).toBe(false);
  expect(log.events('lock_released')).toHaveLength(1);
  expect(log.events('lock_release_skipped')[0]).toMatchObject({ severity: 'WARNING', lock_key: 'grading_2026-01-17' });
  expect(await lock().inspect('2026-01-17')).toBeUndefined();
});

test('tokens strictly increase across acquisitions, even after the lock document is gone', async () => {
  const tokens: number[] = [];
  const locker = lock();
  for (let i = 0; i < 5; i++) tokens.push(await locker.withLock('2026-01-17', (lease) => lease.token));
  expect(tokens).toEqual([1, 2, 3, 4, 5]);
});

test('withLock releases in finally when the work throws', async () => {
  const locker = lock();
  await expect(
    locker.withLock('2026-01-17', () => {
      throw new Error('grading failed');
    }),
  ).rejects.toThrow('grading failed');
  expect(await locker.inspect('2026-01-17')).toBeUndefined();
});

test('giving up names the holder, its operation, since when and until when', async () => {
  const log = captureLog();
  const holder = await lock({ holderId: 'worker-a' }).acquire('2026-01-17', { operationId: 'grading-run-42' });
  const error = await lock({ logger: log.logger })
    .acquire('2026-01-17', { maxWaitMs: 300 })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LockAcquisitionError);
  const message = (error as Error).message;
  expect(message).toContain('worker-a');
  expect(message).toContain('grading-run-42');
  expect(message).toContain(holder.acquiredAt.toISOString());
  expect(message).toContain(holder.expiresAt.toISOString());
  expect(log.events('lock_waited')).toHaveLength(1);
  expect(log.events('lock_timeout')[0]).toMatchObject({ lock_key: 'grading_2026-01-17', held_by: 'worker-a' });
  expect(log.events('lock_timeout')[0].attempts).toBeGreaterThanOrEqual(2);
  await holder.release();
});

test('a waiter gets the lock as soon as the holder releases it', async () => {
  const log = captureLog();
  const holder = await lock().acquire('2026-01-17');
  const waiting = lock({ logger: log.logger }).acquire('2026-01-17', { maxWaitMs: 20_000 });
  await sleep(500);
  await holder.release();
  const lease = await waiting;
  expect(lease.token).toBe(holder.token + 1);
  expect(log.events('lock_acquired')[0]).toMatchObject({ token: lease.token, lock_key: 'grading_2026-01-17' });
  expect(log.events('lock_acquired')[0].wait_ms).toBeGreaterThanOrEqual(400);
  await lease.release();
});

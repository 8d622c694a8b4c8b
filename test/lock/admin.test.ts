import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { DistributedLock, InvalidLockNameError, LockAcquisitionError, LockLostError } from '../../src/lock/index.ts';
import { captureLog, testFirestore, type TestFirestore } from './helpers.ts';

let firestore: TestFirestore;
beforeAll(async () => {
  firestore = await testFirestore();
});
afterAll(() => firestore?.stop());
beforeEach(() => firestore.wipe());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function lock(lockType = 'grading', options: Partial<ConstructorParameters<typeof DistributedLock>[0]> = {}) {
  return new DistributedLock({ lockType, firestore: firestore.client(), ...options });
}

test('lock types and scopes are independent; the same key is exclusive', async () => {
  const held = await lock().acquire('2026-01-17');
  const otherDate = await lock().acquire('2026-01-18', { maxWaitMs: 0 });
  const otherType = await lock('consolidation').acquire('2026-01-17', { maxWaitMs: 0 });
  const cleanup = await lock('cleanup').acquire('nba_props.prediction_accuracy', { maxWaitMs: 0 });
  await expect(lock().acquire('2026-01-17', { maxWaitMs: 0 })).rejects.toBeInstanceOf(LockAcquisitionError);
  // Every key has its own fence counter.
  expect([held.token, otherDate.token, otherType.token, cleanup.token]).toEqual([1, 1, 1, 1]);
  await Promise.all([held, otherDate, otherType, cleanup].map((lease) => lease.release()));
});

test("the lock document keeps the seed's names and carries every field the dashboards and TTL need", async () => {
  const lease = await lock('grading', { holderId: 'worker-a' }).acquire('2026-01-17', { operationId: 'run-7' });
  const snapshot = await firestore.client().collection('grading_locks').doc('grading_2026-01-17').get();
  const doc = snapshot.data()!;
  expect(doc).toMatchObject({
    lock_key: 'grading_2026-01-17',
    holder_id: 'worker-a',
    operation_id: 'run-7',
    token: lease.token,
    renewed_at: null,
    renewals: 0,
    pid: process.pid,
  });
  expect(typeof doc.host).toBe('string');
  expect(doc.acquired_at.toDate()).toEqual(lease.acquiredAt);
  expect(doc.expires_at.toDate()).toEqual(lease.expiresAt);
  const fence = await firestore.client().collection('grading_lock_fences').doc('grading_2026-01-17').get();
  expect(fence.data()?.last_token).toBe(lease.token);
  await lease.release();
  // Released: the lock document goes, the fence counter stays.
  expect((await snapshot.ref.get()).exists).toBe(false);
  expect((await fence.ref.get()).data()?.last_token).toBe(lease.token);
});

test('forceRelease frees a held lock, is audited and logged, and the old holder learns it lost', async () => {
  const log = captureLog();
  const holder = lock('grading', { leaseMs: 3_000 });
  const old = await holder.acquire('2026-01-17', { operationId: 'stuck-run' });
  const admin = lock('grading', { logger: log.logger, holderId: 'oncall' });
  const released = await admin.forceRelease('2026-01-17', { reason: 'run hung' });
  expect(released).toMatchObject({ token: old.token, operationId: 'stuck-run' });

  const next = await lock().acquire('2026-01-17', { maxWaitMs: 0 });
  expect(next.token).toBe(old.token + 1);
  // The old holder's next automatic renewal (a third of the lease) finds someone else's token.
  await new Promise((resolve) => old.signal.addEventListener('abort', resolve, { once: true }));
  expect((old.signal.reason as LockLostError).reason).toBe('lock_lost');
  expect(await old.release()).toBe(false);

  const audit = await firestore.client().collection('grading_lock_audit').get();
  expect(audit.docs.map((d) => d.data())).toMatchObject([{ action: 'force_release', by: 'oncall', reason: 'run hung', lock: { token: old.token } }]);
  expect(log.events('lock_force_released')[0]).toMatchObject({ severity: 'WARNING', token: old.token, reason: 'run hung' });
  expect(await admin.forceRelease('2026-02-01')).toBeUndefined();
  await next.release();
});

test('forceRelease with a token removes only that holder: a key taken over meanwhile stays with its new holder', async () => {
  const admin = lock('grading', { holderId: 'oncall' });
  const first = await lock('grading', { leaseMs: 3_000 }).acquire('2026-01-18', { operationId: 'dead-run' });
  const seen = await admin.inspect('2026-01-18');
  await admin.forceRelease('2026-01-18', { reason: 'someone else already cleared it' });
  const second = await lock().acquire('2026-01-18', { maxWaitMs: 0, operationId: 'healthy-run' });
  expect(second.token).toBe(first.token + 1);

  expect(await admin.forceRelease('2026-01-18', { reason: 'stale view', token: seen!.token })).toBeUndefined();
  expect(await admin.inspect('2026-01-18')).toMatchObject({ token: second.token, operationId: 'healthy-run' });
  expect(second.signal.aborted).toBe(false);
  expect(await admin.forceRelease('2026-01-18', { reason: 'current view', token: second.token })).toMatchObject({ token: second.token });
  expect(await admin.inspect('2026-01-18')).toBeUndefined();
  await first.release();
  await second.release();
});

test('list shows held and expired locks; stuck finds the old and the expired ones', async () => {
  const fresh = await lock().acquire('2026-01-17');
  await lock('grading', { leaseMs: 300, autoRenew: false }).acquire('2026-01-16');
  await sleep(500);
  const admin = lock();
  const all = await admin.list();
  expect(all.map((l) => [l.scope, l.expired])).toEqual([
    ['2026-01-16', true],
    ['2026-01-17', false],
  ]);
  expect((await admin.stuck({ olderThanMs: 60_000 })).map((l) => l.scope)).toEqual(['2026-01-16']);
  expect((await admin.stuck({ olderThanMs: 100 })).map((l) => l.scope)).toEqual(['2026-01-16', '2026-01-17']);
  // list is per lock type.
  expect(await lock('consolidation').list()).toEqual([]);
  await fresh.release();
});

test('bad lock types and scopes are rejected before touching Firestore', async () => {
  for (const lockType of ['', 'g', 'Grading', 'grading/x', 'grading-locks', '1grading', 'a'.repeat(64)]) {
    expect(() => lock(lockType), lockType).toThrow(InvalidLockNameError);
  }
  const locker = lock();
  for (const scope of ['', '../2026-01-17', '2026/01/17', ' 2026-01-17', '_x', 'x'.repeat(129), 'a b']) {
    await expect(locker.acquire(scope), scope).rejects.toThrow(InvalidLockNameError);
    await expect(locker.forceRelease(scope), scope).rejects.toThrow(InvalidLockNameError);
  }
  for (const scope of ['2026-01-17', 'nba_props.prediction_accuracy', 'cleanup:table-1', 'x'.repeat(128)]) {
    await locker.withLock(scope, () => undefined, { maxWaitMs: 0 });
  }
});

test('every event is a structured line with lock key, token, wait and attempts', async () => {
  const log = captureLog();
  const locker = lock('grading', { logger: log.logger });
  await locker.withLock('2026-01-17', async (lease) => {
    await lease.renew();
  });
  const [acquired] = log.events('lock_acquired');
  expect(acquired).toMatchObject({ severity: 'INFO', component: 'lock', lock_key: 'grading_2026-01-17', token: 1, attempts: 1 });
  expect(typeof acquired.wait_ms).toBe('number');
  expect(log.events('lock_renewed')[0]).toMatchObject({ lock_key: 'grading_2026-01-17', token: 1, renewals: 1 });
  expect(log.events('lock_released')[0]).toMatchObject({ lock_key: 'grading_2026-01-17', token: 1 });
});

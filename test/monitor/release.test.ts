import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { DistributedLock } from '../../src/lock/index.ts';
import { releaseIfStill } from '../../src/monitor/index.ts';
import { captureLog, testFirestore, type TestFirestore } from '../lock/helpers.ts';

let fs: TestFirestore;
beforeAll(async () => {
  fs = await testFirestore();
});
afterAll(() => fs?.stop());
beforeEach(() => fs.wipe());

const lock = (options: Partial<ConstructorParameters<typeof DistributedLock>[0]> = {}) => new DistributedLock({ lockType: 'grading', firestore: fs.client(), ...options });
const release = (token: number, requireExpired: boolean, log = captureLog()) =>
  releaseIfStill({ firestore: fs.client(), lockType: 'grading', scope: '2026-01-17', token, requireExpired, reason: 'test', by: 'oncall', logger: log.logger });

test("a dead holder's expired lock is released and audited; a run that took the key since is left alone", async () => {
  const dead = await lock({ leaseMs: 300, autoRenew: false }).acquire('2026-01-17');
  await new Promise((r) => setTimeout(r, 500));
  // What `locks stuck` showed: the dead holder's token. Meanwhile a healthy run takes the expired key.
  const healthy = await lock().acquire('2026-01-17', { maxWaitMs: 0 });
  expect(healthy.token).toBe(dead.token + 1);
  const result = await release(dead.token, true);
  expect(result).toMatchObject({ outcome: 'changed', lock: { token: healthy.token } });
  expect((await lock().inspect('2026-01-17'))?.token).toBe(healthy.token);
  expect(healthy.signal.aborted).toBe(false);
  await healthy.release();

  const again = await lock({ leaseMs: 300, autoRenew: false }).acquire('2026-01-17');
  await new Promise((r) => setTimeout(r, 500));
  const log = captureLog();
  expect(await release(again.token, true, log)).toMatchObject({ outcome: 'released', lock: { token: again.token, expired: true } });
  expect(await lock().inspect('2026-01-17')).toBeUndefined();
  const audit = (await fs.client().collection('grading_lock_audit').get()).docs.map((d) => d.data());
  expect(audit).toMatchObject([{ action: 'force_release', by: 'oncall', reason: 'test', expected_token: again.token, lock: { token: again.token } }]);
  expect(log.events('lock_force_released')[0]).toMatchObject({ severity: 'WARNING', token: again.token, expired: true });
});

test('requireExpired leaves a live holder alone; without it the same token is released', async () => {
  const live = await lock({ leaseMs: 10_000 }).acquire('2026-01-17');
  expect(await release(live.token, true)).toMatchObject({ outcome: 'live' });
  expect((await lock().inspect('2026-01-17'))?.token).toBe(live.token);
  expect(await release(live.token, false)).toMatchObject({ outcome: 'released' });
  expect(await release(live.token, false)).toEqual({ outcome: 'not_held' });
  await live.release();
});

import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DistributedLock, LockAcquisitionError } from '../../src/lock/index.ts';
import { nodeCommand } from '../helpers/processes.ts';
import { testFirestore, type TestFirestore } from './helpers.ts';

// The compiled copy from the run's build (tsx would compile every module at each of these processes' starts).
const CONTENDER = nodeCommand('tools/harness/lock-contender.ts', []);
// Long enough that a holder starved of CPU by the parallel 20-process test still renews before its lease ends.
const LEASE_MS = 8_000;

let firestore: TestFirestore;
beforeAll(async () => {
  firestore = await testFirestore();
});
afterAll(() => firestore?.stop());

test('kill -9 of the holder: nobody gets the lock before its lease ends, someone does right after', async () => {
  const child = spawn(CONTENDER[0], CONTENDER[1], {
    env: {
      ...process.env,
      FIRESTORE_EMULATOR_HOST: firestore.host,
      PROJECT_ID: firestore.projectId,
      CONTENDER_MODE: 'hold',
      LEASE_MS: String(LEASE_MS),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const held = JSON.parse(await new Promise<string>((resolve) => child.stdout!.once('data', (d) => resolve(String(d)))));
  // Let it renew at least once, so the lease we wait out is the renewed one, not the first. Poll rather than
  // sleep: on a loaded machine the first renewal can come late.
  const lock = new DistributedLock({ lockType: 'grading', firestore: firestore.client(), leaseMs: 10_000 });
  for (let waited = 0; waited < 20_000; waited += 100) {
    if (((await lock.inspect('2026-01-17'))?.renewals ?? 0) >= 1) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  await exited;

  const left = await lock.inspect('2026-01-17');
  expect(left?.token).toBe(held.token);
  expect(left?.renewals).toBeGreaterThanOrEqual(1);
  await expect(lock.acquire('2026-01-17', { maxWaitMs: 0 })).rejects.toBeInstanceOf(LockAcquisitionError);

  const lease = await lock.acquire('2026-01-17', { maxWaitMs: 3 * LEASE_MS });
  expect(lease.acquiredAt.getTime()).toBeGreaterThanOrEqual(left!.expiresAt.getTime());
  expect(lease.token).toBe(held.token + 1);
  await lease.release();
});

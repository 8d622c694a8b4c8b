import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { DistributedLock } from '../../src/lock/index.ts';
import { CircuitBreaker } from '../../src/runner/circuit-breaker.ts';
import { testFirestore, type TestFirestore } from '../lock/helpers.ts';
import { runScript, spawnHolder } from './cli.ts';

let firestore: TestFirestore;
const children: ChildProcess[] = [];
beforeAll(async () => {
  firestore = await testFirestore();
});
afterAll(() => firestore?.stop());
beforeEach(() => firestore.wipe());
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

const env = () => ({ FIRESTORE_EMULATOR_HOST: firestore.host, GOOGLE_CLOUD_PROJECT: firestore.projectId, SLACK_WEBHOOK_URL: '' });
const locks = (...args: string[]) => runScript('scripts/locks.ts', args, env());

// A 10 m lease renews every 200 s: `renewals: 0` holds however slow the machine (a 30 s one renewed within a busy run).
async function holder(scope: string, lockType = 'grading') {
  const held = await spawnHolder({ ...env(), PROJECT_ID: firestore.projectId, LOCK_TYPE: lockType, SCOPE: scope, LEASE_MS: '600000' });
  children.push(held.child);
  return held;
}

test('list shows a lock held by another process (holder, operation, token, since, renewals) and the circuit breakers', async () => {
  const held = await holder('2026-01-17');
  await new CircuitBreaker({ firestore: firestore.client(), operation: 'grading', threshold: 1 }).recordFailure('dataform exited 1');
  const [result, text] = await Promise.all([locks('list', '--json'), locks('list')]);
  expect(result.code, result.stderr).toBe(0);
  const listed = JSON.parse(result.stdout);
  expect(listed.locks).toHaveLength(1);
  expect(listed.locks[0]).toMatchObject({ type: 'grading', scope: '2026-01-17', state: 'held', token: held.token, operation: `hold-${held.child.pid}`, pid: held.child.pid, renewals: 0 });
  expect(listed.locks[0].holder).toContain(`:${held.child.pid}:`);
  expect(listed.circuits).toMatchObject([{ operation: 'grading', state: 'open', consecutiveFailures: 1, lastError: 'dataform exited 1' }]);
  expect(text.stdout).toMatch(/grading\s+2026-01-17\s+held/);
  expect(text.stdout).toMatch(/grading\s+open\s+1/);
});

test('stuck: a short threshold finds the held lock (exit 3), the default 10m does not (exit 0)', async () => {
  await holder('2026-01-18', 'consolidation');
  await new Promise((r) => setTimeout(r, 1_200));
  const [recent, stuck] = await Promise.all([locks('stuck', '--json'), locks('stuck', '--older-than', '1s', '--json')]);
  expect(recent.code, recent.stderr).toBe(0);
  expect(JSON.parse(recent.stdout).stuck).toEqual([]);
  expect(stuck.code).toBe(3);
  expect(JSON.parse(stuck.stdout).stuck).toMatchObject([{ type: 'consolidation', scope: '2026-01-18' }]);
});

test('release refuses a live holder without --force (exit 4); --force releases it, audited and logged, and the next holder gets a higher token', async () => {
  const held = await holder('2026-01-19');
  const refused = await locks('release', 'grading', '2026-01-19');
  expect(refused.code).toBe(4);
  expect(refused.stdout).toContain('pass --force');
  expect((await new DistributedLock({ lockType: 'grading', firestore: firestore.client() }).inspect('2026-01-19'))?.token).toBe(held.token);

  const forced = await locks('release', 'grading', '2026-01-19', '--force', '--reason', 'holder hung in test');
  expect(forced.code, forced.stderr).toBe(0);
  expect(forced.stdout).toContain(`token ${held.token}`);
  const log = forced.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  expect(log.find((l) => l.event === 'lock_force_released')).toMatchObject({ severity: 'WARNING', token: held.token, reason: 'holder hung in test' });
  expect(log.find((l) => l.event === 'locks_release')).toMatchObject({ forced: true, held_by: expect.stringContaining(`:${held.child.pid}:`) });
  const audit = (await firestore.client().collection('grading_lock_audit').get()).docs.map((d) => d.data());
  expect(audit).toMatchObject([{ action: 'force_release', reason: 'holder hung in test', lock: { token: held.token } }]);
  // The next holder gets a higher token, so the storage fence refuses the old one.
  const next = await new DistributedLock({ lockType: 'grading', firestore: firestore.client() }).acquire('2026-01-19', { maxWaitMs: 0 });
  expect(next.token).toBe(held.token + 1);
  await next.release();
});

test('release without --force removes an expired lock; a free lock is "not held"', async () => {
  await new DistributedLock({ lockType: 'grading', firestore: firestore.client(), leaseMs: 300, autoRenew: false }).acquire('2026-01-20');
  await new Promise((r) => setTimeout(r, 500));
  const released = await locks('release', 'grading', '2026-01-20', '--json');
  expect(released.code, released.stderr).toBe(0);
  expect(JSON.parse(released.stdout)).toMatchObject({ released: true, lock: { state: 'expired' } });
  const again = await locks('release', 'grading', '2026-01-20');
  expect(again.stdout).toContain('not held');
});

test('bad input exits 2 and touches nothing', async () => {
  const cases = [['show'], ['release', 'grading'], ['release', 'Bad-Type', 'x'], ['release', 'grading', 'a/b'], ['stuck', '--older-than', '-5m'], ['list', '--force']];
  const results = await Promise.all(cases.map((args) => locks(...args)));
  for (const [i, result] of results.entries()) expect(result.code, `${cases[i].join(' ')}: ${result.stderr}`).toBe(2);
  expect(results[2].stderr).toMatch(/Invalid lock type "Bad-Type"/);
  const malformed = await runScript('scripts/locks.ts', ['list'], { ...env(), SLACK_WEBHOOK_URL: 'http://hooks.slack.com/services/SECRETPART' });
  expect(malformed.code).toBe(2);
  expect(malformed.stderr).toMatch(/SLACK_WEBHOOK_URL must be an https:\/\/ URL/);
  expect(malformed.stderr).not.toContain('SECRETPART');
});

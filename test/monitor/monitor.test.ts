import type { ChildProcess } from 'node:child_process';
import { Timestamp } from '@google-cloud/firestore';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { createAlerter } from '../../src/alerts/index.ts';
import { DistributedLock } from '../../src/lock/index.ts';
import { lastDailyCheck, monitorPass } from '../../src/monitor/index.ts';
import { CircuitBreaker } from '../../src/runner/circuit-breaker.ts';
import { startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';
import { seedWarehouse, targetOf } from '../checks/seed.ts';
import { captureLog, testFirestore, type TestFirestore } from '../lock/helpers.ts';
import { runScript, spawnHolder } from '../locks-cli/cli.ts';

let fs: TestFirestore;
let slack: WebhookReceiver;
let bq: LocalBigQuery;
const children: ChildProcess[] = [];
beforeAll(async () => {
  [fs, slack, bq] = await Promise.all([testFirestore(), startWebhookReceiver(), startLocalBigQuery()]);
  await seedWarehouse(bq, targetOf(bq));
}, 60_000);
afterAll(async () => {
  await slack?.stop();
  await fs?.stop();
  await bq?.stop();
});
beforeEach(async () => {
  slack.requests.length = 0;
  await fs.wipe();
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

const env = () => ({ FIRESTORE_EMULATOR_HOST: fs.host, GOOGLE_CLOUD_PROJECT: fs.projectId, SLACK_WEBHOOK_URL: slack.url });
const texts = () => slack.requests.map((r) => r.json.text as string);

test('a lock held by a stopped process: alert; force-released only with --auto-release, audited', async () => {
  const holder = await spawnHolder({ ...env(), PROJECT_ID: fs.projectId, LOCK_TYPE: 'grading', SCOPE: '2026-01-17', LEASE_MS: '60000' });
  children.push(holder.child);
  holder.child.kill('SIGSTOP');
  // What a hung holder leaves after 20 minutes (its lease still running): acquired long ago. Written, not waited for.
  await fs
    .client()
    .collection('grading_locks')
    .doc('grading_2026-01-17')
    .update({ acquired_at: Timestamp.fromMillis(Date.now() - 20 * 60_000) });
  const lock = new DistributedLock({ lockType: 'grading', firestore: fs.client() });

  const alertOnly = await runScript('scripts/monitor.ts', ['--skip-check', '--json'], env());
  expect(alertOnly.code, alertOnly.stderr).toBe(3);
  expect(JSON.parse(alertOnly.stdout).stuck).toMatchObject([{ lockKey: 'grading_2026-01-17', token: holder.token, released: false, expired: false }]);
  expect(texts()).toEqual([expect.stringContaining('Stuck lock')]);
  expect(texts()[0]).toContain(`npm run locks -- release grading 2026-01-17 --force`);
  expect((await lock.inspect('2026-01-17'))?.token).toBe(holder.token);

  const release = await runScript('scripts/monitor.ts', ['--skip-check', '--auto-release', '--json'], env());
  expect(release.code, release.stderr).toBe(3);
  expect(JSON.parse(release.stdout).stuck).toMatchObject([{ lockKey: 'grading_2026-01-17', released: true }]);
  expect(await lock.inspect('2026-01-17')).toBeUndefined();
  const audit = (await fs.client().collection('grading_lock_audit').get()).docs.map((d) => d.data());
  expect(audit).toMatchObject([{ action: 'force_release', reason: expect.stringContaining('monitor --auto-release'), lock: { token: holder.token } }]);
  expect(texts()[1]).toContain('Stuck lock force-released');
});

test('locks younger than the threshold are left alone even with auto-release', async () => {
  const lease = await new DistributedLock({ lockType: 'consolidation', firestore: fs.client() }).acquire('2026-01-18');
  const report = await monitorPass({ firestore: fs.client(), alerter: createAlerter({ webhookUrl: slack.url, logger: captureLog().logger }), logger: captureLog().logger, autoRelease: true, dailyCheck: false });
  expect(report).toMatchObject({ stuck: [], openCircuits: [], findings: 0 });
  expect(slack.requests).toHaveLength(0);
  expect(await lease.release()).toBe(true);
});

test('an open circuit breaker is alerted once within the hour', async () => {
  await new CircuitBreaker({ firestore: fs.client(), operation: 'grading', threshold: 2 }).recordFailure('dataform exited 1');
  await new CircuitBreaker({ firestore: fs.client(), operation: 'grading', threshold: 2 }).recordFailure('dataform exited 1 again');
  const alerter = createAlerter({ webhookUrl: slack.url, firestore: fs.client(), logger: captureLog().logger });
  const options = { firestore: fs.client(), alerter, logger: captureLog().logger, dailyCheck: false };
  const report = await monitorPass(options);
  expect(report.openCircuits).toMatchObject([{ operation: 'grading', state: 'open', consecutiveFailures: 2 }]);
  expect(texts()).toEqual([expect.stringContaining('Circuit breaker open')]);
  expect(texts()[0]).toContain('dataform exited 1 again');
  await monitorPass(options);
  expect(slack.requests).toHaveLength(1);
});

test('the daily check runs once per day across monitors, and again the next day', async () => {
  const warehouse = { bigquery: bq.client, target: targetOf(bq) };
  const pass = (today: string) => monitorPass({ firestore: fs.client(), alerter: createAlerter({ webhookUrl: null, logger: captureLog().logger }), logger: captureLog().logger, warehouse, today: () => today });
  const [a, b] = await Promise.all([pass('2026-01-20'), pass('2026-01-20')]);
  expect([a.check.ran, b.check.ran].sort()).toEqual([false, true]);
  const ran = a.check.ran ? a : b;
  expect(ran.check.clean).toBe(false);
  expect(ran.findings).toBe(1);
  expect(await lastDailyCheck(fs.client())).toMatchObject({ last_run_date: '2026-01-20', status: 'done', run_id: ran.check.runId, clean: false });
  expect((await pass('2026-01-20')).check).toEqual({ ran: false, reason: 'already ran for 2026-01-20' });
  expect((await pass('2026-01-21')).check.ran).toBe(true);
});

test('bad input exits 2', async () => {
  const results = await Promise.all([
    runScript('scripts/monitor.ts', ['--interval', '30s'], env()),
    runScript('scripts/monitor.ts', ['--watch', '--stuck-after', '20m', '--release-after', '10m'], env()),
    runScript('scripts/monitor.ts', ['--watch', '--interval', 'soon'], env()),
  ]);
  for (const result of results) expect(result.code, result.stderr).toBe(2);
  // The unit trap of issue 18: bare numbers were milliseconds, and 15s force-released a healthy 8 s old lock.
  const trap = await Promise.all([
    runScript('scripts/monitor.ts', ['--auto-release', '--stuck-after', '10', '--release-after', '15'], env()),
    runScript('scripts/monitor.ts', ['--auto-release', '--stuck-after', '10s', '--release-after', '15s'], env()),
    runScript('scripts/monitor.ts', ['--auto-release', '--release-after', '10m'], env()),
  ]);
  expect(trap.map((r) => r.code)).toEqual([2, 2, 2]);
  expect(trap[0].stderr).toContain('Invalid --stuck-after "10": expected a duration with a unit: 500ms, 30s, 10m or 1h; a unit is required (did you mean 10s?)');
  expect(trap[1].stderr).toContain('Invalid --release-after "15s": must exceed 10m, the longest lease a command takes');
  expect(trap[2].stderr).toContain('Invalid --release-after "10m": must exceed 10m');
  expect(texts()).toEqual([]);
});

test('--watch runs a pass per interval and stops cleanly on SIGTERM', async () => {
  const { spawn } = await import('node:child_process');
  const { nodeCommand } = await import('../helpers/processes.ts');
  const { repoRoot } = await import('../../src/warehouse/dataform-cli.ts');
  const [cmd, argv] = nodeCommand('scripts/monitor.ts', ['--watch', '--interval', '1s', '--skip-check', '--json']);
  const child = spawn(cmd, argv, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env() } });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const deadline = Date.now() + 30_000;
  while (out.split('\n').filter((l) => l.startsWith('{')).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const passes = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  expect(passes.length).toBeGreaterThanOrEqual(2);
  expect(Date.parse(passes[1].at) - Date.parse(passes[0].at)).toBeGreaterThanOrEqual(900);
  child.kill('SIGTERM');
  const code = await new Promise((r) => child.on('exit', r));
  expect(code).toBe(0);
});

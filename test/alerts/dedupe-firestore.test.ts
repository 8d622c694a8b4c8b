import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { ALERTS_COLLECTION, createAlerter } from '../../src/alerts/index.ts';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { captureLog, testFirestore, type TestFirestore } from '../lock/helpers.ts';
import { nodeCommand } from '../helpers/processes.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';
import { sampleAlert } from './sample-alerts.ts';

let firestore: TestFirestore;
let receiver: WebhookReceiver;
beforeAll(async () => {
  [firestore, receiver] = await Promise.all([testFirestore(), startWebhookReceiver()]);
});
afterAll(async () => {
  await receiver?.stop();
  await firestore?.stop();
});
beforeEach(async () => {
  await firestore.wipe();
  receiver.requests.length = 0;
});

function sender(go: string, alert: object): Promise<{ delivery: string; stderr: string }> {
  const [cmd, argv] = nodeCommand('test/alerts/fixtures/send-alert.ts', []);
  const child = spawn(cmd, argv, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FIRESTORE_EMULATOR_HOST: firestore.host, PROJECT_ID: firestore.projectId, SLACK_WEBHOOK_URL: receiver.url, ALERT: JSON.stringify(alert), GO: go },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`sender exited ${code}: ${err}`));
      else resolve({ ...JSON.parse(line), stderr: err });
    }),
  );
}

test('two processes sending the same alert at once: Slack gets it once, the other is suppressed', async () => {
  const go = join(mkdtempSync(join(tmpdir(), 'gg-alert-')), 'go');
  const alert = sampleAlert('duplicates_detected');
  const results = Promise.all([sender(go, alert), sender(go, { ...alert, runId: 'other-run' })]);
  // Both processes are up (gRPC loaded) before either sends.
  await new Promise((r) => setTimeout(r, 2_500));
  writeFileSync(go, '');
  const [a, b] = await results;
  expect([a.delivery, b.delivery].sort()).toEqual(['delivered', 'suppressed_duplicate']);
  expect(receiver.requests).toHaveLength(1);
  // The child logs never show the webhook.
  expect(a.stderr + b.stderr).not.toContain('s3cr3tW3bh00kT0k3n');
  const docs = (await firestore.client().collection(ALERTS_COLLECTION).get()).docs.map((d) => d.data());
  expect(docs).toMatchObject([{ kind: 'duplicates_detected', game_date: '2026-01-17', table: 'prediction_accuracy', sent_count: 1 }]);
});

test('a later process within the hour is suppressed; after the window it sends again', async () => {
  const db = firestore.client();
  const alert = sampleAlert('stuck_lock', { table: undefined, gameDate: '2026-01-17' });
  const first = createAlerter({ webhookUrl: receiver.url, firestore: db, logger: captureLog().logger });
  expect(await first.send(alert)).toBe('delivered');
  const second = createAlerter({ webhookUrl: receiver.url, firestore: firestore.client(), logger: captureLog().logger });
  expect(await second.send(alert)).toBe('suppressed_duplicate');
  // A short window shows the expiry without waiting an hour (same code path, Firestore's clock).
  const shortWindow = createAlerter({ webhookUrl: receiver.url, firestore: db, logger: captureLog().logger, dedupeWindowMs: 300 });
  await new Promise((r) => setTimeout(r, 400));
  expect(await shortWindow.send(alert)).toBe('delivered');
  expect(receiver.requests).toHaveLength(2);
});

test('a failed delivery releases the Firestore claim so another process can alert', async () => {
  receiver.script({ status: 404 });
  const db = firestore.client();
  const alert = sampleAlert('lock_lost');
  expect(await createAlerter({ webhookUrl: receiver.url, firestore: db, logger: captureLog().logger }).send(alert)).toBe('delivery_failed');
  expect(await createAlerter({ webhookUrl: receiver.url, firestore: db, logger: captureLog().logger }).send(alert)).toBe('delivered');
});

import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { ALERT_KINDS, createAlerter, headline } from '../../src/alerts/index.ts';
import { captureLog } from '../lock/helpers.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';
import { everyKind, sampleAlert } from './sample-alerts.ts';

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver?.stop());
beforeEach(() => {
  receiver.requests.length = 0;
  receiver.setFallback({ status: 200, body: 'ok' });
});

const fast = { maxTotalMs: 3_000, initialBackoffMs: 50, maxBackoffMs: 200 };

/** A delivery clock whose waits pass at once (the time still moves on by them) and are recorded. */
function instantClock() {
  let waited = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => Date.now() + waited,
    sleep: async (ms: number) => {
      waits.push(ms);
      waited += ms;
    },
  };
}

test('every alert kind reaches Slack with its date, table, counts, run id and next step', async () => {
  const log = captureLog();
  const alerter = createAlerter({ webhookUrl: receiver.url, logger: log.logger, delivery: fast });
  for (const alert of everyKind()) expect(await alerter.send(alert)).toBe('delivered');
  expect(receiver.requests).toHaveLength(ALERT_KINDS.length);
  for (const [i, kind] of ALERT_KINDS.entries()) {
    const request = receiver.requests[i];
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    const text: string = request.json.text;
    expect(text).toContain(headline(kind));
    expect(text).toContain('*date*: 2026-01-17');
    expect(text).toContain('*table*: prediction_accuracy');
    expect(text).toContain(`*run_id*: run-${kind}`);
    expect(text).toContain('*duplicate_keys*: 1,234');
    expect(text).toContain('*extra_rows*: 2,345');
    expect(text).toContain(`*Next step:* npm run remediate -- --date 2026-01-17  (${kind})`);
    expect(text).toContain(`_kind: ${kind}_`);
    expect(request.json.blocks.length).toBeGreaterThanOrEqual(3);
  }
  // And each is a structured log line with stable labels at the alert's severity.
  const lines = log.events('alert');
  expect(lines).toHaveLength(ALERT_KINDS.length);
  const stuck = lines.find((l) => l.alert_kind === 'stuck_lock');
  expect(stuck).toMatchObject({
    severity: 'ERROR',
    event: 'alert',
    labels: { gradeguard_alert: 'stuck_lock', game_date: '2026-01-17', table: 'prediction_accuracy', run_id: 'run-stuck_lock' },
    next_step: expect.stringContaining('remediate'),
    counts: { duplicate_keys: 1234, extra_rows: 2345 },
  });
  expect(lines.find((l) => l.alert_kind === 'duplicates_detected')?.severity).toBe('CRITICAL');
});

test('Slack mrkdwn in alert text is escaped', async () => {
  const alerter = createAlerter({ webhookUrl: receiver.url, logger: captureLog().logger, delivery: fast });
  await alerter.send(sampleAlert('run_failed', { title: 'error <b> & <!channel>' }));
  expect(receiver.requests[0].json.text).toContain('error &lt;b&gt; &amp; &lt;!channel&gt;');
});

test('retries 500 and 429 (waiting Retry-After), then delivers', async () => {
  receiver.script({ status: 500, body: 'boom' }, { status: 503 }, { status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' });
  const log = captureLog();
  const clock = instantClock();
  const alerter = createAlerter({ webhookUrl: receiver.url, logger: log.logger, delivery: { ...fast, maxTotalMs: 10_000, clock } });
  expect(await alerter.send(sampleAlert('stuck_lock'))).toBe('delivered');
  expect(receiver.requests).toHaveLength(4);
  // Backoffs after the 500 and the 503, then Retry-After (1 s) after the 429.
  expect(clock.waits).toHaveLength(3);
  expect(clock.waits[2]).toBe(1_000);
  expect(receiver.requests.map((r) => r.body)).toEqual(Array(4).fill(receiver.requests[0].body));
  expect(log.events('alert_delivery_failed')).toHaveLength(0);
});

test('a webhook that stays down: gives up within the bound, warns, and send() resolves', async () => {
  receiver.setFallback({ status: 503, body: 'down' });
  const log = captureLog();
  // A bound of 10 s (production: 30 s): at 1.5 s a busy machine's first request could not even get its answer in time.
  // The waits pass at once on the injected clock, so the bound is not waited out.
  const clock = instantClock();
  const alerter = createAlerter({ webhookUrl: receiver.url, logger: log.logger, delivery: { maxTotalMs: 10_000, initialBackoffMs: 100, maxBackoffMs: 400, clock } });
  expect(await alerter.send(sampleAlert('lock_lost'))).toBe('delivery_failed');
  // It retried, then stopped because the next backoff would pass the bound (what "gave up" says). A delivery ignoring
  // the bound would never resolve: the test would time out.
  expect(receiver.requests.length).toBeGreaterThanOrEqual(2);
  expect(receiver.requests).toHaveLength(clock.waits.length + 1);
  expect(clock.waits.reduce((a, b) => a + b, 0)).toBeLessThan(10_000);
  expect(log.events('alert_delivery_failed')[0]).toMatchObject({ severity: 'WARNING', status: 503, alert_kind: 'lock_lost' });
  expect(String(log.events('alert_delivery_failed')[0].error)).toMatch(/gave up after \d+ attempts$/);
  // The alert itself was still logged at its severity.
  expect(log.events('alert')[0]).toMatchObject({ severity: 'CRITICAL', slack: 'sending' });
});

test('a Retry-After longer than the bound is not waited out', async () => {
  receiver.setFallback({ status: 429, headers: { 'retry-after': '120' } });
  const alerter = createAlerter({ webhookUrl: receiver.url, logger: captureLog().logger, delivery: { maxTotalMs: 2_000 } });
  const started = Date.now();
  expect(await alerter.send(sampleAlert('circuit_open'))).toBe('delivery_failed');
  expect(Date.now() - started).toBeLessThan(1_000);
  expect(receiver.requests).toHaveLength(1);
});

test('a 404 (revoked webhook) is not retried', async () => {
  receiver.setFallback({ status: 404, body: 'no_service' });
  const alerter = createAlerter({ webhookUrl: receiver.url, logger: captureLog().logger, delivery: fast });
  expect(await alerter.send(sampleAlert('cleanup_failed'))).toBe('delivery_failed');
  expect(receiver.requests).toHaveLength(1);
});

test('nothing listening: no crash, a warning, within the bound', async () => {
  const dead = await startWebhookReceiver();
  await dead.stop();
  const log = captureLog();
  const alerter = createAlerter({ webhookUrl: dead.url, logger: log.logger, delivery: { maxTotalMs: 1_000, initialBackoffMs: 100, maxBackoffMs: 200 } });
  const started = Date.now();
  expect(await alerter.send(sampleAlert('assertion_failed'))).toBe('delivery_failed');
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(String(log.events('alert_delivery_failed')[0].error)).toMatch(/network error \(ECONNREFUSED\)/);
});

test('the same (kind, date, table) goes to Slack once an hour; other dates, tables and kinds do not wait', async () => {
  let clock = Date.parse('2026-01-18T08:00:00Z');
  const { memoryDedupe } = await import('../../src/alerts/index.ts');
  const log = captureLog();
  const alerter = createAlerter({ webhookUrl: receiver.url, logger: log.logger, delivery: fast, dedupe: memoryDedupe(() => clock) });
  expect(await alerter.send(sampleAlert('duplicates_detected'))).toBe('delivered');
  expect(await alerter.send(sampleAlert('duplicates_detected', { runId: 'another-run' }))).toBe('suppressed_duplicate');
  expect(await alerter.send(sampleAlert('duplicates_detected', { gameDate: '2026-01-16' }))).toBe('delivered');
  expect(await alerter.send(sampleAlert('duplicates_detected', { table: 'system_daily_performance' }))).toBe('delivered');
  expect(await alerter.send(sampleAlert('assertion_failed'))).toBe('delivered');
  clock += 59 * 60_000;
  expect(await alerter.send(sampleAlert('duplicates_detected'))).toBe('suppressed_duplicate');
  clock += 61_000;
  expect(await alerter.send(sampleAlert('duplicates_detected'))).toBe('delivered');
  expect(receiver.requests).toHaveLength(5);
  // Suppressed alerts are still log lines (evidence), marked as such.
  expect(log.events('alert').filter((l) => l.slack === 'suppressed_duplicate')).toHaveLength(2);
});

test('a failed delivery does not count as sent: the next occurrence tries again', async () => {
  receiver.script({ status: 404 });
  const alerter = createAlerter({ webhookUrl: receiver.url, logger: captureLog().logger, delivery: fast });
  expect(await alerter.send(sampleAlert('run_failed'))).toBe('delivery_failed');
  expect(await alerter.send(sampleAlert('run_failed'))).toBe('delivered');
});

test('without a webhook, alerts are log lines only; createAlerter() with no arguments works', async () => {
  const saved = process.env.SLACK_WEBHOOK_URL;
  delete process.env.SLACK_WEBHOOK_URL;
  try {
    expect(await createAlerter().send(sampleAlert('run_failed'))).toBe('logged_only');
    process.env.SLACK_WEBHOOK_URL = receiver.url;
    expect(await createAlerter({ logger: captureLog().logger, delivery: fast }).send(sampleAlert('run_failed'))).toBe('delivered');
    expect(receiver.requests).toHaveLength(1);
  } finally {
    if (saved === undefined) delete process.env.SLACK_WEBHOOK_URL;
    else process.env.SLACK_WEBHOOK_URL = saved;
  }
});

test('the webhook URL never appears in any log line, whatever happens', async () => {
  const lines: string[] = [];
  const { createLogger } = await import('../../src/log/logger.ts');
  const logger = createLogger('alerts', { json: true, level: 'DEBUG', sink: { write: (l: string) => lines.push(l) } });
  const alerter = createAlerter({ webhookUrl: receiver.url, logger, delivery: { maxTotalMs: 800, initialBackoffMs: 50, maxBackoffMs: 100 } });
  // The receiver echoes the URL back in its error body, as a misbehaving proxy might.
  receiver.script({ status: 500, body: `upstream ${receiver.url} failed` }, { status: 400, body: `bad ${new URL(receiver.url).pathname}` });
  await alerter.send(sampleAlert('run_failed', { gameDate: '2026-01-01' }));
  await alerter.send(sampleAlert('run_failed', { gameDate: '2026-01-02' }));
  const dead = await startWebhookReceiver('/services/TDEAD/BDEAD/anotherSecretToken');
  await dead.stop();
  await createAlerter({ webhookUrl: dead.url, logger, delivery: { maxTotalMs: 300 } }).send(sampleAlert('run_failed'));
  const all = lines.join('\n');
  expect(lines.length).toBeGreaterThanOrEqual(5);
  expect(all).toContain('alert_delivery_failed');
  for (const secret of ['s3cr3tW3bh00kT0k3n', 'anotherSecretToken', receiver.origin]) expect(all).not.toContain(secret);
});

test('an error body echoing part of the webhook secret is redacted from alert_delivery_failed', async () => {
  const log = captureLog();
  const alerter = createAlerter({ webhookUrl: receiver.url, logger: log.logger, delivery: { maxTotalMs: 800, initialBackoffMs: 50, maxBackoffMs: 100 } });
  // Slack-like answers that quote pieces of the URL path: the token's start, the team and channel ids.
  receiver.script({ status: 403, body: 'invalid_token: s3cr3tW3bh… (team T000TEST, channel B000TEST)' });
  await alerter.send(sampleAlert('run_failed', { gameDate: '2026-02-01' }));
  receiver.script({ status: 400, body: 'no_service for path T000TEST/B000TEST/s3cr3tW3bh00kT0k3n' });
  await alerter.send(sampleAlert('run_failed', { gameDate: '2026-02-02' }));
  const failures = log.events('alert_delivery_failed');
  expect(failures).toHaveLength(2);
  const text = JSON.stringify(failures);
  for (const piece of ['s3cr3tW3bh', 'T000TEST', 'B000TEST', 'W3bh00k']) expect(text).not.toContain(piece);
  // What is left still says what went wrong.
  expect(String(failures[0].error)).toMatch(/^HTTP 403: invalid_token: \[redacted\]/);
  expect(String(failures[1].error)).toContain('no_service for path');
});

test('dedupe state unreachable (Firestore down): the alert is still delivered, after a bounded wait, with a warning', async () => {
  const { createFirestoreClient, terminateFirestore } = await import('../../src/lock/firestore-client.ts');
  const down = createFirestoreClient({ emulatorHost: '127.0.0.1:1', projectId: 'alerts-down' });
  const log = captureLog();
  // The bound is injected (production: 5 s); the warning shows the alert went out because that bound ran out.
  const delivery = await createAlerter({ webhookUrl: receiver.url, firestore: down, logger: log.logger, delivery: fast, dedupeTimeoutMs: 300 }).send(sampleAlert('lock_lost'));
  expect(delivery).toBe('delivered');
  expect(receiver.requests).toHaveLength(1);
  expect(log.events('alert_dedupe_unavailable')).toMatchObject([{ error: 'dedupe state did not answer within 300 ms' }]);
  // terminate() waits out the claim still retrying in the background (seconds of backoff); nothing depends on it.
  void terminateFirestore(down);
}, 20_000);

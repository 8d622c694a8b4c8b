import { afterAll, beforeAll, expect, test } from 'vitest';
import { createAlerterFromFlags, resolveWebhookUrl, validateWebhookUrl } from '../../src/alerts/index.ts';
import { UsageError } from '../../src/runner/exit-codes.ts';
import { captureLog } from '../lock/helpers.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';
import { sampleAlert } from './sample-alerts.ts';

// There is no Secret Manager emulator: this receiver plays Secret Manager's REST API
// (GET /v1/<name>/versions/latest:access) so the real HTTP path of the client is exercised.
let secretManager: WebhookReceiver;
let slack: WebhookReceiver;
const SECRET = 'projects/gradeguard-test/secrets/slack-webhook-url';
beforeAll(async () => {
  [secretManager, slack] = await Promise.all([startWebhookReceiver('/unused'), startWebhookReceiver()]);
  secretManager.setFallback({ status: 404, body: '{"error":{"code":404}}' });
  secretManager.route(`/v1/${SECRET}/versions/latest:access`, (request) =>
    request.headers.authorization === 'Bearer test-token'
      ? { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `${SECRET}/versions/3`, payload: { data: Buffer.from(slack.url + '\n').toString('base64') } }) }
      : { status: 401, body: '{}' },
  );
});
afterAll(async () => {
  await secretManager?.stop();
  await slack?.stop();
});

const secretManagerOptions = () => ({ baseUrl: secretManager.origin, getAccessToken: async () => 'test-token' });

test('--slack-secret reads the latest version through the REST API with a bearer token', async () => {
  const url = await resolveWebhookUrl({ slackSecret: SECRET, env: {}, secretManager: secretManagerOptions() });
  expect(url).toBe(slack.url);
  expect(secretManager.requests.at(-1)).toMatchObject({ method: 'GET', path: `/v1/${SECRET}/versions/latest:access` });
  const alerter = await createAlerterFromFlags({ slackSecret: SECRET, env: {}, secretManager: secretManagerOptions(), logger: captureLog().logger });
  expect(await alerter.send(sampleAlert('cleanup_finished'))).toBe('delivered');
  expect(slack.requests).toHaveLength(1);
});

test('a secret Secret Manager refuses is an error naming the secret and status, not a value', async () => {
  const error = await resolveWebhookUrl({ slackSecret: 'projects/gradeguard-test/secrets/missing', env: {}, secretManager: secretManagerOptions() }).catch((e) => e);
  expect(error.message).toMatch(/answered 404 for projects\/gradeguard-test\/secrets\/missing/);
});

test('malformed webhook URLs and secret names are bad input, and the message does not echo the URL', async () => {
  for (const bad of ['not a url', 'ftp://hooks.slack.com/services/x', 'http://hooks.slack.com/services/SECRETPART', 'https://user:pw@hooks.slack.com/x']) {
    const error = (() => {
      try {
        validateWebhookUrl(bad);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error!.message).not.toContain('SECRETPART');
  }
  await expect(resolveWebhookUrl({ env: { SLACK_WEBHOOK_URL: 'nope' } })).rejects.toBeInstanceOf(UsageError);
  await expect(resolveWebhookUrl({ slackSecret: 'secrets/x', env: {} })).rejects.toBeInstanceOf(UsageError);
  await expect(resolveWebhookUrl({ slackSecret: 'projects/p/secrets/s/versions/1', env: {} })).rejects.toBeInstanceOf(UsageError);
  expect(await resolveWebhookUrl({ env: {} })).toBeUndefined();
  expect(validateWebhookUrl('https://hooks.slack.com/services/T/B/x')).toBe('https://hooks.slack.com/services/T/B/x');
});

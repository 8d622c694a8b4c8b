/**
 * One alert configuration for every command that alerts: each takes --slack-secret (the same definition, validated
 * before anything is touched), and severities come from one table that docs/alerting.md shows verbatim.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { alertKindsMarkdown, createAlerter } from '../../src/alerts/index.ts';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';
import { captureLog } from '../lock/helpers.ts';
import { runScript, type ScriptResult } from '../locks-cli/cli.ts';

const ALERTING = ['grade', 'consolidate', 'check', 'monitor', 'remediate', 'cleanup'];
const nowhere = { BIGQUERY_EMULATOR_HOST: 'http://127.0.0.1:9', FIRESTORE_EMULATOR_HOST: '127.0.0.1:9', GOOGLE_CLOUD_PROJECT: 'local-project', SLACK_WEBHOOK_URL: '' };
const validArgs: Record<string, string[]> = {
  grade: ['--date', '2026-01-17'],
  consolidate: ['--date', '2026-01-17'],
  check: [],
  monitor: [],
  remediate: ['--date', '2026-01-17'],
  cleanup: ['plan', '--table', 'prediction_accuracy'],
};

test('every alerting command lists --slack-secret and refuses a malformed one before touching anything (exit 2)', async () => {
  const run = (args: (c: string) => string[]) => Promise.all(ALERTING.map((c) => runScript(`scripts/${c}.ts`, args(c), nowhere)));
  const helps: ScriptResult[] = await run(() => ['--help']);
  const bad: ScriptResult[] = await run((c) => [...validArgs[c], '--slack-secret', 'my-webhook']);
  ALERTING.forEach((command, i) => {
    expect({ command, code: helps[i].code }).toEqual({ command, code: 0 });
    expect(helps[i].stdout, command).toContain('--slack-secret NAME  Slack webhook URL from Secret Manager (projects/P/secrets/S)');
    expect({ command, code: bad[i].code }).toEqual({ command, code: 2 });
    expect(bad[i].stderr, command).toContain('Invalid --slack-secret "my-webhook": expected projects/<project>/secrets/<secret>');
  });
}, 180_000);

test('docs/alerting.md shows the severity table the alerter uses', () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'alerting.md'), 'utf8');
  expect(doc).toContain(alertKindsMarkdown());
});

test('a finished cleanup is a NOTICE, whatever severity its sender asked for; escalation only where the table allows', async () => {
  const slack = await startWebhookReceiver();
  try {
    const log = captureLog();
    const alerter = createAlerter({ webhookUrl: slack.url, logger: log.logger });
    const base = { title: 't', nextStep: 'n', gameDate: '2026-01-17' };
    await alerter.send({ ...base, kind: 'cleanup_finished', severity: 'WARNING', table: 'a' });
    await alerter.send({ ...base, kind: 'lock_not_acquired', severity: 'CRITICAL', table: 'b' });
    await alerter.send({ ...base, kind: 'duplicates_detected', severity: 'ERROR', table: 'c' });
    const texts = slack.requests.map((r) => (r.json.text as string).split('\n')[0]);
    expect(texts).toEqual([
      ':white_check_mark: *NOTICE: Cleanup finished*',
      ':rotating_light: *CRITICAL: Lock not acquired: run did not start*',
      ':rotating_light: *CRITICAL: Duplicate business keys detected*',
    ]);
    expect(log.events('alert').map((e) => e.severity)).toEqual(['NOTICE', 'CRITICAL', 'CRITICAL']);
  } finally {
    await slack.stop();
  }
});

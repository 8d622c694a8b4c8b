import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { createAlerter } from '../../src/alerts/index.ts';
import { runCheck, weekOverWeek, type DateDuplication } from '../../src/checks/index.ts';
import { addDays } from '../../src/runner/dates.ts';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { tableRef, type WarehouseTarget } from '../../src/warehouse/target.ts';
import { startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';
import { nodeCommand } from '../helpers/processes.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';
import { captureLog } from '../lock/helpers.ts';
import { AS_OF, seedWarehouse, targetOf } from './seed.ts';

let bq: LocalBigQuery;
let target: WarehouseTarget;
let slack: WebhookReceiver;
beforeAll(async () => {
  [bq, slack] = await Promise.all([startLocalBigQuery(), startWebhookReceiver()]);
  target = targetOf(bq);
  await seedWarehouse(bq, target);
}, 60_000);
afterAll(async () => {
  await slack?.stop();
  await bq?.stop();
});
beforeEach(() => void (slack.requests.length = 0));

const auditRows = (runId: string) =>
  bq.rows(
    `SELECT processor, CAST(game_date AS STRING) AS game_date, player_lookup, line_value, occurrence_count FROM ${tableRef(target, 'grading_duplicate_audit')} WHERE run_id = @run_id ORDER BY game_date, player_lookup`,
    { run_id: runId },
  );

function runScript(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [cmd, argv] = nodeCommand('scripts/check.ts', args);
  const child = spawn(cmd, argv, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BIGQUERY_EMULATOR_HOST: bq.emulator.url, GOOGLE_CLOUD_PROJECT: bq.target.projectId, FIRESTORE_EMULATOR_HOST: '', SLACK_WEBHOOK_URL: slack.url, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('finds the seeded duplicates per date and table, the rising trend and the ungraded prediction; audits and alerts', async () => {
  const alerter = createAlerter({ webhookUrl: slack.url, logger: captureLog().logger });
  const report = await runCheck({ bigquery: bq.client, target, alerter, logger: captureLog().logger, asOf: AS_OF, days: 7, runId: 'check-test-1' });
  const accuracy = report.tables.find((t) => t.table === 'prediction_accuracy')!;
  expect(accuracy.days.map((d) => d.date)).toEqual(Array.from({ length: 7 }, (_, i) => addDays('2026-01-14', i)));
  expect(accuracy.days.filter((d) => d.duplicateKeys > 0).map((d) => [d.date, d.rows, d.duplicateKeys, d.extraRows])).toEqual([
    ['2026-01-15', 13, 2, 3],
    ['2026-01-18', 12, 1, 1],
  ]);
  expect({ rows: accuracy.rows, duplicateKeys: accuracy.duplicateKeys, extraRows: accuracy.extraRows, auditedKeys: accuracy.auditedKeys }).toEqual({ rows: 75, duplicateKeys: 3, extraRows: 4, auditedKeys: 3 });
  expect(accuracy.trend).toMatchObject({ previousWeek: { rows: 71, extraRows: 1 }, currentWeek: { rows: 75, extraRows: 4 }, rising: true });
  expect(accuracy.trend!.relativeChange).toBeCloseTo(4 / 75 / (1 / 71) - 1, 6);
  const perf = report.tables.find((t) => t.table === 'system_daily_performance')!;
  expect({ rows: perf.rows, duplicateKeys: perf.duplicateKeys, rising: perf.trend!.rising }).toEqual({ rows: 7, duplicateKeys: 0, rising: false });
  expect(report.tables.find((t) => t.table === 'prediction_accuracy_deduped')!.exists).toBe(false);
  expect(report.ungraded!.find((d) => d.date === '2026-01-19')).toEqual({ date: '2026-01-19', predictionsWithActuals: 3, ungraded: 1 });
  expect(report.findings).toEqual({ duplicates: 3, risingTrends: 1, ungraded: 1 });
  expect(report.clean).toBe(false);
  // The seed never created three of the keyed tables: a status of its own, outranked by the duplicates (exit 3).
  expect({ missing: [...report.missingTables].sort(), statuses: report.statuses, exitCode: report.exitCode }).toEqual({
    missing: ['performance_summary', 'player_prop_predictions_latest', 'prediction_accuracy_deduped'],
    statuses: ['findings', 'tables_missing'],
    exitCode: 3,
  });

  expect(await auditRows('check-test-1')).toEqual([
    { processor: 'check', game_date: '2026-01-15', player_lookup: 'p1', line_value: 10.5, occurrence_count: 2 },
    { processor: 'check', game_date: '2026-01-15', player_lookup: 'p2', line_value: 10.5, occurrence_count: 3 },
    { processor: 'check', game_date: '2026-01-18', player_lookup: 'p10', line_value: null, occurrence_count: 2 },
  ]);
  const kinds = slack.requests.map((r) => r.json.text as string);
  expect(kinds).toHaveLength(4);
  expect(kinds[0]).toContain('Duplicate business keys detected');
  expect(kinds[0]).toContain('*duplicate_keys*: 3');
  expect(kinds[0]).toContain('2026-01-15:2 2026-01-18:1');
  expect(kinds[1]).toContain('Duplication rate is rising');
  expect(kinds[2]).toContain('Predictions with actuals are not graded');
  expect(kinds[2]).toContain('npm run grade -- --dates 2026-01-19');
  expect(kinds[3]).toContain('Checked tables are missing');
});

test('the trend fires on a rise of more than 10%, not on 10% or less', () => {
  const week = (extra: number[]): DateDuplication[] => extra.map((e, i) => ({ date: addDays('2026-01-01', i), rows: 1000, uniqueKeys: 1000 - e, duplicateKeys: e, extraRows: e, rate: e / 1000 }));
  const prev = [10, 10, 10, 10, 10, 10, 10];
  expect(weekOverWeek(week([...prev, 11, 11, 11, 11, 11, 11, 11])).rising).toBe(false); // +10.0%
  expect(weekOverWeek(week([...prev, 11, 11, 11, 11, 11, 11, 12])).rising).toBe(true); // +11.4%
  expect(weekOverWeek(week([...prev, 5, 5, 5, 5, 5, 5, 5])).rising).toBe(false);
  expect(weekOverWeek(week([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])).rising).toBe(true);
  expect(weekOverWeek(week(Array(14).fill(0))).rising).toBe(false);
});

test('the command: exit 3 with --json on the seeded data, audit rows under its run id', async () => {
  const result = await runScript(['--as-of', AS_OF, '--json']);
  expect(result.code, result.stderr).toBe(3);
  const report = JSON.parse(result.stdout);
  expect(report.findings).toEqual({ duplicates: 3, risingTrends: 1, ungraded: 1 });
  expect((await auditRows(report.runId)).map((r) => r.game_date)).toEqual(['2026-01-15', '2026-01-15', '2026-01-18']);
  // Every alert is a structured log line on stderr; the webhook never is.
  const alerts = result.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .filter((l) => l.event === 'alert');
  expect(alerts.map((a) => a.alert_kind)).toEqual(['duplicates_detected', 'duplication_trend', 'ungraded_predictions', 'tables_missing']);
  expect(alerts[0].severity).toBe('CRITICAL');
  expect(result.stderr).not.toContain('s3cr3tW3bh00kT0k3n');
});

test('the command: clean data exits 0 with a readable table and writes no audit rows', async () => {
  const before = (await bq.rows(`SELECT COUNT(*) AS n FROM ${tableRef(target, 'grading_duplicate_audit')}`))[0].n;
  const result = await runScript(['--as-of', AS_OF, '--table', 'system_daily_performance']);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/system_daily_performance\s+7\s+0\s+0\s+0\.00%/);
  expect(result.stdout).toContain('clean');
  expect((await bq.rows(`SELECT COUNT(*) AS n FROM ${tableRef(target, 'grading_duplicate_audit')}`))[0].n).toBe(before);
  expect(slack.requests).toHaveLength(0);
});

test('the command: bad input exits 2 before touching anything', async () => {
  for (const args of [['--days', '-1'], ['--days', '0'], ['--table', 'nope'], ['--as-of', '2026-02-30'], ['--target', 'prod'], ['--bogus']]) {
    const result = await runScript(args);
    expect(result.code, args.join(' ')).toBe(2);
  }
  const malformed = await runScript(['--as-of', AS_OF], { SLACK_WEBHOOK_URL: 'http://hooks.slack.com/services/SECRETPART' });
  expect(malformed.code).toBe(2);
  expect(malformed.stderr).not.toContain('SECRETPART');
  expect(slack.requests).toHaveLength(0);
}, 180_000);

test('ungraded predictions on the as-of date itself wait a grace day (grading runs after the actuals load)', async () => {
  const quiet = { bigquery: bq.client, target, alerter: createAlerter({ webhookUrl: null, logger: captureLog().logger }), logger: captureLog().logger, days: 7, tables: ['prediction_accuracy'] };
  const graced = await runCheck({ ...quiet, asOf: '2026-01-19' });
  expect(graced.findings.ungraded).toBe(0);
  expect(graced.ungraded!.map((d) => d.date).at(-1)).toBe('2026-01-18');
  const strict = await runCheck({ ...quiet, asOf: '2026-01-19', ungradedGraceDays: 0 });
  expect(strict.findings.ungraded).toBe(1);
});

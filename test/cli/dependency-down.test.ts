/**
 * A dependency that is down is reported at once, plainly: what is down, where, what to run; exit 1, no stack trace
 * (issue 18). Real processes against closed ports; a real BigQuery emulator where the command needs one to get as
 * far as Firestore. A missing project for --target bigquery is a configuration error: exit 2.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';
import { deployLocal } from '../helpers/deploy.ts';
import { runScript } from '../locks-cli/cli.ts';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let bq: LocalBigQuery;
let down: number;
beforeAll(async () => {
  [bq, down] = await Promise.all([startLocalBigQuery(), closedPort()]);
}, 60_000);
afterAll(async () => bq?.stop());

const STACK_FRAME = /^\s+at /m;
const base = () => ({ GOOGLE_CLOUD_PROJECT: bq.target.projectId, SLACK_WEBHOOK_URL: '' });

test('BigQuery down: check and cleanup plan fail with what, where and what to run; exit 1, no stack', async () => {
  const env = { ...base(), BIGQUERY_EMULATOR_HOST: `http://127.0.0.1:${down}`, FIRESTORE_EMULATOR_HOST: '' };
  const [check, plan] = await Promise.all([runScript('scripts/check.ts', [], env), runScript('scripts/cleanup.ts', ['plan', '--table', 'prediction_accuracy'], env)]);
  for (const [name, r] of [
    ['check', check],
    ['cleanup', plan],
  ] as const) {
    expect(r.code, `${name}: ${r.stderr}`).toBe(1);
    expect(r.stderr).toContain(`${name}: BigQuery is unavailable: the emulator at http://127.0.0.1:${down} (BIGQUERY_EMULATOR_HOST) gave no connection (ECONNREFUSED). Start it with npm run emulator`);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stderr).not.toContain('"stack"');
    expect(r.stdout).toBe('');
  }
}, 120_000);

test('Firestore down: locks list, and remediate (BigQuery up), fail the same way', async () => {
  const env = { ...base(), BIGQUERY_EMULATOR_HOST: bq.emulator.url, FIRESTORE_EMULATOR_HOST: `127.0.0.1:${down}` };
  const [list, remediate] = await Promise.all([runScript('scripts/locks.ts', ['list'], env), runScript('scripts/remediate.ts', ['--date', '2026-01-17'], env)]);
  for (const [name, r] of [
    ['locks', list],
    ['remediate', remediate],
  ] as const) {
    expect(r.code, `${name}: ${r.stderr}`).toBe(1);
    expect(r.stderr).toContain(`${name}: Firestore is unavailable: the emulator at 127.0.0.1:${down} (FIRESTORE_EMULATOR_HOST) gave no connection (ECONNREFUSED).`);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stdout).toBe('');
  }
  const logged = list.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  expect(logged.find((l) => l.event === 'dependency_unavailable')).toMatchObject({ severity: 'ERROR' });
  // Nothing was written on the way: remediate stopped before its backup, audit or grading_runs row.
  const [datasets] = await bq.client.getDatasets();
  expect(datasets).toEqual([]);
}, 120_000);

test('Dataform API down: grade --executor dataform-api fails before any lock with what, where and what to run; exit 1, no stack', async () => {
  // Deployed, so grade gets past its check of the deployed views to the Dataform API (after the Firestore test, which
  // checks that nothing was written).
  await deployLocal(bq.client, bq.target);
  const env = { ...base(), BIGQUERY_EMULATOR_HOST: bq.emulator.url, FIRESTORE_EMULATOR_HOST: '', DATAFORM_EMULATOR_HOST: `http://127.0.0.1:${down}` };
  const r = await runScript('scripts/grade.ts', ['--executor', 'dataform-api', '--date', '2026-01-17', '--no-lock'], env);
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toContain(
    `grade: The Dataform API is unavailable: the local stand-in at http://127.0.0.1:${down} (DATAFORM_EMULATOR_HOST) gave no connection (ECONNREFUSED). Start it with npm run dataform-api`,
  );
  expect(r.stderr).not.toMatch(STACK_FRAME);
  expect(r.stderr).not.toContain('"stack"');
  expect(r.stdout).toBe('');
}, 120_000);

test('--target bigquery without a project is a configuration error: exit 2, no stack', async () => {
  const env = { BIGQUERY_EMULATOR_HOST: '', FIRESTORE_EMULATOR_HOST: '', GOOGLE_CLOUD_PROJECT: '', GCLOUD_PROJECT: '', SLACK_WEBHOOK_URL: '' };
  const [check, locks] = await Promise.all([runScript('scripts/check.ts', ['--target', 'bigquery'], env), runScript('scripts/locks.ts', ['list', '--target', 'bigquery'], env)]);
  for (const r of [check, locks]) {
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--target bigquery needs GOOGLE_CLOUD_PROJECT');
    expect(r.stderr).not.toMatch(STACK_FRAME);
  }
}, 120_000);

/**
 * monitor closes grading_runs rows left `running` by runs that died: a run with no live lease on any of its dates is
 * `abandoned`; a run whose lease (operation id = its run id) is still held stays `running`, as do a row younger than
 * the grace period and a --no-lock run (token 0: nothing to judge it by). Real Firestore and BigQuery emulators.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createAlerter } from '../../src/alerts/index.ts';
import { DistributedLock } from '../../src/lock/index.ts';
import { monitorPass } from '../../src/monitor/index.ts';
import { ensureTables } from '../../src/warehouse/pipeline-tables.ts';
import { tableRef } from '../../src/warehouse/target.ts';
import { startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';
import { targetOf } from '../checks/seed.ts';
import { captureLog, testFirestore, type TestFirestore } from '../lock/helpers.ts';

let fs: TestFirestore;
let bq: LocalBigQuery;
beforeAll(async () => {
  [fs, bq] = await Promise.all([testFirestore(), startLocalBigQuery()]);
  await ensureTables(bq.client, targetOf(bq), ['grading_runs']);
}, 60_000);
afterAll(async () => {
  await fs?.stop();
  await bq?.stop();
});

const row = (runId: string, date: string, token: number, minutesAgo: number) =>
  `('${runId}', 'grading', [DATE '${date}'], ${token}, TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL ${minutesAgo} MINUTE), 'running', 'recorded', TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL ${minutesAgo} MINUTE))`;

test('monitor closes the rows of runs with no live lease as abandoned, and only those', async () => {
  const target = targetOf(bq);
  await bq.rows(`INSERT INTO ${tableRef(target, 'grading_run_events')} (run_id, operation, game_dates, lock_token, started_at, status, event, recorded_at) VALUES
    ${[row('dead-run', '2026-01-05', 3, 10), row('live-run', '2026-01-06', 4, 10), row('young-run', '2026-01-07', 5, 0), row('unlocked-run', '2026-01-08', 0, 10)].join(',\n    ')}`);
  const lease = await new DistributedLock({ lockType: 'grading', firestore: fs.client(), leaseMs: 60_000 }).acquire('2026-01-06', { operationId: 'live-run' });
  try {
    const { logger } = captureLog();
    const report = await monitorPass({ firestore: fs.client(), alerter: createAlerter({ webhookUrl: null, logger }), logger, warehouse: { bigquery: bq.client, target }, dailyCheck: false });
    expect(report.abandonedRuns).toEqual(['dead-run']);
    expect(report.findings).toBe(1);
  } finally {
    await lease.release();
  }
  const statuses = await bq.rows(`SELECT run_id, status, error IS NOT NULL AS has_error, finished_at IS NOT NULL AS finished FROM ${tableRef(target, 'grading_runs')} ORDER BY run_id`);
  expect(statuses).toEqual([
    { run_id: 'dead-run', status: 'abandoned', has_error: true, finished: true },
    { run_id: 'live-run', status: 'running', has_error: false, finished: false },
    { run_id: 'unlocked-run', status: 'running', has_error: false, finished: false },
    { run_id: 'young-run', status: 'running', has_error: false, finished: false },
  ]);
}, 60_000);

test('rows of runs that hold no lease (token 0, or no locked operation) are closed by age, after 6 h by default', async () => {
  const target = targetOf(bq);
  const table = tableRef(target, 'grading_runs');
  const events = tableRef(target, 'grading_run_events');
  await bq.rows(`DELETE FROM ${events} WHERE TRUE`);
  // A Dataform run no runner started (pinned to a date, refused by the fence) leaves its row running with token 0.
  const unleased = (runId: string, operation: string, token: number, minutesAgo: number) =>
    `('${runId}', '${operation}', [DATE '2026-01-09'], ${token}, TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL ${minutesAgo} MINUTE), 'running', 'recorded', CURRENT_TIMESTAMP())`;
  await bq.rows(`INSERT INTO ${events} (run_id, operation, game_dates, lock_token, started_at, status, event, recorded_at) VALUES
    ${[unleased('fence-refused-manual', 'manual', 0, 7 * 60), unleased('manual-with-token', 'manual', 2, 7 * 60), unleased('recent-manual', 'manual', 0, 5 * 60)].join(',\n    ')}`);
  const { logger } = captureLog();
  const pass = (unleasedRunAfterMs?: number) =>
    monitorPass({ firestore: fs.client(), alerter: createAlerter({ webhookUrl: null, logger }), logger, warehouse: { bigquery: bq.client, target }, dailyCheck: false, unleasedRunAfterMs });
  expect((await pass()).abandonedRuns.sort()).toEqual(['fence-refused-manual', 'manual-with-token']);
  const statuses = await bq.rows(`SELECT run_id, status, error FROM ${table} ORDER BY run_id`);
  expect(statuses).toEqual([
    { run_id: 'fence-refused-manual', status: 'abandoned', error: expect.stringContaining('no lease to judge it by') },
    { run_id: 'manual-with-token', status: 'abandoned', error: expect.stringContaining('running for more than 6 h') },
    { run_id: 'recent-manual', status: 'running', error: null },
  ]);
  // A shorter bound closes the younger one too.
  expect((await pass(4 * 60 * 60_000)).abandonedRuns).toEqual(['recent-manual']);
}, 60_000);

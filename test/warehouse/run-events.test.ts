/**
 * grading_runs as appended events, on the emulator with every BigQuery limit on:
 *  - many runs recording their state at once spend no mutating DML on the bookkeeping, so none meets BigQuery's
 *    "Too many DML statements outstanding against table" (2 running + 20 queued per table); the MERGE this replaced
 *    failed here;
 *  - the latest state per run: a rerun's start wins over an older final state, an abandonment replaces only a running
 *    state and never a final one written after (or while) it was decided;
 *  - a dataset deployed before the events: `npm run deploy`'s code moves grading_runs' rows to events with a verified
 *    backup and deploys the view; a bare `dataform run --tags deploy` refuses (Dataform would drop the table) and a run
 *    refuses the dataset as not deployed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import constants from '../../includes/constants.js';
import { missingDeployedObjects } from '../../src/runner/deploy.ts';
import { cliExecutor } from '../../src/runner/executors/cli-executor.ts';
import { createTableIfNotExistsSql } from '../../src/warehouse/pipeline-tables.ts';
import { markAbandoned, openRuns, readRun, upsertRun, type RunRecord } from '../../src/warehouse/runs.ts';
import { localTarget, tableRef, type WarehouseTarget } from '../../src/warehouse/target.ts';
import { startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';
import { deployLocal } from '../helpers/deploy.ts';

let bq: LocalBigQuery;
let target: WarehouseTarget;

beforeAll(async () => {
  bq = await startLocalBigQuery();
  target = localTarget({ projectId: bq.emulator.projectId, emulatorUrl: bq.emulator.url });
}, 60_000);
afterAll(() => bq?.stop());

const key = (table: string) => `${target.dataset}.${table}`;
const record = (runId: string, fields: Partial<RunRecord> = {}): RunRecord => ({ runId, operation: 'grading', dates: ['2026-01-10'], lockToken: 3, status: 'running', finished: false, ...fields });

describe('grading_runs as appended events', () => {
  it('25 runs recording their state at once: no mutating DML on the bookkeeping, none refused', async () => {
    const limits = bq.emulator.engine.limits;
    expect(limits.enabled('dml_queue')).toBe(true);
    await upsertRun(bq.client, target, record('warm-up'));
    const before = { events: limits.dmlStatements(key('grading_run_events')), runs: limits.dmlStatements(key('grading_runs')) };
    const ids = Array.from({ length: 25 }, (_, i) => `together-${i}`);
    const outcomes = await Promise.allSettled(ids.map((id) => upsertRun(bq.client, target, record(id, { status: 'succeeded', finished: true }))));
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
    const closed = await Promise.allSettled(ids.slice(0, 10).map((id) => markAbandoned(bq.client, target, [id], 'test')));
    expect(closed.filter((o) => o.status === 'rejected')).toEqual([]);
    const events = limits.dmlStatements(key('grading_run_events'));
    expect(events.mutating - before.events.mutating).toBe(0);
    expect(events.inserts - before.events.inserts).toBe(35);
    expect(limits.dmlStatements(key('grading_runs'))).toEqual(before.runs);
    for (const id of ids) expect((await readRun(bq.client, target, id))?.status).toBe('succeeded');
  }, 120_000);

  it('latest state: a rerun reopens, an abandonment closes only a running state, a later final state stands', async () => {
    // A rerun (same run_id) after a final state: running again, its start kept from its first record.
    await upsertRun(bq.client, target, record('rerun', { status: 'failed', error: 'first attempt', finished: true }));
    await upsertRun(bq.client, target, record('rerun', { rowsWritten: 5 }));
    const rerun = await readRun(bq.client, target, 'rerun');
    expect(rerun).toMatchObject({ status: 'running', error: null, finished_at: null, rows_written: 5 });

    // Abandoned while running, then the run writes its own final state after all: the final state stands.
    await upsertRun(bq.client, target, record('late'));
    expect(await markAbandoned(bq.client, target, ['late'], 'lease gone')).toBe(1);
    expect(await readRun(bq.client, target, 'late')).toMatchObject({ status: 'abandoned', error: 'lease gone' });
    expect((await openRuns(bq.client, target, { anyToken: true })).map((r) => r.runId)).not.toContain('late');
    await upsertRun(bq.client, target, record('late', { status: 'succeeded', finished: true }));
    expect(await readRun(bq.client, target, 'late')).toMatchObject({ status: 'succeeded', error: null });

    // A final state is never abandoned: nothing appended.
    expect(await markAbandoned(bq.client, target, ['late'], 'again')).toBe(0);
    // An abandonment older than the run's newest state (written while it was decided) does not replace a final state.
    await bq.rows(
      `INSERT INTO ${tableRef(target, 'grading_run_events')} (run_id, operation, game_dates, lock_token, started_at, finished_at, status, error, event, recorded_at)
       VALUES ('late', 'grading', [DATE '2026-01-10'], 3, CURRENT_TIMESTAMP(), CURRENT_TIMESTAMP(), 'abandoned', 'stale', 'abandoned', TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 1 HOUR))`,
    );
    expect(await readRun(bq.client, target, 'late')).toMatchObject({ status: 'succeeded' });
  }, 60_000);
});

describe('a dataset deployed before the run events', () => {
  // Its own emulator: the Dataform project writes to its configured dataset.
  let oldBq: LocalBigQuery;
  let old: WarehouseTarget;
  const OLD_ROWS = [
    `('r-ok', 'grading', [DATE '2026-01-10'], 4, TIMESTAMP '2026-01-11 01:00:00', TIMESTAMP '2026-01-11 01:05:00', 120, 0, 'succeeded', NULL)`,
    `('r-dup', 'grading', [DATE '2026-01-11', DATE '2026-01-12'], 5, TIMESTAMP '2026-01-12 01:00:00', TIMESTAMP '2026-01-12 01:04:00', 80, 3, 'duplicates_detected', '3 duplicate business keys')`,
    `('r-open', 'consolidation', [DATE '2026-01-12'], 6, TIMESTAMP '2026-01-13 01:00:00', NULL, NULL, NULL, 'running', NULL)`,
  ];
  const stateSql = (from: string) =>
    `SELECT run_id, operation, ARRAY_TO_STRING(ARRAY(SELECT CAST(d AS STRING) FROM UNNEST(game_dates) AS d ORDER BY d), ',') AS dates, lock_token, CAST(started_at AS STRING) AS started_at, CAST(finished_at AS STRING) AS finished_at, rows_written, duplicate_count, status, error FROM ${from} ORDER BY run_id`;

  beforeAll(async () => {
    // The layout before the events: every table, with grading_runs a table of one row per run.
    oldBq = await startLocalBigQuery();
    old = localTarget({ projectId: oldBq.emulator.projectId, emulatorUrl: oldBq.emulator.url });
    await oldBq.client.dataset(old.dataset).create();
    for (const table of [...constants.OWNED_TABLES.filter((t) => t !== 'grading_run_events'), 'grading_runs', 'player_game_summary', 'player_prop_predictions_staging'])
      await oldBq.rows(createTableIfNotExistsSql(old, table));
    await oldBq.rows(
      `INSERT INTO ${tableRef(old, 'grading_runs')} (run_id, operation, game_dates, lock_token, started_at, finished_at, rows_written, duplicate_count, status, error) VALUES ${OLD_ROWS.join(', ')}`,
    );
  }, 60_000);
  afterAll(() => oldBq?.stop());

  it('a run refuses it as not deployed; a bare `dataform run --tags deploy` refuses and leaves grading_runs a table with its rows', async () => {
    expect(await missingDeployedObjects(oldBq.client, old)).toEqual([
      'grading_run_events',
      'player_prop_predictions_latest',
      'graded_predictions',
      'prediction_accuracy_deduped',
      'grading_runs (still a table: its rows move to run events)',
    ]);
    const before = await oldBq.rows(stateSql(tableRef(old, 'grading_runs')));
    const bare = await cliExecutor(old).run({
      vars: { date_tokens: '2000-01-01:0', run_id: 'deploy', operation: 'deploy' },
      tags: constants.DEPLOY_TAGS,
      assertionDataset: old.assertionDataset,
      timeoutMs: 300_000,
    });
    expect(bare.code).toBe(1);
    expect(bare.stdout + bare.stderr).toMatch(/grading_runs is still the table of before the run events.*Run `npm run deploy`/);
    const [meta] = await oldBq.client.dataset(old.dataset).table('grading_runs').getMetadata();
    expect(meta.type).toBe('TABLE');
    expect(await oldBq.rows(stateSql(tableRef(old, 'grading_runs')))).toEqual(before);
  }, 300_000);

  it('the deploy moves every row to events with a verified backup, then grading_runs is the view with the same rows', async () => {
    const before = await oldBq.rows(stateSql(tableRef(old, 'grading_runs')));
    expect(before).toHaveLength(3);
    const deployed = await deployLocal(oldBq.client, old);
    expect(deployed.ok).toBe(true);
    const [meta] = await oldBq.client.dataset(old.dataset).table('grading_runs').getMetadata();
    expect(meta.type).toBe('VIEW');
    expect(await oldBq.rows(stateSql(tableRef(old, 'grading_runs')))).toEqual(before);
    const [tables] = await oldBq.client.dataset(old.dataset).getTables();
    const backups = tables.map((t) => t.id!).filter((id) => id.startsWith('grading_runs_before_events_'));
    expect(backups).toHaveLength(1);
    expect(await oldBq.rows(stateSql(tableRef(old, backups[0])))).toEqual(before);
    expect(await oldBq.rows(`SELECT DISTINCT event FROM ${tableRef(old, 'grading_run_events')}`)).toEqual([{ event: 'migrated' }]);
    expect(await missingDeployedObjects(oldBq.client, old)).toEqual([]);
    // The migrated open run is still open (monitor closes it), and a new event supersedes a migrated state.
    expect((await openRuns(oldBq.client, old, { anyToken: true })).map((r) => r.runId)).toEqual(['r-open']);
    await upsertRun(oldBq.client, old, record('r-open', { operation: 'consolidation', dates: ['2026-01-12'], lockToken: 6, status: 'failed', error: 'closed', finished: true }));
    expect(await readRun(oldBq.client, old, 'r-open')).toMatchObject({ status: 'failed', error: 'closed' });
    // Deploying again finds nothing to migrate.
    expect((await deployLocal(oldBq.client, old)).ok).toBe(true);
    expect((await oldBq.client.dataset(old.dataset).getTables())[0].filter((t) => t.id!.startsWith('grading_runs_before_events_'))).toHaveLength(1);
  }, 300_000);
});

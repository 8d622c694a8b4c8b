import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';
import { projectConfig, tableRef, type WarehouseTarget } from '../../src/warehouse/target.ts';
import { createTableIfNotExistsSql, ensureTables } from '../../src/warehouse/pipeline-tables.ts';
import { duplicateCountsByDate, findDuplicateKeys, recordDuplicateKeys } from '../../src/warehouse/duplicates.ts';
import { readRun, upsertRun } from '../../src/warehouse/runs.ts';

let bq: LocalBigQuery;
let target: WarehouseTarget;

beforeAll(async () => {
  bq = await startLocalBigQuery();
  const config = projectConfig();
  target = { kind: 'local', ...bq.target, dataset: config.defaultSchema, assertionDataset: config.assertionSchema };
  await ensureTables(bq.client, target, ['prediction_accuracy', 'grading_run_events', 'grading_duplicate_audit']);
  const insert = (date: string, player: string, line: string, gradedAt: string) =>
    `INSERT INTO ${tableRef(target, 'prediction_accuracy')} (game_id, game_date, player_lookup, system_id, line_value, graded_at, run_id, lock_token)
     VALUES ('g1', DATE '${date}', '${player}', 's1', ${line}, TIMESTAMP '${gradedAt}', 'r', 1)`;
  for (const sql of [
    insert('2026-01-10', 'a', '10.5', '2026-01-11 01:00:00'),
    insert('2026-01-10', 'a', '10.5', '2026-01-11 02:00:00'),
    insert('2026-01-10', 'b', 'NULL', '2026-01-11 01:00:00'),
    insert('2026-01-10', 'b', 'NULL', '2026-01-11 03:00:00'),
    insert('2026-01-10', 'b', 'NULL', '2026-01-11 04:00:00'),
    insert('2026-01-10', 'c', '3.5', '2026-01-11 01:00:00'),
    insert('2026-01-11', 'a', '10.5', '2026-01-12 01:00:00'),
    insert('2026-01-11', 'a', '10.5', '2026-01-12 01:00:00'),
  ])
    await bq.rows(sql);
}, 60_000);

afterAll(() => bq?.stop());

describe('warehouse audit helpers', () => {
  it('creates the tables from includes/schemas.js with partitioning and clustering', () => {
    const sql = createTableIfNotExistsSql(target, 'prediction_accuracy');
    expect(sql).toContain('PARTITION BY game_date');
    expect(sql).toContain('CLUSTER BY system_id, player_lookup');
  });

  it('finds duplicate keys only on the requested dates, NULL lines included', async () => {
    const found = await findDuplicateKeys(bq.client, target, 'prediction_accuracy', ['2026-01-10']);
    expect(found.map((d) => [d.gameDate, d.key.player_lookup, d.key.line_value, d.occurrenceCount])).toEqual([
      ['2026-01-10', 'a', 10.5, 2],
      ['2026-01-10', 'b', null, 3],
    ]);
    expect(found[1].firstWrittenAt).toContain('2026-01-11 01:00:00');
    expect(found[1].lastWrittenAt).toContain('2026-01-11 04:00:00');
    expect(await findDuplicateKeys(bq.client, target, 'prediction_accuracy', [])).toEqual([]);
    expect(await findDuplicateKeys(bq.client, target, 'prediction_accuracy')).toHaveLength(3);
  });

  it('counts rows, unique keys and extra rows per date', async () => {
    expect(await duplicateCountsByDate(bq.client, target, 'prediction_accuracy')).toEqual([
      { date: '2026-01-10', rows: 6, uniqueKeys: 3, duplicateRows: 3 },
      { date: '2026-01-11', rows: 2, uniqueKeys: 1, duplicateRows: 1 },
    ]);
  });

  it('appends the duplicate keys to grading_duplicate_audit server-side', async () => {
    const recorded = await recordDuplicateKeys(bq.client, target, { runId: 'run-1', processor: 'check', table: 'prediction_accuracy', dates: ['2026-01-10', '2026-01-11'] });
    expect(recorded).toBe(3);
    const rows = await bq.rows(
      `SELECT run_id, processor, CAST(game_date AS STRING) AS d, player_lookup, line_value, occurrence_count FROM ${tableRef(target, 'grading_duplicate_audit')} ORDER BY d, player_lookup`,
    );
    expect(rows).toEqual([
      { run_id: 'run-1', processor: 'check', d: '2026-01-10', player_lookup: 'a', line_value: 10.5, occurrence_count: 2 },
      { run_id: 'run-1', processor: 'check', d: '2026-01-10', player_lookup: 'b', line_value: null, occurrence_count: 3 },
      { run_id: 'run-1', processor: 'check', d: '2026-01-11', player_lookup: 'a', line_value: 10.5, occurrence_count: 2 },
    ]);
  });

  it('creates and finalises a grading_runs row by run_id, values as parameters', async () => {
    const runId = "r'; DROP TABLE x; --";
    await upsertRun(bq.client, target, { runId, operation: 'grading', dates: ['2026-01-10'], lockToken: 7, status: 'running', finished: false });
    await upsertRun(bq.client, target, { runId, operation: 'grading', dates: ['2026-01-10'], lockToken: 7, status: 'failed', error: 'boom', finished: true });
    const row = await readRun(bq.client, target, runId);
    expect(row).toMatchObject({ run_id: runId, status: 'failed', error: 'boom', lock_token: 7 });
    expect(row!.finished_at).not.toBeNull();
    // Two appended events, no row changed: the latest is the run's state.
    expect(await bq.rows(`SELECT status, event FROM ${tableRef(target, 'grading_run_events')} ORDER BY recorded_at`)).toEqual([
      { status: 'running', event: 'recorded' },
      { status: 'failed', event: 'recorded' },
    ]);
  });

  it('refuses identifiers that are not plain names', () => {
    expect(() => tableRef(target, 'prediction_accuracy`; DROP')).toThrow(/Invalid table/);
  });
});

/**
 * A dataset deployed before the run events has `grading_runs` as a TABLE (one row per run, MERGEd and UPDATEd). Its
 * rows move to `grading_run_events` before the deploy replaces the table by the view of the same name (Dataform
 * replaces a table by a view by dropping it), with a verified backup first:
 *   1. copy grading_runs to grading_runs_before_events_<UTC stamp>, and verify the copy (rows and content checksums);
 *   2. append each backed-up row as one `migrated` event (recorded at its finished_at, else its started_at), skipping
 *      rows an earlier, interrupted migration already appended identically, and verify every row has its event;
 *   3. verify grading_runs did not change since the backup (a run of the previous version writing meanwhile), then
 *      drop it. The backup stays (drop it by hand once the deploy is checked).
 * Any failed verification stops before the drop, with what to do; nothing is lost and the deploy can be rerun.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import businessKeys from '../../includes/business_keys.js';
import runEvents from '../../includes/run_events.js';
import { profileTable, sameContent } from '../cleanup/profile.ts';
import { createTableIfNotExistsSql } from './pipeline-tables.ts';
import { tableRef, type WarehouseTarget } from './target.ts';

const RUNS = 'grading_runs';
const EVENTS = 'grading_run_events';

interface RunsMigration {
  /** Rows of the old table, each now a `migrated` event. */
  runs: number;
  /** The verified copy of the old table, kept. */
  backup: string;
}

export class MigrationRefused extends Error {
  override name = 'MigrationRefused';
}

/** `grading_runs` is a table (not yet migrated); false when it is the view or missing. */
async function runsTableNeedsMigration(bigquery: BigQuery, target: WarehouseTarget): Promise<boolean> {
  const ref = bigquery.dataset(target.dataset).table(RUNS);
  const [exists] = await ref.exists();
  if (!exists) return false;
  const [meta] = await ref.getMetadata();
  return meta.type === 'TABLE';
}

const stamp = (now: Date) => now.toISOString().replace(/[-:T]/g, '').replace(/\..*$/, '');

/** Migrates a pre-events grading_runs table; undefined when there is none. Throws MigrationRefused before dropping anything. */
export async function migrateRunsTable(bigquery: BigQuery, target: WarehouseTarget, now: Date = new Date()): Promise<RunsMigration | undefined> {
  if (!(await runsTableNeedsMigration(bigquery, target))) return undefined;
  const columns = runEvents.STATE_COLUMNS;
  const key = businessKeys.tables.grading_runs;
  const profile = (table: string) => profileTable(bigquery, target, table, key, columns, undefined, { contents: false });
  const query = async (sql: string) => (await bigquery.query({ query: sql, location: target.location }))[0] as Array<Record<string, unknown>>;
  const dataset = bigquery.dataset(target.dataset);

  await query(createTableIfNotExistsSql(target, EVENTS));
  const original = await profile(RUNS);
  const backup = `${RUNS}_before_events_${stamp(now)}`;
  await dataset.table(RUNS).copy(dataset.table(backup), { writeDisposition: 'WRITE_EMPTY', createDisposition: 'CREATE_IF_NEEDED' } as never);
  const copied = sameContent(`backup ${backup}`, original, await profile(backup));
  if (!copied.ok) throw new MigrationRefused(`the backup of ${RUNS} does not match it (${copied.detail}); ${RUNS} was left as it is. Drop ${backup} and run the deploy again.`);

  const state = (alias: string) => `TO_JSON_STRING(STRUCT(${columns.map((c) => `${alias}.${c}`).join(', ')}))`;
  const migratedEvent = `SELECT 1 FROM ${tableRef(target, EVENTS)} AS e WHERE e.event = '${runEvents.EVENTS.migrated}' AND e.run_id = b.run_id AND ${state('e')} = ${state('b')}`;
  await query(`INSERT INTO ${tableRef(target, EVENTS)} (${runEvents.EVENT_COLUMNS.join(', ')})
SELECT ${columns.map((c) => `b.${c}`).join(', ')}, '${runEvents.EVENTS.migrated}', COALESCE(b.finished_at, b.started_at, CURRENT_TIMESTAMP())
FROM ${tableRef(target, backup)} AS b
WHERE NOT EXISTS (${migratedEvent})`);
  const [missing] = await query(`SELECT COUNT(*) AS n FROM ${tableRef(target, backup)} AS b WHERE NOT EXISTS (${migratedEvent})`);
  if (Number(missing.n) !== 0)
    throw new MigrationRefused(
      `${missing.n} rows of ${backup} have no identical migrated event in ${EVENTS}; ${RUNS} was left as it is. Run the deploy again; if it fails again, compare ${backup} with ${EVENTS}.`,
    );

  const unchanged = sameContent(RUNS, original, await profile(RUNS));
  if (!unchanged.ok)
    throw new MigrationRefused(
      `${RUNS} changed while it was migrated (a run of the previous version wrote to it: ${unchanged.detail}); it was left as it is and ${backup} kept. Stop every run, then run the deploy again: it migrates the new rows too.`,
    );
  await dataset.table(RUNS).delete();
  return { runs: original.rows, backup };
}

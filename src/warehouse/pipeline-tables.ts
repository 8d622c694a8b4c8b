/**
 * The pipeline's tables, created if missing from the same column lists Dataform uses (includes/schemas.js), so a
 * command that audits before any `dataform run` ever ran (a lock refused on a fresh warehouse) still has its tables.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import runEvents from '../../includes/run_events.js';
import schemas from '../../includes/schemas.js';
import { tableRef, type WarehouseTarget } from './target.ts';

const AUDIT_TABLES = ['grading_run_events', 'grading_duplicate_audit'] as const;

export function createTableIfNotExistsSql(target: WarehouseTarget, table: string): string {
  const schema = schemas.schema(table);
  const columns = schema.columns.map(([name, type]) => `  ${name} ${type}`).join(',\n');
  const partition = schema.partitionBy ? `\nPARTITION BY ${schema.partitionBy}` : '';
  const cluster = schema.clusterBy ? `\nCLUSTER BY ${schema.clusterBy.join(', ')}` : '';
  return `CREATE TABLE IF NOT EXISTS ${tableRef(target, table)} (\n${columns}\n)${partition}${cluster}`;
}

/** grading_runs is the view of the latest state per run over grading_run_events (includes/run_events.js). */
const RUNS_VIEW = 'grading_runs';

function createRunsViewIfNotExistsSql(target: WarehouseTarget): string {
  return `CREATE VIEW IF NOT EXISTS ${tableRef(target, RUNS_VIEW)} AS\n${runEvents.latestRunStateSql(tableRef(target, 'grading_run_events'))}`;
}

// Per client, not per process: a process that talks to two warehouses under the same names (a new emulator, tests
// sharing a worker) must not take one's tables for the other's.
const ensuredByClient = new WeakMap<BigQuery, Set<string>>();

/** Creates the dataset and the given tables when missing (once per client and target). */
export async function ensureTables(bigquery: BigQuery, target: WarehouseTarget, tables: readonly string[] = AUDIT_TABLES): Promise<void> {
  const key = `${target.projectId}.${target.dataset}:${tables.join(',')}`;
  let ensured = ensuredByClient.get(bigquery);
  if (!ensured) ensuredByClient.set(bigquery, (ensured = new Set()));
  if (ensured.has(key)) return;
  const dataset = bigquery.dataset(target.dataset);
  const [exists] = await dataset.exists();
  if (!exists)
    await dataset.create({ location: target.location }).catch((error: { code?: number }) => {
      if (error.code !== 409) throw error;
    });
  for (const table of tables) {
    if (table === RUNS_VIEW) {
      // The view the deploy creates, here for a dataset that was never deployed (tests, a repair before any run).
      await bigquery.query({ query: createTableIfNotExistsSql(target, 'grading_run_events'), location: target.location });
      await bigquery.query({ query: createRunsViewIfNotExistsSql(target), location: target.location });
    } else await bigquery.query({ query: createTableIfNotExistsSql(target, table), location: target.location });
  }
  ensured.add(key);
}

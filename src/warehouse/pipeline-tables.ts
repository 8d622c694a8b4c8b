/**
 * The pipeline's tables, created if missing from the same column lists Dataform uses (includes/schemas.js), so a
 * command that audits before any `dataform run` ever ran (a lock refused on a fresh warehouse) still has its tables.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import schemas from '../../includes/schemas.js';
import { tableRef, type WarehouseTarget } from './target.ts';

const AUDIT_TABLES = ['grading_runs', 'grading_duplicate_audit'] as const;

export function createTableIfNotExistsSql(target: WarehouseTarget, table: string): string {
  const schema = schemas.schema(table);
  const columns = schema.columns.map(([name, type]) => `  ${name} ${type}`).join(',\n');
  const partition = schema.partitionBy ? `\nPARTITION BY ${schema.partitionBy}` : '';
  const cluster = schema.clusterBy ? `\nCLUSTER BY ${schema.clusterBy.join(', ')}` : '';
  return `CREATE TABLE IF NOT EXISTS ${tableRef(target, table)} (\n${columns}\n)${partition}${cluster}`;
}

const ensured = new Set<string>();

/** Creates the dataset and the given tables when missing (once per process and target). */
export async function ensureTables(bigquery: BigQuery, target: WarehouseTarget, tables: readonly string[] = AUDIT_TABLES): Promise<void> {
  const key = `${target.projectId}.${target.dataset}:${tables.join(',')}`;
  if (ensured.has(key)) return;
  const dataset = bigquery.dataset(target.dataset);
  const [exists] = await dataset.exists();
  if (!exists)
    await dataset.create({ location: target.location }).catch((error: { code?: number }) => {
      if (error.code !== 409) throw error;
    });
  for (const table of tables) await bigquery.query({ query: createTableIfNotExistsSql(target, table), location: target.location });
  ensured.add(key);
}

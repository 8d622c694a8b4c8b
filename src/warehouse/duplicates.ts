/**
 * Duplicate business keys: find them for a table and a set of dates (reading only those partitions), and record them
 * in grading_duplicate_audit. Keys come from includes/business_keys.js, the same definitions Dataform uses; dates and
 * run ids travel as query parameters.
 */
import { createRequire } from 'node:module';
import type { BigQuery } from '@google-cloud/bigquery';
import { bigQueryLibrary } from '../cloud/libraries.ts';
import businessKeys from '../../includes/business_keys.js';
import { ensureTables } from './pipeline-tables.ts';
import { tableRef, type WarehouseTarget } from './target.ts';

const require = createRequire(import.meta.url);
const sqlHelpers: {
  duplicateKeysQuery(tableName: string, tableRef: string, scope: string): string;
  windowPartitionColumns(tableName: string): string[];
} = require('../../includes/sql_helpers.js');

export type KeyedTable = businessKeys.KeyedTable;

export interface DuplicateKey {
  /** The table's date column value (YYYY-MM-DD), null for tables not scoped by date. */
  gameDate: string | null;
  /** Business key columns (without the date) and their values. */
  key: Record<string, unknown>;
  occurrenceCount: number;
  firstWrittenAt: string | null;
  lastWrittenAt: string | null;
}

export function keyedTable(name: string): businessKeys.BusinessKey {
  const key = (businessKeys.tables as Record<string, businessKeys.BusinessKey>)[name];
  if (!key) throw new Error(`No business key is declared for ${name} (includes/business_keys.js)`);
  return key;
}

export function keyedTableNames(): KeyedTable[] {
  return Object.keys(businessKeys.tables) as KeyedTable[];
}

/** The project's duplicate-key query (includes/sql_helpers.js), scoped to @dates (every row when not dated). */
function scopedDuplicateKeys(target: WarehouseTarget, table: string, dated: boolean): string {
  const key = keyedTable(table);
  return sqlHelpers.duplicateKeysQuery(table, tableRef(target, table), dated ? `${key.dateColumn} IN UNNEST(@dates)` : 'TRUE');
}

/** The date column and business key of a keyed table as window PARTITION BY expressions (FLOAT64 keys as text: BigQuery refuses floats there). */
export function windowPartitionColumns(table: string): string[] {
  keyedTable(table);
  return sqlHelpers.windowPartitionColumns(table);
}

/** SQL of the duplicate keys of a table within @dates (all rows when the table has no date column), dates and times as text. */
export function duplicateKeysSql(target: WarehouseTarget, table: string, options: { dated: boolean }): string {
  const key = keyedTable(table);
  const dateSelect = key.dateColumn ? `CAST(${key.dateColumn} AS STRING) AS __date` : 'CAST(NULL AS STRING) AS __date';
  return `SELECT ${dateSelect}, ${key.keyColumns.join(', ')}, occurrence_count AS __count,
  CAST(first_graded_at AS STRING) AS __first, CAST(last_graded_at AS STRING) AS __last
FROM (
${scopedDuplicateKeys(target, table, options.dated)}
) AS duplicate_keys
ORDER BY __date, ${key.keyColumns.join(', ')}`;
}

/** DATE array parameter values: the client sends plain strings typed DATE as NULLs, BigQueryDate objects as dates. */
export function dateParams(dates: readonly string[]) {
  return dates.map((date) => bigQueryLibrary().BigQuery.date(date));
}

function plain(value: unknown): unknown {
  return value && typeof value === 'object' && 'value' in (value as object) ? (value as { value: unknown }).value : value;
}

/** Duplicate keys of `table` on `dates` (every date when dates is undefined). */
export async function findDuplicateKeys(bigquery: BigQuery, target: WarehouseTarget, table: string, dates?: readonly string[]): Promise<DuplicateKey[]> {
  const key = keyedTable(table);
  const dated = Boolean(key.dateColumn && dates);
  if (dated && dates!.length === 0) return [];
  const [rows] = await bigquery.query({
    query: duplicateKeysSql(target, table, { dated }),
    params: dated ? { dates: dateParams(dates!) } : undefined,
    location: target.location,
  });
  return rows.map((row: Record<string, unknown>) => ({
    gameDate: (row.__date as string | null) ?? null,
    key: Object.fromEntries(key.keyColumns.map((column) => [column, plain(row[column])])),
    occurrenceCount: Number(row.__count),
    firstWrittenAt: (row.__first as string | null) ?? null,
    lastWrittenAt: (row.__last as string | null) ?? null,
  }));
}

/** Row and duplicate-row counts per date of a table (rows - distinct keys = extra rows). */
export async function duplicateCountsByDate(
  bigquery: BigQuery,
  target: WarehouseTarget,
  table: string,
  dates?: readonly string[],
): Promise<Array<{ date: string | null; rows: number; uniqueKeys: number; duplicateRows: number }>> {
  const key = keyedTable(table);
  const dated = Boolean(key.dateColumn && dates);
  const keyExpr = key.keyColumns.map((c) => (key.nullableKeyColumns.includes(c) ? `CAST(${c} AS STRING)` : `CAST(${c} AS STRING)`));
  const dateSelect = key.dateColumn ? `CAST(${key.dateColumn} AS STRING)` : 'CAST(NULL AS STRING)';
  const query = `SELECT ${dateSelect} AS date, COUNT(*) AS row_count, COUNT(DISTINCT TO_JSON_STRING(STRUCT(${keyExpr.join(', ')}))) AS unique_keys
FROM ${tableRef(target, table)}
${dated ? `WHERE ${key.dateColumn} IN UNNEST(@dates)` : ''}
GROUP BY date ORDER BY date`;
  const [rows] = await bigquery.query({ query, params: dated ? { dates: dateParams(dates!) } : undefined, location: target.location });
  return rows.map((row: Record<string, unknown>) => ({
    date: (row.date as string | null) ?? null,
    rows: Number(row.row_count),
    uniqueKeys: Number(row.unique_keys),
    duplicateRows: Number(row.row_count) - Number(row.unique_keys),
  }));
}

/**
 * Appends the duplicate keys of `table` on `dates` to grading_duplicate_audit in one server-side INSERT ... SELECT
 * (never updates or deletes: the audit is append-only). Returns how many keys were recorded.
 */
export async function recordDuplicateKeys(bigquery: BigQuery, target: WarehouseTarget, input: { runId: string; processor: string; table: string; dates?: readonly string[] }): Promise<number> {
  await ensureTables(bigquery, target);
  const key = keyedTable(input.table);
  const dated = Boolean(key.dateColumn && input.dates);
  if (dated && input.dates!.length === 0) return 0;
  const auditColumns = key.keyColumns.map((column) => businessKeys.auditColumnFor(input.table as KeyedTable, column));
  const query = `INSERT INTO ${tableRef(target, 'grading_duplicate_audit')}
  (detected_at, run_id, processor, game_date, ${auditColumns.join(', ')}, occurrence_count, first_graded_at, last_graded_at)
SELECT CURRENT_TIMESTAMP(), @run_id, @processor, ${key.dateColumn ?? 'CAST(NULL AS DATE)'}, ${key.keyColumns.join(', ')},
  occurrence_count, first_graded_at, last_graded_at
FROM (
${scopedDuplicateKeys(target, input.table, dated)}
) AS duplicate_keys`;
  const params: Record<string, unknown> = { run_id: input.runId, processor: input.processor };
  if (dated) params.dates = dateParams(input.dates!);
  // createQueryJob sends `types` through to the API, which rejects it: every parameter here has a non-null value.
  const [job] = await bigquery.createQueryJob({ query, params, location: target.location });
  await job.getQueryResults();
  const [metadata] = await job.getMetadata();
  return Number(metadata.statistics?.query?.numDmlAffectedRows ?? 0);
}

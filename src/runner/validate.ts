/**
 * Validation inside the lock, before release: duplicate business keys of the run's date (reading only that
 * partition), made sure to be in grading_duplicate_audit (Dataform records them before its uniqueness assertions;
 * the runner records only what Dataform never reached, so nothing is recorded twice), and the date's row count.
 */
import { BigQuery } from '@google-cloud/bigquery';
import { findDuplicateKeys, keyedTable, recordDuplicateKeys } from '../warehouse/duplicates.ts';
import { tableRef, type WarehouseTarget } from '../warehouse/target.ts';
import type { OperationSpec } from './operations.ts';

export interface Validation {
  /** Duplicate business keys per table on the date (0 when clean). */
  duplicateKeys: Record<string, number>;
  totalDuplicateKeys: number;
  /** Keys the runner itself appended to the audit (those Dataform had not recorded for this run). */
  recordedByRunner: number;
  /** Rows of the operation's main table on the date. */
  rows: number;
}

export async function validateDate(
  bigquery: BigQuery,
  target: WarehouseTarget,
  spec: OperationSpec,
  date: string,
  runId: string,
): Promise<Validation> {
  const [duplicates, rows] = await Promise.all([
    Promise.all(spec.validatedTables.map(async (table) => [table, (await findDuplicateKeys(bigquery, target, table, [date])).length] as const)),
    countRows(bigquery, target, spec.rowsTable, date),
  ]);
  const duplicateKeys = Object.fromEntries(duplicates);
  const totalDuplicateKeys = duplicates.reduce((sum, [, n]) => sum + n, 0);
  let recordedByRunner = 0;
  if (totalDuplicateKeys > 0) {
    const audited = await auditedKeys(bigquery, target, runId, date);
    for (const [table, count] of duplicates) {
      if (count === 0 || (audited.get(table) ?? 0) > 0) continue;
      recordedByRunner += await recordDuplicateKeys(bigquery, target, { runId, processor: table, table, dates: [date] });
    }
  }
  return { duplicateKeys, totalDuplicateKeys, recordedByRunner, rows };
}

async function countRows(bigquery: BigQuery, target: WarehouseTarget, table: string, date: string): Promise<number> {
  const key = keyedTable(table);
  const [[row]] = await bigquery.query({
    query: `SELECT COUNT(*) AS n FROM ${tableRef(target, table)} WHERE ${key.dateColumn} = @date`,
    params: { date: BigQuery.date(date) },
    location: target.location,
  });
  return Number(row.n);
}

/** Audit rows this run already has for the date, per table (processor). */
async function auditedKeys(bigquery: BigQuery, target: WarehouseTarget, runId: string, date: string): Promise<Map<string, number>> {
  const [rows] = await bigquery.query({
    query: `SELECT processor, COUNT(*) AS n FROM ${tableRef(target, 'grading_duplicate_audit')}
WHERE DATE(detected_at) >= DATE_SUB(CURRENT_DATE(), INTERVAL 1 DAY) AND run_id = @run_id AND game_date = @date
GROUP BY processor`,
    params: { run_id: runId, date: BigQuery.date(date) },
    location: target.location,
  });
  return new Map(rows.map((r: { processor: string; n: number }) => [r.processor, Number(r.n)]));
}

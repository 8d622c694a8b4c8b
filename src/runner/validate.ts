/**
 * Validation inside the lock, before release: duplicate business keys of the run's dates (reading only those
 * partitions), made sure to be in grading_duplicate_audit (Dataform records them before its uniqueness assertions;
 * the runner records only what Dataform never reached, so nothing is recorded twice), and each date's row count.
 * One query per table for all the run's dates, not per date: a backfill validates in a handful of queries.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { dateParams, findDuplicateKeys, keyedTable, recordDuplicateKeys } from '../warehouse/duplicates.ts';
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

export async function validateDates(bigquery: BigQuery, target: WarehouseTarget, spec: OperationSpec, dates: readonly string[], runId: string): Promise<Map<string, Validation>> {
  const [duplicates, rows] = await Promise.all([
    Promise.all(spec.validatedTables.map(async (table) => [table, await findDuplicateKeys(bigquery, target, table, dates)] as const)),
    countRows(bigquery, target, spec.rowsTable, dates),
  ]);
  const out = new Map<string, Validation>(
    dates.map((date) => {
      const duplicateKeys = Object.fromEntries(duplicates.map(([table, keys]) => [table, keys.filter((k) => k.gameDate === date).length]));
      const total = Object.values(duplicateKeys).reduce((sum, n) => sum + n, 0);
      return [date, { duplicateKeys, totalDuplicateKeys: total, recordedByRunner: 0, rows: rows.get(date) ?? 0 }];
    }),
  );
  if (duplicates.some(([, keys]) => keys.length > 0)) {
    const audited = await auditedKeys(bigquery, target, runId, dates);
    for (const [table, keys] of duplicates) {
      const missing = [...new Set(keys.map((k) => k.gameDate!))].filter((date) => !audited.has(`${table}|${date}`));
      if (!missing.length) continue;
      await recordDuplicateKeys(bigquery, target, { runId, processor: table, table, dates: missing });
      for (const date of missing) out.get(date)!.recordedByRunner += keys.filter((k) => k.gameDate === date).length;
    }
  }
  return out;
}

async function countRows(bigquery: BigQuery, target: WarehouseTarget, table: string, dates: readonly string[]): Promise<Map<string, number>> {
  const key = keyedTable(table);
  const [rows] = await bigquery.query({
    query: `SELECT CAST(${key.dateColumn} AS STRING) AS date, COUNT(*) AS n FROM ${tableRef(target, table)} WHERE ${key.dateColumn} IN UNNEST(@dates) GROUP BY date`,
    params: { dates: dateParams(dates) },
    location: target.location,
  });
  return new Map(rows.map((r: { date: string; n: number }) => [r.date, Number(r.n)]));
}

/** (processor|date) pairs this run already has audit rows for. */
async function auditedKeys(bigquery: BigQuery, target: WarehouseTarget, runId: string, dates: readonly string[]): Promise<Set<string>> {
  const [rows] = await bigquery.query({
    query: `SELECT DISTINCT processor, CAST(game_date AS STRING) AS date FROM ${tableRef(target, 'grading_duplicate_audit')}
WHERE DATE(detected_at) >= DATE_SUB(CURRENT_DATE(), INTERVAL 1 DAY) AND run_id = @run_id AND game_date IN UNNEST(@dates)`,
    params: { run_id: runId, dates: dateParams(dates) },
    location: target.location,
  });
  return new Set(rows.map((r: { processor: string; date: string }) => `${r.processor}|${r.date}`));
}

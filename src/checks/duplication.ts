/**
 * Duplicate keys, extra rows and the duplication rate per date of one keyed table, in one query that reads only
 * the requested dates. NULL key values group together (GROUP BY is NULL-safe), as the business key requires.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { dateParams, keyedTable } from '../warehouse/duplicates.ts';
import { tableRef, type WarehouseTarget } from '../warehouse/target.ts';

export interface DateDuplication {
  date: string;
  rows: number;
  uniqueKeys: number;
  /** Business keys with more than one row. */
  duplicateKeys: number;
  /** Rows beyond one per key (what a cleanup would remove). */
  extraRows: number;
  /** extraRows / rows (0 when the date has no rows). */
  rate: number;
}

function duplicationByDateSql(target: WarehouseTarget, table: string): string {
  const key = keyedTable(table);
  if (!key.dateColumn) throw new Error(`${table} is not scoped by date`);
  return `SELECT date, SUM(n) AS row_count, COUNT(*) AS unique_keys, COUNTIF(n > 1) AS duplicate_keys
FROM (
  SELECT CAST(${key.dateColumn} AS STRING) AS date, ${key.keyColumns.join(', ')}, COUNT(*) AS n
  FROM ${tableRef(target, table)}
  WHERE ${key.dateColumn} IN UNNEST(@dates)
  GROUP BY ${key.dateColumn}, ${key.keyColumns.join(', ')}
)
GROUP BY date
ORDER BY date`;
}

/** One entry per requested date, dates without rows included (zeros). */
export async function duplicationByDate(bigquery: BigQuery, target: WarehouseTarget, table: string, dates: readonly string[]): Promise<DateDuplication[]> {
  const [rows] = await bigquery.query({ query: duplicationByDateSql(target, table), params: { dates: dateParams(dates) }, location: target.location });
  const byDate = new Map(rows.map((row: Record<string, unknown>) => [String(row.date), row]));
  return dates.map((date) => {
    const row = byDate.get(date);
    const total = Number(row?.row_count ?? 0);
    const uniqueKeys = Number(row?.unique_keys ?? 0);
    const extraRows = total - uniqueKeys;
    return { date, rows: total, uniqueKeys, duplicateKeys: Number(row?.duplicate_keys ?? 0), extraRows, rate: total ? extraRows / total : 0 };
  });
}

export interface Trend {
  currentWeek: { from: string; to: string; rows: number; extraRows: number; rate: number };
  previousWeek: { from: string; to: string; rows: number; extraRows: number; rate: number };
  /** (current - previous) / previous; null when the previous week had no duplication. */
  relativeChange: number | null;
  rising: boolean;
}

/** Alert threshold: the duplication rate rose by more than this fraction week over week. */
const TREND_RISE_THRESHOLD = 0.1;

export function weekOverWeek(days: readonly DateDuplication[], threshold = TREND_RISE_THRESHOLD): Trend {
  if (days.length !== 14) throw new Error('weekOverWeek needs 14 consecutive dates (previous week, then current week)');
  const sum = (part: readonly DateDuplication[]) => {
    const rows = part.reduce((s, d) => s + d.rows, 0);
    const extraRows = part.reduce((s, d) => s + d.extraRows, 0);
    return { from: part[0].date, to: part[part.length - 1].date, rows, extraRows, rate: rows ? extraRows / rows : 0 };
  };
  const previousWeek = sum(days.slice(0, 7));
  const currentWeek = sum(days.slice(7));
  const relativeChange = previousWeek.rate > 0 ? (currentWeek.rate - previousWeek.rate) / previousWeek.rate : null;
  // From no duplication to some is a rise of any size.
  const rising = relativeChange === null ? currentWeek.rate > 0 : relativeChange > threshold;
  return { currentWeek, previousWeek, relativeChange, rising };
}

/** Profiles of a table (one scan) and their comparisons: the figures every verification is made of. */
import type { BigQuery } from '@google-cloud/bigquery';
import { assertIdentifier, tableRef, type WarehouseTarget } from '../warehouse/target.ts';
import { profileSql, removedSql } from './sql.ts';
import type { BusinessKey, Check, DateFigures, KeepRule, TableProfile } from './types.ts';

export interface Counter {
  /** Counts a full read of a table (reported by the bench and the final report). */
  scan(what: string): void;
}

export async function profileTable(
  bigquery: BigQuery,
  target: WarehouseTarget,
  table: string,
  key: BusinessKey,
  columns: readonly string[],
  counter?: Counter,
  options: { contents?: boolean } = {},
): Promise<TableProfile> {
  counter?.scan(`profile ${table}`);
  const [rows] = await bigquery.query({ query: profileSql(tableRef(target, table), key, columns, options), location: target.location });
  const dates: DateFigures[] = rows.map((row: Record<string, string | null>) => ({
    date: row.date ?? null,
    rows: Number(row.row_count),
    uniqueKeys: Number(row.unique_keys),
    duplicateKeys: Number(row.duplicate_keys),
    differingKeys: row.differing_keys === null || row.differing_keys === undefined ? null : Number(row.differing_keys),
    rowHashSum1: row.row_hash_sum1 ?? '0',
    rowHashSum2: row.row_hash_sum2 ?? '0',
    keyHashSum1: row.key_hash_sum1 ?? '0',
    keyHashSum2: row.key_hash_sum2 ?? '0',
  }));
  return summarize(table, dates);
}

/** The distinct dates of a table (one read of its date column): what must be locked before reading it whole. */
export async function tableDates(bigquery: BigQuery, target: WarehouseTarget, table: string, key: BusinessKey): Promise<string[]> {
  if (!key.dateColumn) return [];
  const [rows] = await bigquery.query({
    query: `SELECT DISTINCT CAST(${assertIdentifier('column', key.dateColumn)} AS STRING) AS d FROM ${tableRef(target, table)}`,
    location: target.location,
  });
  return (rows as Array<{ d: string | null }>)
    .map((r) => r.d)
    .filter((d): d is string => d !== null)
    .sort();
}

export function summarize(table: string, dates: DateFigures[]): TableProfile {
  const sum = (f: (d: DateFigures) => number) => dates.reduce((a, d) => a + f(d), 0);
  const big = (f: (d: DateFigures) => string) => dates.reduce((a, d) => a + BigInt(f(d)), 0n).toString();
  const rows = sum((d) => d.rows);
  const uniqueKeys = sum((d) => d.uniqueKeys);
  return {
    table,
    rows,
    uniqueKeys,
    duplicateKeys: sum((d) => d.duplicateKeys),
    duplicateRows: rows - uniqueKeys,
    differingKeys: dates.some((d) => d.differingKeys === null) ? null : sum((d) => d.differingKeys as number),
    checksum: `${rows}:${big((d) => d.rowHashSum1)}:${big((d) => d.rowHashSum2)}`,
    keyChecksum: `${uniqueKeys}:${big((d) => d.keyHashSum1)}:${big((d) => d.keyHashSum2)}`,
    dates,
  };
}

export interface RemovedFigures {
  date: string | null;
  rows: number;
  rowHashSum1: string;
  rowHashSum2: string;
}

export async function removedRows(bigquery: BigQuery, target: WarehouseTarget, table: string, key: BusinessKey, keep: KeepRule, columns: readonly string[], counter?: Counter): Promise<RemovedFigures[]> {
  counter?.scan(`removed rows of ${table}`);
  const [rows] = await bigquery.query({ query: removedSql(tableRef(target, table), table, key, keep, columns), location: target.location });
  return rows.map((row: Record<string, string | null>) => ({ date: row.date ?? null, rows: Number(row.row_count), rowHashSum1: row.row_hash_sum1 ?? '0', rowHashSum2: row.row_hash_sum2 ?? '0' }));
}

/** Same content, date by date (row counts and content checksums). */
export function sameContent(name: string, expected: TableProfile, actual: TableProfile): Check {
  const byDate = new Map(expected.dates.map((d) => [d.date, d]));
  const differing: string[] = [];
  for (const d of actual.dates) {
    const e = byDate.get(d.date);
    if (!e || e.rows !== d.rows || e.rowHashSum1 !== d.rowHashSum1 || e.rowHashSum2 !== d.rowHashSum2) differing.push(`${d.date ?? 'all'} (${e?.rows ?? 0} -> ${d.rows} rows)`);
    byDate.delete(d.date);
  }
  for (const e of byDate.values()) differing.push(`${e.date ?? 'all'} (${e.rows} -> 0 rows)`);
  const ok = differing.length === 0 && expected.checksum === actual.checksum;
  return {
    name,
    ok,
    detail: ok
      ? `${actual.rows} rows, checksum ${actual.checksum} equal to ${expected.table}`
      : `${actual.table} differs from ${expected.table}: ${actual.rows} vs ${expected.rows} rows, checksum ${actual.checksum} vs ${expected.checksum}; dates ${differing.slice(0, 10).join(', ')}`,
  };
}

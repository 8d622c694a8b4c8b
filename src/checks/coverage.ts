/**
 * What the duplicate counts cannot see: tables that are not there, tables with nothing in the window, and dates whose
 * predictions were never graded or were graded into nothing. A check that read nothing did not pass.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { dateParams, keyedTable } from '../warehouse/duplicates.ts';
import { tableRef, type WarehouseTarget } from '../warehouse/target.ts';

export interface DateCoverage {
  date: string;
  predictions: number;
  graded: number;
  /** A succeeded grading run of the date (grading_runs), when any. */
  gradingRunId: string | null;
}

/** Per date: predictions, graded rows, and a succeeded grading run. `withRuns` false when grading_runs does not exist. */
function coverageSql(target: WarehouseTarget, withRuns: boolean): string {
  const runs = withRuns
    ? `,
runs AS (
  SELECT d, MAX(run_id) AS run_id
  FROM ${tableRef(target, 'grading_runs')}, UNNEST(game_dates) AS d
  WHERE operation = 'grading' AND status = 'succeeded' AND d IN UNNEST(@dates)
  GROUP BY d
)`
    : '';
  return `WITH dates AS (SELECT d FROM UNNEST(@dates) AS d),
predictions AS (
  SELECT game_date AS d, COUNT(*) AS n FROM ${tableRef(target, 'player_prop_predictions')} WHERE game_date IN UNNEST(@dates) GROUP BY game_date
),
grades AS (
  SELECT game_date AS d, COUNT(*) AS n FROM ${tableRef(target, 'prediction_accuracy')} WHERE game_date IN UNNEST(@dates) GROUP BY game_date
)${runs}
SELECT CAST(dates.d AS STRING) AS date, IFNULL(p.n, 0) AS predictions, IFNULL(g.n, 0) AS graded, ${withRuns ? 'r.run_id' : 'CAST(NULL AS STRING)'} AS run_id
FROM dates
LEFT JOIN predictions AS p ON p.d = dates.d
LEFT JOIN grades AS g ON g.d = dates.d${withRuns ? '\nLEFT JOIN runs AS r ON r.d = dates.d' : ''}
ORDER BY date`;
}

export async function dateCoverage(bigquery: BigQuery, target: WarehouseTarget, dates: readonly string[], withRuns: boolean): Promise<DateCoverage[]> {
  if (dates.length === 0) return [];
  const [rows] = await bigquery.query({ query: coverageSql(target, withRuns), params: { dates: dateParams(dates) }, location: target.location });
  const byDate = new Map(rows.map((row: Record<string, unknown>) => [String(row.date), row]));
  return dates.map((date) => {
    const row = byDate.get(date);
    return { date, predictions: Number(row?.predictions ?? 0), graded: Number(row?.graded ?? 0), gradingRunId: (row?.run_id as string | null | undefined) ?? null };
  });
}

/** The last date a table has rows for (for "the window is empty, the data ends on ..."); null when it has none. */
export async function latestDate(bigquery: BigQuery, target: WarehouseTarget, table: string): Promise<string | null> {
  const key = keyedTable(table);
  const [[row]] = await bigquery.query({ query: `SELECT CAST(MAX(${key.dateColumn}) AS STRING) AS latest FROM ${tableRef(target, table)}`, location: target.location });
  return (row?.latest as string | null | undefined) ?? null;
}

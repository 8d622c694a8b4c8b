/** The figures the story shows: duplication per date and accuracy per system with and without duplicates. */
import type { BigQuery } from '@google-cloud/bigquery';
import { duplicateCountsByDate, keyedTable, windowPartitionColumns } from '../../src/warehouse/duplicates.ts';
import { tableRef, type WarehouseTarget } from '../../src/warehouse/target.ts';
import type { DateDuplication, SystemAccuracy } from './report/html-report.ts';

export async function duplicationPerDate(bigquery: BigQuery, target: WarehouseTarget, table = 'prediction_accuracy'): Promise<DateDuplication[]> {
  const counts = await duplicateCountsByDate(bigquery, target, table);
  return counts.map((c) => ({ date: c.date ?? '', rows: c.rows, uniqueKeys: c.uniqueKeys }));
}

/**
 * Graded (correct or incorrect) and correct counts per system, on the table as it is and on one row per business key
 * (the deduplicated view's rule, computed inline: the view only exists once Dataform ran), side by side: what a dashboard reading the raw table reported during the incident.
 */
export async function accuracyPerSystem(bigquery: BigQuery, target: WarehouseTarget): Promise<SystemAccuracy[]> {
  const key = keyedTable('prediction_accuracy');
  const [rows] = await bigquery.query({
    query: `WITH raw AS (
  SELECT system_id, COUNTIF(prediction_correct IS NOT NULL) AS graded, COUNTIF(prediction_correct) AS correct
  FROM ${tableRef(target, 'prediction_accuracy')} GROUP BY system_id
), one_per_key AS (
  SELECT system_id, prediction_correct FROM ${tableRef(target, 'prediction_accuracy')}
  QUALIFY ROW_NUMBER() OVER (PARTITION BY ${windowPartitionColumns('prediction_accuracy').join(', ')} ORDER BY ${key.latestFirst.join(', ')}) = 1
), dedup AS (
  SELECT system_id, COUNTIF(prediction_correct IS NOT NULL) AS graded, COUNTIF(prediction_correct) AS correct
  FROM one_per_key GROUP BY system_id
)
SELECT raw.system_id, raw.graded AS raw_graded, raw.correct AS raw_correct,
  IFNULL(dedup.graded, 0) AS dedup_graded, IFNULL(dedup.correct, 0) AS dedup_correct
FROM raw LEFT JOIN dedup ON raw.system_id = dedup.system_id
ORDER BY raw.system_id`,
    location: target.location,
  });
  return rows.map((r: Record<string, unknown>) => ({
    systemId: String(r.system_id),
    withDuplicates: { graded: Number(r.raw_graded), correct: Number(r.raw_correct) },
    deduplicated: { graded: Number(r.dedup_graded), correct: Number(r.dedup_correct) },
  }));
}

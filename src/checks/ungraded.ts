/**
 * Ungraded predictions: a prediction whose player has an actual (player_game_summary) for that game but which has
 * no row in prediction_accuracy. That is grading that silently did not happen (a skipped date, a refused run).
 * Predictions are taken at their business key (any version), matched NULL-safely on the line.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import businessKeys from '../../includes/business_keys.js';
import { dateParams } from '../warehouse/duplicates.ts';
import { tableRef, type WarehouseTarget } from '../warehouse/target.ts';

export interface UngradedByDate {
  date: string;
  predictionsWithActuals: number;
  ungraded: number;
}

function ungradedSql(target: WarehouseTarget): string {
  const sentinel = Number(businessKeys.NULL_LINE_SENTINEL);
  return `WITH predictions AS (
  SELECT DISTINCT game_date, game_id, player_lookup, system_id, current_points_line
  FROM ${tableRef(target, 'player_prop_predictions')}
  WHERE game_date IN UNNEST(@dates)
),
actuals AS (
  SELECT DISTINCT game_id, player_lookup
  FROM ${tableRef(target, 'player_game_summary')}
  WHERE game_date IN UNNEST(@dates)
),
grades AS (
  SELECT DISTINCT game_date, game_id, player_lookup, system_id, IFNULL(line_value, ${sentinel}) AS line
  FROM ${tableRef(target, 'prediction_accuracy')}
  WHERE game_date IN UNNEST(@dates)
)
SELECT CAST(p.game_date AS STRING) AS date, COUNT(*) AS with_actuals, COUNTIF(g.game_id IS NULL) AS ungraded
FROM predictions AS p
JOIN actuals AS a ON a.game_id = p.game_id AND a.player_lookup = p.player_lookup
LEFT JOIN grades AS g
  ON g.game_date = p.game_date AND g.game_id = p.game_id AND g.player_lookup = p.player_lookup
  AND g.system_id = p.system_id AND g.line = IFNULL(p.current_points_line, ${sentinel})
GROUP BY date
ORDER BY date`;
}

export async function ungradedByDate(bigquery: BigQuery, target: WarehouseTarget, dates: readonly string[]): Promise<UngradedByDate[]> {
  if (dates.length === 0) return [];
  const [rows] = await bigquery.query({ query: ungradedSql(target), params: { dates: dateParams(dates) }, location: target.location });
  const byDate = new Map(rows.map((row: Record<string, unknown>) => [String(row.date), row]));
  return dates.map((date) => ({
    date,
    predictionsWithActuals: Number(byDate.get(date)?.with_actuals ?? 0),
    ungraded: Number(byDate.get(date)?.ungraded ?? 0),
  }));
}

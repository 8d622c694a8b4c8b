/** A warehouse with known duplicates per date, a rising duplication rate and one ungraded prediction. */
import type { LocalBigQuery } from '../helpers/bigquery.ts';
import { addDays } from '../../src/runner/dates.ts';
import { ensureTables } from '../../src/warehouse/pipeline-tables.ts';
import { projectConfig, tableRef, type WarehouseTarget } from '../../src/warehouse/target.ts';

export const AS_OF = '2026-01-20';

export function targetOf(bq: LocalBigQuery): WarehouseTarget {
  const config = projectConfig();
  return { kind: 'local', ...bq.target, dataset: config.defaultSchema, assertionDataset: config.assertionSchema };
}

const grade = (date: string, player: string, line: string, gradedAt = `${date} 10:00:00`) => `('g-${date}', DATE '${date}', '${player}', 's1', ${line}, TIMESTAMP '${gradedAt}', 'seed', 1)`;

/**
 * prediction_accuracy, 2026-01-07..20: 10 unique keys a day (p0..p9, line 10.5), plus
 *   previous week: 01-10 p1 twice (1 duplicate key, 1 extra row)             -> rate 1/71
 *   this week:     01-15 p1 twice and p2 three times (2 keys, 3 extra rows)
 *                  01-18 p10 with a NULL line twice (1 key, 1 extra row)     -> rate 4/75, rising
 * system_daily_performance: one clean row a day.
 * 01-19: predictions p0, p1 (line 10.5), p2 (NULL line, graded only at 10.5), p3 (no actual) -> 1 ungraded.
 */
export async function seedWarehouse(bq: LocalBigQuery, target: WarehouseTarget): Promise<void> {
  await ensureTables(bq.client, target, ['prediction_accuracy', 'player_prop_predictions', 'player_game_summary', 'system_daily_performance', 'grading_runs', 'grading_duplicate_audit']);
  const values: string[] = [];
  for (let i = 0; i < 14; i++) {
    const date = addDays('2026-01-07', i);
    for (let p = 0; p < 10; p++) values.push(grade(date, `p${p}`, '10.5'));
  }
  values.push(grade('2026-01-10', 'p1', '10.5', '2026-01-10 11:00:00'));
  values.push(grade('2026-01-15', 'p1', '10.5', '2026-01-15 11:00:00'));
  values.push(grade('2026-01-15', 'p2', '10.5', '2026-01-15 11:00:00'), grade('2026-01-15', 'p2', '10.5', '2026-01-15 12:00:00'));
  values.push(grade('2026-01-18', 'p10', 'NULL'), grade('2026-01-18', 'p10', 'NULL', '2026-01-18 11:00:00'));
  await bq.rows(`INSERT INTO ${tableRef(target, 'prediction_accuracy')} (game_id, game_date, player_lookup, system_id, line_value, graded_at, run_id, lock_token) VALUES ${values.join(',\n')}`);

  const perf = Array.from({ length: 14 }, (_, i) => `(DATE '${addDays('2026-01-07', i)}', 's1', TIMESTAMP '2026-01-21 00:00:00', 'seed', 1)`);
  await bq.rows(`INSERT INTO ${tableRef(target, 'system_daily_performance')} (game_date, system_id, computed_at, run_id, lock_token) VALUES ${perf.join(',')}`);

  const prediction = (player: string, line: string) => `('id-${player}', 'g-2026-01-19', DATE '2026-01-19', '${player}', 's1', ${line}, 20.0, 0.7, 'OVER', TIMESTAMP '2026-01-19 01:00:00', 1)`;
  await bq.rows(`INSERT INTO ${tableRef(target, 'player_prop_predictions')}
    (prediction_id, game_id, game_date, player_lookup, system_id, current_points_line, predicted_points, confidence_score, recommendation, created_at, prediction_version)
    VALUES ${[prediction('p0', '10.5'), prediction('p1', '10.5'), prediction('p2', 'NULL'), prediction('p3', '10.5')].join(',')}`);
  const actual = (player: string) => `('g-2026-01-19', DATE '2026-01-19', '${player}', 12, TIMESTAMP '2026-01-20 01:00:00')`;
  await bq.rows(`INSERT INTO ${tableRef(target, 'player_game_summary')} (game_id, game_date, player_lookup, points, processed_at) VALUES ${['p0', 'p1', 'p2'].map(actual).join(',')}`);
}

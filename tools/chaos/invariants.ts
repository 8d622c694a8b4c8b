/**
 * What must hold after every chaos round, checked in the warehouse itself:
 *  - no business key twice in any keyed table, on the round's dates;
 *  - prediction_accuracy holds exactly the keys of player_prop_predictions_latest for every graded date (none missing,
 *    none extra);
 *  - system_daily_performance equals a recomputation from prediction_accuracy_deduped with the project's own metric
 *    expressions (includes/metrics.js).
 */
import { createRequire } from 'node:module';
import type { BigQuery } from '@google-cloud/bigquery';
import businessKeys from '../../includes/business_keys.js';
import { dateParams, findDuplicateKeys } from '../../src/warehouse/duplicates.ts';
import { tableRef, type WarehouseTarget } from '../../src/warehouse/target.ts';

const require = createRequire(import.meta.url);
const metrics: { metricColumns: Array<[string, string, string]>; metricSelectList(indent?: string): string } = require('../../includes/metrics.js');

export interface Violation {
  kind: 'duplicate_key' | 'missing_key' | 'extra_key' | 'aggregate_mismatch' | 'stale_token' | 'fence_regressed' | 'lock_not_released' | 'running_row_left';
  table: string;
  date: string | null;
  detail: string;
}

const KEYED_TABLES = ['player_prop_predictions', 'prediction_accuracy', 'system_daily_performance', 'performance_summary'] as const;

export async function duplicateViolations(bigquery: BigQuery, target: WarehouseTarget, dates: readonly string[], tables: readonly string[] = KEYED_TABLES): Promise<Violation[]> {
  const out: Violation[] = [];
  for (const table of tables) {
    for (const duplicate of await findDuplicateKeys(bigquery, target, table, dates)) {
      out.push({ kind: 'duplicate_key', table, date: duplicate.gameDate, detail: `${JSON.stringify(duplicate.key)} x${duplicate.occurrenceCount}` });
    }
  }
  return out;
}

export async function keySetViolations(bigquery: BigQuery, target: WarehouseTarget, dates: readonly string[]): Promise<Violation[]> {
  const sentinel = businessKeys.NULL_LINE_SENTINEL;
  const [rows] = await bigquery.query({
    query: `WITH expected AS (
  SELECT game_date, game_id, player_lookup, system_id, IFNULL(current_points_line, ${sentinel}) AS line
  FROM ${tableRef(target, 'player_prop_predictions_latest')} WHERE game_date IN UNNEST(@dates)
), actual AS (
  SELECT DISTINCT game_date, game_id, player_lookup, system_id, IFNULL(line_value, ${sentinel}) AS line
  FROM ${tableRef(target, 'prediction_accuracy')} WHERE game_date IN UNNEST(@dates)
)
SELECT 'missing_key' AS kind, CAST(e.game_date AS STRING) AS d, CONCAT(e.game_id, '/', e.player_lookup, '/', e.system_id, '/', CAST(e.line AS STRING)) AS k
FROM expected e LEFT JOIN actual a
  ON e.game_date = a.game_date AND e.game_id = a.game_id AND e.player_lookup = a.player_lookup AND e.system_id = a.system_id AND e.line = a.line
WHERE a.game_id IS NULL
UNION ALL
SELECT 'extra_key', CAST(a.game_date AS STRING), CONCAT(a.game_id, '/', a.player_lookup, '/', a.system_id, '/', CAST(a.line AS STRING))
FROM actual a LEFT JOIN expected e
  ON e.game_date = a.game_date AND e.game_id = a.game_id AND e.player_lookup = a.player_lookup AND e.system_id = a.system_id AND e.line = a.line
WHERE e.game_id IS NULL
ORDER BY 1, 2, 3`,
    params: { dates: dateParams(dates) },
    location: target.location,
  });
  return rows.map((r: Record<string, string>) => ({ kind: r.kind as Violation['kind'], table: 'prediction_accuracy', date: r.d, detail: r.k }));
}

/** Two metric values equal up to floating-point noise. */
export const sameMetric = (a: unknown, b: unknown) => a === b || (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));

async function aggregateViolations(bigquery: BigQuery, target: WarehouseTarget, dates: readonly string[]): Promise<Violation[]> {
  const names = metrics.metricColumns.map(([name]) => name);
  const [stored] = await bigquery.query({
    query: `SELECT CAST(game_date AS STRING) AS d, system_id, ${names.join(', ')} FROM ${tableRef(target, 'system_daily_performance')}
WHERE game_date IN UNNEST(@dates) ORDER BY d, system_id`,
    params: { dates: dateParams(dates) },
    location: target.location,
  });
  const [recomputed] = await bigquery.query({
    query: `SELECT CAST(game_date AS STRING) AS d, system_id,
${metrics.metricSelectList('  ')}
FROM ${tableRef(target, 'prediction_accuracy_deduped')}
WHERE game_date IN UNNEST(@dates)
GROUP BY game_date, system_id ORDER BY d, system_id`,
    params: { dates: dateParams(dates) },
    location: target.location,
  });
  const key = (r: Record<string, unknown>) => `${r.d}/${r.system_id}`;
  const storedByKey = new Map(stored.map((r: Record<string, unknown>) => [key(r), r]));
  const out: Violation[] = [];
  for (const expected of recomputed as Record<string, unknown>[]) {
    const got = storedByKey.get(key(expected)) as Record<string, unknown> | undefined;
    if (!got) {
      out.push({ kind: 'aggregate_mismatch', table: 'system_daily_performance', date: String(expected.d), detail: `${expected.system_id}: row missing` });
      continue;
    }
    storedByKey.delete(key(expected));
    const differing = names.filter((name) => !sameMetric(got[name], expected[name]));
    if (differing.length) {
      out.push({
        kind: 'aggregate_mismatch',
        table: 'system_daily_performance',
        date: String(expected.d),
        detail: `${expected.system_id}: ${differing.map((n) => `${n} stored ${got[n]} recomputed ${expected[n]}`).join('; ')}`,
      });
    }
  }
  for (const extra of storedByKey.values()) {
    const row = extra as Record<string, unknown>;
    out.push({ kind: 'aggregate_mismatch', table: 'system_daily_performance', date: String(row.d), detail: `${row.system_id}: row without graded predictions` });
  }
  return out;
}

/**
 * `withAggregates: false` for the unsafe mode: the seed's write path computes no aggregates, so only the tables it
 * writes are checked (a missing aggregate table would otherwise count as a violation the safety did not cause).
 */
export async function checkInvariants(bigquery: BigQuery, target: WarehouseTarget, dates: readonly string[], options: { withAggregates: boolean } = { withAggregates: true }): Promise<Violation[]> {
  const tables = options.withAggregates ? KEYED_TABLES : KEYED_TABLES.filter((t) => t === 'player_prop_predictions' || t === 'prediction_accuracy');
  return [
    ...(await duplicateViolations(bigquery, target, dates, tables)),
    ...(await keySetViolations(bigquery, target, dates)),
    ...(options.withAggregates ? await aggregateViolations(bigquery, target, dates) : []),
  ];
}

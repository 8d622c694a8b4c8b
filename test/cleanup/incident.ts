/**
 * A synthetic incident with the seed's shape, scaled down about 500 times: most dates clean, one date (2026-01-10,
 * like the seed's worst day) with ~1.7 rows per key, a few other dates with some duplicates, NULL lines among the
 * duplicated keys, and one key whose copies disagree (a re-grade that changed the outcome), so the keep rule matters.
 * Every figure the cleanup must reproduce is computed here from the rows, independently of the SQL under test.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { loadRows } from '../../tools/synthetic/season.ts';
import { createTableIfNotExistsSql } from '../../src/warehouse/pipeline-tables.ts';
import constants from '../../includes/constants.js';
import { SOURCE_TABLES } from '../../src/runner/deploy.ts';
import { deployLocal } from '../helpers/deploy.ts';
import { tableRef, type WarehouseTarget } from '../../src/warehouse/target.ts';

export interface IncidentRow {
  prediction_id: string;
  game_id: string;
  game_date: string;
  player_lookup: string;
  system_id: string;
  prediction_version: number;
  line_value: number | null;
  predicted_points: number;
  actual_points: number;
  absolute_error: number;
  signed_error: number;
  recommendation: string;
  outcome: string;
  prediction_correct: boolean | null;
  within_3_points: boolean;
  within_5_points: boolean;
  confidence_score: number;
  graded_at: string;
  run_id: string;
  lock_token: number;
}

/** Every column but lock_token: the content the cleanup's swap and restore keep (they restamp the token, like every fenced write). */
export const CONTENT_COLUMNS = [
  'prediction_id',
  'game_id',
  'game_date',
  'player_lookup',
  'system_id',
  'prediction_version',
  'line_value',
  'predicted_points',
  'actual_points',
  'absolute_error',
  'signed_error',
  'recommendation',
  'outcome',
  'prediction_correct',
  'within_3_points',
  'within_5_points',
  'confidence_score',
  'graded_at',
  'run_id',
] as const;

/**
 * Per date: rows, distinct keys, content checksum (every column but lock_token, which the swap and a restore restamp;
 * the tokens are checked against the fence by staleTokensSql). Written here, not taken from src/.
 */
export const perDateSql = (dataset: string, table: string) => `SELECT CAST(game_date AS STRING) AS d, COUNT(*) AS n,
    COUNT(DISTINCT TO_JSON_STRING([game_id, player_lookup, system_id, COALESCE(CAST(line_value AS STRING), 'null')])) AS k,
    SUM(CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(TO_JSON_STRING(STRUCT(${CONTENT_COLUMNS.join(', ')})))), 1, 12)) AS INT64)) AS s
    FROM ${dataset}.${table} GROUP BY game_date ORDER BY d`;

/** Rows whose lock_token is not their date's fence token (the chaos suite's stale_token invariant, written again here). */
export const staleTokensSql = (dataset: string) => `SELECT CAST(t.game_date AS STRING) AS d, t.lock_token, f.max_lock_token AS fence, COUNT(*) AS n
  FROM ${dataset}.prediction_accuracy AS t LEFT JOIN ${dataset}.grading_write_fence AS f ON f.game_date = t.game_date AND f.table_name = 'prediction_accuracy'
  WHERE f.max_lock_token IS NULL OR f.max_lock_token != t.lock_token GROUP BY 1, 2, 3 ORDER BY 1, 2`;

/** [date, keys, copies of key i] */
const DAYS: Array<[string, number, (i: number) => number]> = [
  ['2026-01-08', 90, () => 1],
  ['2026-01-09', 80, (i) => (i % 10 === 0 ? 2 : 1)],
  ['2026-01-10', 300, (i) => (i % 4 === 0 ? 1 : i % 4 === 1 ? 2 : i % 4 === 2 ? 2 : 2) + (i % 7 === 0 ? 1 : 0)],
  ['2026-01-14', 60, (i) => (i % 3 === 0 ? 3 : 1)],
  ['2026-01-15', 50, () => 1],
];
const SYSTEMS = ['ensemble_v1', 'xgboost_v1', 'catboost_v8'];

function gradedRow(date: string, i: number, copy: number): IncidentRow {
  const system = SYSTEMS[i % SYSTEMS.length];
  const line = i % 9 === 4 ? null : 10 + (i % 15) + 0.5;
  const actual = (i * 7) % 31;
  // The one disagreeing key: its later copy was graded from a revised prediction.
  const predicted = 8 + ((i * 13) % 25) + (date === '2026-01-10' && i === 1 && copy > 0 ? 10 : 0);
  const recommendation = line === null ? 'PASS' : predicted > line ? 'OVER' : 'UNDER';
  const decided = line !== null && actual !== line;
  const correct = decided ? (recommendation === 'OVER' ? actual > line! : actual < line!) : null;
  const error = Math.abs(predicted - actual);
  const minute = String(copy * 7).padStart(2, '0');
  return {
    prediction_id: `p-${date}-${i}`,
    game_id: `g-${date}-${i % 6}`,
    game_date: date,
    player_lookup: `player_${i}`,
    system_id: system,
    prediction_version: 1,
    line_value: line,
    predicted_points: predicted,
    actual_points: actual,
    absolute_error: error,
    signed_error: predicted - actual,
    recommendation,
    outcome: line === null ? 'pass' : !decided ? 'push' : correct ? 'correct' : 'incorrect',
    prediction_correct: correct,
    within_3_points: error <= 3,
    within_5_points: error <= 5,
    confidence_score: 0.5 + (i % 5) / 10,
    graded_at: `${date} 06:${minute}:00`,
    run_id: `grade-${date}-${copy}`,
    lock_token: copy,
  };
}

export function incidentRows(): IncidentRow[] {
  const rows: IncidentRow[] = [];
  for (const [date, keys, copies] of DAYS) for (let i = 0; i < keys; i++) for (let c = 0; c < copies(i); c++) rows.push(gradedRow(date, i, c));
  return rows;
}

export interface DateFigures {
  date: string;
  rows: number;
  keys: number;
  removed: number;
}

export const keyOf = (r: IncidentRow) => JSON.stringify([r.game_date, r.game_id, r.player_lookup, r.system_id, r.line_value]);

/** Expected figures, counted in JavaScript from the rows. */
export function expectedFigures(rows: IncidentRow[]): { rows: number; keys: number; dates: DateFigures[] } {
  const byDate = new Map<string, { rows: number; keys: Set<string> }>();
  for (const r of rows) {
    const d = byDate.get(r.game_date) ?? { rows: 0, keys: new Set<string>() };
    d.rows++;
    d.keys.add(keyOf(r));
    byDate.set(r.game_date, d);
  }
  const dates = [...byDate].map(([date, d]) => ({ date, rows: d.rows, keys: d.keys.size, removed: d.rows - d.keys.size }));
  return { rows: rows.length, keys: dates.reduce((a, d) => a + d.keys, 0), dates };
}

/** Hand-deduplicated: per key the row with the earliest graded_at. */
export function handDedupe(rows: IncidentRow[]): IncidentRow[] {
  const kept = new Map<string, IncidentRow>();
  for (const r of rows) {
    const current = kept.get(keyOf(r));
    if (!current || r.graded_at < current.graded_at) kept.set(keyOf(r), r);
  }
  return [...kept.values()];
}

export const PIPELINE_TABLES = ['grading_run_events', 'grading_duplicate_audit', 'grading_write_fence', 'prediction_accuracy', 'system_daily_performance', 'performance_summary'];

/**
 * The dataset as a fresh deploy leaves it: the first call on a stack not started from the run's deploy
 * (test/helpers/deployed-seed.ts) deploys (`npm run deploy`: the pipeline's tables and the views the cleanup's
 * reporting recompute reads); later calls drop every table (never the views, which read the
 * tables by name) and create the deployed ones again, empty, from the deploy's own DDL — the same state without a
 * `dataform run` per test.
 */
export async function freshDeployedDataset(bigquery: BigQuery, target: WarehouseTarget, deployed: boolean): Promise<void> {
  if (!deployed) {
    await bigquery
      .dataset(target.dataset)
      .delete({ force: true })
      .catch(() => undefined);
    await bigquery.createDataset(target.dataset, { location: target.location });
    // Not ensureTables: it remembers per process.
    for (const table of PIPELINE_TABLES) await bigquery.query({ query: createTableIfNotExistsSql(target, table), location: target.location });
    await deployLocal(bigquery, target);
    return;
  }
  const [tables] = await bigquery.dataset(target.dataset).getTables({ location: target.location } as object);
  const views = new Set(constants.DEPLOYED_VIEWS);
  for (const table of tables) {
    if (views.has(table.id!)) continue;
    await bigquery.query({ query: `DROP TABLE ${tableRef(target, table.id!)}`, location: target.location });
  }
  for (const table of [...constants.OWNED_TABLES, ...SOURCE_TABLES]) await bigquery.query({ query: createTableIfNotExistsSql(target, table), location: target.location });
}

export async function loadIncident(bigquery: BigQuery, target: WarehouseTarget): Promise<IncidentRow[]> {
  const rows = incidentRows();
  await loadRows(bigquery, target.dataset, 'prediction_accuracy', rows);
  return rows;
}

export interface DailyPerformance {
  predictions: number;
  decided: number;
  correct: number;
}

/** system_daily_performance's counts of `dates`, counted from the hand-deduplicated rows: `date|system` -> counts. */
export function expectedDailyPerformance(rows: IncidentRow[], dates: readonly string[]): Map<string, DailyPerformance> {
  const want = new Map<string, DailyPerformance>();
  for (const r of handDedupe(rows).filter((x) => dates.includes(x.game_date))) {
    const k = `${r.game_date}|${r.system_id}`;
    const m = want.get(k) ?? { predictions: 0, decided: 0, correct: 0 };
    m.predictions++;
    if (r.prediction_correct !== null) m.decided++;
    if (r.prediction_correct) m.correct++;
    want.set(k, m);
  }
  return want;
}

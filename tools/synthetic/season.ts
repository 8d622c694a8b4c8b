/**
 * A deterministic synthetic NBA season for the grading pipeline: players on teams, games per date, predictions of
 * several systems (some revised to a second prediction_version, some without a line, PASS calls, whole-number lines
 * that can push) and box-score actuals (some still missing). The same seed always gives the same rows, so tests can
 * compare runs and benchmarks are repeatable. Used by `npm start`, the execution tests and the benchmarks.
 *
 *   const season = generateSeason({ seed: 7, dates: 5, players: 300, systems: 6, startDate: '2026-01-10' });
 *   await loadSeason(client, 'nba_predictions', season);
 *
 * Tables are created from includes/schemas.js (the same DDL generator as create_pipeline_tables) and rows are loaded
 * with INSERT ... SELECT FROM UNNEST(JSON_QUERY_ARRAY(@rows)): DML, not streaming inserts, because real BigQuery
 * refuses UPDATE/DELETE/MERGE on rows still in the streaming buffer, and the consolidation MERGEs into
 * player_prop_predictions.
 */
import { createRequire } from 'node:module';
import type { BigQuery } from '@google-cloud/bigquery';
import schemas from '../../includes/schemas.js';
import { createLogger } from '../../src/log/logger.ts';

const require = createRequire(import.meta.url);
const sqlHelpers: { createTableIfNotExists(tableRef: string, tableName: string): string } = require('../../includes/sql_helpers.js');
const log = createLogger('synthetic-season');

/** A player_prop_predictions row (also the first columns of a staging row). Dates are YYYY-MM-DD, timestamps UTC text. */
export interface PredictionRow {
  prediction_id: string;
  game_id: string;
  game_date: string;
  player_lookup: string;
  system_id: string;
  current_points_line: number | null;
  predicted_points: number;
  confidence_score: number;
  recommendation: 'OVER' | 'UNDER' | 'PASS';
  created_at: string;
  prediction_version: number;
}

export interface StagingRow extends PredictionRow {
  batch_id: string;
  staged_at: string;
}

/** A player_game_summary row. */
export interface ActualRow {
  game_id: string;
  game_date: string;
  player_lookup: string;
  points: number;
  processed_at: string;
}

export interface SeasonOptions {
  seed: number;
  /** Consecutive game dates starting at startDate. */
  dates: number;
  players: number;
  /** How many of SYSTEM_IDS predict (1..8). */
  systems: number;
  startDate: string;
  /** Teams the players are spread over (default 30). */
  teams?: number;
  /** Games per date (default: 5..teams/2 at random); teams/2 makes every team play every date. */
  gamesPerDate?: number;
  /** Share of predictions made without a sportsbook line (default 0.06). */
  nullLineRate?: number;
  /** Share of (game, player) actuals not loaded yet (default 0.03): their predictions stay ungraded. */
  missingActualRate?: number;
  /** Share of prediction keys revised to prediction_version 2 (default 0.1). */
  revisionRate?: number;
  /** Share of playing players each system predicts (default 0.9). */
  coverage?: number;
}

export interface Season {
  options: Required<SeasonOptions>;
  gameDates: string[];
  systemIds: string[];
  /** Every version of every prediction (player_prop_predictions rows), ordered by date, game, player, system. */
  predictions: PredictionRow[];
  actuals: ActualRow[];
}

const SYSTEM_IDS = ['ensemble_v1', 'xgboost_v1', 'catboost_v8', 'moving_average', 'zone_matchup_v1', 'similarity_balanced_v1', 'ensemble_v2', 'baseline_v0'] as const;

const TEAMS = [
  'ATL',
  'BOS',
  'BKN',
  'CHA',
  'CHI',
  'CLE',
  'DAL',
  'DEN',
  'DET',
  'GSW',
  'HOU',
  'IND',
  'LAC',
  'LAL',
  'MEM',
  'MIA',
  'MIL',
  'MIN',
  'NOP',
  'NYK',
  'OKC',
  'ORL',
  'PHI',
  'PHX',
  'POR',
  'SAC',
  'SAS',
  'TOR',
  'UTA',
  'WAS',
];
const FIRST = [
  'aaron',
  'bam',
  'chris',
  'damian',
  'evan',
  'franz',
  'giannis',
  'jalen',
  'jaylen',
  'kevin',
  'kyle',
  'lamelo',
  'luka',
  'myles',
  'nikola',
  'paolo',
  'scottie',
  'shai',
  'tyrese',
  'victor',
  'zion',
  'anthony',
  'devin',
  'trae',
];
const LAST = [
  'adebayo',
  'brunson',
  'curry',
  'durant',
  'edwards',
  'fox',
  'gobert',
  'haliburton',
  'irving',
  'james',
  'jokic',
  'lillard',
  'mitchell',
  'murray',
  'paul',
  'randle',
  'siakam',
  'tatum',
  'vucevic',
  'wagner',
  'young',
  'barnes',
  'holiday',
  'booker',
];

/** mulberry32: a small, fast, seedable 32-bit PRNG (Math.random cannot be seeded). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A normalized player name (lowercase letters, as player_lookup is); a number is appended once the names run out. */
function playerName(i: number): string {
  const base = FIRST[i % FIRST.length] + LAST[Math.floor(i / FIRST.length) % LAST.length];
  const lap = Math.floor(i / (FIRST.length * LAST.length));
  return lap === 0 ? base : `${base}${lap + 1}`;
}

export function generateSeason(input: SeasonOptions): Season {
  const options: Required<SeasonOptions> = {
    teams: 30,
    gamesPerDate: 0,
    nullLineRate: 0.06,
    missingActualRate: 0.03,
    revisionRate: 0.1,
    coverage: 0.9,
    ...input,
  };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.startDate)) throw new Error(`startDate must be YYYY-MM-DD, got ${options.startDate}`);
  if (options.systems < 1 || options.systems > SYSTEM_IDS.length) throw new Error(`systems must be 1..${SYSTEM_IDS.length}`);
  if (options.teams < 2 || options.teams > TEAMS.length) throw new Error(`teams must be 2..${TEAMS.length}`);
  const random = prng(options.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const chance = (p: number) => random() < p;

  const systemIds = SYSTEM_IDS.slice(0, options.systems);
  // Each system has a fixed bias and noise: the aggregates then differ per system as real ones do.
  const systems = systemIds.map((id) => ({ id, bias: normal() * 1.2, noise: 3 + random() * 3 }));
  // Scoring averages are skewed: many role players, few stars.
  const players = Array.from({ length: options.players }, (_, i) => ({
    lookup: playerName(i),
    team: i % options.teams,
    mean: 3 + 27 * random() ** 1.6,
  }));
  const rosters = Array.from({ length: options.teams }, (_, team) => players.filter((p) => p.team === team));
  const gameDates = Array.from({ length: options.dates }, (_, d) => addDays(options.startDate, d));
  const predictions: PredictionRow[] = [];
  const actuals: ActualRow[] = [];

  for (const gameDate of gameDates) {
    const maxGames = Math.floor(options.teams / 2);
    const games = options.gamesPerDate > 0 ? Math.min(options.gamesPerDate, maxGames) : Math.min(maxGames, 5 + Math.floor(random() * (maxGames - 4)));
    // Fisher-Yates (a sort with a random comparator is biased and depends on the engine's sort algorithm).
    const teamOrder = Array.from({ length: options.teams }, (_, t) => t);
    for (let i = teamOrder.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [teamOrder[i], teamOrder[j]] = [teamOrder[j], teamOrder[i]];
    }
    for (let g = 0; g < games; g++) {
      const [away, home] = [teamOrder[2 * g], teamOrder[2 * g + 1]];
      const gameId = `${gameDate.replace(/-/g, '')}_${TEAMS[away]}_${TEAMS[home]}`;
      for (const player of [...rosters[away], ...rosters[home]]) {
        const points = Math.max(0, Math.round(player.mean + normal() * (2 + 0.3 * player.mean)));
        if (!chance(options.missingActualRate)) {
          actuals.push({ game_id: gameId, game_date: gameDate, player_lookup: player.lookup, points, processed_at: `${addDays(gameDate, 1)} 06:${pad(Math.floor(random() * 60))}:00+00` });
        }
        // Books mostly hang half-point lines; whole-number lines are what make pushes possible.
        const line = chance(options.nullLineRate) ? null : Math.max(0.5, chance(0.75) ? Math.floor(player.mean + normal()) + 0.5 : Math.round(player.mean + normal()));
        for (const system of systems) {
          if (!chance(options.coverage)) continue;
          const versions = chance(options.revisionRate) ? 2 : 1;
          for (let version = 1; version <= versions; version++) {
            predictions.push(predict(system, player.mean, line, { gameId, gameDate, player: player.lookup, version }));
          }
        }
      }
    }
  }
  return { options, gameDates, systemIds: [...systemIds], predictions, actuals };

  function predict(system: { id: string; bias: number; noise: number }, mean: number, line: number | null, at: { gameId: string; gameDate: string; player: string; version: number }): PredictionRow {
    const predicted = round(Math.max(0, mean + system.bias + normal() * system.noise * 0.5), 1);
    const edge = line === null ? predicted - mean : predicted - line;
    // No line: mostly PASS, sometimes a call anyway (graded as no_line). A small edge against the line: PASS.
    const recommendation = line === null ? (chance(0.7) ? 'PASS' : edge >= 0 ? 'OVER' : 'UNDER') : Math.abs(edge) < 1 ? 'PASS' : edge > 0 ? 'OVER' : 'UNDER';
    const confidence = round(clamp(0.45 + Math.abs(edge) / 12 + normal() * 0.08, 0, 1), 3);
    return {
      prediction_id: `${system.id}:${at.gameId}:${at.player}:${line ?? 'noline'}:v${at.version}`,
      game_id: at.gameId,
      game_date: at.gameDate,
      player_lookup: at.player,
      system_id: system.id,
      current_points_line: line,
      predicted_points: predicted,
      confidence_score: confidence,
      recommendation,
      created_at: `${at.gameDate} ${pad(12 + 2 * at.version)}:${pad(Math.floor(random() * 60))}:00+00`,
      prediction_version: at.version,
    };
  }
}

/** Staging rows of predictions, as a worker batch would write them (the consolidation's input). */
export function toStagingRows(predictions: readonly PredictionRow[], batchId = 'synthetic-batch'): StagingRow[] {
  return predictions.map((row) => ({ ...row, batch_id: batchId, staged_at: row.created_at }));
}

/**
 * One INSERT of a schemas.js table whose rows arrive as a JSON array in the query parameter @rows: every column in
 * schema order, read with JSON_VALUE and cast to its type. The SQL text stays small whatever the batch size, so
 * neither BigQuery's 1,024K-character query limit nor the emulator's SQL translation scales with the rows (a
 * 900 KB multi-row VALUES statement took ~2 s to translate on the emulator; the same rows as a parameter, ~0.1 s).
 */
function jsonInsertStatement(tableRef: string, tableName: string): string {
  const columns = schemas.schema(tableName).columns;
  const values = columns.map(([name, type]) => (type === 'STRING' ? `JSON_VALUE(row_json, '$.${name}')` : `CAST(JSON_VALUE(row_json, '$.${name}') AS ${type})`));
  return `INSERT INTO ${tableRef} (${columns.map(([name]) => name).join(', ')})
SELECT ${values.join(',\n  ')}
FROM UNNEST(JSON_QUERY_ARRAY(@rows)) AS row_json`;
}

/** BigQuery caps a request at 10 MB; batches of JSON rows stay well below. */
const MAX_BATCH_CHARS = 4_000_000;

/**
 * Rows of a schemas.js table as JSON arrays of at most MAX_BATCH_CHARS characters. A row missing a column is an
 * error, so the TypeScript row types cannot silently drift from schemas.js.
 */
function jsonBatches(tableName: string, rows: readonly object[]): string[] {
  const columns = schemas.columnNames(tableName);
  const batches: string[] = [];
  let batch: string[] = [];
  let size = 2;
  for (const row of rows) {
    const missing = columns.find((column) => !(column in row));
    if (missing) throw new Error(`${tableName} row has no ${missing}: ${JSON.stringify(row)}`);
    const json = JSON.stringify(row);
    if (batch.length > 0 && size + json.length + 1 > MAX_BATCH_CHARS) {
      batches.push(`[${batch.join(',')}]`);
      batch = [];
      size = 2;
    }
    batch.push(json);
    size += json.length + 1;
  }
  if (batch.length > 0) batches.push(`[${batch.join(',')}]`);
  return batches;
}

/**
 * Creates a schemas.js table in `dataset` if missing (dataset too) and appends rows to it, in batches.
 * The batches of one table run one after another (BigQuery queues DML on a table anyway).
 */
export async function loadRows(client: BigQuery, dataset: string, tableName: string, rows: readonly object[]): Promise<void> {
  const [exists] = await client.dataset(dataset).exists();
  if (!exists)
    await client.createDataset(dataset).catch((e: { code?: number }) => {
      if (e.code !== 409) throw e; // created meanwhile by a concurrent load
    });
  const ref = `\`${dataset}.${tableName}\``;
  await client.query(sqlHelpers.createTableIfNotExists(ref, tableName));
  const insert = jsonInsertStatement(ref, tableName);
  for (const batch of jsonBatches(tableName, rows)) await client.query({ query: insert, params: { rows: batch } });
}

export interface LoadOptions {
  /** Load the predictions into player_prop_predictions (default) or, as staging rows, into the staging table. */
  predictionsInto?: 'player_prop_predictions' | 'player_prop_predictions_staging';
}

/** Creates the source tables (if missing) in `dataset` and appends the season's predictions and actuals. */
export async function loadSeason(client: BigQuery, dataset: string, season: Season, options: LoadOptions = {}): Promise<{ rows: number; ms: number }> {
  const started = performance.now();
  const predictionsTable = options.predictionsInto ?? 'player_prop_predictions';
  const predictionRows = predictionsTable === 'player_prop_predictions' ? season.predictions : toStagingRows(season.predictions);
  const [exists] = await client.dataset(dataset).exists();
  if (!exists) await client.createDataset(dataset);
  await Promise.all([loadRows(client, dataset, predictionsTable, predictionRows), loadRows(client, dataset, 'player_game_summary', season.actuals)]);
  const result = { rows: predictionRows.length + season.actuals.length, ms: Math.round(performance.now() - started) };
  log.info('season loaded', { dataset, predictionsTable, predictions: predictionRows.length, actuals: season.actuals.length, ms: result.ms });
  return result;
}

/**
 * Hand-written grading fixture: two systems, two run dates (2026-01-16, 2026-01-17), every grading case, and the
 * outcome each row must get. The expected values in the tests are computed by hand from these rows (see comments).
 */
import type { ActualRow, PredictionRow } from '../../tools/synthetic/season.ts';

export const RUN_DATE = '2026-01-17';
export const PREVIOUS_DATE = '2026-01-16';
export const G1 = '20260117_LAL_BOS';
export const G2 = '20260117_NYK_MIA';

type Call = PredictionRow['recommendation'];

function prediction(id: string, at: { game: string; player: string; system: string }, line: number | null, predicted: number, recommendation: Call, confidence: number, version = 1): PredictionRow {
  const gameDate = `${at.game.slice(0, 4)}-${at.game.slice(4, 6)}-${at.game.slice(6, 8)}`;
  return {
    prediction_id: id,
    game_id: at.game,
    game_date: gameDate,
    player_lookup: at.player,
    system_id: at.system,
    current_points_line: line,
    predicted_points: predicted,
    confidence_score: confidence,
    recommendation,
    created_at: `${gameDate} ${12 + version}:00:00+00`,
    prediction_version: version,
  };
}

const A = 'system_a';
const B = 'system_b';

/** Outcome expected for each prediction_id graded on the run dates (the latest version of each key only). */
export const EXPECTED_OUTCOMES: Record<string, { outcome: string; actual: number | null; absolute: number | null; signed: number | null; correct: boolean | null }> = {
  a0: { outcome: 'correct', actual: 31, absolute: 1, signed: -1, correct: true }, // 01-16 OVER 27.5, 30 vs 31
  a1: { outcome: 'correct', actual: 30, absolute: 2, signed: -2, correct: true }, // OVER 25.5, 28 vs 30
  a2: { outcome: 'incorrect', actual: 20, absolute: 5, signed: 5, correct: false }, // OVER 22.5, 25 vs 20
  a3: { outcome: 'push', actual: 25, absolute: 2, signed: -2, correct: null }, // UNDER 25 (whole line), actual 25
  a4: { outcome: 'no_actual', actual: null, absolute: null, signed: null, correct: null }, // p4 has no actual
  a5: { outcome: 'pass', actual: 30, absolute: 1, signed: 1, correct: null }, // PASS without a line
  'a6-v2': { outcome: 'correct', actual: 25, absolute: 3, signed: 3, correct: true }, // v2 OVER 24.5 supersedes v1 UNDER
  b1: { outcome: 'incorrect', actual: 30, absolute: 6, signed: -6, correct: false }, // UNDER 25.5, actual 30
  b2: { outcome: 'no_line', actual: 20, absolute: 2, signed: -2, correct: null }, // UNDER without a line
  b3: { outcome: 'no_actual', actual: null, absolute: null, signed: null, correct: null }, // PASS, but no actual yet
  b4: { outcome: 'incorrect', actual: 20, absolute: 3, signed: -3, correct: false }, // UNDER 19.5, actual 20
};

export const PREDICTIONS: PredictionRow[] = [
  prediction('a0', { game: '20260116_LAL_PHX', player: 'player1', system: A }, 27.5, 30, 'OVER', 0.9),
  prediction('a1', { game: G1, player: 'player1', system: A }, 25.5, 28, 'OVER', 0.8),
  prediction('a2', { game: G1, player: 'player2', system: A }, 22.5, 25, 'OVER', 0.6),
  prediction('a3', { game: G2, player: 'player3', system: A }, 25, 23, 'UNDER', 0.7),
  prediction('a4', { game: G2, player: 'player4', system: A }, 18.5, 21, 'OVER', 0.5),
  prediction('a5', { game: G1, player: 'player1', system: A }, null, 31, 'PASS', 0.2),
  prediction('a6-v1', { game: G2, player: 'player3', system: A }, 24.5, 19, 'UNDER', 0.9, 1),
  prediction('a6-v2', { game: G2, player: 'player3', system: A }, 24.5, 28, 'OVER', 0.65, 2),
  prediction('b1', { game: G1, player: 'player1', system: B }, 25.5, 24, 'UNDER', 0.55),
  prediction('b2', { game: G1, player: 'player2', system: B }, null, 18, 'UNDER', 0.4),
  prediction('b3', { game: G2, player: 'player4', system: B }, null, 15, 'PASS', 0.3),
  prediction('b4', { game: G1, player: 'player2', system: B }, 19.5, 17, 'UNDER', 0.45),
  // After the run dates: never written by a run of 2026-01-16..17.
  prediction('a-later', { game: '20260118_LAL_DEN', player: 'player1', system: A }, 26.5, 29, 'OVER', 0.7),
];

const actual = (game: string, player: string, points: number): ActualRow => ({
  game_id: game,
  game_date: `${game.slice(0, 4)}-${game.slice(4, 6)}-${game.slice(6, 8)}`,
  player_lookup: player,
  points,
  processed_at: '2026-01-18 06:00:00+00',
});

/** Box scores; player4 (G2) is missing: its predictions stay ungraded until it arrives. */
export const ACTUALS: ActualRow[] = [actual('20260116_LAL_PHX', 'player1', 31), actual(G1, 'player1', 30), actual(G1, 'player2', 20), actual(G2, 'player3', 25), actual('20260118_LAL_DEN', 'player1', 33)];

/** The late box score of player4 (G2): a4 becomes OVER 18.5 with 21 predicted vs 17 -> incorrect; b3 -> pass. */
export const LATE_ACTUAL: ActualRow = actual(G2, 'player4', 17);

/**
 * Rows an earlier run graded (outside the run dates), for the summary windows: 2026-01-05 is in the 30d and season
 * windows of 2026-01-16/17 but not in their 7d windows; 2025-12-10 is only in the season windows.
 */
export function earlierGradedRows(): Record<string, unknown>[] {
  const row = (date: string, game: string, line: number, predicted: number, points: number, call: Call, outcome: string, confidence: number) => ({
    prediction_id: `earlier-${date}`,
    game_id: game,
    game_date: date,
    player_lookup: 'player2',
    system_id: A,
    prediction_version: 1,
    line_value: line,
    predicted_points: predicted,
    actual_points: points,
    absolute_error: Math.abs(predicted - points),
    signed_error: predicted - points,
    recommendation: call,
    outcome,
    prediction_correct: outcome === 'correct',
    within_3_points: Math.abs(predicted - points) <= 3,
    within_5_points: Math.abs(predicted - points) <= 5,
    confidence_score: confidence,
    graded_at: `${date} 08:00:00+00`,
    run_id: 'earlier-run',
    lock_token: 0,
  });
  return [
    row('2026-01-05', '20260105_LAL_DEN', 20.5, 24, 22, 'OVER', 'correct', 0.7), // abs 2, signed 2
    row('2025-12-10', '20251210_LAL_UTA', 21.5, 18, 26, 'UNDER', 'incorrect', 0.3), // abs 8, signed -8
  ];
}

/**
 * `consolidate --date D` as a real process on real emulators:
 *  - staging rows with duplicates (same key and version staged twice: ties broken by created_at, staged_at,
 *    prediction_id) and a NULL line: exactly one row per business key for D with the deterministic winner, an earlier
 *    consolidated row updated in place, another date's staging rows untouched, a `succeeded` grading_runs row, the
 *    consolidation lock released; a second run leaves the same rows (the NULL line matches NULL-safely);
 *  - a duplicate injected into player_prop_predictions behind the MERGE's back: exit 3, status duplicates_detected,
 *    the key in grading_duplicate_audit, and every staging row still there for investigation;
 *  - a staged line of -1 and a staged NULL line for one key, with the NULL-line row already consolidated: two keys
 *    (the MERGE matches as it deduplicates, NULL only with NULL) and the bad line reported by its assertion (exit 3),
 *    not BigQuery's run-time refusal of two source rows matching one target row (exit 1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DistributedLock } from '../../src/lock/index.ts';
import { createLogger } from '../../src/log/logger.ts';
import { loadRows, type PredictionRow, type StagingRow } from '../../tools/synthetic/season.ts';
import { logEvents, runCommandProcess, startRunnerStack, type Finished, type RunnerStack, STACK_SETUP_TIMEOUT_MS } from './stack.ts';

const D = '2026-03-05';
const OTHER = '2026-03-06';
let stack: RunnerStack;
const quiet = createLogger('test-holder', { level: 'WARNING' });

function staged(id: string, key: { player: string; line: number | null; version?: number; date?: string }, createdAt: string, stagedAt = createdAt, points = 20): StagingRow {
  const date = key.date ?? D;
  return {
    prediction_id: id,
    game_id: `${date.replace(/-/g, '')}_BOS_NYK`,
    game_date: date,
    player_lookup: key.player,
    system_id: 'ensemble_v1',
    current_points_line: key.line,
    predicted_points: points,
    confidence_score: 0.6,
    recommendation: key.line === null ? 'PASS' : 'OVER',
    created_at: `${date} ${createdAt}+00`,
    prediction_version: key.version ?? 1,
    batch_id: `batch-${id}`,
    staged_at: `${date} ${stagedAt}+00`,
  };
}

// Per key, the row the MERGE must keep (ORDER BY created_at DESC, staged_at DESC, prediction_id DESC).
const STAGING: StagingRow[] = [
  staged('a-old', { player: 'alpha', line: 20.5 }, '10:00:00', '10:00:00', 18),
  staged('a-new', { player: 'alpha', line: 20.5 }, '11:00:00', '11:00:00', 22), // later created_at wins
  staged('b-early', { player: 'bravo', line: 15.5 }, '10:00:00', '10:10:00', 14),
  staged('b-late', { player: 'bravo', line: 15.5 }, '10:00:00', '10:20:00', 16), // same created_at: later staged_at wins
  staged('c-1', { player: 'charlie', line: 9.5 }, '10:00:00', '10:00:00', 9),
  staged('c-2', { player: 'charlie', line: 9.5 }, '10:00:00', '10:00:00', 11), // full tie: highest prediction_id wins
  staged('n-old', { player: 'november', line: null }, '09:00:00', '09:00:00', 30),
  staged('n-new', { player: 'november', line: null }, '12:00:00', '12:00:00', 31), // NULL line key, deduplicated too
  staged('v2', { player: 'alpha', line: 20.5, version: 2 }, '13:00:00', '13:00:00', 24), // another version: its own key
  staged('o-1', { player: 'oscar', line: 7.5, date: OTHER }, '10:00:00'), // another date: not consolidated by --date D
];
const WINNERS = ['a-new', 'v2', 'b-late', 'c-2', 'n-new'];

const dateParam = (date: string) => ({ d: stack.bq.client.date(date) });
const explain = (r: Finished) => `exit ${r.code}\n${r.stdout}\n${r.stderr.slice(-3_000)}`;

async function consolidated(date: string) {
  return stack.rows(
    `SELECT prediction_id, player_lookup, current_points_line, prediction_version, predicted_points FROM ${stack.table('player_prop_predictions')}
     WHERE game_date = @d ORDER BY player_lookup, prediction_version`,
    dateParam(date),
  );
}

beforeAll(async () => {
  stack = await startRunnerStack();
  // The stack's deploy made the dataset (and the sources' empty tables).
  // An earlier consolidation already wrote key alpha/20.5/v1 with an older prediction: the MERGE must update it in place.
  const earlier: PredictionRow = (({ batch_id: _b, staged_at: _s, ...row }) => ({ ...row, prediction_id: 'a-earlier', predicted_points: 10, created_at: `${D} 08:00:00+00` }))(STAGING[0]);
  await Promise.all([loadRows(stack.bq.client, stack.target.dataset, 'player_prop_predictions_staging', STAGING), loadRows(stack.bq.client, stack.target.dataset, 'player_prop_predictions', [earlier])]);
}, STACK_SETUP_TIMEOUT_MS);
afterAll(async () => stack?.stop());

describe('consolidate --date D', () => {
  it('one row per business key with the deterministic winner, a succeeded grading_runs row, the lock released', async () => {
    const first = await runCommandProcess('consolidate', ['--date', D, '--json'], stack.env);
    expect(first.code, explain(first)).toBe(0);
    const result = JSON.parse(first.stdout).dates[0];
    expect(result).toMatchObject({ date: D, status: 'succeeded', locked: true, duplicateKeys: 0, rows: WINNERS.length });
    expect(result.lockToken).toBeGreaterThan(0);

    const rows = await consolidated(D);
    expect(rows.map((r) => r.prediction_id)).toEqual(WINNERS);
    expect(rows.find((r) => r.prediction_id === 'a-new')).toMatchObject({ predicted_points: 22, current_points_line: 20.5, prediction_version: 1 });
    expect(rows.find((r) => r.player_lookup === 'november')).toMatchObject({ current_points_line: null, predicted_points: 31 });
    expect(await consolidated(OTHER)).toEqual([]);

    const runs = await stack.rows(`SELECT operation, status, error, lock_token, finished_at, rows_written FROM ${stack.table('grading_runs')} WHERE run_id = @id`, { id: result.runId });
    expect(runs).toHaveLength(1);
    // One row updated in place (alpha/20.5/v1) and four inserted: one per deduplicated staging key of D.
    expect(runs[0]).toMatchObject({ operation: 'consolidation', status: 'succeeded', error: null, lock_token: result.lockToken, rows_written: WINNERS.length });
    expect(runs[0].finished_at).not.toBeNull();

    // Released: another holder takes the date's consolidation lock at once (no waiting).
    const lock = new DistributedLock({ lockType: 'consolidation', firestore: stack.firestoreClient(), leaseMs: 30_000, maxWaitMs: 0, logger: quiet });
    const lease = await lock.acquire(D);
    expect(lease.token).toBeGreaterThan(result.lockToken);
    await lease.release();
    expect(logEvents(first.stderr).some((e) => e.event === 'lock_acquired' && e.lock_key === `consolidation_${D}`)).toBe(true);

    // Rerun: the same staging rows match the consolidated rows (NULL line included), so nothing is added.
    const second = await runCommandProcess('consolidate', ['--date', D, '--json'], stack.env);
    expect(second.code, explain(second)).toBe(0);
    expect((await consolidated(D)).map((r) => r.prediction_id)).toEqual(WINNERS);
  }, 240_000);

  it('a duplicate key in player_prop_predictions fails the run (exit 3), is audited, and the staging rows stay', async () => {
    // Bypass the MERGE: a second row with the key charlie/9.5/v1 of D.
    await stack.bq.client.query({
      query: `INSERT INTO ${stack.table('player_prop_predictions')} (prediction_id, game_id, game_date, player_lookup, system_id, current_points_line, predicted_points, confidence_score, recommendation, created_at, prediction_version)
              SELECT 'c-injected', game_id, game_date, player_lookup, system_id, current_points_line, predicted_points, confidence_score, recommendation, created_at, prediction_version
              FROM ${stack.table('player_prop_predictions')} WHERE game_date = @d AND prediction_id = 'c-2'`,
      params: dateParam(D),
    });
    const failed = await runCommandProcess('consolidate', ['--date', D, '--json'], stack.env);
    expect(failed.code, explain(failed)).toBe(3);
    const result = JSON.parse(failed.stdout).dates[0];
    expect(result).toMatchObject({ date: D, status: 'duplicates_detected', exitCode: 3, duplicateKeys: 1 });

    const [run] = await stack.rows(`SELECT operation, status, error, duplicate_count FROM ${stack.table('grading_runs')} WHERE run_id = @id`, { id: result.runId });
    expect(run).toMatchObject({ operation: 'consolidation', status: 'duplicates_detected', duplicate_count: 1 });
    expect(run.error).toMatch(/1 duplicate business keys/);

    const audit = await stack.rows(
      `SELECT processor, game_id, player_lookup, system_id, line_value, prediction_version, occurrence_count FROM ${stack.table('grading_duplicate_audit')}
       WHERE run_id = @id AND game_date = @d`,
      { id: result.runId, ...dateParam(D) },
    );
    expect(audit).toEqual([
      { processor: 'player_prop_predictions', game_id: STAGING[4].game_id, player_lookup: 'charlie', system_id: 'ensemble_v1', line_value: 9.5, prediction_version: 1, occurrence_count: 2 },
    ]);

    const staging = await stack.rows(`SELECT prediction_id FROM ${stack.table('player_prop_predictions_staging')} ORDER BY prediction_id`);
    expect(staging.map((r) => r.prediction_id)).toEqual(STAGING.map((r) => r.prediction_id).sort());
    expect(logEvents(failed.stderr).some((e) => e.alert_kind === 'duplicates_detected')).toBe(true);
  }, 240_000);

  it('a staged line of -1 and a staged NULL line of one key are two keys, also against a consolidated NULL-line row', async () => {
    const PAIR_DATE = '2026-03-07';
    await loadRows(stack.bq.client, stack.target.dataset, 'player_prop_predictions_staging', [staged('p-null', { player: 'papa', line: null, date: PAIR_DATE }, '10:00:00')]);
    const first = await runCommandProcess('consolidate', ['--date', PAIR_DATE, '--json'], stack.env);
    expect(first.code, explain(first)).toBe(0);
    // Now the target holds papa with a NULL line; stage the same key with line -1 (the old match's sentinel) and again NULL.
    await loadRows(stack.bq.client, stack.target.dataset, 'player_prop_predictions_staging', [
      staged('p-minus-one', { player: 'papa', line: -1, date: PAIR_DATE }, '11:00:00'),
      staged('p-null-2', { player: 'papa', line: null, date: PAIR_DATE }, '12:00:00'),
    ]);
    const second = await runCommandProcess('consolidate', ['--date', PAIR_DATE, '--json'], stack.env);
    // The MERGE commits both keys; the negative line is then reported by the row-condition assertion (exit 3), not a
    // run-time refusal of the whole consolidation (exit 1).
    expect(second.code, explain(second)).toBe(3);
    const result = JSON.parse(second.stdout).dates[0];
    expect(result).toMatchObject({ status: 'assertion_failed', duplicateKeys: 0, rows: 2 });
    expect(result.failedAssertions.map((a: { name: string }) => a.name.split('.')[1])).toContain('assert_player_prop_predictions_row_conditions');
    const rows = (await consolidated(PAIR_DATE)).sort((a, b) => a.prediction_id.localeCompare(b.prediction_id));
    expect(rows.map((r) => [r.prediction_id, r.current_points_line])).toEqual([
      ['p-minus-one', -1],
      ['p-null-2', null],
    ]);
  }, 240_000);
});

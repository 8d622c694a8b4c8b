/**
 * Duplicates on the emulator with the real CLI: the deduplicated view hides duplicate rows injected directly into
 * prediction_accuracy (as the incident's interleaved DELETE+INSERT left them), and the uniqueness assertions fail the
 * run (exit 1) only after their record_duplicates_* operation put the offending keys in grading_duplicate_audit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import schemas from '../../includes/schemas.js';
import type { DataformResult } from '../../src/warehouse/dataform-cli.ts';
import { loadRows } from '../../tools/synthetic/season.ts';
import { ACTUALS, EXPECTED_OUTCOMES, G1, PREDICTIONS, RUN_DATE } from './execution-fixtures.ts';
import { ASSERTION_DATASET, DATASET, GRADING_TAGS, output, startExecutionStack, type ExecutionStack } from './execution-stack.ts';

let stack: ExecutionStack;
let graded: DataformResult;
/** Graded rows of RUN_DATE: every prediction of the fixture except 2026-01-16's a0. */
const KEYS_ON_RUN_DATE = Object.keys(EXPECTED_OUTCOMES).length - 1;
const KEY = 'game_date, game_id, player_lookup, system_id, line_value';

/** Names of the assertions a run reports as failed ("Assertion failed:  <dataset>.<name>"). */
const failedAssertions = (r: DataformResult) => [...output(r).matchAll(/Assertion failed: +[\w-]+\.(\w+)/g)].map((m) => m[1]);

beforeAll(async () => {
  stack = await startExecutionStack();
  await loadRows(stack.bq.client, DATASET, 'player_prop_predictions', PREDICTIONS);
  // A reloaded box score: player1's actual in G1 twice; the later load (30 points) is the one to grade against.
  await loadRows(stack.bq.client, DATASET, 'player_game_summary', [...ACTUALS, { game_id: G1, game_date: RUN_DATE, player_lookup: 'player1', points: 28, processed_at: '2026-01-18 05:00:00+00' }]);
  graded = await stack.run(GRADING_TAGS, { game_date: RUN_DATE, run_id: 'dup-run', lock_token: 2 });
}, 240_000);

afterAll(async () => {
  await stack?.bq.stop();
});

describe('duplicate business keys on the emulator', () => {
  it('a duplicated source key fails the run (exit 1) after recording the key in grading_duplicate_audit', async () => {
    expect(graded.code, output(graded)).toBe(1);
    expect(graded.stderr).toMatch(/Assertion failed: +\S*assert_player_game_summary_unique_key/);
    const failed = failedAssertions(graded);
    expect(failed).toEqual(['assert_player_game_summary_unique_key']);
    const audit = await stack.rows(`SELECT run_id, game_date, processor, game_id, player_lookup, occurrence_count FROM ${stack.table('grading_duplicate_audit')} WHERE run_id = 'dup-run'`);
    expect(audit).toEqual([{ run_id: 'dup-run', game_date: RUN_DATE, processor: 'player_game_summary', game_id: G1, player_lookup: 'player1', occurrence_count: 2 }]);
    const [run] = await stack.rows(`SELECT status, duplicate_count FROM ${stack.table('grading_runs')} WHERE run_id = 'dup-run'`);
    expect(run).toEqual({ status: 'duplicates_detected', duplicate_count: 1 });
    // The write itself is clean and graded against the latest actual (30, not 28).
    const [a1] = await stack.rows(`SELECT actual_points, outcome FROM ${stack.table('prediction_accuracy')} WHERE prediction_id = 'a1'`);
    expect(a1).toEqual({ actual_points: 30, outcome: 'correct' });
  });

  it('prediction_accuracy_deduped hides duplicate rows injected into prediction_accuracy, keeping the highest lock_token', async () => {
    const table = stack.table('prediction_accuracy');
    const columns = schemas.columnNames('prediction_accuracy');
    const copy = (overrides: Record<string, string>, where: string) => `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.map((c) => overrides[c] ?? c).join(', ')} FROM ${table} WHERE ${where}`;
    // A stale writer (lock_token 0, graded a day earlier, the wrong actual) duplicated every key of the date ...
    await stack.bq.rows(
      copy({ run_id: "'stale-writer'", lock_token: '0', graded_at: 'TIMESTAMP_SUB(graded_at, INTERVAL 1 DAY)', actual_points: 'actual_points + 1' }, `game_date = '${RUN_DATE}' AND run_id = 'dup-run'`),
    );
    // ... and a newer holder (lock_token 9) rewrote one key with a NULL line.
    await stack.bq.rows(copy({ run_id: "'newer-holder'", lock_token: '9' }, `game_date = '${RUN_DATE}' AND prediction_id = 'b2' AND run_id = 'dup-run'`));
    const [raw] = await stack.rows(`SELECT COUNT(*) AS n FROM ${table} WHERE game_date = '${RUN_DATE}'`);
    expect(raw.n).toBe(2 * KEYS_ON_RUN_DATE + 1);

    const view = await stack.rows(`SELECT prediction_id, run_id, lock_token FROM ${stack.table('prediction_accuracy_deduped')} WHERE game_date = '${RUN_DATE}' ORDER BY prediction_id`);
    expect(view).toHaveLength(KEYS_ON_RUN_DATE);
    for (const row of view) expect([row.prediction_id, row.run_id]).toEqual([row.prediction_id, row.prediction_id === 'b2' ? 'newer-holder' : 'dup-run']);
    const [distinct] = await stack.rows(`SELECT COUNT(*) AS n FROM (SELECT ${KEY} FROM ${stack.table('prediction_accuracy_deduped')} WHERE game_date = '${RUN_DATE}' GROUP BY ${KEY})`);
    expect(distinct.n).toBe(KEYS_ON_RUN_DATE);
  });

  it('the uniqueness assertion fails on them (exit 1) and grading_duplicate_audit holds every offending key', async () => {
    // An audit run over the date (a grading run would replace the date's rows first and so remove the duplicates).
    const check = await stack.dataform([
      'run',
      '.',
      '--actions',
      'record_duplicates_prediction_accuracy',
      'assert_prediction_accuracy_unique_key',
      'record_duplicates_prediction_accuracy_deduped',
      'assert_prediction_accuracy_deduped_unique_key',
      `--vars=game_date=${RUN_DATE},run_id=audit-run`,
    ]);
    expect(check.code, output(check)).toBe(1);
    const failed = failedAssertions(check);
    expect(failed).toEqual(['assert_prediction_accuracy_unique_key']);
    expect(check.stdout).toMatch(/Assertion passed: +\S*assert_prediction_accuracy_deduped_unique_key/);

    const audit = await stack.rows(
      `SELECT processor, game_id, player_lookup, system_id, line_value, occurrence_count FROM ${stack.table('grading_duplicate_audit')}
       WHERE run_id = 'audit-run' ORDER BY game_id, player_lookup, system_id, line_value`,
    );
    const expected = await stack.rows(
      `SELECT 'prediction_accuracy' AS processor, game_id, player_lookup, system_id, line_value, COUNT(*) AS occurrence_count FROM ${stack.table('prediction_accuracy')}
       WHERE game_date = '${RUN_DATE}' GROUP BY game_id, player_lookup, system_id, line_value ORDER BY game_id, player_lookup, system_id, line_value`,
    );
    expect(audit).toEqual(expected);
    expect(audit).toHaveLength(KEYS_ON_RUN_DATE);
    // NULL lines are one key, not distinct NULLs: b2's three rows are one audit row.
    expect(audit.filter((row) => row.line_value === null && row.system_id === 'system_b' && row.player_lookup === 'player2')).toEqual([
      { processor: 'prediction_accuracy', game_id: G1, player_lookup: 'player2', system_id: 'system_b', line_value: null, occurrence_count: 3 },
    ]);
    // The failing assertion's view returns the same keys, for whoever investigates.
    const [viewed] = await stack.rows(`SELECT COUNT(*) AS n FROM \`${ASSERTION_DATASET}.assert_prediction_accuracy_unique_key\``);
    expect(viewed.n).toBe(KEYS_ON_RUN_DATE);
  }, 240_000);
});

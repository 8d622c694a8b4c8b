/**
 * The storage-side fence with the real CLI on the emulator: a run whose lock_token is lower than the one already
 * committed for its date is refused (exit 1, the gradeguard_fence_rejected message) and writes nothing; so is a
 * token-0 (manual, unlocked) run once a locked run wrote the date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataformResult } from '../../src/warehouse/dataform-cli.ts';
import { loadRows } from '../../tools/synthetic/season.ts';
import { ACTUALS, LATE_ACTUAL, PREDICTIONS, PREVIOUS_DATE, RUN_DATE } from './execution-fixtures.ts';
import { DATASET, GRADING_TAGS, output, startExecutionStack, type ExecutionStack } from './execution-stack.ts';

let stack: ExecutionStack;
let locked: DataformResult;
/** prediction_accuracy and both aggregates of RUN_DATE: who wrote them, with which token, and a4's grade. */
const state = async () => ({
  accuracy: await stack.rows(
    `SELECT run_id, lock_token, COUNT(*) AS n, COUNTIF(outcome = 'no_actual') AS ungraded FROM ${stack.table('prediction_accuracy')} WHERE game_date = '${RUN_DATE}' GROUP BY run_id, lock_token`,
  ),
  daily: await stack.rows(`SELECT DISTINCT run_id, lock_token FROM ${stack.table('system_daily_performance')} WHERE game_date = '${RUN_DATE}'`),
  summary: await stack.rows(`SELECT DISTINCT run_id, lock_token FROM ${stack.table('performance_summary')} WHERE summary_date = '${RUN_DATE}'`),
  fence: await stack.rows(`SELECT table_name, max_lock_token, run_id FROM ${stack.table('grading_write_fence')} WHERE game_date = '${RUN_DATE}' ORDER BY table_name`),
});
const LOCKED_STATE = {
  accuracy: [{ run_id: 'locked-5', lock_token: 5, n: 10, ungraded: 2 }],
  daily: [{ run_id: 'locked-5', lock_token: 5 }],
  summary: [{ run_id: 'locked-5', lock_token: 5 }],
  fence: ['performance_summary', 'prediction_accuracy', 'system_daily_performance'].map((table_name) => ({ table_name, max_lock_token: 5, run_id: 'locked-5' })),
};

beforeAll(async () => {
  stack = await startExecutionStack();
  await loadRows(stack.bq.client, DATASET, 'player_prop_predictions', PREDICTIONS);
  await loadRows(stack.bq.client, DATASET, 'player_game_summary', ACTUALS);
  locked = await stack.run(GRADING_TAGS, { game_date: RUN_DATE, run_id: 'locked-5', lock_token: 5, operation: 'grade' });
  // A late actual arrives after the locked run: a write that got through the fence would grade a4 and b3.
  await loadRows(stack.bq.client, DATASET, 'player_game_summary', [LATE_ACTUAL]);
}, 240_000);

afterAll(async () => {
  await stack?.bq.stop();
});

describe('the lock_token fence on the emulator', () => {
  it('a locked run writes its date and raises the fence to its token', async () => {
    expect(locked.code, output(locked)).toBe(0);
    expect(await state()).toEqual(LOCKED_STATE);
  });

  it('a stale lock_token (3 after 5) is refused with the fence message and the rows of token 5 stand', async () => {
    const stale = await stack.run(GRADING_TAGS, { game_date: RUN_DATE, run_id: 'stale-3', lock_token: 3, operation: 'grade' });
    expect(stale.code, output(stale)).toBe(1);
    expect(stale.stderr).toContain(`gradeguard_fence_rejected: prediction_accuracy ${RUN_DATE}..${RUN_DATE}: lock_token 3 is lower than committed token 5`);
    expect(await state()).toEqual(LOCKED_STATE);
    // The refused run never reached grading_run_finished: its row stays open for the runner to mark failed.
    const [run] = await stack.rows(`SELECT status, finished_at, rows_written FROM ${stack.table('grading_runs')} WHERE run_id = 'stale-3'`);
    expect(run).toEqual({ status: 'running', finished_at: null, rows_written: null });
  }, 240_000);

  it('token 0 (a manual run without the lock) is refused once a locked run wrote the date', async () => {
    const manual = await stack.run(GRADING_TAGS, { game_date: RUN_DATE, run_id: 'manual-0' });
    expect(manual.code, output(manual)).toBe(1);
    expect(manual.stderr).toContain(`gradeguard_fence_rejected: prediction_accuracy ${RUN_DATE}..${RUN_DATE}: lock_token 0 is lower than committed token 5`);
    expect(await state()).toEqual(LOCKED_STATE);
  }, 240_000);

  it('each fenced write checks the fence: a stale reporting-only run is refused by system_daily_performance', async () => {
    const stale = await stack.run(['--tags', 'reporting'], { game_date: RUN_DATE, run_id: 'stale-report-4', lock_token: 4 });
    expect(stale.code, output(stale)).toBe(1);
    expect(stale.stderr).toContain(`gradeguard_fence_rejected: system_daily_performance ${RUN_DATE}..${RUN_DATE}: lock_token 4 is lower than committed token 5`);
    expect(await state()).toEqual(LOCKED_STATE);
  }, 240_000);
});

describe('date_tokens: one run over several dates, each fenced by its own token', () => {
  const fenceOf = (date: string) =>
    stack.rows(`SELECT table_name, max_lock_token, run_id FROM ${stack.table('grading_write_fence')} WHERE game_date = '${date}' AND table_name != 'prediction_accuracy' ORDER BY table_name`);

  it('refuses the whole run when one date is stale, even though another date carries a higher token', async () => {
    // A single-token fence over the run's highest token (9) would let this through and overwrite token 5's rows.
    const mixed = await stack.run(['--tags', 'reporting'], { date_tokens: `${PREVIOUS_DATE}:9+${RUN_DATE}:4`, run_id: 'mixed-9-4', operation: 'cleanup' });
    expect(mixed.code, output(mixed)).toBe(1);
    expect(mixed.stderr).toContain(
      `gradeguard_fence_rejected: system_daily_performance ${PREVIOUS_DATE}..${RUN_DATE}: a lock_token of date_tokens ${PREVIOUS_DATE}:9+${RUN_DATE}:4 is lower than committed token 5`,
    );
    expect(await state()).toEqual(LOCKED_STATE);
    // All or nothing: the date whose token would have passed was not written either (its fence stays seeded).
    expect((await fenceOf(PREVIOUS_DATE)).map((row) => row.max_lock_token)).toEqual([-1]);
  }, 240_000);

  it("writes each date with its own token and moves each date's fence to it", async () => {
    const run = await stack.run(['--tags', 'reporting'], { date_tokens: `${PREVIOUS_DATE}:2+${RUN_DATE}:6`, run_id: 'per-date-2-6', operation: 'cleanup' });
    expect(run.code, output(run)).toBe(0);
    const after = await state();
    expect(after.daily).toEqual([{ run_id: 'per-date-2-6', lock_token: 6 }]);
    expect(after.summary).toEqual([{ run_id: 'per-date-2-6', lock_token: 6 }]);
    expect(after.accuracy).toEqual(LOCKED_STATE.accuracy);
    expect(await fenceOf(RUN_DATE)).toEqual(['performance_summary', 'system_daily_performance'].map((table_name) => ({ table_name, max_lock_token: 6, run_id: 'per-date-2-6' })));
    expect(await fenceOf(PREVIOUS_DATE)).toEqual(['performance_summary', 'system_daily_performance'].map((table_name) => ({ table_name, max_lock_token: 2, run_id: 'per-date-2-6' })));
  }, 240_000);
});

/**
 * The per-run bookkeeping of a real `grade` process (real dataform CLI, emulator with every BigQuery limit on): a
 * single-date grade appends its grading_runs state as events and issues no UPDATE, DELETE or MERGE on them, so runs
 * finishing together never queue on BigQuery's per-table mutating DML limit (2 running, 20 queued). Before the events,
 * the same run issued 2 (Dataform's MERGE opening its row, its UPDATE closing it), plus the runner's MERGE whenever it
 * recorded a failure or duplicates and an UPDATE whenever it closed an abandoned run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/runner/dates.ts';
import { explainWarnings, loadTestSeason, runCommandProcess, startRunnerStack, type RunnerStack, STACK_SETUP_TIMEOUT_MS } from './stack.ts';

const START = '2026-02-01';
let stack: RunnerStack;
const env = () => ({ ...stack.env, GRADEGUARD_RETRY_BACKOFF: '500ms', GRADEGUARD_PROBE_TIMEOUT: '60s' });

beforeAll(async () => {
  stack = await startRunnerStack();
  await loadTestSeason(stack, { seed: 5, dates: 4, players: 6, systems: 1, teams: 4, gamesPerDate: 2, startDate: START, revisionRate: 0 });
}, STACK_SETUP_TIMEOUT_MS);
afterAll(async () => stack?.stop());

/** DML statements on the bookkeeping tables (the events table and the grading_runs name) since the emulator started. */
function bookkeepingDml() {
  const limits = stack.bq.emulator.engine.limits;
  const events = limits.dmlStatements(`${stack.target.dataset}.grading_run_events`);
  const runs = limits.dmlStatements(`${stack.target.dataset}.grading_runs`);
  return { mutating: events.mutating + runs.mutating, inserts: events.inserts + runs.inserts };
}

describe('per-run bookkeeping', () => {
  it('a single-date grade: 0 mutating DML statements on the bookkeeping, 2 INSERTs (started, finished)', async () => {
    const before = bookkeepingDml();
    const run = await runCommandProcess('grade', ['--date', START, '--json'], env());
    expect(run.code, explainWarnings(run)).toBe(0);
    const after = bookkeepingDml();
    expect(after.mutating - before.mutating).toBe(0);
    expect(after.inserts - before.inserts).toBe(2);
    const [result] = JSON.parse(run.stdout).dates;
    const [row] = await stack.rows(`SELECT status, rows_written FROM ${stack.table('grading_runs')} WHERE run_id = @id`, { id: result.runId });
    expect(row).toEqual({ status: 'succeeded', rows_written: result.rows });
  }, 300_000);

  it('three runs of different dates finishing together: none meets the outstanding-DML error, every run closed', async () => {
    const runs = await Promise.all([1, 2, 3].map((i) => runCommandProcess('grade', ['--date', addDays(START, i), '--json'], env())));
    for (const run of runs) {
      expect(run.code, explainWarnings(run)).toBe(0);
      expect(run.stderr).not.toMatch(/Too many DML statements outstanding/);
      const [result] = JSON.parse(run.stdout).dates;
      const [row] = await stack.rows(`SELECT status FROM ${stack.table('grading_runs')} WHERE run_id = @id`, { id: result.runId });
      expect(row?.status).toBe('succeeded');
    }
  }, 600_000);
});

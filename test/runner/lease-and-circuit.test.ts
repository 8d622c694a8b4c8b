/**
 * Real `grade` processes on real emulators:
 *  - lease lost mid-run: a run with a 3 s lease is frozen (SIGSTOP of its process group, dataform child included) right
 *    after it starts dataform; its lease runs out, a second run takes the date with a higher token and commits; when the
 *    frozen run resumes it must not commit (stopped by the lease signal, or refused by the fence), and the newer rows stand;
 *  - the circuit breaker: 3 consecutive failures open it, the next run is refused (exit 1, circuit_open), and after the
 *    cool-down exactly one trial runs and closes it.
 */
import { Timestamp } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCircuits } from '../../src/runner/circuit-breaker.ts';
import { loadTestSeason, logEvents, runCommandProcess, spawnCommand, startRunnerStack, type RunnerStack, STACK_SETUP_TIMEOUT_MS } from './stack.ts';

const DATE = '2026-02-03';
let stack: RunnerStack;

beforeAll(async () => {
  stack = await startRunnerStack();
  await loadTestSeason(stack, { seed: 5, dates: 1, players: 40, systems: 2, teams: 8, gamesPerDate: 4, startDate: DATE });
}, STACK_SETUP_TIMEOUT_MS);
afterAll(async () => stack?.stop());

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('lease lost mid-run', () => {
  it('the stale run does not commit; the newer run (higher token) stands', async () => {
    const stale = spawnCommand('grade', ['--date', DATE, '--lease', '3s', '--json'], stack.env, { detached: true });
    await until(() => stale.stderr().includes('"event":"dataform_started"'), 120_000, 'the first run to start dataform');
    process.kill(-stale.child.pid!, 'SIGSTOP');
    let fresh;
    try {
      fresh = await runCommandProcess('grade', ['--date', DATE, '--lock-timeout', '2m', '--json'], stack.env);
    } finally {
      process.kill(-stale.child.pid!, 'SIGCONT');
    }
    const staleDone = await stale.done;
    expect(fresh.code, fresh.stderr.slice(-2_000)).toBe(0);
    expect(staleDone.code, staleDone.stderr.slice(-2_000)).toBe(1);
    const staleResult = JSON.parse(staleDone.stdout).dates[0];
    const freshResult = JSON.parse(fresh.stdout).dates[0];
    expect(['lease_lost', 'fence_rejected']).toContain(staleResult.status);
    expect(freshResult.lockToken).toBeGreaterThan(staleResult.lockToken);

    const written = await stack.rows(`SELECT run_id, lock_token, COUNT(*) AS n FROM ${stack.table('prediction_accuracy')} WHERE game_date = @d GROUP BY run_id, lock_token`, { d: stack.bq.client.date(DATE) });
    expect(written.map((w) => [w.run_id, w.lock_token])).toEqual([[freshResult.runId, freshResult.lockToken]]);
    const aggregates = await stack.rows(`SELECT DISTINCT run_id FROM ${stack.table('system_daily_performance')} WHERE game_date = @d`, { d: stack.bq.client.date(DATE) });
    expect(aggregates.map((a) => a.run_id)).toEqual([freshResult.runId]);
    const [staleRow] = await stack.rows(`SELECT status, error FROM ${stack.table('grading_runs')} WHERE run_id = @id`, { id: staleResult.runId });
    expect(staleRow.status).toBe(staleResult.status);
    expect(logEvents(staleDone.stderr).some((e) => e.event === 'lock_lost')).toBe(true);
  }, 300_000);
});

describe('circuit breaker', () => {
  it('opens after 3 consecutive failures, refuses with exit 1, then lets one trial through after the cool-down', async () => {
    // Start from a closed circuit: the stale run of the lease test counted one failure.
    await stack.firestoreClient().collection('gradeguard_circuits').doc('grading').delete();
    // Far longer than the test: the refused run cannot see it run out however busy the machine (at 6 s the circuit
    // had already turned half-open by the time it was read). The test ends it by hand below instead of waiting.
    const coolDownMs = 600_000;
    const env = { ...stack.env, GRADEGUARD_CIRCUIT_COOL_DOWN: `${coolDownMs / 1000}s` };
    // A dataform run killed after 1 ms: a run failure (exit 1).
    for (let i = 0; i < 3; i++) {
      const failed = await runCommandProcess('grade', ['--date', DATE, '--dataform-timeout', '1ms', '--json'], env);
      expect(failed.code).toBe(1);
      expect(JSON.parse(failed.stdout).dates[0].status).toBe('failed');
    }
    const refused = await runCommandProcess('grade', ['--date', DATE, '--json'], env);
    expect(refused.code).toBe(1);
    const refusedResult = JSON.parse(refused.stdout).dates[0];
    expect(refusedResult.status).toBe('circuit_open');
    expect(refusedResult.error).toMatch(/circuit breaker for grading is open after 3 consecutive failures/);
    expect(logEvents(refused.stderr).some((e) => e.alert_kind === 'circuit_open' && e.severity === 'CRITICAL')).toBe(true);
    const [row] = await stack.rows(`SELECT status, error FROM ${stack.table('grading_runs')} WHERE run_id = @id`, { id: refusedResult.runId });
    expect(row.status).toBe('failed');
    expect((await listCircuits(stack.firestoreClient()))[0]).toMatchObject({ operation: 'grading', state: 'open', consecutiveFailures: 3 });

    // The circuit holds the configured cool-down; end it as time would (reopens_at in the past: written, not waited for).
    const circuit = stack.firestoreClient().collection('gradeguard_circuits').doc('grading');
    const opened = (await circuit.get()).data()!;
    expect(opened.reopens_at.toMillis() - opened.opened_at.toMillis()).toBe(coolDownMs);
    await circuit.update({ reopens_at: Timestamp.fromMillis(Date.now() - 1_000) });
    const trial = await runCommandProcess('grade', ['--date', DATE, '--json'], env);
    expect(trial.code, trial.stderr.slice(-1_500)).toBe(0);
    expect(logEvents(trial.stderr).some((e) => e.event === 'circuit_half_open_trial')).toBe(true);
    expect((await listCircuits(stack.firestoreClient()))[0]).toMatchObject({ operation: 'grading', state: 'closed', consecutiveFailures: 0 });
  }, 300_000);
});

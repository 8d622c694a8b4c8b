/**
 * A stale `remediate` must not overwrite newer data (issue 20, bug 1), with real processes on real emulators:
 * `grade --date D`; duplicates inserted for D; a real `remediate --date D --lease 20s` is frozen (SIGSTOP of its process
 * group) at its first BigQuery request after its transaction committed, i.e. once the fence row says `remediate-…`;
 * a new prediction is staged, `consolidate --date D` and `grade --date D --if-locked wait` (once the frozen lease has
 * run out, written rather than waited for, it commits with a higher token); then remediate resumes. Its verification now sees the newer grade's key set,
 * and it used to "restore" its backup over the newer rows with an unfenced script. Checked independently in SQL
 * afterwards: no duplicate key for D, the newly graded key present, every row's token equal to the fence, and the
 * fence never went down.
 */
import businessKeys from '../../includes/business_keys.js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadRows, type StagingRow } from '../../tools/synthetic/season.ts';
import { expireLease } from '../helpers/expire-lease.ts';
import { runCommandProcess, spawnCommand, type RunnerStack } from '../runner/stack.ts';
import { beforeExit, duplicateGradedRows, explain, startGatedStack, type GatedStack } from './gated-stack.ts';

const D = '2026-02-10';
const NEW_PLAYER = 'zz_late_entry';
let gated: GatedStack;
let stack: RunnerStack;

beforeAll(async () => {
  gated = await startGatedStack({ seed: 11, dates: 1, players: 16, systems: 2, teams: 4, gamesPerDate: 2, startDate: D });
  stack = gated.stack;
}, 180_000);
afterAll(() => gated?.stop());

const day = () => ({ d: stack.bq.client.date(D) });

async function fenceRow(): Promise<{ max_lock_token: number; run_id: string }> {
  const rows = await stack.rows<{ max_lock_token: number; run_id: string }>(
    `SELECT max_lock_token, run_id FROM ${stack.table('grading_write_fence')} WHERE game_date = @d AND table_name = 'prediction_accuracy'`,
    day(),
  );
  expect(rows).toHaveLength(1);
  return rows[0];
}

test('a remediate frozen past its lease after its commit cannot put its backup over a newer grade', async () => {
  const fenceSeen: number[] = [];
  const first = await runCommandProcess('grade', ['--date', D, '--json'], stack.env);
  expect(first.code, explain(first)).toBe(0);
  fenceSeen.push((await fenceRow()).max_lock_token);

  // Three duplicates of graded keys (a later graded_at, as a second unfenced writer would leave them).
  await duplicateGradedRows(stack, D, 3);

  // remediate's first request after its transaction script is where it stops: its commit is in.
  let transactionSent = false;
  const afterCommit = gated.proxy.gate((body) => {
    if (transactionSent) return true;
    transactionSent = body.includes('BEGIN TRANSACTION');
    return false;
  });
  const remediate = spawnCommand('remediate', ['--date', D, '--lease', '20s', '--json'], gated.proxiedEnv, { detached: true });
  await beforeExit(afterCommit.arrived, remediate.done, 'remediate sent its first request after the commit');
  process.kill(-remediate.child.pid!, 'SIGSTOP');
  let resumed = false;
  try {
    const frozen = await fenceRow();
    expect(frozen.run_id).toMatch(/^remediate-/);
    fenceSeen.push(frozen.max_lock_token);
    // Answered while frozen: the process reads the answer when it resumes.
    afterCommit.release();

    const late: StagingRow = {
      prediction_id: 'late-1',
      game_id: (await stack.rows<{ game_id: string }>(`SELECT MIN(game_id) AS game_id FROM ${stack.table('player_prop_predictions')} WHERE game_date = @d`, day()))[0].game_id,
      game_date: D,
      player_lookup: NEW_PLAYER,
      system_id: 'ensemble_v1',
      current_points_line: 12.5,
      predicted_points: 14,
      confidence_score: 0.6,
      recommendation: 'OVER',
      created_at: `${D} 23:00:00+00`,
      prediction_version: 1,
      batch_id: 'late',
      staged_at: `${D} 23:00:00+00`,
    };
    await loadRows(stack.bq.client, stack.target.dataset, 'player_prop_predictions_staging', [late]);
    const consolidated = await runCommandProcess('consolidate', ['--date', D, '--json'], stack.env);
    expect(consolidated.code, explain(consolidated)).toBe(0);
    // The frozen remediate's lease runs out (written, not waited for: it cannot renew while frozen); the grade then
    // takes the lock with a higher token.
    await expireLease(stack.firestoreClient(), 'grading', D);
    const regrade = await runCommandProcess('grade', ['--date', D, '--if-locked', 'wait', '--json'], stack.env);
    expect(regrade.code, explain(regrade)).toBe(0);
    fenceSeen.push((await fenceRow()).max_lock_token);
    process.kill(-remediate.child.pid!, 'SIGCONT');
    resumed = true;
  } finally {
    if (!resumed) process.kill(-remediate.child.pid!, 'SIGCONT');
    afterCommit.release();
  }
  const stale = await remediate.done;
  // It must not report success over rows it no longer owns; what it must not do is write them.
  expect(stale.code, explain(stale)).toBe(1);
  const staleResult = JSON.parse(stale.stdout);
  expect(staleResult).toMatchObject({ status: 'failed', lockToken: fenceSeen[1] });
  expect(staleResult.restored).toBeFalsy();
  expect(staleResult.error).toMatch(/verification failed after the commit .*; NOT restored: /);

  const final = await fenceRow();
  fenceSeen.push(final.max_lock_token);
  expect(fenceSeen, 'the fence never goes down').toEqual([...fenceSeen].sort((a, b) => a - b));
  expect(fenceSeen[2]).toBeGreaterThan(fenceSeen[1]);
  expect(final.max_lock_token).toBe(fenceSeen[2]);

  const key = businessKeys.tables.prediction_accuracy;
  const keyColumns = [key.dateColumn!, ...key.keyColumns].join(', ');
  const duplicates = await stack.rows(`SELECT ${keyColumns}, COUNT(*) AS n FROM ${stack.table('prediction_accuracy')} WHERE game_date = @d GROUP BY ${keyColumns} HAVING COUNT(*) > 1`, day());
  expect(duplicates, 'duplicate keys for D').toEqual([]);
  const [counts] = await stack.rows<{ rows: number; new_key: number; off_fence: number }>(
    `SELECT COUNT(*) AS rows,
       COUNTIF(player_lookup = @player) AS new_key,
       COUNTIF(lock_token IS NULL OR lock_token != @fence) AS off_fence
     FROM ${stack.table('prediction_accuracy')} WHERE game_date = @d`,
    { ...day(), player: NEW_PLAYER, fence: final.max_lock_token },
  );
  expect(counts.rows).toBeGreaterThan(1);
  expect(counts.new_key, 'the newly graded key').toBe(1);
  expect(counts.off_fence, "rows whose token is not the fence's").toBe(0);
}, 600_000);

/**
 * `remediate` survives a concurrent grade commit (issue 20, bug 6), with real processes on real emulators. Every
 * fenced write UPDATEs grading_write_fence, so a `grade` of another date committing while the remediation's
 * transaction is open aborts it ("Transaction is aborted due to concurrent update"); remediate must retry it by the
 * runner's rule (src/runner/retryable.ts), as `grade` does, instead of failing with a CRITICAL alert. A gated proxy in
 * front of the BigQuery emulator holds both transactions until both processes have sent theirs, then lets the remediation's through first
 * and the grade's right after: the remediation (a large date) is still open when the grade commits. Which one loses
 * is up to the emulator, so rounds repeat until the remediation has lost one; both must succeed every round.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureTables } from '../../src/warehouse/pipeline-tables.ts';
import { logEvents, spawnCommand, type RunnerStack } from '../runner/stack.ts';
import { beforeExit, explain, startGatedStack, type GatedStack } from './gated-stack.ts';

const D = '2026-02-20';
const E = '2026-02-21';
const ROWS = 20_000;
const DUPLICATES = 50;
const MAX_ROUNDS = 5;
let gated: GatedStack;
let stack: RunnerStack;

beforeAll(async () => {
  gated = await startGatedStack({ seed: 13, dates: 1, players: 16, systems: 2, teams: 4, gamesPerDate: 2, startDate: E });
  stack = gated.stack;
  await ensureTables(stack.bq.client, stack.target, ['prediction_accuracy', 'grading_write_fence', 'grading_runs', 'grading_duplicate_audit']);
  await stack.rows(
    `INSERT INTO ${stack.table('prediction_accuracy')} (game_id, game_date, player_lookup, system_id, line_value, actual_points, graded_at, run_id, lock_token, prediction_id)
     SELECT 'g-${D}', DATE '${D}', CONCAT('p', CAST(i AS STRING)), 's1', 10.5, 10, TIMESTAMP '${D} 10:00:00', 'seed', 0, CONCAT('id-', CAST(i AS STRING))
     FROM UNNEST(GENERATE_ARRAY(1, ${ROWS})) AS i`,
  );
}, 180_000);
afterAll(() => gated?.stop());

test('a grade of another date committing during the remediation transaction: remediate retries and succeeds', async () => {
  const env = gated.proxiedEnv;
  let remediationRetries = 0;
  let rounds = 0;
  while (remediationRetries === 0 && rounds < MAX_ROUNDS) {
    rounds++;
    await stack.rows(
      `INSERT INTO ${stack.table('prediction_accuracy')} (game_id, game_date, player_lookup, system_id, line_value, actual_points, graded_at, run_id, lock_token, prediction_id)
       SELECT 'g-${D}', DATE '${D}', CONCAT('p', CAST(i AS STRING)), 's1', 10.5, 11, TIMESTAMP '${D} 11:00:00', 'dup-${rounds}', 0, CONCAT('id-', CAST(i AS STRING))
       FROM UNNEST(GENERATE_ARRAY(1, ${DUPLICATES})) AS i`,
    );
    const remediationTx = gated.proxy.gate((body) => body.includes('gradeguard remediate: one row per business key'));
    const gradeTx = gated.proxy.gate((body) => body.includes('fenced atomic write of prediction_accuracy for'));
    const remediate = spawnCommand('remediate', ['--date', D, '--json'], env);
    const grade = spawnCommand('grade', ['--date', E, '--json'], env);
    try {
      await Promise.all([beforeExit(remediationTx.arrived, remediate.done, 'remediate sent its transaction'), beforeExit(gradeTx.arrived, grade.done, 'grade sent its transaction')]);
    } finally {
      remediationTx.release();
      await new Promise((r) => setImmediate(r));
      gradeTx.release();
    }
    const [remediated, graded] = await Promise.all([remediate.done, grade.done]);
    expect(remediated.code, `round ${rounds}: ${explain(remediated)}`).toBe(0);
    expect(JSON.parse(remediated.stdout), `round ${rounds}`).toMatchObject({ status: 'remediated', removedRows: DUPLICATES });
    expect(graded.code, `round ${rounds}: ${explain(graded)}`).toBe(0);
    remediationRetries += logEvents(remediated.stderr).filter((e) => e.event === 'remediate_retry' && e.reason === 'transaction_aborted').length;
  }
  expect(remediationRetries, `no concurrent abort hit the remediation in ${rounds} rounds: nothing was tested`).toBeGreaterThan(0);

  const [counts] = await stack.rows<{ rows: number; keys: number }>(`SELECT COUNT(*) AS rows, COUNT(DISTINCT player_lookup) AS keys FROM ${stack.table('prediction_accuracy')} WHERE game_date = @d`, {
    d: stack.bq.client.date(D),
  });
  expect(counts).toEqual({ rows: ROWS, keys: ROWS });
}, 900_000);

/**
 * The set-up of the tests that hold a real command at an exact BigQuery request (the gated proxy) while another
 * command runs: a runner stack with a season loaded, the proxy in front of its emulator, and the plumbing around a
 * held process (its output for assertion messages, "it exited before reaching the gate", duplicate graded rows).
 */
import businessKeys from '../../includes/business_keys.js';
import type { SeasonOptions } from '../../tools/synthetic/season.ts';
import { loadTestSeason, startRunnerStack, type RunnerStack } from '../runner/stack.ts';
import { startGatedProxy, type GatedProxy } from './gated-proxy.ts';

export interface GatedStack {
  stack: RunnerStack;
  proxy: GatedProxy;
  /** The stack's environment with BigQuery reached through the proxy: for the process to hold. */
  proxiedEnv: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startGatedStack(season: SeasonOptions): Promise<GatedStack> {
  const stack = await startRunnerStack();
  await loadTestSeason(stack, season);
  const proxy = await startGatedProxy(stack.bq.emulator.url);
  // A first write warms the fresh Firestore client: on a busy host its first answers can exceed the lock's 10 s deadline.
  await stack.firestoreClient().collection('test_warm_up').doc('first').set({ at: Date.now() });
  return {
    stack,
    proxy,
    proxiedEnv: { ...stack.env, BIGQUERY_EMULATOR_HOST: proxy.url },
    async stop() {
      await proxy.stop();
      await stack.stop();
    },
  };
}

interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A finished command for an assertion message: exit code, stdout and the end of stderr. */
export const explain = (r: ProcessResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr.slice(-3_000)}`;

/** Resolves with `promise`, or fails with the process's output if it exits first (it never reached the gate). */
export async function beforeExit<T>(promise: Promise<T>, exited: Promise<ProcessResult>, what: string): Promise<T> {
  const first = await Promise.race([promise.then((value) => ({ value })), exited.then((finished) => ({ finished }))]);
  if ('finished' in first) throw new Error(`exited before ${what}: ${explain(first.finished)}`);
  return first.value;
}

/** `count` graded rows of `date` written again a minute later (what a second, unfenced writer leaves): duplicate keys. */
export async function duplicateGradedRows(stack: RunnerStack, date: string, count: number): Promise<void> {
  const key = businessKeys.tables.prediction_accuracy;
  const columns = (
    await stack.rows<{ column_name: string }>(
      `SELECT column_name FROM \`${stack.target.projectId}.${stack.target.dataset}.INFORMATION_SCHEMA.COLUMNS\` WHERE table_name = 'prediction_accuracy' ORDER BY ordinal_position`,
    )
  ).map((c) => c.column_name);
  const copied = columns.map((c) => (c === key.writtenAtColumn ? `TIMESTAMP_ADD(${c}, INTERVAL 1 MINUTE)` : c));
  await stack.rows(
    `INSERT INTO ${stack.table('prediction_accuracy')} (${columns.join(', ')})
     SELECT ${copied.join(', ')} FROM ${stack.table('prediction_accuracy')} WHERE game_date = @d ORDER BY player_lookup, system_id LIMIT ${Number(count)}`,
    { d: stack.bq.client.date(date) },
  );
}

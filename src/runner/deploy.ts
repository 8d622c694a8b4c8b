/**
 * The deploy: the Dataform actions tagged `deploy` (includes/constants.js: the pipeline's tables, created if missing,
 * and the views over them). None of their SQL depends on a run's vars, so they are created once — by `npm run deploy`,
 * npm start's stack set-up and the test stacks — not by every run: each `create or replace view` and Dataform's
 * metadata patch after it counts against BigQuery's per-table metadata update rate limit, which concurrent or
 * back-to-back runs would exhaust. Idempotent (IF NOT EXISTS tables, the same view text again), so it needs no lock.
 * Runs check first (`missingDeployedObjects`) and refuse, before any lock, on a dataset that was never deployed.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import constants from '../../includes/constants.js';
import type { Logger } from '../log/logger.ts';
import { createTableIfNotExistsSql } from '../warehouse/pipeline-tables.ts';
import { migrateRunsTable, MigrationRefused } from '../warehouse/run-events-migration.ts';
import type { WarehouseTarget } from '../warehouse/target.ts';
import { classifyDataformRun } from './dataform-outcome.ts';
import type { Executor, RunVars } from './executors/executor.ts';
import { DEPLOY_TAGS } from './operations.ts';
import { backoffMs, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retryable.ts';

/**
 * The project compiles only with run dates (includes/run_vars.js refuses a compile without them); the deploy's
 * actions read none of these vars (test/dataform/graph.test.ts compiles them under two var sets and compares).
 */
const DEPLOY_VARS: RunVars = { date_tokens: '2000-01-01:0', run_id: 'deploy', operation: 'deploy' };

/** What the deploy creates: every object a run relies on without creating it. */
export const DEPLOYED_OBJECTS: readonly string[] = [...constants.OWNED_TABLES, ...constants.DEPLOYED_VIEWS];

/** Declared sources the deployed views read; written upstream, so the deploy creates them only on the local stack. */
export const SOURCE_TABLES = ['player_game_summary', 'player_prop_predictions_staging'] as const;

/**
 * The deployed objects missing from the target's dataset (all of them when the dataset is missing), a deployed view
 * still present as a table counting as missing (grading_runs of before the run events). One tables.list.
 */
export async function missingDeployedObjects(bigquery: BigQuery, target: WarehouseTarget, names: readonly string[] = DEPLOYED_OBJECTS): Promise<string[]> {
  try {
    const [tables] = await bigquery.dataset(target.dataset).getTables({ autoPaginate: true, maxResults: 1_000, location: target.location } as object);
    const types = new Map(tables.map((t) => [t.id, String(t.metadata?.type ?? 'TABLE')]));
    const views = new Set(constants.DEPLOYED_VIEWS);
    return names.flatMap((name) => {
      if (!types.has(name)) return [name];
      return views.has(name) && types.get(name) !== 'VIEW' ? [`${name} (still a table: its rows move to run events)`] : [];
    });
  } catch (error) {
    if ((error as { code?: number }).code === 404) return [...names];
    throw error;
  }
}

const deployCommand = (target: WarehouseTarget) => `npm run deploy${target.kind === 'bigquery' ? ' -- --target bigquery' : ''}`;

/** What a run prints when the dataset was never deployed. */
export function notDeployedMessage(target: WarehouseTarget, missing: readonly string[]): string {
  return (
    `${target.projectId}.${target.dataset} is not deployed: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. ` +
    `Run \`${deployCommand(target)}\` once (and after every change to a definition tagged deploy); no lock was taken and nothing was written.`
  );
}

export interface DeployResult {
  ok: boolean;
  /** `dataform run --tags deploy` attempts (reruns after BigQuery's transient errors, e.g. the metadata rate limit). */
  attempts: number;
  durationMs: number;
  /** What failed, or what was deployed. */
  message: string;
}

export async function deployProject(input: { executor: Executor; bigquery: BigQuery; target: WarehouseTarget; log: Logger; timeoutMs: number; retryPolicy?: RetryPolicy }): Promise<DeployResult> {
  const { executor, bigquery, target, log } = input;
  const policy = input.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const started = performance.now();
  const result = (ok: boolean, attempts: number, message: string): DeployResult => ({ ok, attempts, durationMs: Math.round(performance.now() - started), message });
  if (target.kind === 'local') {
    // The local stack has no upstream pipelines: its sources start empty, so the views over them can be created.
    // Not ensureTables (it remembers per process): a deploy checks the dataset as it is now.
    const [exists] = await bigquery.dataset(target.dataset).exists();
    if (!exists)
      await bigquery
        .dataset(target.dataset)
        .create({ location: target.location })
        .catch((error: { code?: number }) => {
          if (error.code !== 409) throw error;
        });
    for (const table of SOURCE_TABLES) await bigquery.query({ query: createTableIfNotExistsSql(target, table), location: target.location });
  } else {
    const missing = await missingDeployedObjects(bigquery, target, ['player_game_summary']);
    if (missing.length) return result(false, 0, `the views read ${missing.join(', ')}, which ${target.projectId}.${target.dataset} does not have: load it first (its own pipeline writes it)`);
  }
  try {
    const migrated = await migrateRunsTable(bigquery, target);
    if (migrated) log.log('NOTICE', 'grading_runs_migrated', { event: 'grading_runs_migrated', runs: migrated.runs, backup: migrated.backup });
  } catch (error) {
    if (error instanceof MigrationRefused) return result(false, 0, `grading_runs was not migrated to run events: ${error.message}`);
    throw error;
  }
  for (let attempt = 1; ; attempt++) {
    log.info('deploy_started', { event: 'deploy_started', attempt, tags: DEPLOY_TAGS.join(',') });
    const run = await executor
      .run({ vars: DEPLOY_VARS, tags: DEPLOY_TAGS, assertionDataset: target.assertionDataset, timeoutMs: input.timeoutMs })
      .catch((error: Error) => ({ code: 1, stdout: '', stderr: `dataform executor error: ${error.message}`, durationMs: 0 }));
    const outcome = classifyDataformRun(run);
    log.info('deploy_finished', { event: 'deploy_finished', attempt, exit_code: run.code, outcome: outcome.kind, ms: Math.round(run.durationMs) });
    if (outcome.kind === 'retryable' && attempt <= policy.retries) {
      const wait = backoffMs(policy, attempt);
      log.warn('deploy_retry', { event: 'deploy_retry', attempt, reason: outcome.retryReason, error: outcome.message, backoff_ms: wait });
      await new Promise((r) => setTimeout(r, wait));
      continue;
    }
    if (outcome.kind !== 'success') return result(false, attempt, `dataform run --tags ${DEPLOY_TAGS.join(' ')} ${outcome.kind}: ${outcome.message}`);
    // A deploy that reports success but left an object missing did not deploy (no silent success).
    const missing = await missingDeployedObjects(bigquery, target);
    if (missing.length) return result(false, attempt, `the deploy ran but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} still missing`);
    return result(
      true,
      attempt,
      `${DEPLOYED_OBJECTS.length} objects in ${target.projectId}.${target.dataset}: tables ${constants.OWNED_TABLES.join(', ')} (created if missing); views ${constants.DEPLOYED_VIEWS.join(', ')}`,
    );
  }
}

/**
 * A locked command over several dates: the dates (ascending) in batches of `batchSize`, each batch ONE locked
 * `dataform run` (run-batch.ts). Batches run one after another by default: every batch's fenced writes touch the same
 * tables, and BigQuery detects transaction conflicts per table, so batches in flight together (`parallel` > 1) only
 * abort and rerun each other.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { Firestore } from '@google-cloud/firestore';
import type { Alerter } from '../alerts/index.ts';
import { DistributedLock } from '../lock/index.ts';
import type { Logger } from '../log/logger.ts';
import type { WarehouseTarget } from '../warehouse/target.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { mostSeriousExitCode } from './exit-codes.ts';
import { cliExecutor } from './executors/cli-executor.ts';
import type { Executor } from './executors/executor.ts';
import type { LockPolicy } from './lock-gate.ts';
import { OPERATIONS, type OperationName } from './operations.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retryable.ts';
import { runBatch } from './run-batch.ts';
import { refreshLaterSummaries } from './summary-refresh.ts';
import type { DateResult, Phase, RunContext } from './run-context.ts';

/** Dates per locked run by default: a month and more in one CLI start and compile, leases renewed together. */
export const DEFAULT_BATCH_SIZE = 62;
/** date_tokens takes at most 367 dates (includes/run_vars.js). */
export const MAX_BATCH_SIZE = 367;

export interface RunDatesOptions {
  operation: OperationName;
  dates: readonly string[];
  /** Dates per locked run (default DEFAULT_BATCH_SIZE). */
  batchSize?: number;
  /** Batches in flight at once (default 1). */
  parallel?: number;
  policy: LockPolicy;
  /** Lease length of each date's lock (renewed every third). */
  leaseMs: number;
  dataformTimeoutMs: number;
  retryPolicy?: RetryPolicy;
  /** What runs Dataform; default the local CLI. */
  executor?: Executor;
  /** Circuit breaker settings (tests shorten the cool-down). */
  circuit?: { threshold?: number; coolDownMs?: number };
  /** How long one Firestore call of the lock or the circuit may take before Firestore counts as unavailable (default 20 s for the lock, 10 s for the circuit). */
  firestoreTimeoutMs?: number;
}

export interface RunDatesDeps {
  target: WarehouseTarget;
  bigquery: BigQuery;
  firestore?: Firestore;
  alerter: Alerter;
  log: Logger;
  onPhase?: (date: string, phase: Phase, fields?: Record<string, unknown>) => void;
}

export interface RunSummary {
  operation: OperationName;
  exitCode: number;
  dates: DateResult[];
  /**
   * Later dates whose summary windows cover a graded date, refreshed afterwards (locked `reporting` runs of their own,
   * not counted in runs and dataformAttempts; grading only). Their exit codes count in exitCode.
   */
  summaryRefresh: DateResult[];
  /** Locked runs (batches) the command made, and their `dataform run` attempts in all. */
  runs: number;
  dataformAttempts: number;
  durationMs: number;
}

/** The command's exit code: a failed run, then duplicates/assertions, then a date that wrote 0 rows, then a lock not acquired. */
function combinedExitCode(codes: readonly number[]): number {
  return mostSeriousExitCode(codes);
}

function batches(dates: readonly string[], size: number): string[][] {
  const sorted = [...dates].sort();
  const out: string[][] = [];
  for (let i = 0; i < sorted.length; i += size) out.push(sorted.slice(i, i + size));
  return out;
}

export async function runDates(options: RunDatesOptions, deps: RunDatesDeps): Promise<RunSummary> {
  const started = Date.now();
  const spec = OPERATIONS[options.operation];
  const lock =
    options.policy.useLock && deps.firestore
      ? new DistributedLock({
          lockType: spec.lockType,
          firestore: deps.firestore,
          leaseMs: options.leaseMs,
          maxWaitMs: options.policy.lockTimeoutMs,
          operationTimeoutMs: options.firestoreTimeoutMs ?? 20_000,
          logger: deps.log,
        })
      : undefined;
  const breaker = deps.firestore ? new CircuitBreaker({ firestore: deps.firestore, operation: spec.name, operationTimeoutMs: options.firestoreTimeoutMs ?? 10_000, ...options.circuit }) : undefined;
  const ctx: RunContext = {
    spec,
    target: deps.target,
    bigquery: deps.bigquery,
    alerter: deps.alerter,
    log: deps.log,
    policy: options.policy,
    lock,
    breaker,
    outage: {},
    executor: options.executor ?? cliExecutor(deps.target),
    dataformTimeoutMs: options.dataformTimeoutMs,
    retryPolicy: options.retryPolicy ?? DEFAULT_RETRY_POLICY,
    onPhase: deps.onPhase,
  };
  const batchSize = Math.min(MAX_BATCH_SIZE, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const queue = batches(options.dates, batchSize);
  const runs = queue.length;
  const results: DateResult[] = [];
  const workers = Math.max(1, Math.min(options.parallel ?? 1, runs));
  const worker = async () => {
    for (let batch = queue.shift(); batch !== undefined; batch = queue.shift()) results.push(...(await runBatch(ctx, batch)));
  };
  await Promise.all(Array.from({ length: workers }, worker));
  results.sort((a, b) => a.date.localeCompare(b.date));
  // A grade changes the summary windows of the later dates too: those are refreshed (summary-refresh.ts).
  const refreshed = spec.name === 'grading' ? await refreshLaterSummaries(ctx, results, { batchSize, inOrder: workers === 1 }) : [];
  // Every date of a batch reports the batch's attempts: count each batch once (refused dates ran nothing).
  const attempts = new Map<string, number>();
  for (const r of results) attempts.set(r.runId, Math.max(attempts.get(r.runId) ?? 0, r.dataformAttempts));
  return {
    operation: spec.name,
    exitCode: combinedExitCode([...results, ...refreshed].map((r) => r.exitCode)),
    dates: results,
    summaryRefresh: refreshed,
    runs,
    dataformAttempts: [...attempts.values()].reduce((a, b) => a + b, 0),
    durationMs: Date.now() - started,
  };
}

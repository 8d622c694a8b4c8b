/**
 * A locked command over several dates: each date separately under its own lock, different dates in parallel
 * (`parallel` at a time, oldest first), the same date never twice at once within the command (dates are distinct).
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { Firestore } from '@google-cloud/firestore';
import type { Alerter } from '../alerts/index.ts';
import { DistributedLock } from '../lock/index.ts';
import type { Logger } from '../log/logger.ts';
import type { WarehouseTarget } from '../warehouse/target.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { DEFAULT_CONCURRENT_ABORT_RETRIES } from './concurrent-abort.ts';
import { mostSeriousExitCode } from './exit-codes.ts';
import type { LockPolicy } from './lock-gate.ts';
import { OPERATIONS, type OperationName } from './operations.ts';
import { runDate, type DateResult, type Phase } from './run-date.ts';

export interface RunDatesOptions {
  operation: OperationName;
  dates: readonly string[];
  parallel: number;
  policy: LockPolicy;
  /** Lease length of each date's lock (renewed every third). */
  leaseMs: number;
  dataformTimeoutMs: number;
  concurrentAbortRetries?: number;
  /** Circuit breaker settings (tests shorten the cool-down). */
  circuit?: { threshold?: number; coolDownMs?: number };
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
  durationMs: number;
}

/** The command's exit code: a failed run, then duplicates/assertions, then a date that wrote 0 rows, then a lock not acquired. */
export function combinedExitCode(codes: readonly number[]): number {
  return mostSeriousExitCode(codes);
}

export async function runDates(options: RunDatesOptions, deps: RunDatesDeps): Promise<RunSummary> {
  const started = Date.now();
  const spec = OPERATIONS[options.operation];
  const lock =
    options.policy.useLock && deps.firestore
      ? new DistributedLock({ lockType: spec.lockType, firestore: deps.firestore, leaseMs: options.leaseMs, maxWaitMs: options.policy.lockTimeoutMs, operationTimeoutMs: 20_000, logger: deps.log })
      : undefined;
  const breaker = deps.firestore ? new CircuitBreaker({ firestore: deps.firestore, operation: spec.name, operationTimeoutMs: 10_000, ...options.circuit }) : undefined;
  const ctx = {
    spec,
    target: deps.target,
    bigquery: deps.bigquery,
    alerter: deps.alerter,
    log: deps.log,
    policy: options.policy,
    lock,
    breaker,
    outage: {},
    dataformTimeoutMs: options.dataformTimeoutMs,
    concurrentAbortRetries: options.concurrentAbortRetries ?? DEFAULT_CONCURRENT_ABORT_RETRIES,
    onPhase: deps.onPhase,
  };
  const queue = [...options.dates];
  const results: DateResult[] = [];
  const worker = async () => {
    for (let date = queue.shift(); date !== undefined; date = queue.shift()) results.push(await runDate(ctx, date));
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallel, options.dates.length)) }, worker));
  results.sort((a, b) => a.date.localeCompare(b.date));
  return { operation: spec.name, exitCode: combinedExitCode(results.map((r) => r.exitCode)), dates: results, durationMs: Date.now() - started };
}

/**
 * What a locked run works with (its context), what it reports per date (DateResult), and the two gates before it
 * writes: the circuit breaker and the turning of each date's lock outcome into a status, an exit code and an alert.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { Alert, Alerter } from '../alerts/index.ts';
import type { DistributedLock } from '../lock/index.ts';
import type { Logger } from '../log/logger.ts';
import type { RunStatus } from '../warehouse/runs.ts';
import type { WarehouseTarget } from '../warehouse/target.ts';
import type { FailedAssertion } from './assertions.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import type { Executor } from './executors/executor.ts';
import { ExitCode } from './exit-codes.ts';
import type { Gate, LockPolicy, OutageMemo } from './lock-gate.ts';
import type { OperationSpec } from './operations.ts';
import type { RetryPolicy } from './retryable.ts';

export type Phase = 'queued' | 'circuit' | 'waiting_for_lock' | 'running' | 'validating' | 'done';

/** `zero_rows`: Dataform succeeded (grading_runs says so) but the date has no row: exit 8, never silent. */
export type DateStatus = Exclude<RunStatus, 'running' | 'abandoned'> | 'circuit_open' | 'zero_rows';

export interface DateResult {
  date: string;
  /** The run that wrote the date (shared by every date of one batch). */
  runId: string;
  status: DateStatus;
  exitCode: number;
  lockToken: number;
  locked: boolean;
  lockWaitMs: number;
  rows: number | null;
  duplicateKeys: number | null;
  failedAssertions: FailedAssertion[];
  /** `dataform run` attempts of the date's batch (1 + reruns after transient errors); 0 when it never ran. */
  dataformAttempts: number;
  /** Why each rerun happened (retryable.ts reasons), in order. */
  retryReasons: string[];
  durationMs: number;
  error?: string;
}

export interface RunContext {
  spec: OperationSpec;
  target: WarehouseTarget;
  bigquery: BigQuery;
  alerter: Alerter;
  log: Logger;
  policy: LockPolicy;
  lock?: DistributedLock;
  breaker?: CircuitBreaker;
  /** Set when Firestore failed for one date: the command's later dates skip the breaker and the lock attempt. */
  outage: OutageMemo;
  /** What runs Dataform: the local CLI or the Dataform API (executors/). */
  executor: Executor;
  /** Bound on one `dataform run` / workflow invocation. */
  dataformTimeoutMs: number;
  /** Reruns of a run (and of the runner's own queries) after the transient errors Google documents. */
  retryPolicy: RetryPolicy;
  onPhase?: (date: string, phase: Phase, fields?: Record<string, unknown>) => void;
}

type SendAlert = (a: Omit<Alert, 'runId' | 'operation'>) => Promise<unknown>;

/** The breaker's verdict for a batch: a refusal message when open; `usable` when its outcome should be recorded. */
export async function checkCircuit(ctx: RunContext, dates: readonly string[], runId: string, log: Logger, alert: SendAlert): Promise<{ refusal?: string; usable: boolean }> {
  if (!ctx.breaker || !ctx.policy.useLock || ctx.outage.error) return { usable: false };
  for (const d of dates) ctx.onPhase?.(d, 'circuit');
  try {
    const circuit = await ctx.breaker.check();
    if (!circuit.allowed) {
      const message = `circuit breaker for ${ctx.spec.name} is ${circuit.state} after ${circuit.consecutiveFailures} consecutive failures; refusing new runs until ${circuit.reopensAt}`;
      log.error('circuit_open', { event: 'circuit_open', reopens_at: circuit.reopensAt, consecutive_failures: circuit.consecutiveFailures });
      await alert({
        kind: 'circuit_open',
        severity: 'CRITICAL',
        gameDate: dates[0],
        title: `${ctx.spec.name} refused for ${dates.length === 1 ? dates[0] : `${dates.length} dates from ${dates[0]}`}: ${message}`,
        nextStep: 'Find the cause in the last failed runs (grading_runs.error, `npm run locks -- list`); the breaker lets one trial run through after the cool-down.',
        counts: { consecutive_failures: circuit.consecutiveFailures },
        details: { reopens_at: circuit.reopensAt ?? null, run_id: runId },
      });
      return { refusal: message, usable: true };
    }
    if (circuit.state === 'half_open') log.warn('circuit_half_open_trial', { event: 'circuit_half_open_trial' });
    return { usable: true };
  } catch (error) {
    // A breaker that cannot be read must not block a run: the lock decides whether Firestore is usable.
    log.warn('circuit_unavailable', { event: 'circuit_unavailable', error: (error as Error).message });
    return { usable: false };
  }
}

/**
 * Settles the dates the locks keep out of the run (busy: skipped or lock_not_acquired; Firestore unavailable) and
 * warns once for dates that run without the lock. One alert per kind for the batch, naming its dates.
 */
export async function lockAlerts(
  ctx: RunContext,
  gates: ReadonlyMap<string, Gate>,
  log: Logger,
  alert: SendAlert,
  settle: (dates: readonly string[], status: DateStatus, exitCode: number, error?: string) => void,
): Promise<void> {
  const of = (kind: Gate['kind']) => [...gates].filter(([, g]) => g.kind === kind) as Array<[string, Gate & { error?: string }]>;
  const busy = of('busy');
  if (busy.length && ctx.policy.ifLocked === 'skip') {
    // A date held by another run (a backfill, say) is being graded by it: the scheduled job leaves it alone.
    for (const [date, gate] of busy) {
      log.log('NOTICE', 'date_skipped_lock_busy', { event: 'date_skipped', game_date: date, reason: gate.error });
      settle([date], 'skipped', ExitCode.ok, `skipped: ${gate.error}`);
    }
  } else if (busy.length) {
    const dates = busy.map(([d]) => d);
    await alert({
      kind: 'lock_not_acquired',
      severity: 'ERROR',
      gameDate: dates[0],
      title: `${ctx.spec.name} of ${dates.join(', ')} did not run: the ${ctx.spec.lockType} lock stayed busy`.slice(0, 300),
      nextStep: 'See who holds it with `npm run locks -- list`; rerun when it is free, or with --if-locked wait --lock-timeout longer.',
      counts: { dates: dates.length, lock_wait_ms: Math.max(...busy.map(([, g]) => g.waitMs)) },
      details: { error: busy[0][1].error ?? null },
    });
    for (const [date, gate] of busy) settle([date], 'lock_not_acquired', ExitCode.lockNotAcquired, gate.error);
  }
  const unavailable = of('unavailable');
  if (unavailable.length) {
    await alert({
      kind: 'lock_not_acquired',
      severity: 'CRITICAL',
      gameDate: unavailable[0][0],
      title: `${ctx.spec.name} of ${unavailable.map(([d]) => d).join(', ')} did not run: Firestore (the lock) is unavailable`.slice(0, 300),
      nextStep: 'Check Firestore (or FIRESTORE_EMULATOR_HOST); to run anyway at your own risk use --on-lock-error proceed.',
      details: { error: unavailable[0][1].error ?? null },
    });
    for (const [date, gate] of unavailable) settle([date], 'lock_not_acquired', ExitCode.lockNotAcquired, gate.error);
  }
  const unlocked = of('unlocked') as Array<[string, Extract<Gate, { kind: 'unlocked' }>]>;
  if (unlocked.length) {
    const degraded = unlocked.some(([, g]) => g.reason === 'lock_unavailable');
    const dates = unlocked.map(([d]) => d);
    log.log(degraded ? 'CRITICAL' : 'WARNING', 'running_without_lock', { event: 'running_without_lock', dates: dates.join(','), reason: unlocked[0][1].reason, error: unlocked[0][1].error });
    await alert({
      kind: 'running_without_lock',
      severity: degraded ? 'CRITICAL' : 'WARNING',
      gameDate: dates[0],
      title: (degraded
        ? `${ctx.spec.name} of ${dates.join(', ')} runs WITHOUT the lock: Firestore is unavailable (--on-lock-error proceed)`
        : `${ctx.spec.name} of ${dates.join(', ')} runs without the lock (--no-lock / GRADING_USE_LOCK=false)`
      ).slice(0, 300),
      nextStep: 'Only the atomic write protects these dates; a date already written under the lock refuses this run (fence). Check Firestore and rerun with the lock.',
      details: { error: unlocked[0][1].error ?? null },
    });
  }
}

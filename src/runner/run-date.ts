/**
 * One date of a locked command, start to finish: circuit breaker, lock, `dataform run` with the lease's fencing token
 * (killed if the lease is lost), validation and audit inside the lock, release, and a grading_runs row whatever happens.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { Alert, Alerter } from '../alerts/index.ts';
import type { DistributedLock } from '../lock/index.ts';
import type { Logger } from '../log/logger.ts';
import { runDataform, repoRoot, type DataformResult } from '../warehouse/dataform-cli.ts';
import { upsertRun, type RunStatus } from '../warehouse/runs.ts';
import { dataformTargetArgs, assertIdentifier, type WarehouseTarget } from '../warehouse/target.ts';
import { readFailedAssertions, type FailedAssertion } from './assertions.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { retryConcurrentAborts } from './concurrent-abort.ts';
import { classifyDataformRun, type DataformOutcome } from './dataform-outcome.ts';
import { ExitCode } from './exit-codes.ts';
import { passGate, type Gate, type LockPolicy, type OutageMemo } from './lock-gate.ts';
import type { OperationSpec } from './operations.ts';
import { assertionDatasetFor, newRunId } from './run-id.ts';
import { validateDate, type Validation } from './validate.ts';

export type Phase = 'queued' | 'circuit' | 'waiting_for_lock' | 'running' | 'validating' | 'done';

/** `zero_rows`: Dataform succeeded (grading_runs says so, rows_written 0) but the date has no row: exit 8, never silent. */
export type DateStatus = Exclude<RunStatus, 'running'> | 'circuit_open' | 'zero_rows';

export interface DateResult {
  date: string;
  runId: string;
  status: DateStatus;
  exitCode: number;
  lockToken: number;
  locked: boolean;
  lockWaitMs: number;
  rows: number | null;
  duplicateKeys: number | null;
  failedAssertions: FailedAssertion[];
  dataformAttempts: number;
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
  /** Bound on one `dataform run`. */
  dataformTimeoutMs: number;
  /** Retries of a run aborted by a concurrent transaction (concurrent-abort.ts: fenced writes conflict at table level). */
  concurrentAbortRetries: number;
  onPhase?: (date: string, phase: Phase, fields?: Record<string, unknown>) => void;
}

export async function runDate(ctx: RunContext, date: string): Promise<DateResult> {
  const started = Date.now();
  const runId = newRunId(ctx.spec.runIdPrefix, date);
  const log = ctx.log.child({ game_date: date, run_id: runId, operation: ctx.spec.name });
  const phase = (p: Phase, fields?: Record<string, unknown>) => ctx.onPhase?.(date, p, fields);
  const result: DateResult = {
    date,
    runId,
    status: 'failed',
    exitCode: ExitCode.runFailed,
    lockToken: 0,
    locked: false,
    lockWaitMs: 0,
    rows: null,
    duplicateKeys: null,
    failedAssertions: [],
    dataformAttempts: 0,
    durationMs: 0,
  };
  const alert = (a: Omit<Alert, 'gameDate' | 'runId' | 'operation'>) => ctx.alerter.send({ ...a, gameDate: date, runId, operation: ctx.spec.name });
  const finish = async (status: DateStatus, exitCode: number, error?: string, writeRow = true): Promise<DateResult> => {
    Object.assign(result, { status, exitCode, error, durationMs: Date.now() - started });
    if (writeRow) await recordRun(ctx, result, log);
    phase('done', { status, exit_code: exitCode });
    return result;
  };

  // Circuit breaker: refuse at once while open; a Firestore outage here is judged like one at the lock.
  let breakerUsable = Boolean(ctx.breaker && ctx.policy.useLock && !ctx.outage.error);
  if (breakerUsable) {
    phase('circuit');
    try {
      const circuit = await ctx.breaker!.check();
      if (!circuit.allowed) {
        const message = `circuit breaker for ${ctx.spec.name} is ${circuit.state} after ${circuit.consecutiveFailures} consecutive failures; refusing new runs until ${circuit.reopensAt}`;
        log.error('circuit_open', { event: 'circuit_open', reopens_at: circuit.reopensAt, consecutive_failures: circuit.consecutiveFailures });
        await alert({
          kind: 'circuit_open',
          severity: 'CRITICAL',
          title: `${ctx.spec.name} refused for ${date}: ${message}`,
          nextStep: 'Find the cause in the last failed runs (grading_runs.error, `npm run locks -- list`); the breaker lets one trial run through after the cool-down.',
          counts: { consecutive_failures: circuit.consecutiveFailures },
          details: { reopens_at: circuit.reopensAt ?? null },
        });
        return finish('circuit_open', ExitCode.runFailed, message);
      }
      if (circuit.state === 'half_open') log.warn('circuit_half_open_trial', { event: 'circuit_half_open_trial' });
    } catch (error) {
      // A breaker that cannot be read must not block a run: the lock decides whether Firestore is usable.
      breakerUsable = false;
      log.warn('circuit_unavailable', { event: 'circuit_unavailable', error: (error as Error).message });
    }
  }

  phase('waiting_for_lock');
  let gate: Gate;
  try {
    gate = await passGate(ctx.lock, ctx.policy, date, runId, ctx.outage);
  } catch (error) {
    return finish('failed', ExitCode.runFailed, `taking the lock failed: ${(error as Error).message}`);
  }
  result.lockWaitMs = gate.waitMs;
  if (gate.kind === 'busy') {
    if (ctx.policy.ifLocked === 'skip') {
      log.log('NOTICE', 'date_skipped_lock_busy', { event: 'date_skipped', reason: gate.error });
      return finish('skipped', ExitCode.ok, `skipped: ${gate.error}`);
    }
    await alert({
      kind: 'lock_not_acquired',
      severity: 'ERROR',
      title: `${ctx.spec.name} of ${date} did not run: the ${ctx.spec.lockType} lock stayed busy`,
      nextStep: 'See who holds it with `npm run locks -- list`; rerun when it is free, or with --if-locked wait --lock-timeout longer.',
      counts: { lock_wait_ms: gate.waitMs },
      details: { error: gate.error },
    });
    return finish('lock_not_acquired', ExitCode.lockNotAcquired, gate.error);
  }
  if (gate.kind === 'unavailable') return lockUnavailable(gate.error);
  if (gate.kind === 'unlocked') {
    const degraded = gate.reason === 'lock_unavailable';
    log.log(degraded ? 'CRITICAL' : 'WARNING', 'running_without_lock', { event: 'running_without_lock', reason: gate.reason, error: gate.error });
    await alert({
      kind: 'running_without_lock',
      severity: degraded ? 'CRITICAL' : 'WARNING',
      title: degraded
        ? `${ctx.spec.name} of ${date} runs WITHOUT the lock: Firestore is unavailable (--on-lock-error proceed)`
        : `${ctx.spec.name} of ${date} runs without the lock (--no-lock / GRADING_USE_LOCK=false)`,
      nextStep: 'Only the atomic write protects this date; a date already written under the lock refuses this run (fence). Check Firestore and rerun with the lock.',
      details: { error: gate.error ?? null },
    });
  }
  const lease = gate.kind === 'held' ? gate.lease : undefined;
  result.lockToken = gate.token;
  result.locked = Boolean(lease);
  let done: DateResult;
  try {
    done = await runLocked(ctx, result, lease?.signal, log, alert, phase, finish);
  } finally {
    if (lease) await lease.release().catch((error) => log.error('lock_release_failed', { event: 'lock_release_failed', error: (error as Error).message }));
  }
  if (breakerUsable) {
    const failure = done.exitCode === ExitCode.runFailed;
    await (failure ? ctx.breaker!.recordFailure(`${date} ${done.runId}: ${done.error ?? done.status}`) : ctx.breaker!.recordSuccess()).catch((error) =>
      log.warn('circuit_update_failed', { event: 'circuit_update_failed', error: (error as Error).message }),
    );
  }
  return done;

  async function lockUnavailable(error: string): Promise<DateResult> {
    await alert({
      kind: 'lock_not_acquired',
      severity: 'CRITICAL',
      title: `${ctx.spec.name} of ${date} did not run: Firestore (the lock) is unavailable`,
      nextStep: 'Check Firestore (or FIRESTORE_EMULATOR_HOST); to run anyway at your own risk use --on-lock-error proceed.',
      details: { error },
    });
    return finish('lock_not_acquired', ExitCode.lockNotAcquired, error);
  }
}

async function runLocked(
  ctx: RunContext,
  result: DateResult,
  signal: AbortSignal | undefined,
  log: Logger,
  alert: (a: Omit<Alert, 'gameDate' | 'runId' | 'operation'>) => Promise<unknown>,
  phase: (p: Phase, fields?: Record<string, unknown>) => void,
  finish: (status: DateStatus, exitCode: number, error?: string, writeRow?: boolean) => Promise<DateResult>,
): Promise<DateResult> {
  const { date, runId } = result;
  try {
    await upsertRun(ctx.bigquery, ctx.target, { runId, operation: ctx.spec.name, dates: [date], lockToken: result.lockToken, status: 'running', finished: false });
  } catch (error) {
    return finish('failed', ExitCode.runFailed, `could not open the grading_runs row: ${(error as Error).message}`, false);
  }
  const assertionDataset = assertIdentifier('dataset', assertionDatasetFor(ctx.target.assertionDataset, date));
  const args = [
    'run',
    '.',
    '--tags',
    ...ctx.spec.tags,
    `--vars=game_date=${date},lookback_days=0,run_id=${runId},lock_token=${result.lockToken},operation=${ctx.spec.name}`,
    `--assertion-schema=${assertionDataset}`,
    ...dataformTargetArgs(ctx.target),
  ];
  let run: DataformResult | undefined;
  const outcome: DataformOutcome = await retryConcurrentAborts(
    { retries: ctx.concurrentAbortRetries, log, event: 'dataform_concurrent_abort_retry', signal, aborted: (o: DataformOutcome) => o.kind === 'concurrent_abort' },
    async (attempt) => {
      phase('running', { attempt, lock_token: result.lockToken });
      log.info('dataform_started', { event: 'dataform_started', attempt, lock_token: result.lockToken, pid: process.pid });
      run = await runDataform(args, { projectDir: repoRoot, target: ctx.target, signal, timeoutMs: ctx.dataformTimeoutMs });
      result.dataformAttempts = attempt;
      const classified = classifyDataformRun(run);
      log.info('dataform_finished', { event: 'dataform_finished', attempt, exit_code: run.code, outcome: classified.kind, ms: Math.round(run.durationMs) });
      return classified;
    },
  );
  if (signal?.aborted) {
    const reason = (signal.reason as Error | undefined)?.message ?? 'lease lost';
    log.error('lease_lost_run_stopped', { event: 'lease_lost', reason, dataform_exit: run!.code });
    await alert({
      kind: 'lock_lost',
      severity: 'ERROR',
      title: `${ctx.spec.name} of ${date} lost its lease mid-run and was stopped before committing (token ${result.lockToken})`,
      nextStep: 'A newer holder owns the date now and its rows stand (the fence refuses the stale token). Check why renewals failed (Firestore latency, a paused process).',
      details: { reason },
    });
    return finish('lease_lost', ExitCode.runFailed, `lease lost: ${reason}`);
  }
  if (outcome.kind === 'fence_rejected') {
    await alert({
      kind: 'run_failed',
      severity: 'ERROR',
      title: `${ctx.spec.name} of ${date}: the storage fence refused lock_token ${result.lockToken}`,
      nextStep: 'A run with a newer token already wrote the date; nothing was overwritten. Rerun with the lock if this date still needs grading.',
      details: { error: outcome.message },
    });
    return finish('fence_rejected', ExitCode.runFailed, outcome.message);
  }
  if (outcome.kind !== 'success' && outcome.kind !== 'assertion_failed') {
    await alert({
      kind: 'run_failed',
      severity: 'ERROR',
      title: `${ctx.spec.name} of ${date} failed: ${outcome.message}`.slice(0, 300),
      nextStep: 'Read grading_runs.error and the log lines of this run_id; rerun the date once fixed.',
      details: { outcome: outcome.kind, exit_code: run!.code },
    });
    return finish('failed', ExitCode.runFailed, outcome.message);
  }

  phase('validating');
  let validation: Validation;
  try {
    validation = await validateDate(ctx.bigquery, ctx.target, ctx.spec, date, runId);
  } catch (error) {
    return finish('failed', ExitCode.runFailed, `validation failed: ${(error as Error).message}`);
  }
  result.rows = validation.rows;
  result.duplicateKeys = validation.totalDuplicateKeys;
  if (outcome.kind === 'assertion_failed') {
    result.failedAssertions = await readFailedAssertions(ctx.bigquery, { ...ctx.target, assertionDataset }, outcome.failedAssertions);
  }
  if (validation.totalDuplicateKeys > 0) {
    await alert({
      kind: 'duplicates_detected',
      severity: 'ERROR',
      title: `${validation.totalDuplicateKeys} duplicate business keys on ${date} after ${ctx.spec.name}`,
      nextStep: `They are in grading_duplicate_audit (run_id ${runId}); see docs/running.md for remediation.`,
      counts: validation.duplicateKeys,
      details: { recorded_by_runner: validation.recordedByRunner },
    });
    return finish('duplicates_detected', ExitCode.duplicatesOrAssertion, `${validation.totalDuplicateKeys} duplicate business keys (${JSON.stringify(validation.duplicateKeys)})`);
  }
  if (outcome.kind === 'assertion_failed') {
    const summary = result.failedAssertions.map((a) => `${a.name} (${a.rowCount} rows)`).join(', ');
    await alert({
      kind: 'assertion_failed',
      severity: 'ERROR',
      title: `${ctx.spec.name} of ${date}: assertion failed: ${summary}`.slice(0, 300),
      nextStep: `Query the assertion views in ${assertionDataset} for the failing rows.`,
      counts: Object.fromEntries(result.failedAssertions.map((a) => [a.name, a.rowCount])),
      details: { sample: JSON.stringify(result.failedAssertions.map((a) => a.sample[0] ?? null)).slice(0, 1_000) },
    });
    return finish('assertion_failed', ExitCode.duplicatesOrAssertion, `assertion failed: ${summary}`);
  }
  if (validation.rows === 0) {
    const message = `${ctx.spec.name} of ${date} succeeded but ${ctx.spec.rowsTable} has 0 rows for the date: nothing to ${ctx.spec.name === 'grading' ? 'grade (no predictions, or no actuals loaded yet?)' : 'consolidate (nothing staged?)'}`;
    log.error('zero_rows', { event: 'zero_rows', table: ctx.spec.rowsTable });
    await alert({
      kind: 'graded_zero_rows',
      title: message,
      table: ctx.spec.rowsTable,
      nextStep: ctx.spec.name === 'grading'
        ? `Check player_prop_predictions and player_game_summary for ${date} (is it a game day? did the actuals load?), then rerun npm run grade -- --date ${date}`
        : `Check player_prop_predictions_staging for ${date}, then rerun npm run consolidate -- --date ${date}`,
    });
    // Dataform closed the grading_runs row (succeeded, rows_written 0); the exit code and the alert say the rest.
    return finish('zero_rows', ExitCode.zeroRows, message, false);
  }
  // Dataform closed the row (succeeded, rows_written); nothing more to write.
  return finish('succeeded', ExitCode.ok, undefined, false);
}

async function recordRun(ctx: RunContext, result: DateResult, log: Logger): Promise<void> {
  // zero_rows is never recorded here (Dataform closed its row as succeeded); mapped only to keep the type honest.
  const status: RunStatus = result.status === 'circuit_open' ? 'failed' : result.status === 'zero_rows' ? 'succeeded' : result.status;
  try {
    await upsertRun(ctx.bigquery, ctx.target, {
      runId: result.runId,
      operation: ctx.spec.name,
      dates: [result.date],
      lockToken: result.lockToken,
      status,
      error: result.error ?? null,
      rowsWritten: null,
      duplicateCount: result.duplicateKeys,
      finished: true,
    });
  } catch (error) {
    log.error('grading_runs_write_failed', { event: 'grading_runs_write_failed', status, error: (error as Error).message });
  }
}

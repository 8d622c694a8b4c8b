/**
 * One locked run over a batch of dates: circuit breaker, the leases of all its dates taken in date order (two batches
 * never deadlock: nobody waits for an earlier date while holding a later one), ONE `dataform run` with `date_tokens`
 * (each date fenced by its own lease's token; killed if any lease is lost), rerun on the transient errors Google
 * documents (retryable.ts, bounded), then inside the locks: runs that died holding those dates closed as `abandoned`,
 * alongside validation and audit of every date; release, and grading_runs rows for what Dataform could not record.
 */
import type { Alert } from '../alerts/index.ts';
import type { Lease } from '../lock/index.ts';
import type { Logger } from '../log/logger.ts';
import type { DataformResult } from '../warehouse/dataform-cli.ts';
import { markAbandoned, openRuns, upsertRun, type RunStatus } from '../warehouse/runs.ts';
import { assertIdentifier } from '../warehouse/target.ts';
import { readFailedAssertions } from './assertions.ts';
import { classifyDataformRun, type DataformOutcome } from './dataform-outcome.ts';
import { ExitCode } from './exit-codes.ts';
import { passGate, type Gate } from './lock-gate.ts';
import { lockTypeOf } from './operations.ts';
import { backoffMs, withRetries } from './retryable.ts';
import { newRunId, assertionDatasetFor } from './run-id.ts';
import { validateDates, type Validation } from './validate.ts';
import { RunFailedError, withLockedRun, type FinalRow } from './locked-run.ts';
import { checkCircuit, lockAlerts, type DateResult, type DateStatus, type RunContext } from './run-context.ts';

export async function runBatch(ctx: RunContext, dates: readonly string[]): Promise<DateResult[]> {
  const started = Date.now();
  const runId = newRunId(ctx.spec.runIdPrefix, dates[0]);
  const log = ctx.log.child({ run_id: runId, operation: ctx.spec.name, game_dates: dates.length === 1 ? dates[0] : `${dates[0]}..${dates.at(-1)}` });
  const results = new Map<string, DateResult>(dates.map((date) => [date, blankResult(date, runId)]));
  const alert = (a: Omit<Alert, 'runId' | 'operation'>) => ctx.alerter.send({ ...a, runId, operation: ctx.spec.name });
  const settle = (list: readonly string[], status: DateStatus, exitCode: number, error?: string) => {
    for (const date of list) {
      Object.assign(results.get(date)!, { status, exitCode, error, durationMs: Date.now() - started });
      ctx.onPhase?.(date, 'done', { status, exit_code: exitCode });
    }
  };
  const done = () => dates.map((d) => results.get(d)!);

  const circuit = await checkCircuit(ctx, dates, runId, log, alert);
  if (circuit.refusal) {
    settle(dates, 'circuit_open', ExitCode.runFailed, circuit.refusal);
    await record(ctx, log, { runId, dates, lockToken: 0, status: 'failed', error: circuit.refusal });
    return done();
  }

  // Leases in date order. A date whose lease is busy, or that Firestore could not lock, is left out of the run.
  let runnable: string[] = [];
  await withLockedRun({
    runId,
    operation: ctx.spec.name,
    bigquery: ctx.bigquery,
    target: ctx.target,
    log,
    retryPolicy: ctx.retryPolicy,
    async acquire() {
      const gates = new Map<string, Gate>();
      for (const date of dates) {
        ctx.onPhase?.(date, 'waiting_for_lock');
        try {
          gates.set(date, await passGate(ctx.lock, ctx.policy, date, runId, ctx.outage));
        } catch (error) {
          settle([date], 'failed', ExitCode.runFailed, `taking the lock failed: ${(error as Error).message}`);
        }
      }
      const leases: Lease[] = [];
      for (const [date, gate] of gates) {
        Object.assign(results.get(date)!, { lockWaitMs: gate.waitMs, lockToken: 'token' in gate ? gate.token : 0, locked: gate.kind === 'held' });
        if (gate.kind === 'held') leases.push(gate.lease);
      }
      runnable = dates.filter((d) => gates.get(d)?.kind === 'held' || gates.get(d)?.kind === 'unlocked');
      return { leases, token: Math.max(0, ...runnable.map((d) => results.get(d)!.lockToken)), gates };
    },
    // Dataform's own actions open the run's row (grading_runs.sqlx) and close it when every write succeeded.
    opensRow: false,
    row: () => ({ dates: runnable }),
    async work({ gates, leases, signal }) {
      await lockAlerts(ctx, gates, log, alert, (list, status, exitCode, error) => settle(list, status, exitCode, error));
      return runnable.length ? runLocked(ctx, runnable, runId, { leases, signal }, log, alert, results, settle) : undefined;
    },
    finish: (row) => row,
    async failed({ error }) {
      // runLocked settles and alerts the failures it names (RunFailedError); anything else failed every runnable date.
      if (!(error instanceof RunFailedError)) settle(runnable, 'failed', ExitCode.runFailed, error.message);
    },
    // Every runnable date is settled by now: the breaker learns the outcome while the leases are released.
    async alongsideRelease() {
      if (!circuit.usable || !runnable.length) return;
      const failed = runnable.filter((d) => results.get(d)!.exitCode === ExitCode.runFailed);
      await (failed.length ? ctx.breaker!.recordFailure(`${runId}: ${results.get(failed[0])!.error ?? 'failed'}`) : ctx.breaker!.recordSuccess()).catch((error) =>
        log.warn('circuit_update_failed', { event: 'circuit_update_failed', error: (error as Error).message }),
      );
    },
  });
  await recordRefusals(ctx, log, runId, done());
  return done();
}

function blankResult(date: string, runId: string): DateResult {
  return {
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
    retryReasons: [],
    durationMs: 0,
  };
}

/**
 * The batch's Dataform run and validation, under its leases. Returns the row the runner writes when Dataform's own
 * closing of it does not tell the whole story (duplicates, a failed assertion); throws a RunFailedError (settled and
 * alerted) when the run failed.
 */
async function runLocked(
  ctx: RunContext,
  dates: readonly string[],
  runId: string,
  held: { leases: readonly Lease[]; signal: AbortSignal },
  log: Logger,
  alert: (a: Omit<Alert, 'runId' | 'operation'>) => Promise<unknown>,
  results: Map<string, DateResult>,
  settle: (list: readonly string[], status: DateStatus, exitCode: number, error?: string) => void,
): Promise<FinalRow | undefined> {
  const tokens = dates.map((d) => ({ date: d, token: results.get(d)!.lockToken }));
  // A run without a lease (--no-lock) passes no signal: nothing can abort it, and an executor adds no listener.
  const { leases, signal } = held;
  // Holding these dates' leases proves any other run under the same lock still `running` on them (of the operation,
  // or a repair) stopped (killed, or frozen past its lease): its row is closed while the lease is held, after the `dataform run` and alongside the
  // validation — off the path to the run, and never at once with the run's own grading_runs writes.
  let closing: Promise<void> = Promise.resolve();
  const fail = async (status: RunFailedError['status'] & DateStatus, error: string): Promise<never> => {
    settle(dates, status, ExitCode.runFailed, error);
    await closing;
    throw new RunFailedError(status, error);
  };

  const assertionDataset = assertIdentifier('dataset', assertionDatasetFor(ctx.target.assertionDataset, dates[0], ctx.spec.lockType));
  const vars = { date_tokens: tokens.map((t) => `${t.date}:${t.token}`).join('+'), run_id: runId, operation: ctx.spec.name };
  let run: DataformResult | undefined;
  let outcome: DataformOutcome | undefined;
  const retryReasons: string[] = [];
  for (let attempt = 1; attempt <= 1 + ctx.retryPolicy.retries; attempt++) {
    for (const d of dates) ctx.onPhase?.(d, 'running', { attempt, lock_token: results.get(d)!.lockToken });
    log.info('dataform_started', { event: 'dataform_started', attempt, dates: dates.length, lock_token: Math.max(...tokens.map((t) => t.token)), pid: process.pid });
    run = await ctx.executor
      .run({ vars, tags: ctx.spec.tags, assertionDataset, signal: leases.length ? signal : undefined, timeoutMs: ctx.dataformTimeoutMs })
      // An executor that cannot reach Dataform (API errors, the CLI not starting) fails the run, not the command.
      .catch((error: Error): DataformResult => {
        log.error('dataform_executor_error', { event: 'dataform_executor_error', attempt, error: error.message });
        return { code: 1, stdout: '', stderr: `dataform executor error: ${error.message}`, durationMs: 0 };
      });
    outcome = classifyDataformRun(run);
    for (const d of dates) results.get(d)!.dataformAttempts = attempt;
    log.info('dataform_finished', { event: 'dataform_finished', attempt, exit_code: run.code, outcome: outcome.kind, ms: Math.round(run.durationMs) });
    if (signal.aborted || outcome.kind !== 'retryable' || attempt > ctx.retryPolicy.retries) break;
    retryReasons.push(outcome.retryReason!);
    const wait = backoffMs(ctx.retryPolicy, attempt);
    log.warn('dataform_retry', { event: 'dataform_retry', attempt, reason: outcome.retryReason, error: outcome.message, backoff_ms: wait });
    await new Promise((r) => setTimeout(r, wait));
  }
  for (const d of dates) results.get(d)!.retryReasons = [...retryReasons];
  if (leases.length)
    closing = closeAbandoned(
      ctx,
      log,
      dates.filter((d) => results.get(d)!.locked),
      runId,
    );

  if (signal.aborted) {
    const reason = (signal.reason as Error | undefined)?.message ?? 'lease lost';
    log.error('lease_lost_run_stopped', { event: 'lease_lost', reason, dataform_exit: run!.code });
    await alert({
      kind: 'lock_lost',
      severity: 'ERROR',
      gameDate: dates[0],
      title: `${ctx.spec.name} of ${describe(dates)} lost a lease mid-run and was stopped before committing`,
      nextStep: 'A newer holder owns that date now and its rows stand (the fence refuses the stale token). Check why renewals failed (Firestore latency, a paused process); rerun the dates.',
      details: { reason },
    });
    return fail('lease_lost', `lease lost: ${reason}`);
  }
  if (outcome!.kind === 'fence_rejected') {
    await alert({
      kind: 'run_failed',
      severity: 'ERROR',
      gameDate: dates[0],
      title: `${ctx.spec.name} of ${describe(dates)}: the storage fence refused the run's tokens`,
      nextStep: 'A run with a newer token already wrote a date; nothing was overwritten. Rerun with the lock if the dates still need grading.',
      details: { error: outcome!.message },
    });
    return fail('fence_rejected', outcome!.message);
  }
  if (outcome!.kind !== 'success' && outcome!.kind !== 'assertion_failed') {
    const gaveUp = outcome!.kind === 'retryable' ? ` (still failing after ${results.get(dates[0])!.dataformAttempts} attempts)` : '';
    await alert({
      kind: 'run_failed',
      severity: 'ERROR',
      gameDate: dates[0],
      title: `${ctx.spec.name} of ${describe(dates)} failed${gaveUp}: ${outcome!.message}`.slice(0, 300),
      nextStep: 'Read grading_runs.error and the log lines of this run_id; rerun the dates once fixed.',
      details: { outcome: outcome!.kind, exit_code: run!.code },
    });
    return fail('failed', outcome!.message + gaveUp);
  }

  for (const d of dates) ctx.onPhase?.(d, 'validating');
  let validation: Map<string, Validation>;
  try {
    [validation] = await Promise.all([withRetries(() => validateDates(ctx.bigquery, ctx.target, ctx.spec, dates, runId), ctx.retryPolicy), closing]);
  } catch (error) {
    return fail('failed', `validation failed: ${(error as Error).message}`);
  }
  for (const d of dates) Object.assign(results.get(d)!, { rows: validation.get(d)!.rows, duplicateKeys: validation.get(d)!.totalDuplicateKeys });
  const failedAssertions = outcome!.kind === 'assertion_failed' ? await readFailedAssertions(ctx.bigquery, { ...ctx.target, assertionDataset }, outcome!.failedAssertions) : [];
  const duplicated = dates.filter((d) => validation.get(d)!.totalDuplicateKeys > 0);
  const clean = dates.filter((d) => !duplicated.includes(d));
  const totalDuplicates = duplicated.reduce((sum, d) => sum + validation.get(d)!.totalDuplicateKeys, 0);
  const duplicatesRow: FinalRow | undefined = duplicated.length
    ? { status: 'duplicates_detected', duplicateCount: totalDuplicates, error: `${totalDuplicates} duplicate business keys on ${duplicated.join(', ')}` }
    : undefined;
  if (duplicated.length) {
    for (const d of duplicated) {
      const v = validation.get(d)!;
      await alert({
        kind: 'duplicates_detected',
        severity: 'ERROR',
        gameDate: d,
        title: `${v.totalDuplicateKeys} duplicate business keys on ${d} after ${ctx.spec.name}`,
        nextStep: `They are in grading_duplicate_audit (run_id ${runId}); see docs/running.md for remediation.`,
        counts: v.duplicateKeys,
        details: { recorded_by_runner: v.recordedByRunner },
      });
      settle([d], 'duplicates_detected', ExitCode.duplicatesOrAssertion, `${v.totalDuplicateKeys} duplicate business keys (${JSON.stringify(v.duplicateKeys)})`);
    }
  }
  if (outcome!.kind === 'assertion_failed') {
    // Blame the dates of the failing rows; an assertion whose rows carry no game_date blames every date of the run.
    const blamed = failedAssertions.some((a) => !a.dates) ? clean : clean.filter((d) => failedAssertions.some((a) => a.dates!.includes(d)));
    const summary = failedAssertions.map((a) => `${a.name} (${a.rowCount} rows)`).join(', ');
    for (const d of blamed) results.get(d)!.failedAssertions = failedAssertions;
    settle(
      clean.filter((d) => !blamed.includes(d)),
      'succeeded',
      ExitCode.ok,
    );
    await alert({
      kind: 'assertion_failed',
      severity: 'ERROR',
      gameDate: blamed[0] ?? dates[0],
      title: `${ctx.spec.name} of ${describe(blamed.length ? blamed : dates)}: assertion failed: ${summary}`.slice(0, 300),
      nextStep: `Query the assertion views in ${assertionDataset} for the failing rows.`,
      counts: Object.fromEntries(failedAssertions.map((a) => [a.name, a.rowCount])),
      details: { sample: JSON.stringify(failedAssertions.map((a) => a.sample[0] ?? null)).slice(0, 1_000) },
    });
    settle(blamed, 'assertion_failed', ExitCode.duplicatesOrAssertion, `assertion failed: ${summary}`);
    return duplicatesRow ?? { status: 'assertion_failed', error: `assertion failed: ${summary}` };
  }
  // Dataform closed the run's row (succeeded, rows_written): nothing more to write. A date that wrote 0 rows is not
  // reported as success (exit 8, alert), whatever its run's row says.
  const empty = clean.filter((d) => validation.get(d)!.rows === 0);
  for (const d of empty) {
    const message = `${ctx.spec.name} of ${d} succeeded but ${ctx.spec.rowsTable} has 0 rows for the date: nothing to ${ctx.spec.name === 'grading' ? 'grade (no predictions, or no actuals loaded yet?)' : 'consolidate (nothing staged?)'}`;
    log.error('zero_rows', { event: 'zero_rows', game_date: d, table: ctx.spec.rowsTable });
    await alert({
      kind: 'graded_zero_rows',
      gameDate: d,
      title: message,
      table: ctx.spec.rowsTable,
      nextStep:
        ctx.spec.name === 'grading'
          ? `Check player_prop_predictions and player_game_summary for ${d} (is it a game day? did the actuals load?), then rerun npm run grade -- --date ${d}`
          : `Check player_prop_predictions_staging for ${d}, then rerun npm run consolidate -- --date ${d}`,
    });
    settle([d], 'zero_rows', ExitCode.zeroRows, message);
  }
  settle(
    clean.filter((d) => !empty.includes(d)),
    'succeeded',
    ExitCode.ok,
  );
  return duplicatesRow;
}

const describe = (dates: readonly string[]) => (dates.length === 1 ? dates[0] : `${dates.length} dates ${dates[0]}..${dates.at(-1)}`);

async function closeAbandoned(ctx: RunContext, log: Logger, heldDates: readonly string[], runId: string): Promise<void> {
  try {
    // Any run holding this lock type on these dates: the runner's own operation, and the repairs (remediate, the
    // cleanup, restore) that hold the grading lock of the dates they touch.
    const open = await withRetries(() => openRuns(ctx.bigquery, ctx.target, { dates: heldDates, exceptRunId: runId }), ctx.retryPolicy);
    const stale = open.filter((r) => lockTypeOf(r.operation) === ctx.spec.lockType);
    if (!stale.length) return;
    const closed = await withRetries(
      () =>
        markAbandoned(
          ctx.bigquery,
          ctx.target,
          stale.map((r) => r.runId),
          `abandoned: its lease ended without a final status; ${runId} holds the lock of its dates now`,
        ),
      ctx.retryPolicy,
    );
    log.warn('runs_abandoned_closed', { event: 'runs_abandoned_closed', closed, run_ids: stale.map((r) => r.runId).join(',') });
  } catch (error) {
    log.warn('runs_abandoned_check_failed', { event: 'runs_abandoned_check_failed', error: (error as Error).message });
  }
}

/** Dates refused before running (skipped, lock not acquired, lock error): one grading_runs row per status. */
async function recordRefusals(ctx: RunContext, log: Logger, runId: string, results: readonly DateResult[]): Promise<void> {
  const refused = results.filter((r) => r.dataformAttempts === 0 && ['skipped', 'lock_not_acquired', 'failed'].includes(r.status));
  for (const status of new Set(refused.map((r) => r.status as RunStatus))) {
    const group = refused.filter((r) => r.status === status);
    const id = `${runId}-${status}`;
    for (const r of group) r.runId = id;
    await record(ctx, log, { runId: id, dates: group.map((r) => r.date), lockToken: 0, status, error: group[0].error ?? null });
  }
}

async function record(
  ctx: RunContext,
  log: Logger,
  row: { runId: string; dates: readonly string[]; lockToken: number; status: RunStatus; error?: string | null; duplicateCount?: number | null },
): Promise<void> {
  try {
    await withRetries(() => upsertRun(ctx.bigquery, ctx.target, { ...row, operation: ctx.spec.name, rowsWritten: null, duplicateCount: row.duplicateCount ?? null, finished: true }), ctx.retryPolicy);
  } catch (error) {
    log.error('grading_runs_write_failed', { event: 'grading_runs_write_failed', status: row.status, error: (error as Error).message });
  }
}

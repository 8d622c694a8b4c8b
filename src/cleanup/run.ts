/**
 * `cleanup run` and `cleanup resume`: locks, then backup → audit → dedupe → verify → swap → verify live → recompute,
 * each step recorded before and after in the state document. Any failed verification before the swap stops the
 * cleanup with the original untouched; `resume` continues a cleanup that crashed or stopped, from its first unfinished step.
 */
import { randomUUID } from 'node:crypto';
import { firestoreLibrary } from '../cloud/libraries.ts';
import { UsageError } from '../runner/exit-codes.ts';
import { upsertRun, type RunStatus } from '../warehouse/runs.ts';
import { VerificationError, resolveTable, type CleanupContext, type KeyedTableInfo } from './context.ts';
import { pausePoint } from './hooks.ts';
import { withLockedRun } from '../runner/locked-run.ts';
import { acquireCleanupLocks, type CleanupLocks, type LockSettings } from './locks.ts';
import { missingDeployedObjects, notDeployedMessage } from '../runner/deploy.ts';
import { DependencyUnavailableError } from '../warehouse/probe.ts';
import { planCleanup, refuseCollisions } from './plan.ts';
import { equalApartFromLaterWrites } from './later-writes.ts';
import { profileTable, tableDates } from './profile.ts';
import { recomputeDates, recomputeInBatches, REPORTED_TABLES } from './recompute.ts';
import { buildReport, type CleanupReport } from './report.ts';
import { CleanupStateStore, FINISHED, StateConflictError } from './state.ts';
import { auditStep, backupStep, dedupeStep, swapStep, verifyLiveStep, verifyStep, type StepInput } from './steps.ts';
import { STEPS, type CleanupState, type KeepRule, type StepName, type TableProfile } from './types.ts';

export interface RunOptions {
  table: string;
  keep: KeepRule;
  backup?: string;
  resume: boolean;
  locks: LockSettings;
  now?: Date;
}

const union = (...lists: string[][]) => [...new Set(lists.flat())].sort();

async function newState(ctx: CleanupContext, info: KeyedTableInfo, options: RunOptions, now: Date): Promise<CleanupState> {
  const plan = await planCleanup(ctx, { table: info.table, keep: options.keep, backup: options.backup, now, info });
  refuseCollisions(plan);
  // The recompute reads the deployed views: refuse before the first step rather than fail after the swap.
  const undeployed = plan.recomputeDates.length ? await missingDeployedObjects(ctx.bigquery, ctx.target) : [];
  if (undeployed.length) throw new DependencyUnavailableError(`Cannot start: ${notDeployedMessage(ctx.target, undeployed)}`);
  const at = now.toISOString();
  return {
    cleanupId: `cleanup-${info.table}-${at.replace(/[-:]/g, '').slice(0, 15)}-${randomUUID().slice(0, 6)}`,
    dataset: ctx.target.dataset,
    table: info.table,
    keep: options.keep,
    backup: plan.backup,
    deduped: plan.deduped,
    status: 'running',
    lockedDates: plan.dates.map((d) => d.date).filter((d): d is string => d !== null),
    affectedDates: plan.affectedDates,
    recomputeDates: plan.recomputeDates,
    recomputed: [],
    original: plan.original,
    shape: info.shape,
    steps: {},
    checks: [],
    error: null,
    createdAt: at,
    updatedAt: at,
  };
}

export async function runCleanup(ctx: CleanupContext, options: RunOptions): Promise<CleanupReport> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const store = new CleanupStateStore(ctx.firestore);
  const info = await resolveTable(ctx, options.table);
  const existing = await store.read(ctx.target.dataset, info.table);
  let state: CleanupState;
  if (!options.resume) {
    if (existing && !FINISHED.has(existing.status)) {
      const step = STEPS.find((s) => existing.steps[s]?.status !== 'done') ?? 'finish';
      throw new UsageError(`A half-done cleanup of ${info.table} exists (${existing.cleanupId}, ${existing.status}, next step ${step}); continue it with: cleanup resume --table ${info.table} --confirm`);
    }
    state = await newState(ctx, info, options, now);
  } else {
    if (!existing || FINISHED.has(existing.status)) throw new UsageError(`No unfinished cleanup of ${info.table} to resume`);
    state = existing;
    state.recomputed ??= [];
    info.shape = state.shape;
  }
  if (!options.resume) await pausePoint('planned', 'done');
  // A resume also locks dates that grading added while the cleanup was down: the swap rewrites them too.
  const current = options.resume ? await tableDates(ctx.bigquery, ctx.target, state.table, info.key) : [];

  let held: CleanupLocks | undefined;
  const stopped = (error: Error) => {
    ctx.progress.fail(error.message);
    ctx.progress.finish();
    return error;
  };
  const end = await withLockedRun({
    runId: state.cleanupId,
    operation: 'cleanup',
    bigquery: ctx.bigquery,
    target: ctx.target,
    log: ctx.log,
    async acquire() {
      const locks = await lockAndRead(ctx, info, state, options, current);
      // The state document is claimed under the locks: of two cleanups of one table, the second is refused here.
      try {
        // A resume writes back the figures it read: a document of the code before the renamed sums gets the new names.
        if (options.resume) await store.update(state.dataset, state.table, state.cleanupId, { status: 'running', error: null, original: state.original, steps: state.steps });
        else await store.begin(state);
      } catch (error) {
        await locks.release();
        throw error instanceof StateConflictError ? new UsageError(error.message) : error;
      }
      return (held = locks);
    },
    opensRow: true,
    row: (status) => ({
      dates: state.lockedDates,
      duplicateCount: state.original.duplicateKeys,
      rowsWritten: status === 'succeeded' ? ((state.steps.verify?.figures as { rowsKept?: number } | undefined)?.rowsKept ?? null) : null,
    }),
    work: (locks) => cleanUnderLocks(ctx, info, state, store, locks, options.resume),
    finish: () => ({ status: 'succeeded' }),
    failed: ({ error }) => recordFailure(ctx, state, store, held!, error),
  }).catch((error: Error) => {
    throw stopped(error);
  });
  if (end.outcome !== 'done') throw stopped(end.error);
  ctx.progress.finish();
  const report = buildReport(state, { elapsedMs: Date.now() - started, scans: ctx.scans });
  await ctx.alerter.send({
    kind: 'cleanup_finished',
    severity: 'WARNING',
    title: `Cleanup of ${state.table} finished: ${report.before.rows} rows -> ${report.after.rows} (${report.removed} duplicates removed)`,
    nextStep: `Backup kept in ${state.dataset}.${state.backup}; restore with: cleanup restore --backup ${state.backup} --confirm`,
    table: state.table,
    runId: state.cleanupId,
    operation: 'cleanup',
    counts: { rows_before: report.before.rows, rows_after: report.after.rows, removed: report.removed, dates: state.affectedDates.length },
  });
  return report;
}

/** The steps, each recorded before and after (state document and its grading_runs row), under the held locks. */
async function cleanUnderLocks(ctx: CleanupContext, info: KeyedTableInfo, state: CleanupState, store: CleanupStateStore, locks: CleanupLocks, resume: boolean): Promise<void> {
  await pausePoint('locked', 'done');
  if (resume && state.steps.swap?.status !== 'done') await restartIfOriginalChanged(ctx, info, state, store, locks);
  const input: StepInput = { ctx, info, state, signal: locks.signal, leases: locks.grading, store };
  const step = async (name: StepName, work: (resuming: boolean) => Promise<Record<string, unknown>>) => {
    const previous = state.steps[name];
    if (previous?.status === 'done' || previous?.status === 'skipped') return;
    ctx.progress.step(name, STEPS.indexOf(name) + 1, STEPS.length);
    const startedAt = previous?.startedAt ?? new Date().toISOString();
    await store.step(state, name, { status: 'started', startedAt });
    await stepRun(ctx, state, locks, name, 'running', null);
    await pausePoint(name, 'start');
    const figures = await work(previous?.status === 'started');
    await pausePoint(name, 'done');
    await store.step(state, name, { status: 'done', startedAt, finishedAt: new Date().toISOString(), figures });
    await store.update(state.dataset, state.table, state.cleanupId, { checks: state.checks });
    await stepRun(ctx, state, locks, name, 'succeeded', null);
    ctx.log.info(`cleanup step ${name} done`, { cleanup_id: state.cleanupId, step: name, figures: { ...figures, deduped: undefined } });
  };
  await step('backup', () => backupStep(input));
  await step('audit_duplicates', () => auditStep(input));
  await step('dedupe', () => dedupeStep(input));
  await step('verify', () => verifyStep(input));
  await step('swap', (resuming) => swapStep(input, resuming));
  await step('verify_live', () => verifyLiveStep(input, state.shape));
  await step('recompute', () => recomputeStep(ctx, state, store, locks));
  state.status = 'done';
  await store.update(state.dataset, state.table, state.cleanupId, { status: 'done', checks: state.checks });
}

/** Attempts at locking every date a new run needs when grading keeps adding dates between its read and its locks. */
const LOCK_ATTEMPTS = 3;

/**
 * The locks of every date the cleanup rewrites or recomputes. A new run was planned from a read taken before it held
 * them, and a grade may have re-written or added a date in between: the table is read again under the locks (one
 * light scan; a full profile only if it changed), and the cleanup works from that read. If it needs dates not locked
 * yet, the locks are released and taken again with them (in order: dates ascending, so no deadlock).
 */
async function lockAndRead(ctx: CleanupContext, info: KeyedTableInfo, state: CleanupState, options: RunOptions, current: string[]): Promise<CleanupLocks> {
  for (let attempt = 1; ; attempt++) {
    const lockDates = union(state.lockedDates, state.recomputeDates, current);
    ctx.progress.locks(lockDates.length);
    const locks = await acquireCleanupLocks(ctx.firestore, { scope: `${state.dataset}.${state.table}`, dates: lockDates, cleanupId: state.cleanupId, resume: options.resume }, options.locks, ctx.log);
    if (options.resume) return locks;
    const covered = await readUnderLocks(ctx, info, state, locks).catch(async (error: Error) => {
      await locks.release();
      throw error;
    });
    if (covered) return locks;
    await locks.release();
    if (attempt >= LOCK_ATTEMPTS) throw new Error(`${state.table} gained dates each time the cleanup took its locks (${LOCK_ATTEMPTS} attempts); nothing changed, run it again`);
  }
}

/** The table read under the locks; the plan's figures replaced if it changed. True when every date it needs is locked. */
async function readUnderLocks(ctx: CleanupContext, info: KeyedTableInfo, state: CleanupState, locks: CleanupLocks): Promise<boolean> {
  const light = await profileTable(ctx.bigquery, ctx.target, state.table, info.key, info.shape.columns, ctx.counter, { contents: false });
  if (light.checksum !== state.original.checksum || light.keyChecksum !== state.original.keyChecksum) {
    const now = await profileTable(ctx.bigquery, ctx.target, state.table, info.key, info.shape.columns, ctx.counter);
    ctx.log.warn("The table changed between the cleanup's first read and its locks: it works from the read under its locks", {
      cleanup_id: state.cleanupId,
      rows_before: state.original.rows,
      rows_now: now.rows,
    });
    state.original = now;
    state.lockedDates = now.dates.map((d) => d.date).filter((d): d is string => d !== null);
    state.affectedDates = now.dates.filter((d) => d.rows > d.uniqueKeys && d.date).map((d) => d.date as string);
    state.recomputeDates = await recomputeDates(ctx.bigquery, ctx.target, state.table, state.affectedDates);
  }
  return union(state.lockedDates, state.recomputeDates).every((date) => locks.grading.has(date));
}

/**
 * Before the swap the cleanup's copies must still describe the original. If a write reached it while the cleanup was
 * down (its locks expired), the backup and the deduped table are stale: they are dropped and the cleanup starts over.
 */
async function restartIfOriginalChanged(ctx: CleanupContext, info: KeyedTableInfo, state: CleanupState, store: CleanupStateStore, locks: CleanupLocks): Promise<void> {
  if (!state.steps.backup) return;
  const now = await profileTable(ctx.bigquery, ctx.target, state.table, info.key, info.shape.columns, ctx.counter);
  if (now.checksum === state.original.checksum) return;
  if (state.steps.swap?.status === 'started') {
    // Killed after the swap's transaction but before it was recorded: the live table is our verified deduped copy, not
    // a foreign write; the swap step sees it and finishes. The swap's write is one transaction: if it did not commit
    // (killed before it, or refused by the fence after the leases ran out), the live table is the original apart from
    // dates later fenced writes rewrote, and the cleanup starts over below like any cleanup whose original changed.
    // Anything else after a swap began is not ours to undo, and the backup is then the only copy of the original: stop
    // and keep everything.
    const deduped = state.steps.verify?.figures?.deduped as TableProfile | undefined;
    if (deduped && (await equalApartFromLaterWrites(ctx, info, 'live', deduped, now, state.swapTokens ?? {})).check.ok) return;
    if (!(await equalApartFromLaterWrites(ctx, info, 'live', state.original, now, state.swapTokens ?? {})).check.ok) {
      throw new Error(
        `${state.table} is neither the original nor the verified deduped copy after the swap started (a write while the cleanup was down?); nothing dropped: check it, then cleanup restore --backup ${state.backup} --confirm`,
      );
    }
  }
  const newDates = now.dates.map((d) => d.date).filter((d): d is string => d !== null && !locks.grading.has(d));
  if (newDates.length > 0) throw new Error(`${state.table} gained dates ${newDates.join(', ')} just now, after the resume locked its dates; resume again`);
  // The audit is append-only: this attempt records its duplicate keys under a run_id of its own.
  const auditRunId = `${state.cleanupId}.restart${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 18)}`;
  ctx.log.warn('The original changed while the cleanup was down: dropping its stale copies and starting over', { cleanup_id: state.cleanupId, audit_run_id: auditRunId });
  for (const table of [state.backup, state.deduped])
    await ctx.bigquery
      .dataset(state.dataset)
      .table(table)
      .delete()
      .catch(() => undefined);
  state.original = now;
  state.auditRunId = auditRunId;
  state.lockedDates = union(
    state.lockedDates,
    now.dates.map((d) => d.date).filter((d): d is string => d !== null),
  );
  state.affectedDates = now.dates.filter((d) => d.rows > d.uniqueKeys && d.date).map((d) => d.date as string);
  state.steps = {};
  state.recomputed = [];
  const recompute = await recomputeDates(ctx.bigquery, ctx.target, state.table, state.affectedDates);
  const unlocked = recompute.filter((d) => !locks.grading.has(d));
  if (unlocked.length > 0) throw new Error(`Dates ${unlocked.join(', ')} now need recomputing but are not locked; resume again`);
  state.recomputeDates = recompute;
  await store.update(state.dataset, state.table, state.cleanupId, {
    original: now,
    auditRunId,
    lockedDates: state.lockedDates,
    affectedDates: state.affectedDates,
    recomputeDates: recompute,
    steps: {},
    recomputed: [],
  });
}

async function recomputeStep(ctx: CleanupContext, state: CleanupState, store: CleanupStateStore, locks: CleanupLocks): Promise<Record<string, unknown>> {
  if (!REPORTED_TABLES.has(state.table)) return { skipped: `no reporting table is built from ${state.table}` };
  await recomputeInBatches(ctx, {
    dates: state.recomputeDates.filter((date) => !state.recomputed.includes(date)),
    leases: locks.grading,
    runIdPrefix: state.cleanupId,
    signal: locks.signal,
    onBatch: async (batch) => {
      state.recomputed.push(...batch);
      ctx.progress.rows(state.recomputed.length);
      await store.update(state.dataset, state.table, state.cleanupId, { recomputed: state.recomputed });
    },
  });
  return { dates: state.recomputed.length };
}

/** One grading_runs row per step (run_id `<cleanup id>.<step>`, operation `cleanup.<step>`). */
async function stepRun(ctx: CleanupContext, state: CleanupState, locks: CleanupLocks, step: StepName, status: RunStatus, error: string | null): Promise<void> {
  await upsertRun(ctx.bigquery, ctx.target, {
    runId: `${state.cleanupId}.${step}`,
    operation: `cleanup.${step}`,
    // grading_runs asserts every row names a date: a cleanup with nothing to recompute records the dates it locked.
    dates: step === 'recompute' && state.recomputeDates.length > 0 ? state.recomputeDates : state.lockedDates,
    lockToken: locks.cleanup.token,
    status,
    error,
    finished: status !== 'running',
  });
}

/** After the skeleton's `failed` row: the state document says where it stopped, the failed step its row, and an alert. */
async function recordFailure(ctx: CleanupContext, state: CleanupState, store: CleanupStateStore, locks: CleanupLocks, error: Error): Promise<void> {
  const swapped = state.steps.swap?.status === 'done';
  const status = error instanceof VerificationError && !swapped ? 'stopped' : 'failed';
  const failedStep = STEPS.find((s) => state.steps[s]?.status === 'started');
  const patch: Record<string, unknown> = { status, error: error.message.slice(0, 4_000), checks: state.checks };
  // A failed verification invalidates what it verified: resume takes that copy again instead of re-checking it.
  if (error instanceof VerificationError && failedStep === 'verify') Object.assign(patch, { 'steps.dedupe': firestoreLibrary().FieldValue.delete(), 'steps.verify': firestoreLibrary().FieldValue.delete() });
  if (error instanceof VerificationError && failedStep === 'backup') patch['steps.backup'] = firestoreLibrary().FieldValue.delete();
  await store.update(state.dataset, state.table, state.cleanupId, patch).catch((e) => ctx.log.error('Could not record the cleanup failure', { error: (e as Error).message }));
  if (failedStep) await stepRun(ctx, state, locks, failedStep, 'failed', error.message).catch(() => undefined);
  await ctx.alerter.send({
    kind: 'cleanup_failed',
    severity: 'CRITICAL',
    title: `Cleanup of ${state.table} ${status} at step ${failedStep ?? 'start'}: ${error.message.slice(0, 300)}`,
    nextStep: swapped
      ? `The table was swapped; check it, then cleanup resume --table ${state.table} --confirm, or cleanup restore --backup ${state.backup} --confirm`
      : `The original is untouched. Fix the cause, then cleanup resume --table ${state.table} --confirm`,
    table: state.table,
    runId: state.cleanupId,
    operation: 'cleanup',
    details: { status, step: failedStep ?? null, swapped },
  });
}

/**
 * `cleanup restore --backup <name>`: the backup copied back over the table in one copy job (RESTORE from a snapshot,
 * WRITE_TRUNCATE: the table is never missing), under the same locks as a cleanup, then verified like a backup: same rows
 * and content checksum per date, same schema. A backup that no longer matches what its cleanup recorded is refused.
 */
import { randomUUID } from 'node:crypto';
import { UsageError } from '../runner/exit-codes.ts';
import { keyedTable } from '../warehouse/duplicates.ts';
import { upsertRun } from '../warehouse/runs.ts';
import { assertIdentifier } from '../warehouse/target.ts';
import { VerificationError, resolveTable, type CleanupContext, type KeyedTableInfo } from './context.ts';
import { acquireCleanupLocks, type LockSettings } from './locks.ts';
import { profileTable, sameContent } from './profile.ts';
import { recomputeDates, recomputeInBatches, REPORTED_TABLES } from './recompute.ts';
import { CleanupStateStore } from './state.ts';
import { sameShape, tableShape } from './table-meta.ts';
import type { Check } from './types.ts';

export interface RestoreReport {
  restoreId: string;
  table: string;
  backup: string;
  rowsBefore: number;
  rowsAfter: number;
  checksum: string;
  recomputedDates: string[];
  checks: Check[];
  scans: number;
  elapsedMs: number;
}

export function tableOfBackup(backup: string): string {
  const match = /^(.+)_backup_\d{8}$/.exec(backup);
  if (!match) throw new UsageError(`Cannot tell the table of backup ${backup}: name it <table>_backup_<YYYYMMDD> or pass --table`);
  return match[1];
}

export async function restoreBackup(ctx: CleanupContext, input: { backup: string; table?: string; locks: LockSettings }): Promise<RestoreReport> {
  const started = Date.now();
  const backup = assertIdentifier('backup', input.backup);
  const table = assertIdentifier('table', input.table ?? tableOfBackup(backup));
  const backupShape = await tableShape(ctx.bigquery, ctx.target, backup);
  if (!backupShape) throw new UsageError(`Unknown backup ${ctx.target.dataset}.${backup}`);
  let info: KeyedTableInfo;
  if (await tableShape(ctx.bigquery, ctx.target, table)) info = await resolveTable(ctx, table);
  else {
    // The table itself may be gone (the seed's DROP + RENAME gap): restoring is exactly what is needed then.
    try {
      info = { table, key: keyedTable(table), shape: backupShape };
    } catch {
      throw new UsageError(`Table ${table} has no business key declared in includes/business_keys.js`);
    }
  }
  const store = new CleanupStateStore(ctx.firestore);
  const state = await store.read(ctx.target.dataset, table);
  const backupProfile = await profileTable(ctx.bigquery, ctx.target, backup, info.key, backupShape.columns, ctx.counter);
  const checks: Check[] = [];
  if (state?.backup === backup) {
    const recorded = sameContent('backup still equals the original it was taken of', state.original, backupProfile);
    checks.push(recorded);
    if (!recorded.ok) throw new VerificationError(`Backup ${backup} does not match what cleanup ${state.cleanupId} recorded; not restoring: ${recorded.detail}`);
  }
  const liveBefore = info.shape === backupShape ? undefined : await profileTable(ctx.bigquery, ctx.target, table, info.key, info.shape.columns, ctx.counter);
  const affected = backupProfile.dates.filter((d) => d.rows > d.uniqueKeys && d.date).map((d) => d.date as string);
  const recompute = await recomputeDates(ctx.bigquery, ctx.target, table, affected);
  const dates = [...new Set([...backupProfile.dates, ...(liveBefore?.dates ?? [])].map((d) => d.date).filter((d): d is string => d !== null)), ...recompute];
  const restoreId = `restore-${table}-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomUUID().slice(0, 6)}`;
  const locks = await acquireCleanupLocks(ctx.firestore, { scope: `${ctx.target.dataset}.${table}`, dates: [...new Set(dates)], cleanupId: restoreId, resume: false }, input.locks, ctx.log);
  const run = (status: 'running' | 'succeeded' | 'failed', error: string | null) =>
    upsertRun(ctx.bigquery, ctx.target, { runId: restoreId, operation: 'cleanup.restore', dates: [...new Set(dates)].sort(), lockToken: locks.cleanup.token, status, error, finished: status !== 'running' });
  try {
    await run('running', null);
    if (locks.signal.aborted) throw locks.signal.reason;
    const dataset = ctx.bigquery.dataset(ctx.target.dataset);
    await dataset.table(backup).copy(dataset.table(table), {
      operationType: backupShape.type === 'SNAPSHOT' ? 'RESTORE' : 'COPY',
      writeDisposition: 'WRITE_TRUNCATE',
      createDisposition: 'CREATE_IF_NEEDED',
    } as never);
    ctx.scans.push(`restore copy ${backup}`);
    const live = await profileTable(ctx.bigquery, ctx.target, table, info.key, info.shape.columns, ctx.counter);
    const liveShape = (await tableShape(ctx.bigquery, ctx.target, table))!;
    const after = [sameContent('restored table equals backup', backupProfile, live), sameShape('restored schema', state?.shape ?? info.shape, liveShape)];
    checks.push(...after);
    const failed = after.filter((c) => !c.ok);
    if (failed.length > 0) throw new VerificationError(`restore verification failed: ${failed.map((c) => `${c.name}: ${c.detail}`).join('; ')}`);
    if (state?.backup === backup) await store.update(state.dataset, state.table, state.cleanupId, { status: 'restored', error: null });
    const recomputed: string[] = [];
    if (REPORTED_TABLES.has(table)) {
      await recomputeInBatches(ctx.target, {
        dates: recompute,
        leases: locks.grading,
        runIdPrefix: restoreId,
        signal: locks.signal,
        onBatch: async (batch) => void recomputed.push(...batch),
      });
    }
    await run('succeeded', null);
    await ctx.alerter.send({
      kind: 'cleanup_finished',
      severity: 'WARNING',
      title: `Restored ${table} from ${backup}: ${live.rows} rows`,
      nextStep: 'Check the table; the duplicates the backup holds are back (cleanup plan shows them)',
      table,
      runId: restoreId,
      operation: 'cleanup.restore',
      counts: { rows_before: liveBefore?.rows ?? 0, rows_after: live.rows, recomputed_dates: recomputed.length },
    });
    return {
      restoreId, table: `${ctx.target.dataset}.${table}`, backup: `${ctx.target.dataset}.${backup}`,
      rowsBefore: liveBefore?.rows ?? 0, rowsAfter: live.rows, checksum: live.checksum, recomputedDates: recomputed, checks,
      scans: ctx.scans.length, elapsedMs: Date.now() - started,
    };
  } catch (error) {
    await run('failed', (error as Error).message).catch(() => undefined);
    await ctx.alerter.send({
      kind: 'cleanup_failed', severity: 'CRITICAL', title: `Restore of ${table} from ${backup} failed: ${(error as Error).message.slice(0, 300)}`,
      nextStep: `The copy job is atomic: the table is either as before or the backup. Check it, then run cleanup restore again`,
      table, runId: restoreId, operation: 'cleanup.restore',
    });
    throw error;
  } finally {
    await locks.release();
  }
}

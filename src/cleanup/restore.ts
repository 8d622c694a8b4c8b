/**
 * `cleanup restore --backup <name>`: a backup its cleanup recorded (checked against that record before anything:
 * restore-checks.ts) put back under the same locks as a cleanup. The fence of every date is claimed first, so no stale
 * writer commits behind the restore's reads; then, if the live table holds data the backup does not (dates graded
 * after it), the restore refuses and says what would be lost, unless told to keep those dates as they are
 * (`--keep-newer`) or to discard them (`--discard-newer`: the live table is kept in a verified, registered snapshot
 * first). The dates are replaced in one fenced transaction (DELETE + INSERT from the backup: the table and its
 * partitioning stay; readers see before or after), verified, and their reporting recomputed.
 */
import { randomUUID } from 'node:crypto';
import { dateParams } from '../warehouse/duplicates.ts';
import { withLockedRun } from '../runner/locked-run.ts';
import { assertIdentifier, tableRef } from '../warehouse/target.ts';
import { BackupRegister } from './backups.ts';
import { VerificationError, type CleanupContext } from './context.ts';
import { fencedWrite, replaceRowsSql, restampSql, stampsTokens, type FenceScope } from './fenced-write.ts';
import { stampedTokens } from './later-writes.ts';
import { acquireCleanupLocks, type LockSettings } from './locks.ts';
import { profileTable, sameContent, summarize, tableDates } from './profile.ts';
import { recomputeDates, recomputeInBatches, REPORTED_TABLES } from './recompute.ts';
import { describeNewer, newerDates, verifiedBackup, type VerifiedBackup } from './restore-checks.ts';
import { CleanupStateStore } from './state.ts';
import { sameShape, tableShape } from './table-meta.ts';
import type { Check, TableProfile } from './types.ts';

/** What to do with dates the live table holds newer data for: refuse (default), keep them as they are, or discard them. */
export type NewerData = 'refuse' | 'keep' | 'discard';

export interface RestoreReport {
  restoreId: string;
  table: string;
  backup: string;
  rowsBefore: number;
  rowsAfter: number;
  checksum: string;
  restoredDates: string[];
  /** Dates holding data newer than the backup: kept as they are (--keep-newer) or discarded (--discard-newer). */
  newerDates: string[];
  newer: NewerData;
  /** The live table kept before discarding newer data (a registered backup: restorable the same way). */
  keptLive: string | null;
  recomputedDates: string[];
  checks: Check[];
  scans: number;
  elapsedMs: number;
}

const union = (...lists: string[][]) => [...new Set(lists.flat())].sort();
const LIGHT = { contents: false };

export async function restoreBackup(ctx: CleanupContext, input: { backup: string; table?: string; locks: LockSettings; newer?: NewerData }): Promise<RestoreReport> {
  const started = Date.now();
  const newer = input.newer ?? 'refuse';
  const v = await verifiedBackup(ctx, input);
  const { record, info, backupProfile } = v;
  const table = info.table;
  const backupDates = backupProfile.dates.map((d) => d.date).filter((d): d is string => d !== null);
  const liveDates = v.liveShape ? await tableDates(ctx.bigquery, ctx.target, table, info.key) : [];
  const allDates = union(backupDates, liveDates);
  const restoreId = `restore-${table}-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomUUID().slice(0, 6)}`;
  const lockDates = union(allDates, await recomputeDates(ctx.bigquery, ctx.target, table, allDates));
  const end = await withLockedRun({
    runId: restoreId,
    operation: 'cleanup.restore',
    bigquery: ctx.bigquery,
    target: ctx.target,
    log: ctx.log,
    acquire: () => acquireCleanupLocks(ctx.firestore, { scope: `${ctx.target.dataset}.${table}`, dates: lockDates, cleanupId: restoreId, resume: false }, input.locks, ctx.log),
    opensRow: true,
    row: () => ({ dates: lockDates }),
    finish: () => ({ status: 'succeeded' }),
    async failed({ error }) {
      if (error instanceof VerificationError && /Nothing changed/.test(error.message)) return;
      await ctx.alerter.send({
        kind: 'cleanup_failed',
        severity: 'CRITICAL',
        title: `Restore of ${table} from ${record.backup} failed: ${error.message.slice(0, 300)}`,
        nextStep: 'The restore writes in one transaction: the table is either as before or restored. Check it, then run cleanup restore again',
        table,
        runId: restoreId,
        operation: 'cleanup.restore',
      });
    },
    work: async (locks) => {
      const tokens = (dates: string[]) => new Map(dates.map((d) => [d, locks.grading.get(d)!.token]));
      const guard = () => {
        if (locks.signal.aborted) throw locks.signal.reason;
      };
      guard();
      // The fence of every date moves to the restore's tokens before anything is read: from here no stale writer of
      // the table can commit, so the live table read next is exactly what the restore replaces.
      if (v.liveShape && allDates.length > 0) await fencedWrite(ctx.bigquery, ctx.target, { table, tokens: tokens(allDates), statements: () => [], runId: restoreId });
      const live = v.liveShape ? await profileTable(ctx.bigquery, ctx.target, table, info.key, info.shape.columns, ctx.counter, LIGHT) : undefined;
      const unlocked = (live?.dates ?? []).map((d) => d.date).filter((d): d is string => d !== null && !locks.grading.has(d));
      if (unlocked.length > 0) throw new Error(`${table} gained dates ${unlocked.join(', ')} while the restore took its locks; nothing changed, run it again`);
      const changed = live ? newerDates(record, live) : [];
      if (changed.length > 0 && newer === 'refuse') {
        throw new VerificationError(
          `Restoring ${record.backup} would lose data written to ${table} after the backup: ${await describeNewer(ctx, v, changed)}. Nothing changed. ` +
            `Add --keep-newer to restore every other date and keep these as they are, or --discard-newer to replace them too (the live table is first kept in a verified snapshot).`,
        );
      }
      const restoreDates = newer === 'keep' ? backupDates.filter((d) => !changed.includes(d)) : allDates;
      const discarded = newer === 'discard' ? changed : [];
      const keptLive = discarded.length > 0 && live ? await keepLive(ctx, v, live, restoreId) : null;

      guard();
      if (!v.liveShape) {
        // The table itself is gone (the seed's DROP + RENAME gap): one copy job puts it back, then the fence is claimed.
        const dataset = ctx.bigquery.dataset(ctx.target.dataset);
        const type = (await tableShape(ctx.bigquery, ctx.target, record.backup))!.type;
        await dataset
          .table(record.backup)
          .copy(dataset.table(table), { operationType: type === 'SNAPSHOT' ? 'RESTORE' : 'COPY', writeDisposition: 'WRITE_EMPTY', createDisposition: 'CREATE_IF_NEEDED' } as never);
        if (backupDates.length > 0) await fencedWrite(ctx.bigquery, ctx.target, { table, tokens: tokens(backupDates), statements: (scope) => restamp(ctx, v, scope), runId: restoreId });
      } else if (allDates.length > 0) {
        // Every date's fence moved to the restore's token above, so every date's rows carry it after this write: the
        // restored ones and those kept as they are (--keep-newer) alike.
        await fencedWrite(ctx.bigquery, ctx.target, {
          table,
          tokens: tokens(allDates),
          statements: (scope) => [...(restoreDates.length > 0 ? replaceDatesSql(ctx, v) : []), ...restamp(ctx, v, scope)],
          params: restoreDates.length > 0 ? { restore_dates: dateParams(restoreDates) } : undefined,
          runId: restoreId,
        });
      }
      ctx.scans.push(`restore ${record.backup}`);

      const [after, afterShape] = await Promise.all([profileTable(ctx.bigquery, ctx.target, table, info.key, info.shape.columns, ctx.counter, LIGHT), tableShape(ctx.bigquery, ctx.target, table)]);
      const expected = summarize(table, [...backupProfile.dates.filter((d) => restoreDates.includes(d.date ?? '') || !v.liveShape), ...(live?.dates ?? []).filter((d) => !restoreDates.includes(d.date ?? ''))]);
      const stampedDates = v.liveShape ? allDates : backupDates;
      const checks = [
        ...v.checks,
        sameContent(newer === 'keep' && changed.length > 0 ? 'restored dates equal the backup, newer dates kept' : 'restored table equals backup', expected, after),
        sameShape('restored schema', record.shape, afterShape!),
        ...(stampsTokens(info) && stampedDates.length > 0 ? [await stampedTokens(ctx, info, 'rows carry the restore tokens, which the fence holds', Object.fromEntries(tokens(stampedDates)))] : []),
      ];
      const failed = checks.filter((c) => !c.ok);
      if (failed.length > 0) throw new VerificationError(`restore verification failed: ${failed.map((c) => `${c.name}: ${c.detail}`).join('; ')}`);

      const store = new CleanupStateStore(ctx.firestore);
      const state = await store.read(ctx.target.dataset, table);
      if (state) await store.update(state.dataset, state.table, state.cleanupId, { status: 'restored', restoredFrom: record.backup, error: null });
      const recomputed: string[] = [];
      if (REPORTED_TABLES.has(table)) {
        const withDuplicates = backupProfile.dates.filter((d) => d.rows > d.uniqueKeys && restoreDates.includes(d.date ?? '')).map((d) => d.date as string);
        await recomputeInBatches(ctx, {
          dates: (await recomputeDates(ctx.bigquery, ctx.target, table, union(withDuplicates, discarded))).filter((d) => locks.grading.has(d)),
          leases: locks.grading,
          runIdPrefix: restoreId,
          signal: locks.signal,
          onBatch: async (batch) => void recomputed.push(...batch),
        });
      }
      return {
        restoreId,
        table: `${ctx.target.dataset}.${table}`,
        backup: `${ctx.target.dataset}.${record.backup}`,
        rowsBefore: live?.rows ?? 0,
        rowsAfter: after.rows,
        checksum: after.checksum,
        restoredDates: restoreDates,
        newerDates: changed,
        newer,
        keptLive,
        recomputedDates: recomputed,
        checks,
        scans: ctx.scans.length,
        // Set once the leases are released and the run's row written.
        elapsedMs: 0,
      };
    },
  });
  if (end.outcome !== 'done') throw end.error;
  const report = end.value;
  await ctx.alerter.send({
    kind: 'cleanup_finished',
    severity: 'WARNING',
    title: `Restored ${table} from ${record.backup}: ${report.rowsAfter} rows${report.keptLive ? ` (newer data discarded, kept in ${report.keptLive})` : ''}`,
    nextStep: 'Check the table; the duplicates the backup holds are back (cleanup plan shows them)',
    table,
    runId: restoreId,
    operation: 'cleanup.restore',
    counts: { rows_before: report.rowsBefore, rows_after: report.rowsAfter, recomputed_dates: report.recomputedDates.length, newer_dates: report.newerDates.length },
  });
  return { ...report, elapsedMs: Date.now() - started };
}

/** The rows of the scope's dates stamped with the restore's tokens (a table whose rows carry lock_token). */
function restamp(ctx: CleanupContext, v: VerifiedBackup, scope: FenceScope): string[] {
  return stampsTokens(v.info) ? [restampSql(tableRef(ctx.target, v.info.table), v.info.key.dateColumn, scope)] : [];
}

/** The restored dates deleted and inserted from the backup, inside the fenced transaction. */
function replaceDatesSql(ctx: CleanupContext, v: VerifiedBackup): string[] {
  const date = assertIdentifier('column', v.info.key.dateColumn!);
  return replaceRowsSql(tableRef(ctx.target, v.info.table), tableRef(ctx.target, v.record.backup), v.record.shape.columns, `${date} IN UNNEST(@restore_dates)`);
}

/** Before discarding newer data: the live table in a snapshot, verified and registered (restorable like a backup). */
async function keepLive(ctx: CleanupContext, v: VerifiedBackup, live: TableProfile, restoreId: string): Promise<string> {
  const name = assertIdentifier('table', `${v.info.table}_before_restore_${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`);
  const dataset = ctx.bigquery.dataset(ctx.target.dataset);
  await dataset.table(v.info.table).copy(dataset.table(name), { operationType: 'SNAPSHOT', writeDisposition: 'WRITE_EMPTY', createDisposition: 'CREATE_IF_NEEDED' } as never);
  const kept = await profileTable(ctx.bigquery, ctx.target, name, v.info.key, v.info.shape.columns, ctx.counter, LIGHT);
  const check = sameContent('live table kept before discarding newer data', live, kept);
  if (!check.ok) throw new VerificationError(`${check.detail}; nothing restored`);
  await new BackupRegister(ctx.firestore).record({
    dataset: ctx.target.dataset,
    table: v.info.table,
    backup: name,
    cleanupId: restoreId,
    original: live,
    shape: v.record.shape,
    recordedAt: new Date().toISOString(),
  });
  return name;
}

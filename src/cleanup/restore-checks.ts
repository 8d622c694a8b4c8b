/**
 * What `cleanup restore` checks before it touches anything: that the table named as a backup is a backup a cleanup
 * recorded for this table and still is what was recorded (content per date, schema, partitioning), and which dates of
 * the live table hold data the backup does not (written after the backup: a new date, or a date graded again), which a
 * restore would throw away.
 */
import { UsageError } from '../runner/exit-codes.ts';
import { keyedTable } from '../warehouse/duplicates.ts';
import { assertIdentifier } from '../warehouse/target.ts';
import { BackupRegister, recordOf, type BackupRecord } from './backups.ts';
import { CleanupStateStore } from './state.ts';
import { VerificationError, type CleanupContext, type KeyedTableInfo } from './context.ts';
import { dateTokens, differingDates } from './later-writes.ts';
import { profileTable, sameContent } from './profile.ts';
import { sameShape, tableShape, type TableShape } from './table-meta.ts';
import type { Check, TableProfile } from './types.ts';

export interface VerifiedBackup {
  record: BackupRecord;
  info: KeyedTableInfo;
  backupProfile: TableProfile;
  /** The live table's shape (undefined: the table is missing). */
  liveShape: TableShape | undefined;
  checks: Check[];
}

/** The backup, checked against its record; refused (exit 2 or 3) before any lock or write otherwise. */
export async function verifiedBackup(ctx: CleanupContext, input: { backup: string; table?: string }): Promise<VerifiedBackup> {
  const backup = assertIdentifier('backup', input.backup);
  const record = await recordedBackup(ctx, backup);
  // Without --table: the table its record names, else the one its name suggests (for the message).
  const table = assertIdentifier('table', input.table ?? record?.table ?? /^(.+)_backup_\d{8}$/.exec(backup)?.[1] ?? backup);
  const backupShape = await tableShape(ctx.bigquery, ctx.target, backup);
  if (!backupShape) throw new UsageError(`Unknown backup ${ctx.target.dataset}.${backup}`);
  if (!record || record.table !== table) {
    const whose = record ? `; it is the backup of ${record.table} (cleanup ${record.cleanupId})` : '';
    throw new UsageError(`${ctx.target.dataset}.${backup} is not a backup recorded by a cleanup of ${table}${whose}; restore only puts back a backup its cleanup took and verified (see cleanup status)`);
  }
  const info: KeyedTableInfo = { table, key: keyedTable(table), shape: record.shape };
  const [backupProfile, liveShape] = await Promise.all([
    profileTable(ctx.bigquery, ctx.target, backup, info.key, record.shape.columns, ctx.counter, { contents: false }),
    tableShape(ctx.bigquery, ctx.target, table),
  ]);
  const checks = [
    sameContent('backup still equals the original it was taken of', record.original, backupProfile),
    sameShape('backup schema and partitioning as recorded', record.shape, backupShape, { clustering: false }),
  ];
  if (liveShape) checks.push(sameShape('live table schema as recorded', record.shape, liveShape));
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) {
    throw new VerificationError(`Backup ${backup} does not match what cleanup ${record.cleanupId} recorded; not restoring, nothing changed: ${failed.map((c) => `${c.name}: ${c.detail}`).join('; ')}`);
  }
  if (liveShape && liveShape.type !== 'TABLE') throw new UsageError(`${ctx.target.dataset}.${table} is a ${liveShape.type.toLowerCase()}, not a table`);
  return { record, info, backupProfile, liveShape, checks };
}

/** The register's record of the backup, or for a cleanup begun before the register existed, its state document's. */
async function recordedBackup(ctx: CleanupContext, backup: string): Promise<BackupRecord | undefined> {
  const record = await new BackupRegister(ctx.firestore).read(ctx.target.dataset, backup);
  if (record) return record;
  const states = await new CleanupStateStore(ctx.firestore).list();
  const state = states.find((s) => s.dataset === ctx.target.dataset && s.backup === backup && s.steps.backup?.status === 'done');
  return state ? recordOf(state) : undefined;
}

/**
 * Dates of the live table that hold data the backup does not: equal neither to the backup (the original) nor to the
 * verified deduped copy the cleanup put live. Dates only the backup has are not listed (restoring them loses nothing).
 */
export function newerDates(record: BackupRecord, live: TableProfile): string[] {
  const liveDates = new Set(live.dates.map((d) => d.date ?? ''));
  const changed = differingDates(record.original, live).filter((d) => liveDates.has(d));
  if (!record.deduped) return changed;
  const fromDeduped = new Set(differingDates(record.deduped, live));
  return changed.filter((d) => fromDeduped.has(d));
}

/** Exactly what a restore would throw away, date by date, with the tokens that show it is newer. */
export async function describeNewer(ctx: CleanupContext, v: VerifiedBackup, dates: string[]): Promise<string> {
  const [live, backup] = await Promise.all([dateTokens(ctx, v.info, dates), dateTokens(ctx, v.info, dates, v.record.backup)]);
  const range = (t: { minToken: number | null; maxToken: number | null }) => (t.minToken === null ? '' : ` (tokens ${t.minToken}..${t.maxToken})`);
  const lines = dates.map((date) => {
    const l = live.get(date)!;
    const b = backup.get(date)!;
    return b.rows === 0
      ? `${date}: ${l.rows} rows${range(l)} not in the backup, would be deleted`
      : `${date}: ${l.rows} rows${range(l)} written since the backup, would be replaced by the backup's ${b.rows}${range(b)}`;
  });
  return lines.join('; ');
}

/**
 * `cleanup plan`: what a run would do, from one read of the table and dry runs of every step's queries. Writes nothing.
 */
import { UsageError } from '../runner/exit-codes.ts';
import { assertIdentifier, tableRef } from '../warehouse/target.ts';
import { BackupRegister } from './backups.ts';
import { resolveTable, type CleanupContext, type KeyedTableInfo } from './context.ts';
import { profileTable } from './profile.ts';
import { recomputeDates } from './recompute.ts';
import { dedupeInsertSql, keySetDiffSql, profileSql, removedSql } from './sql.ts';
import { tableShape } from './table-meta.ts';
import type { KeepRule, TableProfile } from './types.ts';

interface PlanDate {
  date: string | null;
  rows: number;
  uniqueKeys: number;
  duplicateKeys: number;
  kept: number;
  removed: number;
}

export interface CleanupPlan {
  dataset: string;
  table: string;
  keep: KeepRule;
  backup: string;
  deduped: string;
  rows: number;
  uniqueKeys: number;
  duplicateRows: number;
  duplicateKeys: number;
  /** Duplicated keys whose copies differ beyond the run columns (written-at, run_id, lock_token). */
  differingKeys: number;
  dates: PlanDate[];
  affectedDates: string[];
  recomputeDates: string[];
  /** Existing tables the run's names would collide with (a run refuses while there is any). */
  collisions: string[];
  /** Dry-run estimates of the bytes each step reads. */
  bytes: Record<string, number>;
  /** Full reads of the table a run makes (profiles, copies, checks): RUN_READS.length. */
  plannedScans: number;
  plannedReads: readonly string[];
  original: TableProfile;
}

/**
 * The full reads of the table (and its copies) a run makes, in order, as the steps are written (src/cleanup/run.ts,
 * steps.ts); the run's report counts the reads it actually made.
 */
const RUN_READS = [
  'profile of the original',
  'light profile of the original under the locks (a full one again if it changed)',
  'snapshot (backup)',
  'backup profile',
  'duplicate keys into the audit',
  'dedupe',
  'removed rows',
  'column differences of the removed copies',
  'deduped profile',
  'key set, original side',
  'key set, deduped side',
  'swap re-check of the original',
  'lock_token of the deduped copy stamped with the swap tokens',
  "swap: the re-checked dates' rows deleted from the table and inserted from the deduped copy (one fenced transaction)",
  'live profile',
  'lock_token of the live rows against the fence',
] as const;

function stamp(now: Date): string {
  return now.toISOString().slice(0, 10).replaceAll('-', '');
}

function defaultNames(table: string, now: Date): { backup: string; deduped: string } {
  // Not `<table>_deduped`: prediction_accuracy_deduped is the pipeline's own dedup view.
  return { backup: `${table}_backup_${stamp(now)}`, deduped: `${table}_deduped_${stamp(now)}` };
}

/** What exists under the run's backup and deduped names, and what it is (a recorded backup says whose). */
async function collisionsOf(ctx: CleanupContext, backup: string, deduped: string): Promise<string[]> {
  const found: string[] = [];
  if (await tableShape(ctx.bigquery, ctx.target, backup)) {
    // `plan` starts no Firestore emulator of its own: the register is read where a Firestore is configured.
    const readable = ctx.target.kind === 'bigquery' || Boolean(ctx.target.firestoreHost);
    const record = readable ? await new BackupRegister(ctx.firestore).read(ctx.target.dataset, backup) : undefined;
    const what = record
      ? `the backup of cleanup ${record.cleanupId} of ${record.table} (kept)`
      : readable
        ? 'not a recorded cleanup backup'
        : 'a table (the backup register was not read: no Firestore configured)';
    found.push(`${backup} exists: ${what}; choose another name with --backup${record ? '' : ' or drop it after checking it'}`);
  }
  if (await tableShape(ctx.bigquery, ctx.target, deduped)) {
    found.push(`${deduped} exists: the deduped copy of an unfinished cleanup (finish it with cleanup resume) or one left by an earlier version; drop it after checking it`);
  }
  return found;
}

/** A run refuses to start over existing names (bad input), naming each. */
export function refuseCollisions(plan: CleanupPlan): void {
  if (plan.collisions.length > 0) throw new UsageError(`Cannot start: ${plan.collisions.map((c) => c.replace(' exists', ' already exists')).join('; ')}`);
}

async function dryRunBytes(ctx: CleanupContext, query: string): Promise<number> {
  const [job] = await ctx.bigquery.createQueryJob({ query, dryRun: true, location: ctx.target.location });
  return Number(job.metadata?.statistics?.totalBytesProcessed ?? 0);
}

export async function planCleanup(ctx: CleanupContext, input: { table: string; keep: KeepRule; backup?: string; now: Date; info?: KeyedTableInfo }): Promise<CleanupPlan> {
  const info = input.info ?? (await resolveTable(ctx, input.table));
  const names = defaultNames(info.table, input.now);
  const backup = assertIdentifier('backup name', input.backup ?? names.backup);
  const collisions = await collisionsOf(ctx, backup, names.deduped);
  const original = await profileTable(ctx.bigquery, ctx.target, info.table, info.key, info.shape.columns, ctx.counter);
  const ref = tableRef(ctx.target, info.table);
  const selectAll = `SELECT * FROM ${ref}`;
  const [profileBytes, dedupeBytes, removedBytes, keySetBytes, copyBytes] = await Promise.all([
    dryRunBytes(ctx, profileSql(ref, info.key, info.shape.columns)),
    dryRunBytes(ctx, dedupeInsertSql(ref, ref, info.table, info.key, input.keep, info.shape.columns).replace(/^INSERT INTO[^\n]*\n/, '')),
    dryRunBytes(ctx, removedSql(ref, info.table, info.key, input.keep, info.shape.columns)),
    dryRunBytes(ctx, keySetDiffSql(ref, ref, info.key)),
    dryRunBytes(ctx, selectAll),
  ]);
  const keptShare = original.rows === 0 ? 0 : original.uniqueKeys / original.rows;
  const dates = original.dates.map((d) => ({
    date: d.date,
    rows: d.rows,
    uniqueKeys: d.uniqueKeys,
    duplicateKeys: d.duplicateKeys,
    kept: d.uniqueKeys,
    removed: d.rows - d.uniqueKeys,
  }));
  const affectedDates = dates.filter((d) => d.removed > 0 && d.date).map((d) => d.date as string);
  return {
    dataset: ctx.target.dataset,
    table: info.table,
    keep: input.keep,
    backup,
    deduped: names.deduped,
    rows: original.rows,
    uniqueKeys: original.uniqueKeys,
    duplicateRows: original.duplicateRows,
    duplicateKeys: original.duplicateKeys,
    differingKeys: original.differingKeys as number, // a full profile (with contents): never null
    dates,
    affectedDates,
    recomputeDates: await recomputeDates(ctx.bigquery, ctx.target, info.table, affectedDates),
    collisions,
    bytes: {
      plan_profile: profileBytes,
      backup_copy: copyBytes,
      backup_verify: profileBytes,
      audit_duplicates: profileBytes,
      dedupe: dedupeBytes,
      verify: Math.round(profileBytes * keptShare) + removedBytes + keySetBytes,
      swap_recheck: profileBytes,
      // BigQuery bills a DELETE the table's size plus what it reads, an INSERT ... SELECT what it reads (the deduped
      // copy): the swap is DML on the table itself now, no longer a copy job.
      swap_write: copyBytes + Math.round(copyBytes * keptShare),
      verify_live: Math.round(profileBytes * keptShare),
    },
    plannedScans: RUN_READS.length,
    plannedReads: RUN_READS,
    original,
  };
}

/**
 * The work of each step. Every step is safe to run again after a crash at any point: it first looks at what a previous
 * attempt left (recorded in the state document) and finishes or redoes it. Nothing here touches the original table
 * except the swap, and the swap runs only after every verification passed.
 */
import { FENCE_ERROR_PREFIX } from '../runner/dataform-outcome.ts';
import { assertIdentifier, tableRef } from '../warehouse/target.ts';
import { dateParams, recordDuplicateKeys } from '../warehouse/duplicates.ts';
import { BackupRegister } from './backups.ts';
import { VerificationError, type CleanupContext, type KeyedTableInfo } from './context.ts';
import { fencedWrite, replaceRowsSql, restampSql, stampsTokens, tokenScope, unfencedWrite } from './fenced-write.ts';
import { equalApartFromLaterWrites, stampedTokens } from './later-writes.ts';
import { profileTable, removedRows, sameContent } from './profile.ts';
import type { CleanupStateStore } from './state.ts';
import { columnDifferencesSql, dedupeInsertSql, keySetDiffSql } from './sql.ts';
import { sameShape, tableShape, type TableShape } from './table-meta.ts';
import type { Check, CleanupState, TableProfile } from './types.ts';

export interface StepInput {
  ctx: CleanupContext;
  info: KeyedTableInfo;
  state: CleanupState;
  /** Aborted when a lease is lost: checked before every write. */
  signal: AbortSignal;
  /** date -> token of the grading lease held for it. */
  leases: ReadonlyMap<string, { token: number }>;
  store: CleanupStateStore;
}

/** Profiles that are only compared (rows, checksums, keys) skip the differing-keys hash: only the original's is reported. */
const LIGHT = { contents: false };

function guard(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('a lock was lost');
}

function fail(checks: Check[], what: string): void {
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) throw new VerificationError(`${what}: ${failed.map((c) => `${c.name}: ${c.detail}`).join('; ')}`);
}

async function dropTable(input: StepInput, table: string): Promise<void> {
  guard(input.signal);
  await input.ctx.bigquery
    .dataset(input.ctx.target.dataset)
    .table(table)
    .delete({ ignoreNotFound: true } as never)
    .catch((error: { code?: number }) => {
      if (error.code !== 404) throw error;
    });
}

async function copy(input: StepInput, from: string, to: string, options: { operationType: string; writeDisposition: string }): Promise<void> {
  guard(input.signal);
  const dataset = input.ctx.bigquery.dataset(input.ctx.target.dataset);
  await dataset.table(from).copy(dataset.table(to), { ...options, createDisposition: 'CREATE_IF_NEEDED' } as never);
}

async function checkBackup(input: StepInput): Promise<{ checks: Check[]; profile: TableProfile }> {
  const { ctx, info, state } = input;
  const [profile, shape] = await Promise.all([
    profileTable(ctx.bigquery, ctx.target, state.backup, info.key, info.shape.columns, ctx.counter, LIGHT),
    tableShape(ctx.bigquery, ctx.target, state.backup) as Promise<TableShape>,
  ]);
  return { profile, checks: [sameContent('backup equals original', state.original, profile), sameShape('backup schema', info.shape, shape, { clustering: false })] };
}

/** Step 2: a read-only snapshot of the original, verified (rows and content checksum per date, schema). */
export async function backupStep(input: StepInput): Promise<Record<string, unknown>> {
  const { ctx, state } = input;
  if (await tableShape(ctx.bigquery, ctx.target, state.backup)) {
    // Only reachable on resume (run refuses an existing backup name): a snapshot this cleanup started. Keep it if it
    // verifies, otherwise take it again.
    const existing = await checkBackup(input);
    if (existing.checks.every((c) => c.ok)) {
      await new BackupRegister(ctx.firestore).recordBackup(state);
      return { rows: existing.profile.rows, checksum: existing.profile.checksum, reused: true };
    }
    await dropTable(input, state.backup);
  }
  await copy(input, state.table, state.backup, { operationType: 'SNAPSHOT', writeDisposition: 'WRITE_EMPTY' });
  ctx.scans.push(`snapshot ${state.table}`);
  const { checks, profile } = await checkBackup(input);
  state.checks.push(...checks);
  fail(checks, 'backup verification failed');
  await new BackupRegister(ctx.firestore).recordBackup(state);
  return { rows: profile.rows, checksum: profile.checksum };
}

/** Step 2b: the duplicated keys appended to grading_duplicate_audit (processor 'cleanup') before any row is removed. */
export async function auditStep(input: StepInput): Promise<Record<string, unknown>> {
  const { ctx, state } = input;
  const runId = state.auditRunId ?? state.cleanupId;
  const [rows] = await ctx.bigquery
    .query({
      query: `SELECT COUNT(*) AS n FROM ${tableRef(ctx.target, 'grading_duplicate_audit')} WHERE run_id = @run_id AND processor = 'cleanup'`,
      params: { run_id: runId },
      location: ctx.target.location,
    })
    .catch(() => [[{ n: 0 }]]);
  let recorded = Number((rows as Array<{ n: number }>)[0]?.n ?? 0);
  if (recorded === 0 && state.original.duplicateKeys > 0) {
    guard(input.signal);
    ctx.scans.push(`audit ${state.table}`);
    recorded = await recordDuplicateKeys(ctx.bigquery, ctx.target, { runId, processor: 'cleanup', table: state.table });
  }
  const check = { name: 'duplicate keys audited', ok: recorded === state.original.duplicateKeys, detail: `${recorded} keys recorded, ${state.original.duplicateKeys} expected` };
  state.checks.push(check);
  fail([check], 'audit failed');
  return { keysRecorded: recorded, auditRunId: runId };
}

/** Step 3: the kept rows in a new table with the original's schema, partitioning, clustering and descriptions. */
export async function dedupeStep(input: StepInput): Promise<Record<string, unknown>> {
  const { ctx, info, state } = input;
  await dropTable(input, state.deduped);
  guard(input.signal);
  const dedupedRef = tableRef(ctx.target, state.deduped);
  await ctx.bigquery.query({ query: `CREATE TABLE ${dedupedRef} LIKE ${tableRef(ctx.target, state.table)}`, location: ctx.target.location });
  const created = await tableShape(ctx.bigquery, ctx.target, state.deduped);
  if (created && created.description !== info.shape.description) {
    // CREATE TABLE LIKE copies schema, partitioning and clustering; table options such as the description may not follow.
    await ctx.bigquery
      .dataset(ctx.target.dataset)
      .table(state.deduped)
      .setMetadata({ description: info.shape.description ?? undefined });
  }
  guard(input.signal);
  ctx.scans.push(`dedupe ${state.table}`);
  const [job] = await ctx.bigquery.createQueryJob({
    query: dedupeInsertSql(dedupedRef, tableRef(ctx.target, state.table), state.table, info.key, state.keep, info.shape.columns),
    location: ctx.target.location,
  });
  await job.getQueryResults();
  const [meta] = await job.getMetadata();
  const rows = Number(meta.statistics?.query?.numDmlAffectedRows ?? 0);
  ctx.progress.rows(rows);
  return { rowsKept: rows };
}

/** Step 4: everything the swap relies on, checked against the untouched original. */
export async function verifyStep(input: StepInput): Promise<Record<string, unknown>> {
  const { ctx, info, state } = input;
  // Independent reads, sent together (BigQuery runs them in parallel; each is a job of its own).
  ctx.scans.push(`key set ${state.table}`, `key set ${state.deduped}`);
  const [deduped, shape, removed, [[diff]], copies] = await Promise.all([
    profileTable(ctx.bigquery, ctx.target, state.deduped, info.key, info.shape.columns, ctx.counter, LIGHT),
    tableShape(ctx.bigquery, ctx.target, state.deduped) as Promise<TableShape>,
    removedRows(ctx.bigquery, ctx.target, state.table, info.key, state.keep, info.shape.columns, ctx.counter),
    ctx.bigquery.query({ query: keySetDiffSql(tableRef(ctx.target, state.table), tableRef(ctx.target, state.deduped), info.key), location: ctx.target.location }),
    removedCopies(input),
  ]);
  const keptByDate = new Map(deduped.dates.map((d) => [d.date, d]));
  const removedByDate = new Map(removed.map((d) => [d.date, d]));
  const perDate: string[] = [];
  for (const o of state.original.dates) {
    const k = keptByDate.get(o.date);
    const r = removedByDate.get(o.date) ?? { rows: 0, rowHashSum1: '0', rowHashSum2: '0' };
    const rowsOk = (k?.rows ?? 0) + r.rows === o.rows && (k?.rows ?? 0) === o.uniqueKeys;
    const sumOk = BigInt(k?.rowHashSum1 ?? '0') + BigInt(r.rowHashSum1) === BigInt(o.rowHashSum1) && BigInt(k?.rowHashSum2 ?? '0') + BigInt(r.rowHashSum2) === BigInt(o.rowHashSum2);
    const keysOk = k?.keyHashSum1 === o.keyHashSum1 && k?.keyHashSum2 === o.keyHashSum2;
    if (!rowsOk || !sumOk || !keysOk) perDate.push(`${o.date}: original ${o.rows}, kept ${k?.rows ?? 0}, removed ${r.rows}${sumOk ? '' : ', content checksum off'}${keysOk ? '' : ', key set off'}`);
  }
  const extraDates = deduped.dates.filter((d) => !state.original.dates.some((o) => o.date === d.date));
  const checks: Check[] = [
    sameShape('deduped schema', info.shape, shape),
    { name: 'zero duplicate keys', ok: deduped.duplicateKeys === 0, detail: `${deduped.duplicateKeys} duplicated keys in ${state.deduped}` },
    {
      name: 'key set unchanged',
      ok: Number(diff.missing) === 0 && Number(diff.extra) === 0 && deduped.keyChecksum === state.original.keyChecksum,
      detail: `${diff.missing} keys missing, ${diff.extra} keys added; key checksum ${deduped.keyChecksum} vs ${state.original.keyChecksum}`,
    },
    {
      name: 'original = kept + removed per date',
      ok: perDate.length === 0 && extraDates.length === 0,
      detail:
        perDate.length === 0 && extraDates.length === 0
          ? `${state.original.dates.length} dates: ${state.original.rows} = ${deduped.rows} kept + ${state.original.rows - deduped.rows} removed (rows and content checksums)`
          : [...perDate, ...extraDates.map((d) => `${d.date}: not in the original`)].slice(0, 10).join('; '),
    },
    copies,
  ];
  state.checks.push(...checks);
  fail(checks, 'verification failed before the swap; the original is untouched');
  await new BackupRegister(ctx.firestore).recordDeduped(state, deduped);
  return { rowsKept: deduped.rows, rowsRemoved: state.original.rows - deduped.rows, deduped };
}

/** Are the removed rows copies of the kept one apart from the run columns? Reported, not fatal: it says what the rule chose between. */
async function removedCopies(input: StepInput): Promise<Check> {
  const { ctx, info, state } = input;
  if (state.original.differingKeys === 0) {
    return { name: 'removed rows are copies', ok: true, detail: `every removed row equals its kept row apart from the run columns` };
  }
  ctx.scans.push(`column differences ${state.table}`);
  const [[row]] = await ctx.bigquery.query({ query: columnDifferencesSql(tableRef(ctx.target, state.table), info.key, info.shape.columns), location: ctx.target.location });
  const columns = Object.entries(row as Record<string, number>)
    .filter(([, n]) => Number(n) > 0)
    .map(([c, n]) => `${c} (${n} keys)`);
  return { name: 'removed rows are copies', ok: true, detail: `${state.original.differingKeys} keys have copies that differ beyond the run columns, in: ${columns.join(', ')}; kept per --keep ${state.keep}` };
}

/**
 * Step 5: the live rows replaced by the deduped ones in one transaction (readers see before or after), after
 * re-checking the original. The table itself stays (schema, partitioning, clustering, description). For a table whose
 * rows carry lock_token, the fence of every locked date moves to the cleanup's token first (so no stale writer commits
 * behind the re-check), the deduped rows are stamped with those tokens, and the replacement is itself a fenced write:
 * a cleanup that lost its leases while paused is refused by the storage, and the newer writer's rows stay. After the
 * swap every row carries its date's fence token, as after any fenced write.
 */
export async function swapStep(input: StepInput, resuming: boolean): Promise<Record<string, unknown>> {
  const { ctx, info, state } = input;
  const deduped = state.steps.verify?.figures?.deduped as TableProfile;
  if (resuming) {
    // A crash during the swap: its write is one transaction, so the live table is either the original or the deduped
    // one (with dates that grading rewrote since, under the tokens recorded before the write).
    const live = await profileTable(ctx.bigquery, ctx.target, state.table, info.key, info.shape.columns, ctx.counter, LIGHT);
    if ((await equalApartFromLaterWrites(ctx, info, 'live', deduped, live, state.swapTokens ?? {})).check.ok) return { swapped: true, alreadyDone: true };
  }
  // Before the write: the tokens held now are what later writers must exceed (a resume holds newer ones).
  state.swapTokens = Object.fromEntries([...input.leases].map(([date, lease]) => [date, lease.token]));
  await input.store.update(state.dataset, state.table, state.cleanupId, { swapTokens: state.swapTokens });
  const tokens = new Map(Object.entries(state.swapTokens));
  const fenced = stampsTokens(info) && tokens.size > 0;
  const runId = `${state.cleanupId}.swap`;
  try {
    guard(input.signal);
    if (fenced) await fencedWrite(ctx.bigquery, ctx.target, { table: state.table, tokens, statements: () => [], runId });
    const live = await profileTable(ctx.bigquery, ctx.target, state.table, info.key, info.shape.columns, ctx.counter, LIGHT);
    const recheck = sameContent('original unchanged since the backup', state.original, live);
    state.checks.push(recheck);
    fail([recheck], 'the original changed during the cleanup (a write without the grading lock?); not swapping');
    const rows = swappedRows(info, live, fenced ? tokens : undefined);
    const statements = replaceRowsSql(tableRef(ctx.target, state.table), tableRef(ctx.target, state.deduped), info.shape.columns, rows.where);
    if (fenced) {
      guard(input.signal);
      ctx.scans.push(`restamp ${state.deduped}`);
      await ctx.bigquery.query({ query: restampSql(tableRef(ctx.target, state.deduped), info.key.dateColumn, tokenScope(tokens, runId)), location: ctx.target.location });
      guard(input.signal);
      await fencedWrite(ctx.bigquery, ctx.target, { table: state.table, tokens, statements: () => statements, params: rows.params, runId });
    } else {
      guard(input.signal);
      await unfencedWrite(ctx.bigquery, ctx.target, { statements, params: rows.params });
    }
  } catch (error) {
    if (!(error as Error).message?.includes(FENCE_ERROR_PREFIX)) throw error;
    throw new Error(
      `The swap was refused by the write fence (${(error as Error).message}): a newer lock holder wrote these dates after this cleanup's leases ran out (it was paused or cut off). ` +
        `The live table is as that writer left it and the verified backup ${state.backup} is kept; continue with: cleanup resume --table ${state.table} --confirm`,
      { cause: error },
    );
  }
  ctx.scans.push(`swap ${state.deduped}`);
  return { swapped: true };
}

/**
 * The rows the swap replaces: those of every date of the original as re-checked (and its rows without a date), every
 * row of a table without a date column. Never a date the cleanup has not read: a date graded meanwhile stays as it is.
 * A fenced swap covers only dates whose fence it holds.
 */
function swappedRows(info: KeyedTableInfo, original: TableProfile, fencedBy?: ReadonlyMap<string, number>): { where: string; params?: Record<string, unknown> } {
  if (!info.key.dateColumn) return { where: 'TRUE' };
  const column = assertIdentifier('column', info.key.dateColumn);
  const dates = original.dates.map((d) => d.date).filter((d): d is string => d !== null);
  const unfenced = fencedBy ? dates.filter((d) => !fencedBy.has(d)) : [];
  if (unfenced.length > 0) throw new Error(`the swap holds no lease for ${unfenced.join(', ')}; nothing written, resume the cleanup`);
  const parts = [...(dates.length > 0 ? [`${column} IN UNNEST(@swap_dates)`] : []), ...(dates.length < original.dates.length ? [`${column} IS NULL`] : [])];
  return { where: parts.length > 0 ? `(${parts.join(' OR ')})` : 'FALSE', params: dates.length > 0 ? { swap_dates: dateParams(dates) } : undefined };
}

/**
 * Step 5b: the live table read back: the deduped content (apart from dates grading rewrote since the swap, see
 * later-writes.ts), the original's shape, no duplicate key. Then the deduped copy, now live and verified, is dropped.
 */
export async function verifyLiveStep(input: StepInput, originalShape: TableShape): Promise<Record<string, unknown>> {
  const { ctx, info, state } = input;
  const deduped = state.steps.verify?.figures?.deduped as TableProfile;
  const [live, shape] = await Promise.all([
    profileTable(ctx.bigquery, ctx.target, state.table, info.key, info.shape.columns, ctx.counter, LIGHT),
    tableShape(ctx.bigquery, ctx.target, state.table) as Promise<TableShape>,
  ]);
  const { check, later } = await equalApartFromLaterWrites(ctx, info, 'live table equals deduped', deduped, live, state.swapTokens ?? {});
  const rewritten = new Set(later.map((w) => w.date));
  const swapped = Object.fromEntries(Object.entries(state.swapTokens ?? {}).filter(([date]) => !rewritten.has(date)));
  const checks = [
    check,
    ...(stampsTokens(info) ? [await stampedTokens(ctx, info, 'live rows carry the swap tokens, which the fence holds', swapped)] : []),
    sameShape('live schema', originalShape, shape),
    { name: 'live: zero duplicate keys', ok: live.duplicateKeys === 0, detail: `${live.duplicateKeys} duplicated keys` },
  ];
  state.checks.push(...checks);
  fail(checks, 'the live table does not match after the swap (the verified backup is intact: cleanup restore)');
  await dropTable(input, state.deduped);
  return { rows: live.rows, checksum: live.checksum, laterWrites: later, droppedDeduped: state.deduped };
}

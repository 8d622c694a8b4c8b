/**
 * How the cleanup's swap and restore write a fenced table: through the project's one fenced-write mechanism
 * (includes/fence.js), with a literal scope — each date fenced by the token of the grading lease the cleanup holds for
 * it. The fence rows are seeded, then one transaction refuses if a higher token was committed for any date, runs the
 * statements and moves the fence of every date to its token: a stale restore (its lease lost while paused) is refused
 * by the storage, and no stale writer commits after it. Rows the cleanup writes carry the same tokens (restamped):
 * every row of a fenced date carries its date's fence token, as after a grade or a remediation.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import fence from '../../includes/fence.js';
import { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from '../runner/retryable.ts';
import { assertIdentifier, tableRef, type WarehouseTarget } from '../warehouse/target.ts';
import { TOKEN_COLUMN } from './sql.ts';
import type { BusinessKey } from './types.ts';

export type FenceScope = fence.Scope;

export interface FencedWrite {
  table: string;
  /** date (YYYY-MM-DD) -> the fencing token of the grading lease held for it. */
  tokens: ReadonlyMap<string, number>;
  /**
   * Statements run inside the transaction, after the fence check (may use `params`, and `scope.tokenFor(dateColumn)`
   * for a row's token); none: only the fence moves.
   */
  statements: (scope: FenceScope) => string[];
  params?: Record<string, unknown>;
  runId: string;
}

/** The table's rows carry lock_token and it has a date to fence by: the cleanup's writes restamp its rows. */
export function stampsTokens<T extends { key: BusinessKey; shape: { columns: readonly string[] } }>(info: T): info is T & { key: { dateColumn: string } } {
  return Boolean(info.key.dateColumn) && info.shape.columns.includes(TOKEN_COLUMN);
}

/** The literal scope of `tokens` (one token per date, as the cleanup's leases give them). */
export function tokenScope(tokens: ReadonlyMap<string, number>, runId: string): FenceScope {
  return fence.literalScope({ dates: [...tokens.keys()].sort(), tokenByDate: Object.fromEntries(tokens), runId });
}

/** Every row of the scope's dates stamped with its date's token (the swap's deduped copy, a restore's rows). */
export function restampSql(ref: string, dateColumn: string, scope: FenceScope): string {
  const date = assertIdentifier('column', dateColumn);
  return `UPDATE ${ref} SET ${TOKEN_COLUMN} = ${scope.tokenFor(date)} WHERE ${scope.datesIn(date)}`;
}

/**
 * The rows of `table` in `where` replaced by those of `source` in `where` (DELETE + INSERT, inside one transaction of
 * the caller's): the table itself, its schema, partitioning, clustering and description stay as they are.
 */
export function replaceRowsSql(table: string, source: string, columns: readonly string[], where: string): string[] {
  const list = columns.map((c) => assertIdentifier('column', c)).join(', ');
  return [`DELETE FROM ${table} WHERE ${where}`, `INSERT INTO ${table} (${list})\nSELECT ${list} FROM ${source} WHERE ${where}`];
}

/**
 * Runs the fenced write. A transaction aborted by a concurrent one (fenced writes of any dates conflict on the fence
 * table) is retried under the runner's retry rule, like every other fenced writer.
 */
export async function fencedWrite(bigquery: BigQuery, target: WarehouseTarget, write: FencedWrite, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<void> {
  const scope = tokenScope(write.tokens, write.runId);
  const fenceRef = tableRef(target, 'grading_write_fence');
  await withRetries(() => bigquery.query({ query: fence.seedFenceStatement(fenceRef, write.table, scope), location: target.location }), policy);
  const query = fence.fencedTransaction(fenceRef, write.table, scope, write.statements(scope));
  await withRetries(() => bigquery.query({ query, params: write.params, location: target.location }), policy);
}

/**
 * `statements` in one all-or-nothing transaction without the fence: only for a table none of the cleanup's leases
 * fences (no date column, or rows without lock_token: their writers, if any, hold another lock or none; see
 * docs/cleanup.md). Retried on a concurrent-update abort like a fenced write.
 */
export async function unfencedWrite(bigquery: BigQuery, target: WarehouseTarget, write: { statements: string[]; params?: Record<string, unknown> }, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<void> {
  const query = fence.unfencedTransaction(write.statements);
  await withRetries(() => bigquery.query({ query, params: write.params, location: target.location }), policy);
}

/** What every cleanup command works with, and the errors that map to its exit codes. */
import type { BigQuery } from '@google-cloud/bigquery';
import type { Firestore } from '@google-cloud/firestore';
import type { Alerter } from '../alerts/index.ts';
import type { Logger } from '../log/logger.ts';
import type { Executor } from '../runner/executors/executor.ts';
import { keyedTable } from '../warehouse/duplicates.ts';
import { ExitCode, UsageError } from '../runner/exit-codes.ts';
import { assertIdentifier, type WarehouseTarget } from '../warehouse/target.ts';
import type { Progress } from './progress.ts';
import type { Counter } from './profile.ts';
import { tableShape, type TableShape } from './table-meta.ts';
import type { BusinessKey } from './types.ts';

export interface CleanupContext {
  bigquery: BigQuery;
  firestore: Firestore;
  target: WarehouseTarget;
  /** What runs Dataform for the reporting recompute: the command's --executor, as grade's (runner/executors/). */
  executor: Executor;
  log: Logger;
  alerter: Alerter;
  progress: Progress;
  /** Full reads of a table made by this command. */
  scans: string[];
  counter: Counter;
}

/** A verification failed: the cleanup stopped before the swap (exit 3). */
export class VerificationError extends Error {
  override name = 'VerificationError';
  readonly exitCode = ExitCode.duplicatesOrAssertion;
}

/** Tables the cleanup itself writes: cleaning them would race with its own audit. */
const REFUSED = new Set(['grading_runs']);

export interface KeyedTableInfo {
  table: string;
  key: BusinessKey;
  shape: TableShape;
}

/** The table to clean: declared in includes/business_keys.js, an existing table (not a view). Bad input otherwise. */
export async function resolveTable(ctx: Pick<CleanupContext, 'bigquery' | 'target'>, table: string): Promise<KeyedTableInfo> {
  assertIdentifier('table', table);
  let key: BusinessKey;
  try {
    key = keyedTable(table);
  } catch {
    throw new UsageError(`Table ${table} has no business key declared in includes/business_keys.js; the cleanup needs one to know what a duplicate is`);
  }
  if (REFUSED.has(table)) throw new UsageError(`Table ${table} is written by the cleanup itself (its audit) and cannot be cleaned by it`);
  const shape = await tableShape(ctx.bigquery, ctx.target, table);
  if (!shape) throw new UsageError(`Unknown table ${ctx.target.dataset}.${table}`);
  if (shape.type !== 'TABLE') throw new UsageError(`${ctx.target.dataset}.${table} is a ${shape.type.toLowerCase()}, not a table`);
  return { table, key, shape };
}

export function counterFor(scans: string[]): Counter {
  return { scan: (what) => void scans.push(what) };
}

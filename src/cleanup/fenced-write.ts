/**
 * How the cleanup's restore writes a fenced table: through the project's one fenced-write mechanism
 * (includes/fence.js), with a literal scope — each date fenced by the token of the grading lease the restore holds for
 * it. The fence rows are seeded, then one transaction refuses if a higher token was committed for any date, runs the
 * statements and moves the fence of every date to its token: a stale restore (its lease lost while paused) is refused
 * by the storage, and no stale writer commits after it.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import fence from '../../includes/fence.js';
import { tableRef, type WarehouseTarget } from '../warehouse/target.ts';

export interface FencedWrite {
  table: string;
  /** date (YYYY-MM-DD) -> the fencing token of the grading lease held for it. */
  tokens: ReadonlyMap<string, number>;
  /** Statements run inside the transaction, after the fence check (may use `params`); none: only the fence moves. */
  statements: string[];
  params?: Record<string, unknown>;
  runId: string;
}

const CONCURRENT = /concurrent update/i;

/** Runs the fenced write; a transaction aborted by a concurrent one (fenced writes of any dates conflict) is retried. */
export async function fencedWrite(bigquery: BigQuery, target: WarehouseTarget, write: FencedWrite, attempts = 5): Promise<void> {
  const dates = [...write.tokens.keys()].sort();
  const scope = fence.literalScope({ dates, tokenByDate: Object.fromEntries(write.tokens), runId: write.runId });
  const fenceRef = tableRef(target, 'grading_write_fence');
  await bigquery.query({ query: fence.seedFenceStatement(fenceRef, write.table, scope), location: target.location });
  const query = fence.fencedTransaction(fenceRef, write.table, scope, write.statements);
  for (let attempt = 1; ; attempt++) {
    try {
      await bigquery.query({ query, params: write.params, location: target.location });
      return;
    } catch (error) {
      if (attempt >= attempts || !CONCURRENT.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
    }
  }
}

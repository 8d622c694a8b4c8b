/**
 * How the cleanup's restore writes a fenced table: one script, one job — the fence rows of its dates seeded, then a
 * transaction that refuses if any date has a higher committed token than the lease the restore holds for it, runs the
 * write statements and moves the fence of every date to its token. A stale restore (its lease lost while paused) is
 * refused by the storage, and no stale writer can commit after it.
 *
 * Interim: issue 20.1 asks for ONE fenced-write function shared by the Dataform includes and TypeScript (being built on
 * another branch). When it lands, `fencedWrite` becomes one call to it; callers (restore.ts) keep this signature.
 */
import { createRequire } from 'node:module';
import type { BigQuery } from '@google-cloud/bigquery';
import { FENCE_ERROR_PREFIX } from '../runner/dataform-outcome.ts';
import { tableRef, type WarehouseTarget } from '../warehouse/target.ts';

const require = createRequire(import.meta.url);
const sqlHelpers: { transactionRethrowingErrors(statements: string): string } = require('../../includes/sql_helpers.js');

export interface FencedWrite {
  table: string;
  /** date (YYYY-MM-DD) -> the fencing token of the grading lease held for it. */
  tokens: ReadonlyMap<string, number>;
  /** Statements run inside the transaction, after the fence check (may use `params`). */
  statements: string[];
  params?: Record<string, unknown>;
  runId: string;
}

/** Dates and tokens become literals (the fence is per date): both are checked here, never user text. */
function dateTokenCase(tokens: ReadonlyMap<string, number>): { list: string; token: string } {
  const entries = [...tokens].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [date, token] of entries) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isSafeInteger(token) || token < 0) throw new Error(`invalid fence date/token ${date}:${token}`);
  }
  return {
    list: entries.map(([date]) => `DATE '${date}'`).join(', '),
    token: `CASE game_date ${entries.map(([date, token]) => `WHEN DATE '${date}' THEN ${token}`).join(' ')} END`,
  };
}

/**
 * Outside the transaction (a script's DECLAREs come first): a fence row for every date, so the transaction always
 * updates existing rows and two writers of a date always conflict.
 */
export function seedFenceSql(target: WarehouseTarget, write: FencedWrite): string {
  return `MERGE ${tableRef(target, 'grading_write_fence')} AS fence
USING (SELECT d AS game_date, @fence_table AS table_name FROM UNNEST([${dateTokenCase(write.tokens).list}]) AS d) AS seed
ON fence.game_date = seed.game_date AND fence.table_name = seed.table_name
WHEN NOT MATCHED THEN
  INSERT (game_date, table_name, max_lock_token, run_id, updated_at) VALUES (seed.game_date, seed.table_name, -1, CAST(NULL AS STRING), CURRENT_TIMESTAMP())`;
}

export function fencedWriteSql(target: WarehouseTarget, write: FencedWrite): string {
  const fence = tableRef(target, 'grading_write_fence');
  const { list, token } = dateTokenCase(write.tokens);
  const body = write.statements.map((s) => `  ${s.replaceAll('\n', '\n  ')};`).join('\n\n');
  return `DECLARE committed_token INT64;
${sqlHelpers.transactionRethrowingErrors(`  SET committed_token = (
    SELECT MAX(max_lock_token) FROM ${fence}
    WHERE table_name = @fence_table AND game_date IN (${list}) AND max_lock_token > ${token}
  );
  IF committed_token IS NOT NULL THEN
    RAISE USING MESSAGE = CONCAT('${FENCE_ERROR_PREFIX}: ', @fence_table, ' restore: a lease token is lower than committed token ', CAST(committed_token AS STRING));
  END IF;

${body}

  UPDATE ${fence} SET max_lock_token = ${token}, run_id = @fence_run_id, updated_at = CURRENT_TIMESTAMP()
  WHERE table_name = @fence_table AND game_date IN (${list});`)}`;
}

const CONCURRENT = /concurrent update/i;

/** Runs the fenced write; a transaction aborted by a concurrent one (fenced writes of any dates conflict) is retried. */
export async function fencedWrite(bigquery: BigQuery, target: WarehouseTarget, write: FencedWrite, attempts = 5): Promise<void> {
  if (write.tokens.size === 0) throw new Error('a fenced write needs at least one date');
  const query = fencedWriteSql(target, write);
  const params = { ...write.params, fence_table: write.table, fence_run_id: write.runId };
  await bigquery.query({ query: seedFenceSql(target, write), params: { fence_table: write.table }, location: target.location });
  for (let attempt = 1; ; attempt++) {
    try {
      await bigquery.query({ query, params, location: target.location });
      return;
    } catch (error) {
      if (attempt >= attempts || !CONCURRENT.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
    }
  }
}

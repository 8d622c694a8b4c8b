/**
 * The statements of a remediation of one date of prediction_accuracy. Every value travels as a query parameter;
 * table names are validated identifiers (tableRef).
 */
import { createRequire } from 'node:module';
import businessKeys from '../../includes/business_keys.js';
import { FENCE_ERROR_PREFIX } from '../runner/dataform-outcome.ts';
import schemas from '../../includes/schemas.js';
import { keyedTable, windowPartitionColumns } from '../warehouse/duplicates.ts';
import { tableRef, type WarehouseTarget } from '../warehouse/target.ts';

export const REMEDIATED_TABLE = 'prediction_accuracy';
export type Keep = 'earliest' | 'latest';

const require = createRequire(import.meta.url);
const sqlHelpers: { transactionRethrowingErrors(statements: string): string } = require('../../includes/sql_helpers.js');

const key = () => keyedTable(REMEDIATED_TABLE);
const columns = () => schemas.columnNames(REMEDIATED_TABLE) as string[];

/** Which row of a key survives: earliest (or latest) graded_at, then deterministic tie-breakers down to the whole row. */
export function keepOrder(keep: Keep): string {
  const dir = keep === 'earliest' ? 'ASC' : 'DESC';
  return [
    `graded_at ${dir} NULLS LAST`,
    'lock_token DESC',
    `run_id ${dir}`,
    `prediction_id ${dir}`,
    `TO_JSON_STRING(STRUCT(${columns().join(', ')})) ${dir}`,
  ].join(', ');
}

/** A NULL-safe single-value fingerprint of a row's business key, for set comparisons. */
export function keyExpression(): string {
  const sentinel = Number(businessKeys.NULL_LINE_SENTINEL);
  return `TO_JSON_STRING(STRUCT(${key().keyColumns.map((c) => (key().nullableKeyColumns.includes(c) ? `IFNULL(${c}, ${sentinel}) AS ${c}` : c)).join(', ')}))`;
}

export function backupSql(target: WarehouseTarget, backupTable: string): string {
  return `CREATE TABLE ${tableRef(target, backupTable)} AS
SELECT * FROM ${tableRef(target, REMEDIATED_TABLE)} WHERE game_date = @date`;
}

/** Rows and distinct keys of the date in a table. */
export function countsSql(target: WarehouseTarget, table: string): string {
  return `SELECT COUNT(*) AS row_count, COUNT(DISTINCT ${keyExpression()}) AS key_count
FROM ${tableRef(target, table)} WHERE game_date = @date`;
}

/** Keys in one table's date and not in the other's (both directions): 0 and 0 means the key sets are equal. */
export function keySetDiffSql(target: WarehouseTarget, backupTable: string): string {
  const k = keyExpression();
  const live = `SELECT ${k} AS k FROM ${tableRef(target, REMEDIATED_TABLE)} WHERE game_date = @date`;
  const backup = `SELECT ${k} AS k FROM ${tableRef(target, backupTable)} WHERE game_date = @date`;
  return `SELECT
  (SELECT COUNT(*) FROM (${backup} EXCEPT DISTINCT ${live})) AS missing_keys,
  (SELECT COUNT(*) FROM (${live} EXCEPT DISTINCT ${backup})) AS new_keys`;
}

export function seedFenceSql(target: WarehouseTarget): string {
  return `MERGE ${tableRef(target, 'grading_write_fence')} AS fence
USING (SELECT @date AS game_date, '${REMEDIATED_TABLE}' AS table_name, -1 AS max_lock_token, CAST(NULL AS STRING) AS run_id, CURRENT_TIMESTAMP() AS updated_at) AS seed
ON fence.game_date = seed.game_date AND fence.table_name = seed.table_name
WHEN NOT MATCHED THEN
  INSERT (game_date, table_name, max_lock_token, run_id, updated_at)
  VALUES (seed.game_date, seed.table_name, seed.max_lock_token, seed.run_id, seed.updated_at)`;
}

/**
 * One transaction: refuse a lower fencing token than one committed for the date, refuse if the date's rows changed
 * since the backup, replace the date's rows by one row per key, check the result, move the fence. Any failure
 * rolls the whole thing back and re-raises the original message.
 */
export function remediationScript(target: WarehouseTarget, keep: Keep): string {
  const table = tableRef(target, REMEDIATED_TABLE);
  const fence = tableRef(target, 'grading_write_fence');
  const cols = columns().join(', ');
  const partition = windowPartitionColumns(REMEDIATED_TABLE).join(', ');
  return `-- gradeguard remediate: one row per business key of prediction_accuracy for @date, keeping the ${keep} graded_at
DECLARE committed_token INT64;
${sqlHelpers.transactionRethrowingErrors(`  SET committed_token = (SELECT MAX(max_lock_token) FROM ${fence} WHERE table_name = '${REMEDIATED_TABLE}' AND game_date = @date);
  IF committed_token > @lock_token THEN
    RAISE USING MESSAGE = CONCAT('${FENCE_ERROR_PREFIX}: ${REMEDIATED_TABLE}: lock_token ', CAST(@lock_token AS STRING), ' is lower than committed token ', CAST(committed_token AS STRING));
  END IF;
  IF (SELECT COUNT(*) FROM ${table} WHERE game_date = @date) != @expected_rows THEN
    RAISE USING MESSAGE = 'gradeguard remediate: the rows of the date changed since the backup was taken; nothing removed';
  END IF;

  CREATE TEMP TABLE remediate_keep AS
  SELECT ${cols}
  FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY ${partition} ORDER BY ${keepOrder(keep)}) AS __keep_rank
    FROM ${table}
    WHERE game_date = @date
  )
  WHERE __keep_rank = 1;

  DELETE FROM ${table} WHERE game_date = @date;
  INSERT INTO ${table} (${cols}) SELECT ${cols} FROM remediate_keep;

  IF (SELECT COUNT(*) FROM ${table} WHERE game_date = @date) != @expected_keys THEN
    RAISE USING MESSAGE = 'gradeguard remediate: the result does not have one row per key; rolled back';
  END IF;

  UPDATE ${fence} SET max_lock_token = @lock_token, run_id = @run_id, updated_at = CURRENT_TIMESTAMP()
  WHERE table_name = '${REMEDIATED_TABLE}' AND game_date = @date AND max_lock_token < @lock_token;`)}`;
}

/** Puts the date back exactly as the backup has it (used when verification after the commit fails). */
export function restoreScript(target: WarehouseTarget, backupTable: string): string {
  const table = tableRef(target, REMEDIATED_TABLE);
  const cols = columns().join(', ');
  return `BEGIN TRANSACTION;
DELETE FROM ${table} WHERE game_date = @date;
INSERT INTO ${table} (${cols}) SELECT ${cols} FROM ${tableRef(target, backupTable)} WHERE game_date = @date;
COMMIT TRANSACTION`;
}

/**
 * The statements of a remediation of one date of prediction_accuracy. Every value travels as a query parameter;
 * table names are validated identifiers (tableRef).
 */
import businessKeys from '../../includes/business_keys.js';
import fence from '../../includes/fence.js';
import schemas from '../../includes/schemas.js';
import { keyedTable, windowPartitionColumns } from '../warehouse/duplicates.ts';
import { tableRef, type WarehouseTarget } from '../warehouse/target.ts';

export const REMEDIATED_TABLE = 'prediction_accuracy';
export type Keep = 'earliest' | 'latest';

const key = () => keyedTable(REMEDIATED_TABLE);
const columns = () => schemas.columnNames(REMEDIATED_TABLE) as string[];

/** Which row of a key survives: earliest (or latest) graded_at, then deterministic tie-breakers down to the whole row. */
function keepOrder(keep: Keep): string {
  const dir = keep === 'earliest' ? 'ASC' : 'DESC';
  return [`graded_at ${dir} NULLS LAST`, 'lock_token DESC', `run_id ${dir}`, `prediction_id ${dir}`, `TO_JSON_STRING(STRUCT(${columns().join(', ')})) ${dir}`].join(', ');
}

/** A NULL-safe single-value fingerprint of a row's business key, for set comparisons. */
function keyExpression(): string {
  const sentinel = Number(businessKeys.NULL_LINE_SENTINEL);
  return `TO_JSON_STRING(STRUCT(${key()
    .keyColumns.map((c) => (key().nullableKeyColumns.includes(c) ? `IFNULL(${c}, ${sentinel}) AS ${c}` : c))
    .join(', ')}))`;
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

/**
 * The select list that rewrites the date's rows under the remediation's lease: every column as it is, but lock_token
 * becomes @lock_token, so the rows carry the token the fence now holds (rows' tokens equal the fence, as for grading).
 */
function restampedColumns(): string {
  return columns()
    .map((c) => (c === 'lock_token' ? '@lock_token AS lock_token' : c))
    .join(', ');
}

/** The fence scope of every fenced statement of a remediation: @dates (the one date), @lock_token, @run_id. */
const scope = () => fence.parameterScope();

/** Makes sure the date's fence row exists, outside the transaction (includes/fence.js). */
export function seedFenceSql(target: WarehouseTarget): string {
  return fence.seedFenceStatement(tableRef(target, 'grading_write_fence'), REMEDIATED_TABLE, scope());
}

/**
 * The fenced transaction (includes/fence.js: refused when a higher token was committed for the date, the fence moved
 * to @lock_token): refuse if the date's rows changed since the backup, replace them by one row per key, check the
 * result. Any failure rolls the whole thing back and re-raises the original message.
 */
export function remediationScript(target: WarehouseTarget, keep: Keep): string {
  const table = tableRef(target, REMEDIATED_TABLE);
  const cols = columns().join(', ');
  const partition = windowPartitionColumns(REMEDIATED_TABLE).join(', ');
  const ofDate = scope().datesIn('game_date');
  return `-- gradeguard remediate: one row per business key of ${REMEDIATED_TABLE}, keeping the ${keep} graded_at
${fence.fencedTransaction(tableRef(target, 'grading_write_fence'), REMEDIATED_TABLE, scope(), [
  `IF (SELECT COUNT(*) FROM ${table} WHERE ${ofDate}) != @expected_rows THEN
  RAISE USING MESSAGE = 'gradeguard remediate: the rows of the date changed since the backup was taken; nothing removed';
END IF`,
  `CREATE TEMP TABLE remediate_keep AS
SELECT ${cols}
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY ${partition} ORDER BY ${keepOrder(keep)}) AS __keep_rank
  FROM ${table}
  WHERE ${ofDate}
)
WHERE __keep_rank = 1`,
  `DELETE FROM ${table} WHERE ${ofDate}`,
  `INSERT INTO ${table} (${cols}) SELECT ${restampedColumns()} FROM remediate_keep`,
  `IF (SELECT COUNT(*) FROM ${table} WHERE ${ofDate}) != @expected_keys THEN
  RAISE USING MESSAGE = 'gradeguard remediate: the result does not have one row per key; rolled back';
END IF`,
])}`;
}

/**
 * Puts the date's rows back as the backup has them (when verification after the commit fails; tokens restamped like
 * every fenced write), as a fenced write with
 * the remediation's own token: it passes over the remediation's own commit (equal token) and is refused when a newer
 * holder has written the date since.
 */
export function restoreScript(target: WarehouseTarget, backupTable: string): string {
  const table = tableRef(target, REMEDIATED_TABLE);
  const cols = columns().join(', ');
  const ofDate = scope().datesIn('game_date');
  return `-- gradeguard remediate: put ${REMEDIATED_TABLE} back from ${backupTable}
${fence.fencedTransaction(tableRef(target, 'grading_write_fence'), REMEDIATED_TABLE, scope(), [
  `DELETE FROM ${table} WHERE ${ofDate}`,
  `INSERT INTO ${table} (${cols}) SELECT ${restampedColumns()} FROM ${tableRef(target, backupTable)} WHERE ${ofDate}`,
])}`;
}

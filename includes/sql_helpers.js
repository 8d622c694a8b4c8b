/**
 * SQL builders shared by the definitions. Plain BigQuery that the local emulator also runs: no FARM_FINGERPRINT, no keys
 * concatenated from CAST(float AS STRING); GROUP BY on the key columns themselves and window PARTITION BY on them with
 * float keys as text (windowPartitionColumns; both treat NULLs as equal), and in equality joins NULL matching only NULL
 * (keyEquals), the same rule, so a MERGE matches exactly as its source was deduplicated.
 */
const businessKeys = require("./business_keys");
const schemas = require("./schemas");
const { runVars } = require("./run_vars");
const fence = require("./fence");
const { dateLiteral, indent, sqlString } = require("./sql_text");

/** The run's dates as a comma-separated list of DATE literals. */
function runDateList() {
  return runVars().gameDates.map(dateLiteral).join(", ");
}

/** `column IN (<run dates>)`: a constant filter, so BigQuery prunes to the run's partitions. */
function inRunDates(column) {
  return `${column} IN (${runDateList()})`;
}

function keyOf(tableName) {
  const key = businessKeys.tables[tableName];
  if (!key) throw new Error(`business_keys: unknown table ${tableName}`);
  return key;
}

/** Date column (when scoped) followed by the business key: what GROUP BY / PARTITION BY use. */
function keyColumnsWithDate(tableName) {
  const key = keyOf(tableName);
  return key.dateColumn ? [key.dateColumn, ...key.keyColumns] : [...key.keyColumns];
}

/**
 * The date column and business key as window PARTITION BY expressions. BigQuery refuses FLOAT64 there ("Partitioning
 * by expressions of type FLOAT64 is not allowed"; GROUP BY accepts it), so float key columns (the lines) are
 * partitioned by their text: CAST(FLOAT64 AS STRING) is the shortest round-trip form, distinct for distinct values,
 * and NULL lines stay NULL (one partition, as GROUP BY groups them).
 */
function windowPartitionColumns(tableName) {
  return keyColumnsWithDate(tableName).map((column) => (schemas.columnType(tableName, column) === "FLOAT64" ? `CAST(${column} AS STRING)` : column));
}

/**
 * NULL-safe equality of two rows' business keys (for MERGE ON / joins): a NULL key column equals only NULL, as GROUP BY
 * and the window partitions of windowPartitionColumns group them. (A sentinel such as IFNULL(line, -1) would also equal
 * a real -1: a staged -1 and a staged NULL of one key, two source rows after deduplication, would then match the same
 * target row, which BigQuery refuses at run time.)
 */
function keyEquals(tableName, left, right) {
  const key = keyOf(tableName);
  return keyColumnsWithDate(tableName)
    .map((column) =>
      key.nullableKeyColumns.includes(column) ? `(${left}.${column} = ${right}.${column} OR (${left}.${column} IS NULL AND ${right}.${column} IS NULL))` : `${left}.${column} = ${right}.${column}`,
    )
    .join("\n    AND ");
}

/** QUALIFY keeping the row to keep (latestFirst) per business key. */
function keepLatestPerKey(tableName) {
  const key = keyOf(tableName);
  return `QUALIFY ROW_NUMBER() OVER (\n  PARTITION BY ${windowPartitionColumns(tableName).join(", ")}\n  ORDER BY ${key.latestFirst.join(", ")}\n) = 1`;
}

/** Scope filter of a keyed table for this run: its date column in the run's dates (no filter when not date-scoped). */
function runScope(tableName) {
  const key = keyOf(tableName);
  return key.dateColumn ? inRunDates(key.dateColumn) : "TRUE";
}

/**
 * Business keys having more than one row within the run's scope, with their count and first/last write times.
 * Used both to record duplicates in grading_duplicate_audit and by the uniqueness assertion, so both see the same keys.
 * The TypeScript commands pass their own scope (a parameterized date filter) and reuse the same query.
 */
function duplicateKeysQuery(tableName, tableRef, scope = runScope(tableName)) {
  const key = keyOf(tableName);
  const columns = keyColumnsWithDate(tableName).join(", ");
  return `SELECT
  ${columns},
  COUNT(*) AS occurrence_count,
  MIN(${key.writtenAtColumn}) AS first_graded_at,
  MAX(${key.writtenAtColumn}) AS last_graded_at
FROM ${tableRef}
WHERE ${scope}
GROUP BY ${columns}
HAVING COUNT(*) > 1`;
}

/** Append this run's duplicate keys of a table to grading_duplicate_audit (INSERT only: the audit is append-only). */
function recordDuplicatesStatement(tableName, tableRef, auditRef) {
  const key = keyOf(tableName);
  const { runId } = runVars();
  const keyTargets = key.keyColumns.map((column) => businessKeys.auditColumnFor(tableName, column));
  const targetColumns = ["detected_at", "run_id", "game_date", "processor", ...keyTargets, "occurrence_count", "first_graded_at", "last_graded_at"];
  const dateValue = key.dateColumn ? key.dateColumn : "CAST(NULL AS DATE)";
  return `INSERT INTO ${auditRef} (${targetColumns.join(", ")})
SELECT
  CURRENT_TIMESTAMP(),
  ${sqlString(runId)},
  ${dateValue},
  ${sqlString(tableName)},
  ${key.keyColumns.join(",\n  ")},
  occurrence_count,
  first_graded_at,
  last_graded_at
FROM (
${duplicateKeysQuery(tableName, tableRef)}
) AS duplicate_keys`;
}

/** CREATE TABLE IF NOT EXISTS from schemas.js (DDL: must stay outside transactions). */
function createTableIfNotExists(tableRef, tableName) {
  const table = schemas.schema(tableName);
  const columns = table.columns.map(([name, type]) => `  ${name} ${type}`).join(",\n");
  const partition = table.partitionBy ? `\nPARTITION BY ${table.partitionBy}` : "";
  const cluster = table.clusterBy ? `\nCLUSTER BY ${table.clusterBy.join(", ")}` : "";
  return `CREATE TABLE IF NOT EXISTS ${tableRef} (\n${columns}\n)${partition}${cluster}\nOPTIONS (description = ${sqlString(table.description)})`;
}

/** The fence scope of this compilation: the run's dates, each with its token, and the run id (includes/fence.js). */
function runFenceScope() {
  const { gameDates, tokenByDate, runId } = runVars();
  return fence.literalScope({ dates: gameDates, tokenByDate, runId });
}

/** Outside the transaction: the run's fence rows exist (fence.seedFenceStatement). */
function seedFenceStatement(fenceRef, tableName) {
  return fence.seedFenceStatement(fenceRef, tableName, runFenceScope());
}

/** The run's fenced atomic write of a table (fence.fencedTransaction, scoped by the run's dates and tokens). */
function fencedTransaction(fenceRef, tableName, writeStatements) {
  return fence.fencedTransaction(fenceRef, tableName, runFenceScope(), writeStatements);
}

/** DELETE the run's dates then INSERT their new rows (inside fencedTransaction). */
function replaceRunDatesStatements(tableRef, tableName, selectSql) {
  const key = keyOf(tableName);
  const columns = schemas.columnNames(tableName).join(", ");
  return [`DELETE FROM ${tableRef}\nWHERE ${inRunDates(key.dateColumn)}`, `INSERT INTO ${tableRef} (${columns})\nSELECT ${columns}\nFROM (\n${indent(selectSql, "  ")}\n) AS replacement`];
}

/** SELECT list metadata of a run's written rows; dateExpression is the row's run date (for its fencing token). */
function runColumnsSelect(timestampColumn, dateExpression) {
  const { runId } = runVars();
  return `CURRENT_TIMESTAMP() AS ${timestampColumn},\n  ${sqlString(runId)} AS run_id,\n  ${runFenceScope().tokenFor(dateExpression)} AS lock_token`;
}

module.exports = {
  sqlString,
  dateLiteral,
  runDateList,
  inRunDates,
  runScope,
  keyColumnsWithDate,
  windowPartitionColumns,
  keyEquals,
  keepLatestPerKey,
  duplicateKeysQuery,
  recordDuplicatesStatement,
  createTableIfNotExists,
  seedFenceStatement,
  fencedTransaction,
  replaceRunDatesStatements,
  runColumnsSelect,
};

/**
 * SQL builders shared by the definitions. Plain BigQuery that the local emulator also runs: no FARM_FINGERPRINT, no keys
 * concatenated from CAST(float AS STRING); GROUP BY on the key columns themselves and window PARTITION BY on them with
 * float keys as text (windowPartitionColumns; both treat NULLs as equal), and in equality joins NULL matching only NULL
 * (keyEquals), the same rule, so a MERGE matches exactly as its source was deduplicated.
 */
const businessKeys = require("./business_keys");
const schemas = require("./schemas");
const { runVars } = require("./run_vars");
const { FENCE_ERROR_PREFIX } = require("./constants");

/** A SQL string literal. Vars are validated to safe characters already; escaping keeps descriptions safe too. */
function sqlString(text) {
  return `'${String(text).replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** DATE('YYYY-MM-DD'): BigQuery parses the literal again and fails the job on garbage. */
function dateLiteral(isoDate) {
  return `DATE(${sqlString(isoDate)})`;
}

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
  return keyColumnsWithDate(tableName).map((column) =>
    schemas.columnType(tableName, column) === "FLOAT64" ? `CAST(${column} AS STRING)` : column,
  );
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
      key.nullableKeyColumns.includes(column)
        ? `(${left}.${column} = ${right}.${column} OR (${left}.${column} IS NULL AND ${right}.${column} IS NULL))`
        : `${left}.${column} = ${right}.${column}`,
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

/** SELECT of the run's dates as rows (game_date), portable (no UNNEST needed). */
function runDatesRows() {
  return runVars()
    .gameDates.map((date) => `SELECT ${dateLiteral(date)} AS game_date`)
    .join("\n    UNION ALL ");
}

/**
 * Outside the transaction: make sure a fence row exists for every (run date, table), with max_lock_token -1.
 * Then the transaction always UPDATEs existing fence rows, and two concurrent writers of one date always mutate the
 * same rows, which BigQuery (and the emulator) turn into a conflict that aborts one of them, even on an empty date.
 */
function seedFenceStatement(fenceRef, tableName) {
  // Every value comes from the source (the WHEN branch only copies columns): one timestamp per statement, and the
  // statement stays in the subset the emulator translates.
  return `MERGE ${fenceRef} AS fence
USING (
  SELECT game_date, ${sqlString(tableName)} AS table_name, -1 AS max_lock_token, CAST(NULL AS STRING) AS run_id, CURRENT_TIMESTAMP() AS updated_at
  FROM (
    ${runDatesRows()}
  ) AS run_dates
) AS seed
ON fence.game_date = seed.game_date AND fence.table_name = seed.table_name
WHEN NOT MATCHED THEN
  INSERT (game_date, table_name, max_lock_token, run_id, updated_at)
  VALUES (seed.game_date, seed.table_name, seed.max_lock_token, seed.run_id, seed.updated_at)`;
}

/**
 * One script, one job: a transaction that checks the fence, runs the write statements and moves the fence, all or
 * nothing. The fence refuses a run when, for any of its dates, the date's lock_token is lower than the highest one
 * committed for that date (equal is allowed: the same lock holder retrying). Token 0 (no lock) therefore passes only
 * while no positive token was committed for the date. Any error rolls back and its original message is re-raised, so the job (and `dataform run`)
 * fails with the cause (the fence prefix, or BigQuery's "concurrent update" abort, which a runner may retry).
 * The variables are declared at the top of the script so the exception handler can use them.
 */
function fencedTransaction(fenceRef, tableName, writeStatements) {
  const { runId, gameDates } = runVars();
  const table = sqlString(tableName);
  const datesText = `${gameDates[0]}..${gameDates[gameDates.length - 1]}`;
  const tokensText = runTokensText();
  const body = writeStatements.map((statement) => `${indent(statement, "  ")};`).join("\n\n");
  return `-- gradeguard: fenced atomic write of ${tableName} for ${datesText}, ${tokensText}, run ${runId}
DECLARE committed_token INT64;
${transactionRethrowingErrors(`  SET committed_token = (
    SELECT MAX(max_lock_token) FROM ${fenceRef}
    WHERE table_name = ${table} AND ${inRunDates("game_date")}
      AND max_lock_token > ${runTokenFor("game_date")}
  );
  IF committed_token IS NOT NULL THEN
    RAISE USING MESSAGE = CONCAT(${sqlString(`${FENCE_ERROR_PREFIX}: ${tableName} ${datesText}: ${tokensText} is lower than committed token `)}, CAST(committed_token AS STRING));
  END IF;

${body}

  UPDATE ${fenceRef}
  SET max_lock_token = ${runTokenFor("game_date")}, run_id = ${sqlString(runId)}, updated_at = CURRENT_TIMESTAMP()
  WHERE table_name = ${table} AND ${inRunDates("game_date")};`)}`;
}

/** The run's one token when every run date has the same (an ordinary run), else undefined (a date_tokens run). */
function sharedRunToken() {
  const { gameDates, tokenByDate } = runVars();
  const tokens = new Set(gameDates.map((date) => tokenByDate[date]));
  return tokens.size === 1 ? [...tokens][0] : undefined;
}

/** The run's fencing token for the date in `dateExpression`: a literal, or a CASE over the run's dates. */
function runTokenFor(dateExpression) {
  const shared = sharedRunToken();
  if (shared !== undefined) return shared;
  const { gameDates, tokenByDate } = runVars();
  const branches = gameDates.map((date) => `WHEN ${dateLiteral(date)} THEN ${tokenByDate[date]}`).join(" ");
  return `CASE ${dateExpression} ${branches} END`;
}

/** "lock_token 42", or for a date_tokens run with several tokens "a lock_token of date_tokens 2026-01-08:12+...". */
function runTokensText() {
  const shared = sharedRunToken();
  if (shared !== undefined) return `lock_token ${shared}`;
  const { gameDates, tokenByDate } = runVars();
  return `a lock_token of date_tokens ${gameDates.map((date) => `${date}:${tokenByDate[date]}`).join("+")}`;
}

/**
 * `BEGIN TRANSACTION; <statements> COMMIT`, all or nothing: on any error, roll back and re-raise the original message.
 * Declares failure_message, so it must follow the script's other DECLAREs. Statements are indented by two spaces.
 */
function transactionRethrowingErrors(statements) {
  return `DECLARE failure_message STRING;
BEGIN
  BEGIN TRANSACTION;

${statements}

  COMMIT TRANSACTION;
EXCEPTION WHEN ERROR THEN
  SET failure_message = @@error.message;
  -- A COMMIT that failed (concurrent update) has already ended the transaction, and ROLLBACK would raise an error of
  -- its own that hides the original one: roll back when a transaction is open, then re-raise the original message.
  BEGIN
    ROLLBACK TRANSACTION;
  EXCEPTION WHEN ERROR THEN
    SET failure_message = CONCAT(failure_message, ' (transaction already ended)');
  END;
  RAISE USING MESSAGE = failure_message;
END`;
}

/** DELETE the run's dates then INSERT their new rows (inside fencedTransaction). */
function replaceRunDatesStatements(tableRef, tableName, selectSql) {
  const key = keyOf(tableName);
  const columns = schemas.columnNames(tableName).join(", ");
  return [
    `DELETE FROM ${tableRef}\nWHERE ${inRunDates(key.dateColumn)}`,
    `INSERT INTO ${tableRef} (${columns})\nSELECT ${columns}\nFROM (\n${indent(selectSql, "  ")}\n) AS replacement`,
  ];
}

/** SELECT list metadata of a run's written rows; dateExpression is the row's run date (for its fencing token). */
function runColumnsSelect(timestampColumn, dateExpression) {
  const { runId } = runVars();
  return `CURRENT_TIMESTAMP() AS ${timestampColumn},\n  ${sqlString(runId)} AS run_id,\n  ${runTokenFor(dateExpression)} AS lock_token`;
}

function indent(text, prefix) {
  return text
    .split("\n")
    .map((line) => (line.length > 0 ? prefix + line : line))
    .join("\n");
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
  transactionRethrowingErrors,
  replaceRunDatesStatements,
  runColumnsSelect,
  runDatesRows,
  indent,
};

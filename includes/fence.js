/**
 * The storage-side fence: the ONE definition of a fenced write, used by the Dataform definitions (through
 * sql_helpers.js, scoped by the compiled run's literal dates and tokens) and by the TypeScript commands that write a
 * fenced table themselves (remediation, the cleanup; scoped by query parameters). Every statement that writes a
 * fenced table — grading, consolidation, aggregates, and every repair, restore and rollback path — runs inside
 * fencedTransaction.
 *
 * The rule, decided once: a write is refused when, for any (date, table) it covers, the highest token already
 * committed is GREATER than its own; an EQUAL token passes. Tokens come from the lock service's per-key counter, which
 * every acquisition raises, so an equal token is the same lease: the runner rerunning a date after a concurrent-update
 * abort (its earlier tables of the date already committed with that token), or remediation putting its own backup
 * back after its own commit. Refusing equal tokens would fail those and protect nothing: the fence exists to protect a
 * NEWER holder's rows, and a newer holder always has a higher token. The fence moves to the writer's token in the same
 * transaction, so it never goes down. Token 0 (no lock) passes only while no locked run committed the date.
 *
 * A scope says which dates a write covers, with which token and run id:
 *   literalScope({ dates, tokenByDate, runId })  literals, validated here (a Dataform compilation, or a TypeScript
 *                                                caller with one token per date, e.g. the cleanup's leases)
 *   parameterScope()                             @dates ARRAY<DATE> (in order, not empty), @lock_token INT64,
 *                                                @run_id STRING
 */
const { FENCE_ERROR_PREFIX } = require("./constants");
const { dateLiteral, indent, sqlString } = require("./sql_text");

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const TOKEN = /^\d{1,18}$/;
const RUN_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

function literalScope({ dates, tokenByDate, runId }) {
  if (!Array.isArray(dates) || dates.length === 0) throw new Error("fence scope: at least one date");
  for (const date of dates) {
    if (!ISO_DATE.test(String(date))) throw new Error(`fence scope: invalid date ${JSON.stringify(date)}`);
    if (!TOKEN.test(String(tokenByDate[date]))) throw new Error(`fence scope: invalid token for ${date}: ${JSON.stringify(tokenByDate[date])}`);
  }
  if (!RUN_ID.test(String(runId))) throw new Error(`fence scope: invalid run id ${JSON.stringify(runId)}`);
  const tokens = new Set(dates.map((date) => String(tokenByDate[date])));
  const shared = tokens.size === 1 ? [...tokens][0] : undefined;
  const tokensText = shared !== undefined ? `lock_token ${shared}` : `a lock_token of date_tokens ${dates.map((date) => `${date}:${tokenByDate[date]}`).join("+")}`;
  const datesText = `${dates[0]}..${dates[dates.length - 1]}`;
  return {
    datesIn: (column) => `${column} IN (${dates.map(dateLiteral).join(", ")})`,
    datesRows: () => dates.map((date) => `SELECT ${dateLiteral(date)} AS game_date`).join("\n    UNION ALL "),
    /** The token of the date in `dateExpression`: a literal, or a CASE over the dates when they differ. */
    tokenFor: (dateExpression) => (shared !== undefined ? shared : `CASE ${dateExpression} ${dates.map((date) => `WHEN ${dateLiteral(date)} THEN ${tokenByDate[date]}`).join(" ")} END`),
    runId: sqlString(runId),
    describe: `${datesText}, ${tokensText}, run ${runId}`,
    /** SQL text of the rejection up to the committed token. */
    rejection: (tableName) => sqlString(`${FENCE_ERROR_PREFIX}: ${tableName} ${datesText}: ${tokensText} is lower than committed token `),
  };
}

function parameterScope() {
  // First and last element rather than MIN/MAX over UNNEST: the local emulator returns an UNNEST alias as a STRUCT in
  // an expression that also reads a script variable (the message reads committed_token), BigQuery the element itself.
  const first = "CAST(@dates[OFFSET(0)] AS STRING)";
  const last = "CAST(@dates[ORDINAL(ARRAY_LENGTH(@dates))] AS STRING)";
  return {
    datesIn: (column) => `${column} IN UNNEST(@dates)`,
    datesRows: () => "SELECT game_date FROM UNNEST(@dates) AS game_date",
    tokenFor: () => "@lock_token",
    runId: "@run_id",
    describe: "@dates, @lock_token, run @run_id",
    rejection: (tableName) => `CONCAT(${sqlString(`${FENCE_ERROR_PREFIX}: ${tableName} `)}, ${first}, '..', ${last}, ': lock_token ', CAST(@lock_token AS STRING), ' is lower than committed token ')`,
  };
}

/**
 * Outside the transaction: make sure a fence row exists for every (date, table) of the scope, with max_lock_token -1.
 * Then the transaction always UPDATEs existing fence rows, and two concurrent writers of one date always mutate the
 * same rows, which BigQuery (and the emulator) turn into a conflict that aborts one of them, even on an empty date.
 */
function seedFenceStatement(fenceRef, tableName, scope) {
  // Every value comes from the source (the WHEN branch only copies columns): one timestamp per statement, and the
  // statement stays in the subset the emulator translates.
  return `MERGE ${fenceRef} AS fence
USING (
  SELECT game_date, ${sqlString(tableName)} AS table_name, -1 AS max_lock_token, CAST(NULL AS STRING) AS run_id, CURRENT_TIMESTAMP() AS updated_at
  FROM (
    ${scope.datesRows()}
  ) AS run_dates
) AS seed
ON fence.game_date = seed.game_date AND fence.table_name = seed.table_name
WHEN NOT MATCHED THEN
  INSERT (game_date, table_name, max_lock_token, run_id, updated_at)
  VALUES (seed.game_date, seed.table_name, seed.max_lock_token, seed.run_id, seed.updated_at)`;
}

/**
 * One script, one job: a transaction that checks the fence (the rule above), runs the write statements and moves the
 * fence to the scope's token, all or nothing. Any error rolls back and its original message is re-raised, so the job
 * fails with the cause (the fence prefix, or BigQuery's "concurrent update" abort, which a caller may retry). The
 * variables are declared at the top of the script so the exception handler can use them. The fence UPDATE touches
 * every fence row of the scope (never only some), so concurrent writers of a date always conflict.
 */
function fencedTransaction(fenceRef, tableName, scope, writeStatements) {
  const table = sqlString(tableName);
  const body = writeStatements.map((statement) => `${indent(statement, "  ")};`).join("\n\n");
  return `-- gradeguard: fenced atomic write of ${tableName} for ${scope.describe}
DECLARE committed_token INT64;
${transactionRethrowingErrors(`  SET committed_token = (
    SELECT MAX(max_lock_token) FROM ${fenceRef}
    WHERE table_name = ${table} AND ${scope.datesIn("game_date")}
      AND max_lock_token > ${scope.tokenFor("game_date")}
  );
  IF committed_token IS NOT NULL THEN
    RAISE USING MESSAGE = CONCAT(${scope.rejection(tableName)}, CAST(committed_token AS STRING));
  END IF;

${body}

  UPDATE ${fenceRef}
  SET max_lock_token = ${scope.tokenFor("game_date")}, run_id = ${scope.runId}, updated_at = CURRENT_TIMESTAMP()
  WHERE table_name = ${table} AND ${scope.datesIn("game_date")};`)}`;
}

/**
 * The same all-or-nothing script without the fence, for a table no lock's token fences (a table without a date, or one
 * whose writers hold a lock other than the one the caller holds): the cleanup's swap of such a table. Never for a table
 * a fenced writer writes under the caller's lock: that is fencedTransaction.
 */
function unfencedTransaction(writeStatements) {
  return `-- gradeguard: atomic write (not fenced)
${transactionRethrowingErrors(writeStatements.map((statement) => `${indent(statement, "  ")};`).join("\n\n"))}`;
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

module.exports = { literalScope, parameterScope, seedFenceStatement, fencedTransaction, unfencedTransaction };

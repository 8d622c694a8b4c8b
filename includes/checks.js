/**
 * Data checks of a keyed table, declared from a definitions/<area>/*.checks.js file next to the table:
 *   record_duplicates_<table>      operation: appends this run's duplicate keys to grading_duplicate_audit
 *   assert_<table>_unique_key      assertion: no duplicate business key, ordered after the recording, so a failing
 *                                  assertion always leaves its keys in the audit table
 *   assert_<table>_row_conditions  assertion: key columns not NULL and the table's row conditions
 * Every check reads only the run's dates of a date-scoped table (vars game_date/lookback_days), never the whole table.
 */
const businessKeys = require("./business_keys");
const sqlHelpers = require("./sql_helpers");
const { TAGS } = require("./constants");

const AUDIT_TABLE = "grading_duplicate_audit";
/** The action that creates the audit table (and every other owned table) before any check runs. */
const TABLES_ACTION = "create_pipeline_tables";

function recordDuplicatesName(tableName) {
  return `record_duplicates_${tableName}`;
}

function uniqueKeyAssertionName(tableName) {
  return `assert_${tableName}_unique_key`;
}

function rowConditionsAssertionName(tableName) {
  return `assert_${tableName}_row_conditions`;
}

/**
 * Rows violating a condition, named by the first condition they break, in ONE scan of the run's partitions.
 * `NOT COALESCE(condition, FALSE)`: a condition that evaluates to NULL counts as violated. The date column of a
 * date-scoped table is not checked for NULL here: the scope filter already excludes NULL dates.
 */
function rowConditionsQuery(tableName, tableRef, conditions) {
  const key = businessKeys.tables[tableName];
  const keyColumns = sqlHelpers.keyColumnsWithDate(tableName);
  const notNull = keyColumns.filter((column) => column !== key.dateColumn && !key.nullableKeyColumns.includes(column)).map((column) => `${column} IS NOT NULL`);
  const whenFailed = [...notNull, ...conditions]
    // The label drops quotes so it needs no escaping in any SQL dialect the emulator translates to.
    .map((condition) => `      WHEN NOT COALESCE(${condition}, FALSE) THEN ${sqlHelpers.sqlString(condition.replace(/'/g, ""))}`)
    .join("\n");
  return `SELECT *
FROM (
  SELECT
    CASE
${whenFailed}
    END AS failed_condition,
    ${keyColumns.join(", ")}
  FROM ${tableRef}
  WHERE ${sqlHelpers.runScope(tableName)}
) AS checked_rows
WHERE failed_condition IS NOT NULL`;
}

/**
 * Declares the checks of one table. `tags` are the table's tags; the recording operation also carries `audit`.
 * `after`: actions that write the table without being its ref target (e.g. the MERGE into a declared source).
 * `rowConditions` are SQL boolean expressions that must hold on every row (write them NULL-tolerant where NULL is valid).
 */
function declareKeyChecks({ table, tags, rowConditions = [], after = [] }) {
  const recordName = recordDuplicatesName(table);
  operate(recordName, (ctx) => sqlHelpers.recordDuplicatesStatement(table, ctx.ref(table), ctx.ref(AUDIT_TABLE)))
    .tags([...new Set([...tags, TAGS.audit])])
    .dependencies([TABLES_ACTION, ...after])
    .description(`Appends the run's duplicate business keys of ${table} to ${AUDIT_TABLE} (runs before ${uniqueKeyAssertionName(table)}).`);

  assert(uniqueKeyAssertionName(table), (ctx) => sqlHelpers.duplicateKeysQuery(table, ctx.ref(table)))
    .tags(tags)
    .dependencies([recordName])
    .description(`No two rows of ${table} share a business key (${sqlHelpers.keyColumnsWithDate(table).join(", ")}) within the run's dates.`);

  assert(rowConditionsAssertionName(table), (ctx) => rowConditionsQuery(table, ctx.ref(table), rowConditions))
    .tags(tags)
    .dependencies(after)
    .description(`Key columns of ${table} are not NULL and every row satisfies: ${rowConditions.join("; ") || "(no other conditions)"}.`);
}

module.exports = {
  AUDIT_TABLE,
  declareKeyChecks,
  recordDuplicatesName,
  uniqueKeyAssertionName,
  rowConditionsAssertionName,
};

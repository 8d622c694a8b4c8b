/**
 * Business keys of every gradeguard table: the single source of truth.
 *
 * Dataform loads this file as an include (global `business_keys`); the TypeScript side (cleanup, checks) imports the
 * same file (`import businessKeys from '../includes/business_keys.js'`, typed by business_keys.d.ts). It is CommonJS
 * because Dataform includes are CommonJS; includes/package.json marks the folder as CommonJS for Node.
 *
 * Per table:
 *   dateColumn         the partition / scoping date (null: table not scoped by date)
 *   keyColumns         the business key (besides dateColumn, which is a function of game_id anyway)
 *   nullableKeyColumns key columns that may be NULL; joins match NULL only with NULL (sql_helpers.keyEquals)
 *   writtenAtColumn    when a row was written (audit first/last timestamps)
 *   latestFirst        ORDER BY that puts the row to keep first when a key has several rows
 *   auditColumns       key column -> column of grading_duplicate_audit that stores it (default: same name)
 */

/**
 * Prop lines of graded tables are >= 0 (asserted), so -1 never collides with a real line there. Staging is not asserted:
 * the pipeline's MERGE does not use it (sql_helpers.keyEquals); some TypeScript checks still key on IFNULL(line, -1).
 */
const NULL_LINE_SENTINEL = -1;

/** The prediction business key without its line column (which is named differently per table). */
const PREDICTION_KEY = ["game_id", "player_lookup", "system_id"];

const PREDICTION_LATEST_FIRST = ["prediction_version DESC", "created_at DESC", "prediction_id DESC"];
const GRADING_LATEST_FIRST = ["lock_token DESC", "graded_at DESC", "run_id DESC", "prediction_id DESC"];

const tables = {
  player_prop_predictions: {
    dateColumn: "game_date",
    keyColumns: [...PREDICTION_KEY, "current_points_line", "prediction_version"],
    nullableKeyColumns: ["current_points_line"],
    writtenAtColumn: "created_at",
    latestFirst: PREDICTION_LATEST_FIRST,
    auditColumns: { current_points_line: "line_value" },
  },
  player_game_summary: {
    dateColumn: "game_date",
    keyColumns: ["game_id", "player_lookup"],
    nullableKeyColumns: [],
    writtenAtColumn: "processed_at",
    latestFirst: ["processed_at DESC", "points DESC"],
    auditColumns: {},
  },
  prediction_accuracy: {
    dateColumn: "game_date",
    keyColumns: [...PREDICTION_KEY, "line_value"],
    nullableKeyColumns: ["line_value"],
    writtenAtColumn: "graded_at",
    latestFirst: GRADING_LATEST_FIRST,
    auditColumns: {},
  },
  system_daily_performance: {
    dateColumn: "game_date",
    keyColumns: ["system_id"],
    nullableKeyColumns: [],
    writtenAtColumn: "computed_at",
    latestFirst: ["lock_token DESC", "computed_at DESC"],
    auditColumns: {},
  },
  performance_summary: {
    dateColumn: "summary_date",
    keyColumns: ["system_id", "window_name"],
    nullableKeyColumns: [],
    writtenAtColumn: "computed_at",
    latestFirst: ["lock_token DESC", "computed_at DESC"],
    auditColumns: {},
  },
  grading_runs: {
    dateColumn: null,
    keyColumns: ["run_id"],
    nullableKeyColumns: [],
    writtenAtColumn: "started_at",
    latestFirst: ["started_at DESC"],
    // grading_duplicate_audit.run_id is the run that detected the duplicate, so the duplicated key gets its own column.
    auditColumns: { run_id: "duplicate_run_id" },
  },
};

// The deduplicated views keep their table's key; the predictions view drops prediction_version (one row per key).
tables.player_prop_predictions_latest = {
  ...tables.player_prop_predictions,
  keyColumns: tables.player_prop_predictions.keyColumns.filter((column) => column !== "prediction_version"),
};
tables.prediction_accuracy_deduped = { ...tables.prediction_accuracy };

/** The audit column that stores a table's key column. */
function auditColumnFor(tableName, column) {
  const mapped = tables[tableName].auditColumns[column];
  return mapped === undefined ? column : mapped;
}

module.exports = { NULL_LINE_SENTINEL, PREDICTION_KEY, tables, auditColumnFor };

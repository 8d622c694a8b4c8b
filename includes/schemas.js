/**
 * Column definitions ([name, BigQuery type, description]) of every table and view: the DDL, the INSERT column lists
 * and the `columns:` documentation of each action are all generated from here, so they cannot drift apart.
 */
const businessKeys = require("./business_keys");
const { metricColumns } = require("./metrics");
const { RECOMMENDATIONS } = require("./constants");

const PREDICTION_COLUMNS = [
  ["prediction_id", "STRING", "Unique id of the prediction row (one per worker write)."],
  ["game_id", "STRING", "Game the prediction is for. Business key."],
  ["game_date", "DATE", "Date of the game (partition column)."],
  ["player_lookup", "STRING", "Normalized player name. Business key."],
  ["system_id", "STRING", "Prediction system (model) that made the prediction. Business key."],
  ["current_points_line", "FLOAT64", "Sportsbook points line the prediction was made against; NULL when no line existed. Business key (NULL-safe)."],
  ["predicted_points", "FLOAT64", "Points the system predicted."],
  ["confidence_score", "FLOAT64", "System confidence in [0, 1]."],
  ["recommendation", "STRING", `Call against the line: one of ${RECOMMENDATIONS.join(", ")}.`],
  ["created_at", "TIMESTAMP", "When the worker produced the prediction."],
  ["prediction_version", "INT64", "Version of the prediction for its business key; higher supersedes lower."],
];

const RUN_COLUMNS = [
  ["run_id", "STRING", "Run (vars run_id) that wrote the row."],
  ["lock_token", "INT64", "Fencing token of the lock held by the run that wrote the row (0 = no lock, manual run)."],
];

const GRADE_COLUMNS = [
  ["prediction_id", "STRING", "prediction_id of the graded prediction (its latest version)."],
  ["game_id", "STRING", "Game. Business key."],
  ["game_date", "DATE", "Date of the game (partition column)."],
  ["player_lookup", "STRING", "Normalized player name. Business key."],
  ["system_id", "STRING", "Prediction system. Business key."],
  ["prediction_version", "INT64", "Version of the prediction that was graded (the highest for its key)."],
  ["line_value", "FLOAT64", "Points line graded against (current_points_line); NULL when the prediction had no line. Business key (NULL-safe)."],
  ["predicted_points", "FLOAT64", "Points predicted."],
  ["actual_points", "INT64", "Points scored (player_game_summary.points); NULL while the actual is missing (outcome no_actual)."],
  ["absolute_error", "FLOAT64", "|predicted_points - actual_points|; NULL when ungraded."],
  ["signed_error", "FLOAT64", "predicted_points - actual_points (> 0: over-predicted); NULL when ungraded."],
  ["recommendation", "STRING", `The prediction's call: ${RECOMMENDATIONS.join(", ")}.`],
  ["outcome", "STRING", "correct | incorrect | push (actual = line) | pass (PASS call) | no_line (OVER/UNDER without a line) | no_actual (actual missing) | invalid_recommendation."],
  ["prediction_correct", "BOOL", "TRUE/FALSE only for outcome correct/incorrect (OVER: actual > line, UNDER: actual < line); NULL for push, pass, no_line, no_actual."],
  ["within_3_points", "BOOL", "absolute_error <= 3; NULL when ungraded."],
  ["within_5_points", "BOOL", "absolute_error <= 5; NULL when ungraded."],
  ["confidence_score", "FLOAT64", "System confidence in [0, 1]."],
];

const tables = {
  player_prop_predictions_staging: {
    description: "Staging rows written by prediction workers (one batch per worker write); consolidated into player_prop_predictions.",
    columns: [...PREDICTION_COLUMNS, ["batch_id", "STRING", "Worker batch that wrote the row."], ["staged_at", "TIMESTAMP", "When the row was staged; tie-breaker after created_at."]],
  },
  player_prop_predictions: {
    description: "Consolidated predictions: one row per business key and prediction_version.",
    partitionBy: "game_date",
    clusterBy: ["system_id", "player_lookup"],
    columns: PREDICTION_COLUMNS,
  },
  player_prop_predictions_latest: {
    description: "player_prop_predictions reduced to the latest version (highest prediction_version) per business key.",
    columns: PREDICTION_COLUMNS,
  },
  player_game_summary: {
    description: "Actual box-score points per player and game (source of actuals).",
    columns: [
      ["game_id", "STRING", "Game. Key."],
      ["game_date", "DATE", "Date of the game."],
      ["player_lookup", "STRING", "Normalized player name. Key."],
      ["points", "INT64", "Points scored; >= 0."],
      ["processed_at", "TIMESTAMP", "When the row was loaded; the latest wins if a key has several rows."],
    ],
  },
  graded_predictions: {
    description: "The grading rules: every latest prediction joined to its actual and graded (all dates; the write filters to the run's dates).",
    columns: GRADE_COLUMNS,
  },
  prediction_accuracy: {
    description: "Graded predictions, one row per business key per date, replaced atomically per date by a fenced transaction.",
    partitionBy: "game_date",
    clusterBy: ["system_id", "player_lookup"],
    columns: [...GRADE_COLUMNS, ["graded_at", "TIMESTAMP", "When the run graded the row."], ...RUN_COLUMNS],
  },
  grading_write_fence: {
    description: "Storage-side fence: highest lock_token committed per date and written table. A write with a lower token is refused.",
    partitionBy: "game_date",
    clusterBy: ["table_name"],
    columns: [
      ["game_date", "DATE", "Date written."],
      ["table_name", "STRING", "Table written (prediction_accuracy, system_daily_performance, performance_summary, player_prop_predictions)."],
      ["max_lock_token", "INT64", "Highest lock_token committed for the date and table; -1 = seeded, nothing committed yet."],
      ["run_id", "STRING", "Run that committed max_lock_token (NULL while seeded)."],
      ["updated_at", "TIMESTAMP", "When the row last changed."],
    ],
  },
  system_daily_performance: {
    description: "Per date and system performance, from prediction_accuracy_deduped, replaced atomically per date.",
    partitionBy: "game_date",
    clusterBy: ["system_id"],
    columns: [
      ["game_date", "DATE", "Date of the games (partition column). Key."],
      ["system_id", "STRING", "Prediction system. Key."],
      ...metricColumns,
      ["computed_at", "TIMESTAMP", "When the run computed the row."],
      ...RUN_COLUMNS,
    ],
  },
  performance_summary: {
    description: "Per summary date, system and window (7d, 30d, season to date) performance, from prediction_accuracy_deduped, replaced atomically per summary date.",
    partitionBy: "summary_date",
    clusterBy: ["system_id"],
    columns: [
      ["summary_date", "DATE", "Date the windows end on (a run date; partition column). Key."],
      ["system_id", "STRING", "Prediction system. Key."],
      ["window_name", "STRING", "7d, 30d or season. Key."],
      ["window_start", "DATE", "First game_date in the window (7d: summary_date - 6, 30d: summary_date - 29, season: October 1 of the season)."],
      ["window_end", "DATE", "Last game_date in the window (= summary_date)."],
      ...metricColumns,
      ["computed_at", "TIMESTAMP", "When the run computed the row."],
      ...RUN_COLUMNS,
    ],
  },
  grading_runs: {
    description:
      "One row per run: what it wrote, with which lock token, and how it ended. A view (deployed once) of the latest state per run in grading_run_events, where every change of a run's state is one appended row.",
    columns: [
      ["run_id", "STRING", "Run id (vars run_id). Key."],
      ["operation", "STRING", "What the run did (vars operation)."],
      ["game_dates", "ARRAY<DATE>", "Dates the run wrote (game_date - lookback_days .. game_date)."],
      ["lock_token", "INT64", "Fencing token the run held (0 = no lock; the highest of them for a date_tokens run)."],
      ["started_at", "TIMESTAMP", "When the run's first action started."],
      ["finished_at", "TIMESTAMP", "When the run's last write finished; NULL while running or when it failed before."],
      ["rows_written", "INT64", "Rows this run wrote for its dates: prediction_accuracy rows stamped with its run_id, or for a consolidation the player_prop_predictions rows its MERGE updated or inserted."],
      ["duplicate_count", "INT64", "Duplicate business keys this run recorded in grading_duplicate_audit."],
      [
        "status",
        "STRING",
        "running | succeeded | duplicates_detected (set by Dataform) | assertion_failed | failed | skipped | lock_not_acquired | fence_rejected | lease_lost (set by the runner, which sees the lock and the CLI's exit) | abandoned (a run that stopped while running, its lease gone: closed by the next locked run of one of its dates or by `monitor`).",
      ],
      ["error", "STRING", "Why the run did not succeed; NULL otherwise."],
    ],
  },
};

tables.prediction_accuracy_deduped = {
  description: "prediction_accuracy with exactly one row per business key (highest lock_token, then latest graded_at). Readers and aggregates use only this view.",
  columns: tables.prediction_accuracy.columns,
};

/** Audit key columns: the union of every keyed table's key columns, under their audit names, typed from their tables. */
function auditKeyColumns() {
  const seen = new Map();
  for (const [tableName, key] of Object.entries(businessKeys.tables)) {
    for (const column of key.keyColumns) {
      const auditName = businessKeys.auditColumnFor(tableName, column);
      if (seen.has(auditName)) continue;
      const type = columnType(tableName, column);
      seen.set(auditName, [auditName, type, `Business key column ${column} of the duplicated table (NULL when the table has no such key column).`]);
    }
  }
  return [...seen.values()];
}

function columnType(tableName, column) {
  const found = tables[tableName].columns.find(([name]) => name === column);
  if (!found) throw new Error(`schemas: ${tableName} has no column ${column}`);
  return found[1];
}

tables.grading_run_events = {
  description:
    "Append-only log of the runs' state changes: one INSERT per change (opened, finished, recorded by a command, abandoned), never updated, so concurrent runs never queue mutating DML on it. grading_runs is its latest state per run.",
  clusterBy: ["run_id"],
  columns: [
    ...tables.grading_runs.columns,
    [
      "event",
      "STRING",
      "What wrote the row: started | finished (Dataform) | recorded (a command) | abandoned (the next lock holder or monitor) | migrated (copied from the grading_runs table of before the events).",
    ],
    ["recorded_at", "TIMESTAMP", "When the row was appended; the newest row of a run is its state (an abandoned row only replaces a running state)."],
  ],
};

tables.grading_duplicate_audit = {
  description: "Append-only history of every duplicate business key found by a run (written before the uniqueness assertion that fails on it). Never replaced.",
  partitionBy: "DATE(detected_at)",
  clusterBy: ["game_date", "processor"],
  columns: [
    ["detected_at", "TIMESTAMP", "When the run found the duplicate (partition: DATE(detected_at))."],
    ["run_id", "STRING", "Run that found it."],
    ["game_date", "DATE", "Date (dateColumn) of the duplicated rows; NULL for tables not scoped by date."],
    ["processor", "STRING", "Table or view the duplicate was found in."],
    ...auditKeyColumns(),
    ["occurrence_count", "INT64", "Rows sharing the business key."],
    ["first_graded_at", "TIMESTAMP", "Earliest write time among them (graded_at for grading tables, else the table's writtenAtColumn)."],
    ["last_graded_at", "TIMESTAMP", "Latest write time among them."],
  ],
};

function schema(tableName) {
  const found = tables[tableName];
  if (!found) throw new Error(`schemas: unknown table ${tableName}`);
  return found;
}

/** `columns:` documentation for an action's config. */
function columnDocs(tableName) {
  return Object.fromEntries(schema(tableName).columns.map(([name, , description]) => [name, description]));
}

function columnNames(tableName) {
  return schema(tableName).columns.map(([name]) => name);
}

function description(tableName) {
  return schema(tableName).description;
}

module.exports = { tables, schema, columnDocs, columnNames, columnType, description };

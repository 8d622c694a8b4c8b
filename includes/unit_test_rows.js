/**
 * Typed literal rows for `dataform test` inputs and expectations: every column of a schemas.js table, in schema order,
 * CAST to its BigQuery type, with per-table defaults overridden by the test. Keeps each unit test down to the values
 * that matter for its rule.
 */
const schemas = require("./schemas");
const { sqlString } = require("./sql_helpers");

const DEFAULTS = {
  player_prop_predictions: {
    prediction_id: "p1",
    game_id: "20260117_LAL_BOS",
    game_date: "2026-01-17",
    player_lookup: "lebronjames",
    system_id: "ensemble_v1",
    current_points_line: 25.5,
    predicted_points: 27,
    confidence_score: 0.75,
    recommendation: "OVER",
    created_at: "2026-01-17 12:00:00+00",
    prediction_version: 1,
  },
  player_game_summary: {
    game_id: "20260117_LAL_BOS",
    game_date: "2026-01-17",
    player_lookup: "lebronjames",
    points: 30,
    processed_at: "2026-01-18 06:00:00+00",
  },
};
DEFAULTS.player_prop_predictions_latest = DEFAULTS.player_prop_predictions;
DEFAULTS.graded_predictions = {
  prediction_id: "p1",
  game_id: "20260117_LAL_BOS",
  game_date: "2026-01-17",
  player_lookup: "lebronjames",
  system_id: "ensemble_v1",
  prediction_version: 1,
  confidence_score: 0.75,
};
DEFAULTS.prediction_accuracy = {
  ...DEFAULTS.graded_predictions,
  line_value: 25.5,
  predicted_points: 27,
  actual_points: 30,
  absolute_error: 3,
  signed_error: -3,
  recommendation: "OVER",
  outcome: "correct",
  prediction_correct: true,
  within_3_points: true,
  within_5_points: true,
  graded_at: "2026-01-18 07:00:00+00",
  run_id: "run-1",
  lock_token: 1,
};
DEFAULTS.prediction_accuracy_deduped = DEFAULTS.prediction_accuracy;

function literal(value, type) {
  if (value === null || value === undefined) return `CAST(NULL AS ${type})`;
  switch (type) {
    case "STRING":
      return sqlString(value);
    case "DATE":
      return `DATE(${sqlString(value)})`;
    case "TIMESTAMP":
      return `TIMESTAMP(${sqlString(value)})`;
    case "BOOL":
      return value ? "TRUE" : "FALSE";
    case "INT64":
    case "FLOAT64":
      return `CAST(${Number(value)} AS ${type})`;
    default:
      throw new Error(`unit_test_rows: unsupported type ${type}`);
  }
}

/** One SELECT of a typed row of `tableName`: defaults, then `values`. Columns missing from both are NULL. */
function row(tableName, values = {}) {
  const merged = { ...(DEFAULTS[tableName] || {}), ...values };
  const unknown = Object.keys(values).filter((name) => !schemas.columnNames(tableName).includes(name));
  if (unknown.length > 0) throw new Error(`unit_test_rows: ${tableName} has no column(s) ${unknown.join(", ")}`);
  const columns = schemas.schema(tableName).columns.map(([name, type]) => `${literal(merged[name], type)} AS ${name}`);
  return `SELECT ${columns.join(", ")}`;
}

/** Several typed rows (UNION ALL). */
function rows(tableName, valuesList) {
  return valuesList.map((values) => row(tableName, values)).join("\nUNION ALL\n");
}

module.exports = { row, rows };

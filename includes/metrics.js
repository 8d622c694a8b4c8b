/**
 * Performance metrics over graded rows of prediction_accuracy_deduped, shared by system_daily_performance (per date)
 * and performance_summary (per window): one definition, so both tables compute every metric the same way.
 * Each expression aggregates unqualified columns of the deduplicated view.
 * Rates are percentages (0-100) over the rows where the metric is defined; NULL when no row qualifies (SAFE_DIVIDE).
 */
const METRICS = [
  ["predictions", "INT64", "Predictions (latest version per business key), graded or not.", "COUNT(*)"],
  ["graded", "INT64", "Predictions with a known actual (actual_points not NULL).", "COUNTIF(actual_points IS NOT NULL)"],
  ["ungraded", "INT64", "Predictions still waiting for their actual (outcome no_actual).", "COUNTIF(actual_points IS NULL)"],
  ["decided", "INT64", "OVER/UNDER calls with a line and an actual that is not a push: the accuracy denominator.", "COUNTIF(prediction_correct IS NOT NULL)"],
  ["correct", "INT64", "Decided calls that were right.", "COUNTIF(prediction_correct)"],
  ["pushes", "INT64", "OVER/UNDER calls whose actual equals the line (neither right nor wrong).", "COUNTIF(outcome = 'push')"],
  ["passes", "INT64", "PASS recommendations (never right or wrong).", "COUNTIF(recommendation = 'PASS')"],
  ["accuracy_pct", "FLOAT64", "100 * correct / decided.", "100 * SAFE_DIVIDE(COUNTIF(prediction_correct), COUNTIF(prediction_correct IS NOT NULL))"],
  ["mae", "FLOAT64", "Mean absolute error in points over graded predictions.", "AVG(absolute_error)"],
  ["bias", "FLOAT64", "Mean signed error (predicted - actual) over graded predictions; > 0 means over-predicting.", "AVG(signed_error)"],
  [
    "over_hit_rate_pct",
    "FLOAT64",
    "100 * correct OVER calls / decided OVER calls.",
    "100 * SAFE_DIVIDE(COUNTIF(recommendation = 'OVER' AND prediction_correct), COUNTIF(recommendation = 'OVER' AND prediction_correct IS NOT NULL))",
  ],
  [
    "under_hit_rate_pct",
    "FLOAT64",
    "100 * correct UNDER calls / decided UNDER calls.",
    "100 * SAFE_DIVIDE(COUNTIF(recommendation = 'UNDER' AND prediction_correct), COUNTIF(recommendation = 'UNDER' AND prediction_correct IS NOT NULL))",
  ],
  ["within_3_pct", "FLOAT64", "100 * graded predictions within 3 points (|error| <= 3) / graded predictions.", "100 * SAFE_DIVIDE(COUNTIF(within_3_points), COUNTIF(within_3_points IS NOT NULL))"],
  ["within_5_pct", "FLOAT64", "100 * graded predictions within 5 points (|error| <= 5) / graded predictions.", "100 * SAFE_DIVIDE(COUNTIF(within_5_points), COUNTIF(within_5_points IS NOT NULL))"],
  ["mean_confidence", "FLOAT64", "Mean confidence_score over all predictions.", "AVG(confidence_score)"],
];

/** Metric columns as [name, type, description] for schemas. */
const metricColumns = METRICS.map(([name, type, description]) => [name, type, description]);

/** The SELECT list of the metrics, indented. */
function metricSelectList(indent = "  ") {
  return METRICS.map(([name, , , expression]) => `${indent}${expression} AS ${name}`).join(",\n");
}

module.exports = { metricColumns, metricSelectList };

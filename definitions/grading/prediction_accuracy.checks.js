// Checks of the grading table and of its deduplicated view, scoped to the run's dates.
const gradingRowConditions = [
  "prediction_id IS NOT NULL",
  "confidence_score BETWEEN 0 AND 1",
  "line_value IS NULL OR line_value >= 0",
  `recommendation IN (${constants.RECOMMENDATIONS.map((value) => `'${value}'`).join(", ")})`,
  "actual_points IS NULL OR actual_points >= 0",
  "(actual_points IS NULL) = (absolute_error IS NULL)",
  "prediction_correct IS NULL OR outcome IN ('correct', 'incorrect')",
  "graded_at IS NOT NULL",
  "run_id IS NOT NULL",
  "lock_token >= 0",
];

checks.declareKeyChecks({
  table: "prediction_accuracy",
  tags: [constants.TAGS.grading, constants.TAGS.daily],
  rowConditions: gradingRowConditions,
});

// The view is deployed, not part of the run: its checks follow the write they read explicitly.
checks.declareKeyChecks({
  table: "prediction_accuracy_deduped",
  tags: [constants.TAGS.grading, constants.TAGS.daily],
  rowConditions: [],
  after: ["prediction_accuracy"],
});

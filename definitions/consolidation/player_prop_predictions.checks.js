// Checks of the consolidated predictions and of their latest-version view. The table is a declared source written by
// consolidate_player_prop_predictions, so its checks are ordered after that operation explicitly.
const predictionRowConditions = [
  "confidence_score BETWEEN 0 AND 1",
  "current_points_line IS NULL OR current_points_line >= 0",
  `recommendation IN (${constants.RECOMMENDATIONS.map((value) => `'${value}'`).join(", ")})`,
  "prediction_id IS NOT NULL",
];

checks.declareKeyChecks({
  table: "player_prop_predictions",
  tags: [constants.TAGS.consolidation, constants.TAGS.daily],
  rowConditions: predictionRowConditions,
  after: ["consolidate_player_prop_predictions"],
});

// The view is deployed, not part of the run: its checks follow the MERGE they read explicitly.
checks.declareKeyChecks({
  table: "player_prop_predictions_latest",
  tags: [constants.TAGS.consolidation, constants.TAGS.daily],
  rowConditions: predictionRowConditions,
  after: ["consolidate_player_prop_predictions"],
});

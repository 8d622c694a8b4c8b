// Actuals must be unique per (game, player) or the grading join would multiply rows; the grading view also keeps only
// the latest row per key, so this check reports a source problem rather than guarding the write.
checks.declareKeyChecks({
  table: "player_game_summary",
  tags: [constants.TAGS.grading, constants.TAGS.daily],
  rowConditions: ["points IS NULL OR points >= 0"],
});

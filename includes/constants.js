/** Tags, names and fixed rules shared by the definitions. */

const TAGS = {
  grading: "grading",
  consolidation: "consolidation",
  reporting: "reporting",
  audit: "audit",
  daily: "daily",
};

/** Actions every run needs whatever it selects (run bookkeeping, audit sink): they carry every run tag. */
const EVERY_RUN_TAGS = [TAGS.audit, TAGS.consolidation, TAGS.grading, TAGS.reporting, TAGS.daily];

/** Allowed values of player_prop_predictions.recommendation. */
const RECOMMENDATIONS = ["OVER", "UNDER", "PASS"];

/** An NBA season is taken to start on October 1 (regular seasons open in late October, playoffs end in June). */
const SEASON_START_MONTH = 10;

/** Rolling windows of performance_summary: name -> days including the summary date (null: season to date). */
const SUMMARY_WINDOWS = [
  { name: "7d", days: 7 },
  { name: "30d", days: 30 },
  { name: "season", days: null },
];

/** Prefix of the error a stale lock_token raises; the runner matches it to tell a fenced-off write from a failure. */
const FENCE_ERROR_PREFIX = "gradeguard_fence_rejected";

/** Largest lookback_days accepted: a run rewrites at most this many + 1 dates in one transaction. */
const MAX_LOOKBACK_DAYS = 366;

module.exports = {
  TAGS,
  EVERY_RUN_TAGS,
  RECOMMENDATIONS,
  SEASON_START_MONTH,
  SUMMARY_WINDOWS,
  FENCE_ERROR_PREFIX,
  MAX_LOOKBACK_DAYS,
};

/** Tags, names and fixed rules shared by the definitions. */

const TAGS = {
  grading: "grading",
  consolidation: "consolidation",
  reporting: "reporting",
  audit: "audit",
  daily: "daily",
  deploy: "deploy",
};

/**
 * Objects whose SQL does not depend on a run's vars (the tables, created if missing, and the views over them):
 * deployed once by `npm run deploy` (tag deploy), never by a run, so runs spend none of BigQuery's per-table
 * metadata update rate on them. A run's own tags never select them.
 */
const DEPLOY_TAGS = [TAGS.deploy];

/** Tables the pipeline owns (create_pipeline_tables creates them if missing). */
const OWNED_TABLES = ["player_prop_predictions", "prediction_accuracy", "system_daily_performance", "performance_summary", "grading_write_fence", "grading_run_events", "grading_duplicate_audit"];

/** The views the deploy creates; runs read them and never replace them. grading_runs: the latest state per run. */
const DEPLOYED_VIEWS = ["player_prop_predictions_latest", "graded_predictions", "prediction_accuracy_deduped", "grading_runs"];

/** Actions every run needs whatever it selects (run bookkeeping): they carry every run tag (not deploy). */
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
  DEPLOY_TAGS,
  OWNED_TABLES,
  DEPLOYED_VIEWS,
  RECOMMENDATIONS,
  SEASON_START_MONTH,
  SUMMARY_WINDOWS,
  FENCE_ERROR_PREFIX,
  MAX_LOOKBACK_DAYS,
};

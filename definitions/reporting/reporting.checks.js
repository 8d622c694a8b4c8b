// Checks of the aggregates, scoped to the run's dates.
const rateConditions = ["accuracy_pct", "over_hit_rate_pct", "under_hit_rate_pct", "within_3_pct", "within_5_pct"].map((column) => `${column} IS NULL OR ${column} BETWEEN 0 AND 100`);
const countConditions = ["predictions = graded + ungraded", "decided <= graded", "correct <= decided", "mean_confidence IS NULL OR mean_confidence BETWEEN 0 AND 1", "mae IS NULL OR mae >= 0"];

checks.declareKeyChecks({
  table: "system_daily_performance",
  tags: [constants.TAGS.reporting, constants.TAGS.daily],
  rowConditions: [...rateConditions, ...countConditions],
});

checks.declareKeyChecks({
  table: "performance_summary",
  tags: [constants.TAGS.reporting, constants.TAGS.daily],
  rowConditions: [
    ...rateConditions,
    ...countConditions,
    `window_name IN (${constants.SUMMARY_WINDOWS.map((window) => `'${window.name}'`).join(", ")})`,
    "window_start <= window_end AND window_end = summary_date",
  ],
});

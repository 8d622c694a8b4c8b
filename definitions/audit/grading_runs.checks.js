// grading_runs is not partitioned and holds one small row per run, so its key check reads the whole table.
checks.declareKeyChecks({
  table: "grading_runs",
  tags: constants.EVERY_RUN_TAGS,
  rowConditions: [
    "status IN ('running', 'succeeded', 'duplicates_detected', 'assertion_failed', 'failed', 'skipped', 'lock_not_acquired', 'fence_rejected', 'lease_lost', 'abandoned')",
    "lock_token >= 0",
    "started_at IS NOT NULL",
    "ARRAY_LENGTH(game_dates) > 0",
  ],
  after: ["grading_run_finished"],
});

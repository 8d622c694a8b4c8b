/**
 * Run bookkeeping as appended events. Every change of a run's state is one INSERT into grading_run_events (never an
 * UPDATE, DELETE or MERGE: BigQuery runs at most 2 mutating DML statements per table at once and queues 20, then fails
 * the next with "Too many DML statements outstanding"; INSERTs are not limited that way). `grading_runs` is the view of
 * the latest state per run, defined once here and used by the deployed view, by the TypeScript readers and writers
 * (src/warehouse/runs.ts) and by the migration of a pre-events grading_runs table (src/warehouse/run-events-migration.ts).
 */
const { sqlString } = require("./sql_text");

/** What wrote an event (grading_run_events.event). */
const EVENTS = {
  /** Dataform's grading_run_started: the run's actions began (status running; a rerun opens again). */
  started: "started",
  /** Dataform's grading_run_finished: every write of the run committed (succeeded or duplicates_detected). */
  finished: "finished",
  /** A command's own record (src/warehouse/runs.ts upsertRun): refusals, failures, repairs. */
  recorded: "recorded",
  /** Closed by the next lock holder or `monitor`: only ever overrides a state that is still `running`. */
  abandoned: "abandoned",
  /** Copied from a grading_runs table of before the events (one event per run). */
  migrated: "migrated",
};

/** The state columns of a run, in the order of the grading_runs view (schemas.js grading_runs). */
const STATE_COLUMNS = ["run_id", "operation", "game_dates", "lock_token", "started_at", "finished_at", "rows_written", "duplicate_count", "status", "error"];

/** Columns of grading_run_events, in table order: the state, what wrote it, when. */
const EVENT_COLUMNS = [...STATE_COLUMNS, "event", "recorded_at"];

/** What a bare `dataform run --tags deploy` says on a dataset whose grading_runs is still the pre-events table. */
const MIGRATION_REFUSAL =
  "gradeguard: grading_runs is still the table of before the run events; deploying the grading_runs view over it would drop the table and its rows. " +
  "Run `npm run deploy` (add `-- --target bigquery` for BigQuery): it backs grading_runs up, verifies the backup, copies every row to grading_run_events, then deploys. grading_runs was left as it is.";

/**
 * The latest state of every run: its newest event other than an `abandoned` one; an `abandoned` event replaces it only
 * when that state is `running` and the abandonment is not older (so a run that wrote its own final state, even one
 * committed while the abandonment was being decided, keeps it, as the old `UPDATE ... WHERE status = 'running'` did).
 * `eventsRef` is a resolved table reference.
 */
function latestRunStateSql(eventsRef) {
  const own = (column) => `own.${column}`;
  const closed = "abandoned_event.run_id IS NOT NULL";
  const select = STATE_COLUMNS.map((column) => {
    if (column === "status") return `  IF(${closed}, abandoned_event.status, own.status) AS status`;
    if (column === "finished_at" || column === "error") return `  IF(${closed}, abandoned_event.${column}, own.${column}) AS ${column}`;
    return `  ${own(column)}`;
  }).join(",\n");
  return `SELECT
${select}
FROM (
  SELECT * FROM ${eventsRef}
  WHERE event != ${sqlString(EVENTS.abandoned)}
  QUALIFY ROW_NUMBER() OVER (PARTITION BY run_id ORDER BY recorded_at DESC) = 1
) AS own
LEFT JOIN (
  SELECT run_id, status, finished_at, error, recorded_at FROM ${eventsRef}
  WHERE event = ${sqlString(EVENTS.abandoned)}
  QUALIFY ROW_NUMBER() OVER (PARTITION BY run_id ORDER BY recorded_at DESC) = 1
) AS abandoned_event
ON abandoned_event.run_id = own.run_id AND own.status = 'running' AND abandoned_event.recorded_at >= own.recorded_at`;
}

module.exports = { EVENTS, STATE_COLUMNS, EVENT_COLUMNS, MIGRATION_REFUSAL, latestRunStateSql };

/**
 * The windows performance_summary computes for each run date, as literal rows: computed here (not with SQL date
 * arithmetic) so the SQL only needs DATE('...') literals and the read can be pruned to constant partition bounds.
 */
const { SUMMARY_WINDOWS, SEASON_START_MONTH } = require("./constants");
const { runVars } = require("./run_vars");
const { dateLiteral, sqlString } = require("./sql_helpers");

const DAY_MS = 24 * 60 * 60 * 1000;

function isoDaysBefore(isoDate, days) {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
}

/** October 1 of the season the date belongs to (a date before October belongs to the season that began last year). */
function seasonStart(isoDate) {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  const startYear = month >= SEASON_START_MONTH ? year : year - 1;
  return `${String(startYear).padStart(4, "0")}-${String(SEASON_START_MONTH).padStart(2, "0")}-01`;
}

/** [{ summaryDate, windowName, windowStart }] of one summary date, one per window. */
function windowsOf(summaryDate) {
  return SUMMARY_WINDOWS.map((window) => ({
    summaryDate,
    windowName: window.name,
    windowStart: window.days === null ? seasonStart(summaryDate) : isoDaysBefore(summaryDate, window.days - 1),
  }));
}

/** [{ summaryDate, windowName, windowStart }] for every run date and window. */
function summaryWindows() {
  return runVars().gameDates.flatMap(windowsOf);
}

/** The windows as a UNION ALL of literal rows (summary_date, window_name, window_start). */
function summaryWindowRows() {
  return summaryWindows()
    .map((window) => `SELECT ${dateLiteral(window.summaryDate)} AS summary_date, ${sqlString(window.windowName)} AS window_name, ${dateLiteral(window.windowStart)} AS window_start`)
    .join("\n  UNION ALL ");
}

/** Constant bounds of every game_date any window reads, for partition pruning. */
function readBounds() {
  const windows = summaryWindows();
  const starts = windows.map((window) => window.windowStart).sort();
  const ends = windows.map((window) => window.summaryDate).sort();
  return { first: starts[0], last: ends[ends.length - 1] };
}

module.exports = { summaryWindows, windowsOf, summaryWindowRows, readBounds, seasonStart };

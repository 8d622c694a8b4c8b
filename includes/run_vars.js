/**
 * The vars contract of a run, validated at compile time (a bad value is a compilation error, so `dataform run`
 * exits 1 before any job). The SQL re-parses every date with DATE('...'), a second check on the database side.
 *
 *   game_date      YYYY-MM-DD, the last date the run writes (no default: a compile without game_date or date_tokens
 *                  fails, saying how to run the project)
 *   lookback_days  integer >= 0: the run writes game_date - lookback_days .. game_date (inclusive)
 *   run_id         [A-Za-z0-9_.:-]{1,128}, unique per run (the runner generates it)
 *   lock_token     integer >= 0, the fencing token of the lock held for these dates; 0 = no lock (manual run)
 *   operation      [A-Za-z0-9_.:-]{1,64}, what the run does (recorded in grading_runs)
 *   date_tokens    instead of game_date / lookback_days / lock_token: the run's dates, each with the fencing token of
 *                  its own lock, as DATE:TOKEN pairs joined by '+' (2026-01-08:12+2026-01-10:14). For one run that
 *                  holds a lease per date (the cleanup's recompute): every date is fenced by its own token, as if each
 *                  had its own run, and the dates need not be consecutive. ('+' because the CLI splits --vars on ','.)
 */
const { MAX_LOOKBACK_DAYS } = require("./constants");

const SAFE_TEXT = /^[A-Za-z0-9_.:-]+$/;
/**
 * A compile without dates fails: a scheduled or hand-made `dataform run` with no dates used to grade a default date
 * and succeed, doing nothing. The message says how to run the project.
 */
const NO_DATES =
  "No run dates: this project writes the dates of one run, named at compile time, under a lock. " +
  "Run it with gradeguard (npm run grade -- --date YYYY-MM-DD, which takes the lock and passes the fencing token; " +
  "add --executor dataform-api to run it through the Dataform API), or by hand with " +
  "--vars=game_date=YYYY-MM-DD (or date_tokens=DATE:TOKEN+...). A release configuration must not compile it without them.";
const DAY_MS = 24 * 60 * 60 * 1000;

function fail(name, value, rule) {
  throw new Error(`Invalid var ${name}=${JSON.stringify(value)}: ${rule}`);
}

function parseDate(name, value) {
  const text = String(value);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) fail(name, value, "expected YYYY-MM-DD");
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Date.UTC rolls 2026-02-30 over to March: a round trip rejects dates that do not exist.
  if (new Date(ms).toISOString().slice(0, 10) !== text) fail(name, value, "not a calendar date");
  return ms;
}

function parseCount(name, value, max) {
  const text = String(value);
  // At most 18 digits always fits INT64; the SQL gets the digits verbatim.
  if (!/^\d{1,18}$/.test(text)) fail(name, value, "expected a non-negative integer");
  if (max !== undefined && Number(text) > max) fail(name, value, `at most ${max}`);
  return text.replace(/^0+(?=\d)/, "");
}

function parseText(name, value, maxLength) {
  const text = String(value);
  if (text.length < 1 || text.length > maxLength || !SAFE_TEXT.test(text)) {
    fail(name, value, `expected 1-${maxLength} characters of [A-Za-z0-9_.:-]`);
  }
  return text;
}

/** date_tokens: [{ date, token }] in date order; every date a calendar date, listed once. */
function parseDateTokens(value) {
  const text = String(value);
  const pairs = text.split("+").map((pair) => {
    const match = /^([^:]*):(.*)$/.exec(pair);
    if (!match) fail("date_tokens", value, "expected DATE:TOKEN pairs joined by '+'");
    parseDate("date_tokens", match[1]);
    return { date: match[1], token: parseCount("date_tokens", match[2]) };
  });
  if (pairs.length > MAX_LOOKBACK_DAYS + 1) fail("date_tokens", `${pairs.length} dates`, `at most ${MAX_LOOKBACK_DAYS + 1} dates`);
  pairs.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  pairs.forEach((pair, index) => {
    if (index > 0 && pairs[index - 1].date === pair.date) fail("date_tokens", value, `${pair.date} is listed twice`);
  });
  return pairs;
}

/**
 * The validated vars of this compilation. Reports every invalid var at once (one message, all problems).
 * tokenByDate maps each run date to its fencing token; lockToken is the highest of them (the single token of an
 * ordinary run), which grading_runs records.
 */
function runVars() {
  const vars = dataform.projectConfig.vars || {};
  const problems = [];
  const check = (parse) => {
    try {
      return parse();
    } catch (error) {
      problems.push(error.message);
      return undefined;
    }
  };
  if (vars.game_date === undefined && vars.date_tokens === undefined) throw new Error(NO_DATES);
  const lastMs = vars.game_date === undefined ? undefined : check(() => parseDate("game_date", vars.game_date));
  const lookbackDays = check(() => Number(parseCount("lookback_days", vars.lookback_days ?? "0", MAX_LOOKBACK_DAYS)));
  const runId = check(() => parseText("run_id", vars.run_id ?? "manual", 128));
  const lockToken = check(() => parseCount("lock_token", vars.lock_token ?? "0"));
  const operation = check(() => parseText("operation", vars.operation ?? "manual", 64));
  const dateTokens = vars.date_tokens === undefined ? undefined : check(() => parseDateTokens(vars.date_tokens));
  if (dateTokens && (vars.game_date !== undefined || lookbackDays !== 0 || lockToken !== "0")) {
    problems.push("Invalid var date_tokens: it replaces game_date, lookback_days and lock_token; leave those out");
  }
  if (problems.length > 0) throw new Error(problems.join("; "));

  if (dateTokens) {
    const tokenByDate = Object.fromEntries(dateTokens.map(({ date, token }) => [date, token]));
    const highest = dateTokens.map(({ token }) => BigInt(token)).reduce((a, b) => (b > a ? b : a));
    return { gameDates: dateTokens.map(({ date }) => date), lookbackDays: 0, runId, lockToken: String(highest), tokenByDate, operation };
  }
  const gameDates = [];
  for (let back = lookbackDays; back >= 0; back -= 1) {
    gameDates.push(new Date(lastMs - back * DAY_MS).toISOString().slice(0, 10));
  }
  const tokenByDate = Object.fromEntries(gameDates.map((date) => [date, lockToken]));
  return { gameDates, lookbackDays, runId, lockToken, tokenByDate, operation };
}

module.exports = { runVars };

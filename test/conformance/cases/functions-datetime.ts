import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

const D = 'BigQuery docs: Date functions';
const DT = 'BigQuery docs: Datetime functions';
const T = 'BigQuery docs: Time functions';
const TS = 'BigQuery docs: Timestamp functions';
const C = 'BigQuery docs: Conversion functions';
const A = 'BigQuery docs: Array functions';

export const cases: ConformanceCase[] = [
  q(
    'date: DATE_SUB, DATETIME_ADD, TIMESTAMP_ADD and TIME_ADD take a STRING literal as their type',
    `${D} — DATE_SUB; ${DT} — DATETIME_ADD; ${TS} — TIMESTAMP_ADD; ${T} — TIME_ADD; BigQuery docs: Conversion rules — Literal coercion (STRING literal to DATE, DATETIME, TIMESTAMP, TIME)`,
    "SELECT DATE_SUB('2024-03-01', INTERVAL 1 DAY) AS a, DATETIME_ADD('2024-01-01 00:00:00', INTERVAL 90 MINUTE) AS b, TIMESTAMP_ADD('2024-01-01 00:00:00+00', INTERVAL 1 HOUR) AS c, TIME_ADD('10:00:00', INTERVAL 5 MINUTE) AS d",
    [['2024-02-29', '2024-01-01T01:30:00', '2024-01-01T01:00:00Z', '10:05:00']],
    { types: ['DATE', 'DATETIME', 'TIMESTAMP', 'TIME'] },
  ),
  q('date: DATE_ADD returns a DATE', `${D} — DATE_ADD`, "SELECT DATE_ADD(DATE '2008-12-25', INTERVAL 5 DAY) AS five_days_later", [['2008-12-30']], { types: ['DATE'] }),
  q('date: DATE_SUB returns a DATE', `${D} — DATE_SUB`, "SELECT DATE_SUB(DATE '2008-12-25', INTERVAL 5 DAY) AS five_days_ago", [['2008-12-20']], { types: ['DATE'] }),
  q(
    'date: DATE_ADD MONTH clamps to the last day of the month',
    `${D} — DATE_ADD ("If the resulting month has fewer days than the original date's day, the result is the last day of that month")`,
    "SELECT DATE_ADD(DATE '2024-01-31', INTERVAL 1 MONTH) AS a, DATE_ADD(DATE '2023-01-31', INTERVAL 1 MONTH) AS b",
    [['2024-02-29', '2023-02-28']],
  ),
  q('date: DATE_ADD WEEK and YEAR', `${D} — DATE_ADD`, "SELECT DATE_ADD(DATE '2024-01-01', INTERVAL 2 WEEK) AS a, DATE_SUB(DATE '2024-02-29', INTERVAL 1 YEAR) AS b", [['2024-01-15', '2023-02-28']]),
  q('date: DATE_DIFF in DAY', `${D} — DATE_DIFF`, "SELECT DATE_DIFF(DATE '2010-07-07', DATE '2008-12-25', DAY) AS days_diff", [['559']], { types: ['INT64'] }),
  q(
    'date: DATE_DIFF WEEK counts Sunday boundaries',
    `${D} — DATE_DIFF (2017-10-15 is a Sunday: days_diff 1, weeks_diff 1)`,
    "SELECT DATE_DIFF(DATE '2017-10-15', DATE '2017-10-14', DAY) AS days_diff, DATE_DIFF(DATE '2017-10-15', DATE '2017-10-14', WEEK) AS weeks_diff",
    [['1', '1']],
  ),
  q(
    'date: DATE_DIFF WEEK vs ISOWEEK',
    `${D} — DATE_DIFF (2017-12-18 Monday vs 2017-12-17 Sunday)`,
    "SELECT DATE_DIFF(DATE '2017-12-18', DATE '2017-12-17', WEEK) AS week_diff, DATE_DIFF(DATE '2017-12-18', DATE '2017-12-17', WEEK(MONDAY)) AS week_weekday_diff, DATE_DIFF(DATE '2017-12-18', DATE '2017-12-17', ISOWEEK) AS isoweek_diff",
    [['0', '1', '1']],
  ),
  q(
    'date: DATE_DIFF MONTH and YEAR count boundaries',
    `${D} — DATE_DIFF`,
    "SELECT DATE_DIFF(DATE '2024-03-01', DATE '2024-01-31', MONTH) AS a, DATE_DIFF(DATE '2024-01-31', DATE '2024-01-01', MONTH) AS b, DATE_DIFF(DATE '2017-12-30', DATE '2014-12-30', YEAR) AS c, DATE_DIFF(DATE '2024-01-01', DATE '2023-12-31', YEAR) AS d",
    [['2', '0', '3', '1']],
  ),
  q('date: DATE_DIFF negative', `${D} — DATE_DIFF`, "SELECT DATE_DIFF(DATE '2024-01-01', DATE '2024-01-10', DAY) AS d", [['-9']]),
  q('date: DATE_TRUNC MONTH', `${D} — DATE_TRUNC`, "SELECT DATE_TRUNC(DATE '2008-12-25', MONTH) AS month", [['2008-12-01']], { types: ['DATE'] }),
  q(
    'date: DATE_TRUNC WEEK starts on Sunday, ISOWEEK on Monday',
    `${D} — DATE_TRUNC (WEEK: weeks begin on Sunday; ISOWEEK: Monday)`,
    "SELECT DATE_TRUNC(DATE '2024-01-03', WEEK) AS w, DATE_TRUNC(DATE '2024-01-03', ISOWEEK) AS iw, DATE_TRUNC(DATE '2024-01-03', WEEK(MONDAY)) AS wm",
    [['2023-12-31', '2024-01-01', '2024-01-01']],
  ),
  q('date: DATE_TRUNC on a Sunday keeps the date', `${D} — DATE_TRUNC`, "SELECT DATE_TRUNC(DATE '2023-12-31', WEEK) AS w", [['2023-12-31']]),
  q('date: DATE_TRUNC YEAR and QUARTER', `${D} — DATE_TRUNC`, "SELECT DATE_TRUNC(DATE '2024-05-20', YEAR) AS y, DATE_TRUNC(DATE '2024-05-20', QUARTER) AS q", [['2024-01-01', '2024-04-01']]),
  q(
    'date: EXTRACT DAYOFWEEK has Sunday = 1',
    `${D} — EXTRACT (DAYOFWEEK: values in [1,7] with Sunday as the first day)`,
    "SELECT EXTRACT(DAYOFWEEK FROM DATE '2023-12-31') AS sun, EXTRACT(DAYOFWEEK FROM DATE '2024-01-01') AS mon, EXTRACT(DAYOFWEEK FROM DATE '2024-01-06') AS sat",
    [['1', '2', '7']],
    { types: ['INT64', 'INT64', 'INT64'] },
  ),
  q(
    'date: EXTRACT WEEK (Sunday weeks, days before the first Sunday are week 0) and ISOWEEK',
    `${D} — EXTRACT (WEEK: dates prior to the first Sunday of the year are in week 0)`,
    "SELECT EXTRACT(WEEK FROM DATE '2024-01-01') AS a, EXTRACT(WEEK FROM DATE '2024-01-07') AS b, EXTRACT(ISOWEEK FROM DATE '2024-01-01') AS c, EXTRACT(ISOWEEK FROM DATE '2023-12-31') AS d",
    [['0', '1', '1', '52']],
  ),
  q(
    'date: EXTRACT YEAR, MONTH, DAY, DAYOFYEAR, QUARTER',
    `${D} — EXTRACT`,
    "SELECT EXTRACT(YEAR FROM DATE '2024-03-15') AS y, EXTRACT(MONTH FROM DATE '2024-03-15') AS m, EXTRACT(DAY FROM DATE '2024-03-15') AS d, EXTRACT(DAYOFYEAR FROM DATE '2024-03-15') AS doy, EXTRACT(QUARTER FROM DATE '2024-03-15') AS q",
    [['2024', '3', '15', '75', '1']],
  ),
  q(
    'date: LAST_DAY',
    `${D} — LAST_DAY (default MONTH; YEAR; WEEK ends on Saturday)`,
    "SELECT LAST_DAY(DATE '2024-02-10') AS a, LAST_DAY(DATE '2008-11-25', MONTH) AS b, LAST_DAY(DATE '2008-11-10', YEAR) AS c, LAST_DAY(DATE '2008-11-10', WEEK) AS d",
    [['2024-02-29', '2008-11-30', '2008-12-31', '2008-11-15']],
  ),
  q(
    'date: FORMAT_DATE',
    `${D} — FORMAT_DATE`,
    "SELECT FORMAT_DATE('%x', DATE '2008-12-25') AS us_format, FORMAT_DATE('%b-%d-%Y', DATE '2008-12-25') AS formatted, FORMAT_DATE('%Y%m%d', DATE '2008-12-25') AS compact, FORMAT_DATE('%A', DATE '2008-12-25') AS weekday",
    [['12/25/08', 'Dec-25-2008', '20081225', 'Thursday']],
  ),
  q(
    'date: PARSE_DATE',
    `${D} — PARSE_DATE`,
    "SELECT PARSE_DATE('%Y%m%d', '20081225') AS a, PARSE_DATE('%x', '12/25/08') AS b, PARSE_DATE('%Y-%m-%d', '2024-02-29') AS c",
    [['2008-12-25', '2008-12-25', '2024-02-29']],
    { types: ['DATE', 'DATE', 'DATE'] },
  ),
  q(
    'date: DATE constructor from parts, DATETIME and TIMESTAMP',
    `${D} — DATE`,
    "SELECT DATE(2016, 12, 25) AS a, DATE(DATETIME '2016-12-25 23:59:59') AS b, DATE(TIMESTAMP '2016-12-25 05:30:00+07', 'America/Los_Angeles') AS c",
    [['2016-12-25', '2016-12-25', '2016-12-24']],
  ),
  q('date: UNIX_DATE and DATE_FROM_UNIX_DATE', `${D} — UNIX_DATE, DATE_FROM_UNIX_DATE`, "SELECT UNIX_DATE(DATE '2008-12-25') AS a, DATE_FROM_UNIX_DATE(14238) AS b", [['14238', '2008-12-25']]),
  q('date: CAST string to DATE and DATE to string', `${C} — CAST AS DATE, CAST AS STRING`, "SELECT CAST('2024-01-31' AS DATE) AS d, CAST(DATE '2008-12-25' AS STRING) AS s", [['2024-01-31', '2008-12-25']], {
    types: ['DATE', 'STRING'],
  }),
  q(
    'date: comparisons and BETWEEN',
    'BigQuery docs: Operators — Comparison operators',
    "SELECT DATE '2024-01-31' < DATE '2024-02-01' AS a, DATE '2024-01-15' BETWEEN DATE '2024-01-01' AND DATE '2024-01-31' AS b",
    [[true, true]],
  ),
  q(
    'timestamp: TIMESTAMP_DIFF HOUR counts whole hours',
    `${TS} — TIMESTAMP_DIFF ("the number of whole specified part intervals")`,
    "SELECT TIMESTAMP_DIFF(TIMESTAMP '2024-01-01 12:00:00+00', TIMESTAMP '2024-01-01 10:30:00+00', HOUR) AS h",
    [['1']],
    { types: ['INT64'] },
  ),
  q('timestamp: TIMESTAMP_DIFF documentation example', `${TS} — TIMESTAMP_DIFF`, "SELECT TIMESTAMP_DIFF(TIMESTAMP '2010-07-07 10:20:00+00', TIMESTAMP '2008-12-25 15:30:00+00', HOUR) AS hours", [['13410']]),
  q('timestamp: TIMESTAMP_DIFF negative DAY', `${TS} — TIMESTAMP_DIFF`, "SELECT TIMESTAMP_DIFF(TIMESTAMP '2018-08-14', TIMESTAMP '2018-10-14', DAY) AS negative_diff", [['-61']]),
  q(
    'timestamp: TIMESTAMP_DIFF MINUTE and SECOND',
    `${TS} — TIMESTAMP_DIFF`,
    "SELECT TIMESTAMP_DIFF(TIMESTAMP '2024-01-01 00:10:30+00', TIMESTAMP '2024-01-01 00:00:00+00', MINUTE) AS m, TIMESTAMP_DIFF(TIMESTAMP '2024-01-01 00:10:30+00', TIMESTAMP '2024-01-01 00:00:00+00', SECOND) AS s",
    [['10', '630']],
  ),
  q(
    'timestamp: TIMESTAMP_TRUNC DAY, HOUR, MONTH',
    `${TS} — TIMESTAMP_TRUNC`,
    "SELECT TIMESTAMP_TRUNC(TIMESTAMP '2008-12-25 15:30:00+00', DAY) AS d, TIMESTAMP_TRUNC(TIMESTAMP '2008-12-25 15:30:00+00', HOUR) AS h, TIMESTAMP_TRUNC(TIMESTAMP '2008-12-25 15:30:00+00', MONTH) AS m",
    [['2008-12-25T00:00:00Z', '2008-12-25T15:00:00Z', '2008-12-01T00:00:00Z']],
    { types: ['TIMESTAMP', 'TIMESTAMP', 'TIMESTAMP'] },
  ),
  q('timestamp: TIMESTAMP_TRUNC with a time zone', `${TS} — TIMESTAMP_TRUNC (time_zone argument)`, "SELECT TIMESTAMP_TRUNC(TIMESTAMP '2008-12-25 15:30:00+00', DAY, 'America/Los_Angeles') AS la", [
    ['2008-12-25T08:00:00Z'],
  ]),
  q(
    'date: DATE_TRUNC and DATETIME_TRUNC of a TIMESTAMP take a time zone',
    `${D} — DATE_TRUNC (DATE_TRUNC(timestamp_value, timestamp_granularity[, time_zone])); ${DT} — DATETIME_TRUNC (same signature)`,
    "SELECT DATE_TRUNC(TIMESTAMP '2008-12-25 15:30:00+00', DAY, 'America/Los_Angeles') AS d, DATETIME_TRUNC(TIMESTAMP '2008-12-01 03:00:00+00', MONTH, 'America/Los_Angeles') AS m",
    [['2008-12-25T08:00:00Z', '2008-11-01T07:00:00Z']],
    { types: ['TIMESTAMP', 'TIMESTAMP'] },
  ),
  err(
    'date: DATE_TRUNC with a time zone takes a TIMESTAMP only',
    `${D} — DATE_TRUNC (the time_zone argument belongs to the timestamp_value signature)`,
    "SELECT DATE_TRUNC(DATE '2008-12-25', MONTH, 'America/Los_Angeles') AS d",
    'No matching signature for function DATE_TRUNC',
  ),
  err(
    'timestamp: TIMESTAMP_DIFF by WEEK is an error, also under SAFE.',
    `${TS} — TIMESTAMP_DIFF (granularities MICROSECOND to DAY); BigQuery docs: Function calls — SAFE. prefix (errors that are not from the function's input values may still occur)`,
    "SELECT SAFE.TIMESTAMP_DIFF(TIMESTAMP '2008-12-25 15:30:00+00', TIMESTAMP '2008-12-20 15:30:00+00', WEEK) AS w",
    'TIMESTAMP_DIFF does not support the WEEK date part',
  ),
  q(
    'timestamp: TIMESTAMP_ADD and TIMESTAMP_SUB',
    `${TS} — TIMESTAMP_ADD, TIMESTAMP_SUB`,
    "SELECT TIMESTAMP_ADD(TIMESTAMP '2008-12-25 15:30:00+00', INTERVAL 10 MINUTE) AS later, TIMESTAMP_SUB(TIMESTAMP '2008-12-25 15:30:00+00', INTERVAL 10 MINUTE) AS earlier, TIMESTAMP_ADD(TIMESTAMP '2008-12-31 23:00:00+00', INTERVAL 2 HOUR) AS next_year",
    [['2008-12-25T15:40:00Z', '2008-12-25T15:20:00Z', '2009-01-01T01:00:00Z']],
  ),
  q(
    'timestamp: UNIX_SECONDS, UNIX_MILLIS, UNIX_MICROS',
    `${TS} — UNIX_SECONDS, UNIX_MILLIS, UNIX_MICROS`,
    "SELECT UNIX_SECONDS(TIMESTAMP '2008-12-25 15:30:00+00') AS s, UNIX_MILLIS(TIMESTAMP '2008-12-25 15:30:00+00') AS ms, UNIX_MICROS(TIMESTAMP '2008-12-25 15:30:00+00') AS us",
    [['1230219000', '1230219000000', '1230219000000000']],
    { types: ['INT64', 'INT64', 'INT64'] },
  ),
  q('timestamp: TIMESTAMP_SECONDS, TIMESTAMP_MILLIS', `${TS} — TIMESTAMP_SECONDS, TIMESTAMP_MILLIS`, 'SELECT TIMESTAMP_SECONDS(1230219000) AS a, TIMESTAMP_MILLIS(1230219000000) AS b', [
    ['2008-12-25T15:30:00Z', '2008-12-25T15:30:00Z'],
  ]),
  q(
    'timestamp: TIMESTAMP() from a string with a time zone name',
    `${TS} — TIMESTAMP`,
    "SELECT TIMESTAMP('2008-12-25 15:30:00', 'America/Los_Angeles') AS a, TIMESTAMP('2008-12-25 15:30:00+00') AS b, TIMESTAMP(DATE '2008-12-25') AS c",
    [['2008-12-25T23:30:00Z', '2008-12-25T15:30:00Z', '2008-12-25T00:00:00Z']],
  ),
  q(
    'timestamp: FORMAT_TIMESTAMP',
    `${TS} — FORMAT_TIMESTAMP`,
    "SELECT FORMAT_TIMESTAMP('%Y-%m-%d %H:%M:%S', TIMESTAMP '2008-12-25 15:30:00+00') AS a, FORMAT_TIMESTAMP('%c', TIMESTAMP '2008-12-25 15:30:00+00') AS b, FORMAT_TIMESTAMP('%b-%d-%Y', TIMESTAMP '2008-12-25 15:30:00+00') AS c",
    [['2008-12-25 15:30:00', 'Thu Dec 25 15:30:00 2008', 'Dec-25-2008']],
  ),
  q('timestamp: FORMAT_TIMESTAMP in a time zone', `${TS} — FORMAT_TIMESTAMP (time_zone argument)`, "SELECT FORMAT_TIMESTAMP('%Y-%m-%d %H:%M', TIMESTAMP '2008-12-25 15:30:00+00', 'America/Los_Angeles') AS la", [
    ['2008-12-25 07:30'],
  ]),
  q(
    'timestamp: FORMAT_TIMESTAMP zone elements (%z, %Ez, %Z)',
    `${TS} — FORMAT_TIMESTAMP; format elements %z (+HHMM), %Ez (+HH:MM), %Z (time zone name)`,
    "SELECT FORMAT_TIMESTAMP('%z %Ez %Z', TIMESTAMP '2008-12-25 15:30:00+00') AS utc, FORMAT_TIMESTAMP('%H:%M %z %Ez', TIMESTAMP '2008-12-25 15:30:00+00', 'Asia/Kolkata') AS kolkata",
    [['+0000 +00:00 UTC', '21:00 +0530 +05:30']],
  ),
  q(
    'timestamp: a time zone given as an offset with minutes',
    `BigQuery docs: Data types — Time zones, specify an offset from UTC ({+|-}H[H][:M[M]]: -8:15, +07:30); ${TS} — STRING, TIMESTAMP; ${DT} — DATETIME`,
    "SELECT STRING(TIMESTAMP '2008-12-25 15:30:00+00', '+07:30') AS s, DATETIME(TIMESTAMP '2008-12-25 15:30:00+00', '-8:15') AS dt, TIMESTAMP('2008-12-25 15:30:00', '-8:15') AS ts, EXTRACT(HOUR FROM TIMESTAMP '2008-12-25 15:30:00+00' AT TIME ZONE '+07:30') AS h",
    [['2008-12-25 23:00:00+07:30', '2008-12-25T07:15:00', '2008-12-25T23:45:00Z', '23']],
  ),
  q('timestamp: PARSE_TIMESTAMP', `${TS} — PARSE_TIMESTAMP`, "SELECT PARSE_TIMESTAMP('%c', 'Thu Dec 25 07:30:00 2008') AS parsed", [['2008-12-25T07:30:00Z']], { types: ['TIMESTAMP'] }),
  q(
    'timestamp: EXTRACT from a TIMESTAMP (UTC and AT TIME ZONE)',
    `${TS} — EXTRACT`,
    "SELECT EXTRACT(HOUR FROM TIMESTAMP '2008-12-25 15:30:00+00') AS h, EXTRACT(HOUR FROM TIMESTAMP '2008-12-25 15:30:00+00' AT TIME ZONE 'America/Los_Angeles') AS la_h, EXTRACT(DATE FROM TIMESTAMP '2008-12-25 15:30:00+00') AS d",
    [['15', '7', '2008-12-25']],
  ),
  q('timestamp: CAST TIMESTAMP to STRING uses +00', `${C} — CAST AS STRING (timestamp: canonical format with time zone)`, "SELECT CAST(TIMESTAMP '2008-12-25 15:30:00+00' AS STRING) AS s", [
    ['2008-12-25 15:30:00+00'],
  ]),
  q(
    'datetime: DATETIME constructors',
    `${DT} — DATETIME`,
    "SELECT DATETIME(2008, 12, 25, 05, 30, 00) AS a, DATETIME(TIMESTAMP '2008-12-25 05:30:00+00', 'America/Los_Angeles') AS b, DATETIME(DATE '2008-12-25', TIME '05:30:00') AS c",
    [['2008-12-25T05:30:00', '2008-12-24T21:30:00', '2008-12-25T05:30:00']],
    { types: ['DATETIME', 'DATETIME', 'DATETIME'] },
  ),
  q(
    'datetime: DATETIME_ADD and DATETIME_SUB',
    `${DT} — DATETIME_ADD, DATETIME_SUB`,
    "SELECT DATETIME_ADD(DATETIME '2008-12-25 15:30:00', INTERVAL 10 MINUTE) AS a, DATETIME_SUB(DATETIME '2008-12-25 15:30:00', INTERVAL 10 MINUTE) AS b",
    [['2008-12-25T15:40:00', '2008-12-25T15:20:00']],
  ),
  q('datetime: DATETIME_DIFF', `${DT} — DATETIME_DIFF`, "SELECT DATETIME_DIFF(DATETIME '2010-07-07 10:20:00', DATETIME '2008-12-25 15:30:00', DAY) AS days", [['559']]),
  q('datetime: DATETIME_TRUNC', `${DT} — DATETIME_TRUNC`, "SELECT DATETIME_TRUNC(DATETIME '2008-12-25 15:30:00', DAY) AS d, DATETIME_TRUNC(DATETIME '2008-12-25 15:30:00', HOUR) AS h", [
    ['2008-12-25T00:00:00', '2008-12-25T15:00:00'],
  ]),
  q(
    'datetime: FORMAT_DATETIME and PARSE_DATETIME',
    `${DT} — FORMAT_DATETIME, PARSE_DATETIME`,
    "SELECT FORMAT_DATETIME('%c', DATETIME '2008-12-25 15:30:00') AS f, PARSE_DATETIME('%Y-%m-%d %H:%M:%S', '1998-10-18 13:45:55') AS p",
    [['Thu Dec 25 15:30:00 2008', '1998-10-18T13:45:55']],
  ),
  q(
    'time: TIME constructor, TIME_ADD wraps, TIME_DIFF, TIME_TRUNC',
    `${T} — TIME, TIME_ADD, TIME_DIFF, TIME_TRUNC`,
    "SELECT TIME(15, 30, 00) AS a, TIME_ADD(TIME '23:30:00', INTERVAL 60 MINUTE) AS b, TIME_DIFF(TIME '15:30:00', TIME '14:35:00', MINUTE) AS c, TIME_TRUNC(TIME '15:30:00', HOUR) AS d",
    [['15:30:00', '00:30:00', '55', '15:00:00']],
    { types: ['TIME', 'TIME', 'INT64', 'TIME'] },
  ),
  q('date: GENERATE_DATE_ARRAY default step', `${A} — GENERATE_DATE_ARRAY`, "SELECT GENERATE_DATE_ARRAY('2016-10-05', '2016-10-08') AS example", [[['2016-10-05', '2016-10-06', '2016-10-07', '2016-10-08']]], {
    types: ['ARRAY<DATE>'],
  }),
  q(
    'date: GENERATE_DATE_ARRAY with INTERVAL steps',
    `${A} — GENERATE_DATE_ARRAY`,
    "SELECT GENERATE_DATE_ARRAY('2016-10-05', '2016-10-09', INTERVAL 2 DAY) AS a, GENERATE_DATE_ARRAY('2016-10-05', '2016-10-01', INTERVAL -3 DAY) AS b",
    [
      [
        ['2016-10-05', '2016-10-07', '2016-10-09'],
        ['2016-10-05', '2016-10-02'],
      ],
    ],
  ),
  q(
    'date: one row per day from UNNEST(GENERATE_DATE_ARRAY(...))',
    `${A} — GENERATE_DATE_ARRAY; BigQuery docs: Query syntax — UNNEST operator`,
    "SELECT d, EXTRACT(DAYOFWEEK FROM d) AS dow FROM UNNEST(GENERATE_DATE_ARRAY(DATE '2024-01-05', DATE '2024-01-08')) AS d ORDER BY d",
    [
      ['2024-01-05', '6'],
      ['2024-01-06', '7'],
      ['2024-01-07', '1'],
      ['2024-01-08', '2'],
    ],
    { ordered: true },
  ),
  q(
    'interval: MAKE_INTERVAL takes year, month, day, hour, minute, second by position or by name',
    'BigQuery docs: Interval functions — MAKE_INTERVAL ("MAKE_INTERVAL([year][, month][, day][, hour][, minute][, second])")',
    'SELECT MAKE_INTERVAL(1, 2, 3, 4, 5, 6) AS positional, MAKE_INTERVAL(0, 10, 2) AS days_kept, MAKE_INTERVAL(day => 3, second => 90) AS named',
    [['1-2 3 4:5:6', '0-10 2 0:0:0', '0-0 3 0:1:30']],
    { types: ['INTERVAL', 'INTERVAL', 'INTERVAL'] },
  ),
  q(
    'interval: JUSTIFY_DAYS, JUSTIFY_HOURS and JUSTIFY_INTERVAL normalize the days and the time part',
    'BigQuery docs: Interval functions — JUSTIFY_DAYS, JUSTIFY_HOURS, JUSTIFY_INTERVAL (the examples)',
    "SELECT JUSTIFY_DAYS(INTERVAL -30 DAY) AS d2, JUSTIFY_DAYS(INTERVAL -65 DAY) AS d4, JUSTIFY_DAYS(INTERVAL 370 DAY) AS d5, JUSTIFY_HOURS(INTERVAL -24 HOUR) AS h2, JUSTIFY_HOURS(INTERVAL 47 HOUR) AS h3, JUSTIFY_HOURS(INTERVAL -12345 MINUTE) AS h4, JUSTIFY_INTERVAL(INTERVAL '29 49:00:00' DAY TO SECOND) AS i",
    [['-0-1 0 0:0:0', '-0-2 -5 0:0:0', '1-0 10 0:0:0', '0-0 -1 0:0:0', '0-0 1 23:0:0', '0-0 -8 -13:45:0', '0-1 1 1:0:0']],
    { types: ['INTERVAL', 'INTERVAL', 'INTERVAL', 'INTERVAL', 'INTERVAL', 'INTERVAL', 'INTERVAL'] },
  ),
  q(
    'interval: CAST from STRING reads the interval literal format, its unambiguous partial forms and ISO 8601 durations',
    `${C} — CAST AS INTERVAL (the example: '1-2 3 10:20:30.456', '1-2', '10:20:30', 'P1Y2M3D', 'PT10H20M30,456S')`,
    "SELECT x, CAST(x AS INTERVAL) AS i FROM UNNEST(['1-2 3 10:20:30.456', '1-2', '10:20:30', 'P1Y2M3D', 'PT10H20M30,456S']) AS x WITH OFFSET o ORDER BY o",
    [
      ['1-2 3 10:20:30.456', '1-2 3 10:20:30.456'],
      ['1-2', '1-2 0 0:0:0'],
      ['10:20:30', '0-0 0 10:20:30'],
      ['P1Y2M3D', '1-2 3 0:0:0'],
      ['PT10H20M30,456S', '0-0 0 10:20:30.456'],
    ],
    { ordered: true, types: ['STRING', 'INTERVAL'] },
  ),
  err(
    'interval: CAST of a STRING that is not an interval fails (SAFE_CAST gives NULL)',
    `${C} — CAST AS INTERVAL ("If the string expression is invalid ... an error is produced")`,
    "SELECT CAST('P1Y2M<3D' AS INTERVAL)",
    "Invalid INTERVAL value 'P1Y2M<3D'",
  ),
  q(
    'datetime: the largest DATETIME and TIMESTAMP values come back as written',
    'BigQuery docs: Data types — Datetime type (range 0001-01-01 00:00:00 to 9999-12-31 23:59:59.999999)',
    "SELECT DATETIME '9999-12-31 23:59:59.999999' AS dt, CAST(TIMESTAMP '9999-12-31 23:59:59.999999 UTC' AS STRING) AS ts",
    [['9999-12-31T23:59:59.999999', '9999-12-31 23:59:59.999999+00']],
    { types: ['DATETIME', 'STRING'] },
  ),
  q(
    'datetime: a leap second (:60) is the first second of the next minute, its fraction dropped',
    'ZetaSQL compliance tests: civil_time.test, roundtrip_cast_between_string_and_time_common and ..._datetime_common',
    "SELECT CAST('23:59:60' AS TIME) AS t, TIME '12:59:60.123456' AS t2, CAST('2015-11-06 23:59:60' AS DATETIME) AS dt",
    [['00:00:00', '13:00:00', '2015-11-07T00:00:00']],
  ),
  q(
    "datetime: a DATETIME string may separate its date and time with a lowercase 't'",
    'ZetaSQL compliance tests: civil_time.test, datetime_with_t_separator',
    "SELECT CAST('2016-11-06t00:30:41.123456' AS DATETIME) AS dt, SAFE_CAST('2016-11-06t00:30:00' AS DATETIME) AS safe_dt",
    [['2016-11-06T00:30:41.123456', '2016-11-06T00:30:00']],
    { types: ['DATETIME', 'DATETIME'] },
  ),
];

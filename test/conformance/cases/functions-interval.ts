import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

const C = 'BigQuery docs: Conversion functions';

export const cases: ConformanceCase[] = [
  err(
    'interval: an INTERVAL past 10000 years is an error',
    'BigQuery docs: Data types — Interval type (range -10000-0 -3660000 -87840000:0:0 to 10000-0 3660000 87840000:0:0)',
    'SELECT INTERVAL 10001 YEAR AS i',
    'out of range',
  ),
  q(
    'interval: MAKE_INTERVAL takes year, month, day, hour, minute, second by position or by name',
    'BigQuery docs: Interval functions — MAKE_INTERVAL ("MAKE_INTERVAL([year][, month][, day][, hour][, minute][, second])")',
    'SELECT MAKE_INTERVAL(1, 2, 3, 4, 5, 6) AS positional, MAKE_INTERVAL(0, 10, 2) AS days_kept, MAKE_INTERVAL(day => 3, second => 90) AS named',
    [['1-2 3 4:5:6', '0-10 2 0:0:0', '0-0 3 0:1:30']],
    { types: ['INTERVAL', 'INTERVAL', 'INTERVAL'] },
  ),
  err(
    'interval: MAKE_INTERVAL past the INTERVAL range (10000 years) is an error',
    'BigQuery docs: Data types — Interval type (range -10000-0 -3660000 -87840000:0:0 to 10000-0 3660000 87840000:0:0); ZetaSQL compliance tests: interval.test, make_interval_overflow',
    'SELECT MAKE_INTERVAL(year => 10000, month => 1)',
    "Interval field months '120001' is out of range",
  ),
  q(
    'interval: MAKE_INTERVAL of minutes and seconds past a 32-bit product, and parts that cancel',
    'BigQuery docs: Interval functions — MAKE_INTERVAL (INT64 parts); ZetaSQL IntervalValue::FromYMDHMS sums the time parts in 128 bits',
    'SELECT MAKE_INTERVAL(minute => 36) AS a, MAKE_INTERVAL(0, 0, 0, 0, 0, 2148) AS b, MAKE_INTERVAL(hour => -25, minute => 70, second => -3) AS c, MAKE_INTERVAL(hour => 3000000000, minute => -180000000000) AS d',
    [['0-0 0 0:36:0', '0-0 0 0:35:48', '0-0 0 -23:50:3', '0-0 0 0:0:0']],
    { types: ['INTERVAL', 'INTERVAL', 'INTERVAL', 'INTERVAL'] },
  ),
  err(
    'interval: MAKE_INTERVAL of a FLOAT64 is an error (its parts are INT64)',
    'BigQuery docs: Interval functions — MAKE_INTERVAL ("Constructs an INTERVAL object using INT64 values")',
    'SELECT MAKE_INTERVAL(hour => 1.5)',
    'No matching signature for function MAKE_INTERVAL',
  ),
  q(
    'interval: JUSTIFY_DAYS, JUSTIFY_HOURS and JUSTIFY_INTERVAL normalize the days and the time part',
    'BigQuery docs: Interval functions — JUSTIFY_DAYS, JUSTIFY_HOURS, JUSTIFY_INTERVAL (the examples)',
    "SELECT JUSTIFY_DAYS(INTERVAL -30 DAY) AS d2, JUSTIFY_DAYS(INTERVAL -65 DAY) AS d4, JUSTIFY_DAYS(INTERVAL 370 DAY) AS d5, JUSTIFY_HOURS(INTERVAL -24 HOUR) AS h2, JUSTIFY_HOURS(INTERVAL 47 HOUR) AS h3, JUSTIFY_HOURS(INTERVAL -12345 MINUTE) AS h4, JUSTIFY_INTERVAL(INTERVAL '29 49:00:00' DAY TO SECOND) AS i",
    [['-0-1 0 0:0:0', '-0-2 -5 0:0:0', '1-0 10 0:0:0', '0-0 -1 0:0:0', '0-0 1 23:0:0', '0-0 -8 -13:45:0', '0-1 1 1:0:0']],
    { types: ['INTERVAL', 'INTERVAL', 'INTERVAL', 'INTERVAL', 'INTERVAL', 'INTERVAL', 'INTERVAL'] },
  ),
  q(
    'interval: JUSTIFY_DAYS, JUSTIFY_HOURS and JUSTIFY_INTERVAL of a NULL literal are NULL INTERVALs',
    'BigQuery docs: Interval functions — JUSTIFY_DAYS, JUSTIFY_HOURS, JUSTIFY_INTERVAL (each takes an INTERVAL); Conversion rules — a NULL literal coerces to any type',
    'SELECT JUSTIFY_DAYS(NULL) AS d, JUSTIFY_HOURS(NULL) AS h, JUSTIFY_INTERVAL(NULL) AS i',
    [[null, null, null]],
    { types: ['INTERVAL', 'INTERVAL', 'INTERVAL'] },
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
];

import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

const WF = 'BigQuery docs: Window function calls';
/** The Produce table of the window function calls' examples. */
const PRODUCE = `WITH Produce AS (
  SELECT 'kale' AS item, 23 AS purchases, 'vegetable' AS category UNION ALL SELECT 'banana', 2, 'fruit' UNION ALL
  SELECT 'cabbage', 9, 'vegetable' UNION ALL SELECT 'apple', 8, 'fruit' UNION ALL SELECT 'leek', 2, 'vegetable' UNION ALL
  SELECT 'lettuce', 10, 'vegetable')`;
const MOST_POPULAR = [
  ['banana', '2', 'fruit', 'apple'],
  ['apple', '8', 'fruit', 'apple'],
  ['leek', '2', 'vegetable', 'lettuce'],
  ['cabbage', '9', 'vegetable', 'kale'],
  ['lettuce', '10', 'vegetable', 'kale'],
  ['kale', '23', 'vegetable', 'kale'],
];

/** Window partitioning on floats: BigQuery refuses it, and the pipeline's keys include a FLOAT64 line. */
export const cases: ConformanceCase[] = [
  err(
    'windows: RANK without a window ORDER BY is an error',
    'BigQuery docs: Numbering functions — RANK (OVER (... ORDER BY expression ...): the ORDER BY is required); ZetaSQL\'s analytic_function_resolver.cc ("Window ORDER BY is required for analytic function")',
    'SELECT RANK() OVER () AS r FROM UNNEST([1, 2]) AS x',
    'Window ORDER BY is required',
  ),
  err(
    'windows: PERCENTILE_CONT takes no window ORDER BY',
    "BigQuery docs: Navigation functions — PERCENTILE_CONT (OVER over_clause: [ PARTITION BY ... ] only); ZetaSQL's analytic_function_resolver.cc",
    'SELECT PERCENTILE_CONT(x, 0.5) OVER (ORDER BY x) AS p FROM UNNEST([1, 2]) AS x',
    'Window ORDER BY is not allowed',
  ),
  q(
    'navigation: LEAD with a FLOAT64 default on an INT64 value is a FLOAT64 (the supertype), the default not truncated',
    'BigQuery docs: Navigation functions — LEAD (default_expression "must be implicitly coercible to the type of value_expression"); ZetaSQL\'s signature (ANY_1, INT64, ANY_1) takes the common supertype',
    'SELECT LEAD(x, 1, 2.5) OVER (ORDER BY x) AS a FROM UNNEST([1, 2]) AS x ORDER BY x',
    [[2], [2.5]],
    { types: ['FLOAT64'], ordered: true },
  ),
  err(
    'navigation: NTH_VALUE(x, 0) is an error: N must be positive',
    'BigQuery docs: Navigation functions — NTH_VALUE (constant_integer_expression: the nth value); ZetaSQL\'s reference implementation ("The N value for the NthValue function must be positive")',
    'SELECT NTH_VALUE(x, 0) OVER (ORDER BY x) AS n FROM UNNEST([1, 2]) AS x',
    'must be positive',
  ),
  q(
    "query: a named window built on a named window keeps the first one's PARTITION BY, and OVER adds a frame",
    `${WF} — Use a named window in a window frame clause (ItemWindow AS (b), b AS (a ORDER BY ...))`,
    `${PRODUCE} SELECT item, purchases, category, LAST_VALUE(item) OVER (ItemWindow ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS most_popular
FROM Produce WINDOW a AS (PARTITION BY category), b AS (a ORDER BY purchases), ItemWindow AS (b) ORDER BY category, purchases`,
    MOST_POPULAR,
    { ordered: true },
  ),
  q(
    'query: a named window that names one with a frame carries the frame and partition over',
    `${WF} — Use a named window in a window frame clause (c AS (b ROWS BETWEEN ...), ItemWindow AS (c))`,
    `${PRODUCE} SELECT item, purchases, category, LAST_VALUE(item) OVER ItemWindow AS most_popular FROM Produce
WINDOW a AS (PARTITION BY category), b AS (a ORDER BY purchases), c AS (b ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING), ItemWindow AS (c)
ORDER BY category, purchases`,
    MOST_POPULAR,
    { ordered: true },
  ),
  err(
    'query: a window cannot be partitioned by a FLOAT64 expression',
    'BigQuery docs: Data types — Groupable data types ("PARTITION BY expressions cannot include floating point types")',
    `SELECT k FROM UNNEST(ARRAY<STRUCT<k STRING, line FLOAT64>>[('a', 24.5), ('a', 24.5)])
WHERE true
QUALIFY ROW_NUMBER() OVER (PARTITION BY k, line ORDER BY k) = 1`,
    'Partitioning by expressions of type FLOAT64 is not allowed',
  ),
  q(
    'query: the same window partitioned by the float as text',
    'BigQuery docs: Conversion functions — CAST AS STRING (FLOAT64)',
    `SELECT k, line FROM UNNEST(ARRAY<STRUCT<k STRING, line FLOAT64>>[('a', 24.5), ('a', 24.5), ('a', NULL), ('a', NULL), ('a', 25.0)])
WHERE true
QUALIFY ROW_NUMBER() OVER (PARTITION BY k, CAST(line AS STRING) ORDER BY k) = 1`,
    [
      ['a', 24.5],
      ['a', null],
      ['a', 25],
    ],
  ),
  q(
    'window: a 7-day rolling sum ordered by UNIX_DATE or DATE_DIFF of a DATE',
    `${WF} — Defining the window frame clause (RANGE BETWEEN 6 PRECEDING AND CURRENT ROW over a numeric ORDER BY expression); BigQuery docs: Date functions — UNIX_DATE, DATE_DIFF`,
    `SELECT d, SUM(x) OVER (ORDER BY UNIX_DATE(d) RANGE BETWEEN 6 PRECEDING AND CURRENT ROW) AS by_unix_date,
       SUM(x) OVER (ORDER BY DATE_DIFF(d, DATE '2024-01-01', DAY) RANGE BETWEEN 6 PRECEDING AND CURRENT ROW) AS by_date_diff
     FROM UNNEST([STRUCT(DATE '2024-01-01' AS d, 1 AS x), (DATE '2024-01-05', 2), (DATE '2024-01-09', 3)])`,
    [
      ['2024-01-01', '1', '1'],
      ['2024-01-05', '3', '3'],
      ['2024-01-09', '5', '5'],
    ],
  ),
  q(
    'window: a named window with a RANGE offset frame over INT64 values near the maximum counts without overflow',
    'BigQuery docs: Window function calls — Defining the window frame clause (RANGE offsets); Named windows',
    'SELECT x, COUNT(*) OVER w AS n FROM UNNEST([9223372036854775806, 9223372036854775807, 1]) AS x WINDOW w AS (ORDER BY x RANGE BETWEEN CURRENT ROW AND 2 FOLLOWING)',
    [
      ['9223372036854775806', '2'],
      ['9223372036854775807', '1'],
      ['1', '1'],
    ],
  ),
  q(
    'window: a RANGE offset frame over ±inf and NaN values: each is a frame of its own peers',
    'ZetaSQL compliance tests: analytic_count.test, analytic_sum.test (RANGE frames over FLOAT64 with ±inf and NaN: inf - 1 = inf)',
    `SELECT x, COUNT(*) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS n
     FROM UNNEST([1.0, 2.0, CAST('inf' AS FLOAT64), CAST('inf' AS FLOAT64), CAST('-inf' AS FLOAT64), CAST('nan' AS FLOAT64)]) AS x`,
    [
      [1, '2'],
      [2, '2'],
      ['Infinity', '2'],
      ['Infinity', '2'],
      ['-Infinity', '1'],
      ['NaN', '1'],
    ],
  ),
  err(
    'window: a RANGE offset that takes a finite FLOAT64 value past the FLOAT64 range is refused',
    'ZetaSQL compliance tests: analytic_avg.test, analytic_avg_range_current_and_following_double_asc (the frame of 1.79769e+308 with 1.79769e+308 FOLLOWING stops short of +inf)',
    `SELECT COUNT(*) OVER (ORDER BY x RANGE BETWEEN CURRENT ROW AND 1.79769e+308 FOLLOWING) FROM UNNEST([1.79769e+308, CAST('inf' AS FLOAT64)]) AS x`,
    'not supported by the local emulator',
  ),
  err(
    'window: a RANGE offset frame over a FLOAT64 value below 2^-1021 is refused',
    'BigQuery docs: Window function calls (a RANGE frame orders by one numeric key); the emulator halves FLOAT64 keys, which is exact only where the half is not subnormal (2.2250738585072014e-308 and the next double would become peers)',
    `SELECT COUNT(*) OVER (ORDER BY x RANGE BETWEEN 0 PRECEDING AND 0 FOLLOWING) FROM UNNEST([2.2250738585072014e-308, 2.225073858507202e-308, 1.0]) AS x`,
    'not supported by the local emulator',
  ),
  q(
    'query: PERCENTILE_DISC ignores NULLs and returns the first value whose cumulative distribution reaches the percentile',
    'BigQuery docs: Navigation functions — PERCENTILE_DISC (example ignoring nulls)',
    "SELECT x, PERCENTILE_DISC(x, 0) OVER() AS min, PERCENTILE_DISC(x, 0.5) OVER() AS median, PERCENTILE_DISC(x, 1) OVER() AS max FROM UNNEST(['c', NULL, 'b', 'a']) AS x",
    [
      ['c', 'a', 'b', 'c'],
      [null, 'a', 'b', 'c'],
      ['b', 'a', 'b', 'c'],
      ['a', 'a', 'b', 'c'],
    ],
    { types: ['STRING', 'STRING', 'STRING', 'STRING'] },
  ),
  q(
    'query: PERCENTILE_CONT interpolates as the docs print it (0.03, not 0.030000000000000249)',
    'BigQuery docs: Navigation functions — PERCENTILE_CONT (example)',
    `SELECT CAST(PERCENTILE_CONT(x, 0.01) OVER () AS STRING) AS p1, CAST(PERCENTILE_CONT(x, 0.9) OVER () AS STRING) AS p90
FROM UNNEST([0, 3, NULL, 1, 2]) AS x LIMIT 1`,
    [['0.03', '2.7']],
  ),
  err(
    'query: PERCENTILE_CONT refuses a percentile above 1',
    'BigQuery docs: Navigation functions — PERCENTILE_CONT ("percentile must be a literal in the range [0, 1]")',
    'SELECT PERCENTILE_CONT(x, 1.5) OVER () AS p FROM UNNEST([1, 2]) AS x',
    'Percentile argument must be in \\[0, 1\\]',
  ),
];

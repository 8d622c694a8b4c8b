import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

const QS = 'BigQuery docs: Query syntax';
const COERCION = 'BigQuery docs: Conversion rules — Literal coercion (STRING literal to DATE, DATETIME, TIME, TIMESTAMP)';

/** Set operations: UNION, INTERSECT, EXCEPT — their rows, column names and column types. */
export const cases: ConformanceCase[] = [
  q(
    'query: UNION ALL pairs STRUCT fields by position, named by the first input',
    `${QS} — Set operators (columns paired by position, named by the first input); BigQuery docs: Data types — STRUCT supertypes`,
    "SELECT s.a, s.b FROM (SELECT STRUCT(1 AS a, 'x' AS b) AS s UNION ALL SELECT STRUCT(2 AS c, 'y' AS d) UNION ALL SELECT STRUCT(3, 'z'))",
    [
      ['1', 'x'],
      ['2', 'y'],
      ['3', 'z'],
    ],
  ),
  q('query: UNION ALL keeps duplicates', `${QS} — Set operators (UNION ALL)`, 'SELECT 1 AS x UNION ALL SELECT 1 UNION ALL SELECT 2', [['1'], ['1'], ['2']], {
    columns: ['x'],
  }),
  q('query: UNION DISTINCT removes duplicates', `${QS} — Set operators (UNION DISTINCT)`, 'SELECT 1 AS x UNION DISTINCT SELECT 1 UNION DISTINCT SELECT 2', [['1'], ['2']]),
  q('query: EXCEPT DISTINCT', `${QS} — Set operators (EXCEPT DISTINCT)`, 'SELECT x FROM UNNEST([1, 2, 2, 3, 4]) AS x EXCEPT DISTINCT SELECT y FROM UNNEST([3, 4]) AS y', [['1'], ['2']]),
  q('query: INTERSECT DISTINCT', `${QS} — Set operators (INTERSECT DISTINCT)`, 'SELECT x FROM UNNEST([1, 2, 2, 3]) AS x INTERSECT DISTINCT SELECT y FROM UNNEST([2, 3, 4]) AS y', [['2'], ['3']]),
  q('query: UNION ALL takes column names from the first query', `${QS} — Set operators`, "SELECT 'a' AS first_col UNION ALL SELECT 'b' AS other", [['a'], ['b']], { columns: ['first_col'] }),
  q(
    "query: a set operation after an unaliased FROM subquery combines the whole SELECTs (the first SELECT's aggregate is its own)",
    `${QS} — Set operators (query_expr set_operator query_expr)`,
    'SELECT COUNT(*) AS n FROM (SELECT 1 AS a UNION ALL SELECT 2) UNION ALL SELECT 5 ORDER BY n',
    [['2'], ['5']],
    { ordered: true },
  ),
  q(
    'query: a top-level SELECT AS STRUCT returns the struct fields as columns; a set operation of them is positional',
    `${QS} — SELECT AS STRUCT ("produces a value table with a STRUCT row type"); Set operators (columns matched by position)`,
    'SELECT AS STRUCT 1 AS a, 2 AS b UNION ALL SELECT AS STRUCT 3, 4 ORDER BY a',
    [
      ['1', '2'],
      ['3', '4'],
    ],
    { ordered: true, columns: ['a', 'b'] },
  ),
  q(
    "query: a NULL of an unnamed STRUCT type in a later input of UNION ALL takes the first input's field names",
    `${QS} — Set operators (columns paired by position, named by the first input); BigQuery docs: Data types — STRUCT supertypes`,
    'SELECT s.inner_s.b FROM (SELECT STRUCT(1 AS a, STRUCT(2 AS b, 3 AS c) AS inner_s) AS s UNION ALL SELECT (4, CAST(NULL AS STRUCT<INT64, INT64>)))',
    [['2'], [null]],
  ),
  q(
    'query: a string literal in a set operation takes the DATE, DATETIME, TIME or TIMESTAMP type of the other inputs',
    `${COERCION}; ${QS} — Set operators`,
    "SELECT d, dt, t, ts FROM (SELECT DATE '2015-01-01' AS d, DATETIME '2015-01-01 10:00:00' AS dt, TIME '10:00:00' AS t, TIMESTAMP '2015-01-01 00:00:00+00' AS ts UNION ALL SELECT '2014-01-30', '2014-01-30 01:02:03', '01:02:03', '2014-01-29 10:47:20+00') ORDER BY d",
    [
      ['2014-01-30', '2014-01-30T01:02:03', '01:02:03', '2014-01-29T10:47:20Z'],
      ['2015-01-01', '2015-01-01T10:00:00', '10:00:00', '2015-01-01T00:00:00Z'],
    ],
    { types: ['DATE', 'DATETIME', 'TIME', 'TIMESTAMP'] },
  ),
  q(
    'query: a string literal beside DATE and DATETIME inputs of a set operation is a DATETIME',
    `${COERCION}; BigQuery docs: Conversion rules — Coercion (DATE to DATETIME)`,
    "SELECT d FROM (SELECT DATE '2020-01-01' AS d UNION ALL SELECT DATETIME '2020-01-01 10:00:00' UNION ALL SELECT '2020-01-02 05:00:00') ORDER BY d",
    [['2020-01-01T00:00:00'], ['2020-01-01T10:00:00'], ['2020-01-02T05:00:00']],
    { types: ['DATETIME'] },
  ),
  err(
    'query: a date string with a time is not a DATE',
    'BigQuery docs: Conversion functions — CAST AS DATE (the string must be in the date literal format YYYY-[M]M-[D]D)',
    "SELECT CAST('2020-01-02 05:00:00' AS DATE) AS d",
    'Invalid date',
  ),
  q(
    'query: UNION ALL pairs the field of one-field STRUCTs by position too, named by the first input',
    'BigQuery docs: Conversion rules — Supertypes (STRUCT: the same field position types); Query syntax — set operators (columns matched by position)',
    'SELECT s.a FROM (SELECT STRUCT(1 AS a) AS s UNION ALL SELECT STRUCT(2 AS b)) ORDER BY 1',
    [['1'], ['2']],
    { ordered: true },
  ),
  err(
    'query: different set operations without parentheses are a syntax error',
    `${QS} — Set operators ("Invalid: query1 UNION ALL query2 UNION DISTINCT query3")`,
    'SELECT 1 AS a UNION ALL SELECT 2 UNION DISTINCT SELECT 3',
    'Different set operations cannot be used in the same query without using parentheses',
  ),
];

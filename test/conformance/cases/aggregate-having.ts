/**
 * The HAVING MAX | MIN modifier of an aggregate call (emulator/bigquery/sql/aggregate-having.ts). The Precipitation
 * tables and figures are the examples of BigQuery's "Aggregate function calls" reference.
 */
import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

const CALLS = 'BigQuery docs: Aggregate function calls — HAVING MAX and HAVING MIN clause';
const BY_INCHES = `WITH Precipitation AS (SELECT 2009 AS year, 'spring' AS season, 3 AS inches UNION ALL SELECT 2001, 'winter', 4
  UNION ALL SELECT 2003, 'fall', 1 UNION ALL SELECT 2002, 'spring', 4 UNION ALL SELECT 2005, 'summer', 1)`;
const BY_YEAR = `WITH Precipitation AS (SELECT 2001 AS year, 'spring' AS season, 9 AS inches UNION ALL SELECT 2001, 'winter', 1
  UNION ALL SELECT 2000, 'fall', 3 UNION ALL SELECT 2000, 'summer', 5 UNION ALL SELECT 2000, 'spring', 7 UNION ALL SELECT 2000, 'winter', 2)`;

export const cases: ConformanceCase[] = [
  q('having modifier: AVG(inches HAVING MAX year)', `${CALLS} (example: 5)`, `${BY_YEAR} SELECT AVG(inches HAVING MAX year) AS average FROM Precipitation`, [[5]], {
    columns: ['average'],
    types: ['FLOAT64'],
  }),
  q('having modifier: AVG(inches HAVING MIN year)', `${CALLS} (example: 4.25)`, `${BY_YEAR} SELECT AVG(inches HAVING MIN year) AS average FROM Precipitation`, [[4.25]]),
  q(
    'having modifier: ARRAY_AGG(year HAVING MAX inches ORDER BY year) keeps the tied rows, per group',
    `${CALLS} (the rows with the most inches, 4, are 2001 and 2002)`,
    `${BY_INCHES} SELECT season = 'spring' AS spring, ARRAY_AGG(year HAVING MAX inches ORDER BY year DESC) AS years, COUNT(* HAVING MIN inches) AS n
     FROM Precipitation GROUP BY spring ORDER BY spring`,
    [
      [false, ['2001'], '2'],
      [true, ['2002'], '1'],
    ],
    { ordered: true, columns: ['spring', 'years', 'n'], types: ['BOOL', 'ARRAY<INT64>', 'INT64'] },
  ),
  q(
    'having modifier: rows whose key is NULL are never the extreme',
    `${CALLS} ("Only rows whose having_expression value is equal to this maximum value (using SQL equality semantics) are included")`,
    `SELECT SUM(x HAVING MAX k) AS s, COUNT(x HAVING MIN k) AS c FROM UNNEST([STRUCT(1 AS x, 10 AS k), (2, 10), (4, NULL), (8, 3)])`,
    [['3', '1']],
  ),
  err(
    'having modifier: a window call with HAVING MAX is refused',
    `${CALLS} (the modifier with OVER)`,
    'SELECT ANY_VALUE(x HAVING MAX x) OVER () FROM UNNEST([1, 2]) AS x',
    'not supported by the local emulator',
  ),
];

import type { ConformanceCase } from '../case.js';
import { q } from './helpers.js';

export const cases: ConformanceCase[] = [
  q(
    'query: a GROUP BY, HAVING or ORDER BY name that is a select-list alias means the alias, not the FROM column of that name',
    'BigQuery docs: Query syntax — GROUP BY clause and HAVING clause ("those aliases override names in the corresponding FROM clause")',
    "SELECT UPPER(v) AS v, COUNT(*) AS c FROM UNNEST(['A', 'a', 'B']) AS v GROUP BY v HAVING v IN ('A', 'B') ORDER BY v",
    [
      ['A', '2'],
      ['B', '1'],
    ],
    { ordered: true },
  ),
  q(
    'query: grouping a DATE alias named like the TIMESTAMP column it is computed from',
    'BigQuery docs: Query syntax — GROUP BY clause ("those aliases override names in the corresponding FROM clause")',
    "WITH t AS (SELECT TIMESTAMP '2024-01-01 10:00:00+00' AS ts UNION ALL SELECT TIMESTAMP '2024-01-01 11:00:00+00') SELECT DATE(ts) AS ts, COUNT(*) AS n FROM t GROUP BY ts",
    [['2024-01-01', '2']],
    { types: ['DATE', 'INT64'] },
  ),
  q(
    'query: a GROUP BY expression written as an aliased item is that item, also when the alias is a FROM column name and the query has an ORDER BY',
    'BigQuery docs: Query syntax — GROUP BY clause (grouping by an expression)',
    'WITH t AS (SELECT 10 AS j UNION ALL SELECT 20 UNION ALL SELECT 30) SELECT DIV(j, 100) AS j, COUNT(*) AS c FROM t GROUP BY DIV(j, 100) ORDER BY c',
    [['0', '3']],
  ),
  q(
    'query: a select list with a star and an alias grouped by that alias',
    'BigQuery docs: Query syntax — GROUP BY clause ("GROUP BY clauses may also refer to aliases")',
    "WITH t AS (SELECT 1 AS k, 'a' AS v UNION ALL SELECT 1, 'A' UNION ALL SELECT 2, 'b') SELECT * EXCEPT (v), UPPER(v) AS u, COUNT(*) AS n FROM t GROUP BY k, u",
    [
      ['1', 'A', '2'],
      ['2', 'B', '1'],
    ],
  ),
  q(
    "query: an alias inside a grouped query's ORDER BY expression is the select-list item",
    'BigQuery docs: Query syntax — ORDER BY clause ("those aliases override names in the corresponding FROM clause")',
    "SELECT UPPER(v) AS v, COUNT(*) AS c FROM UNNEST(['a', 'A', 'b']) AS v GROUP BY v ORDER BY LOWER(v) DESC",
    [
      ['B', '1'],
      ['A', '2'],
    ],
    { ordered: true },
  ),
];

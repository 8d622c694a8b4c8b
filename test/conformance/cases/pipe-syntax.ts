/**
 * Pipe query syntax (`FROM t |> ...`), which the emulator desugars to standard syntax (emulator/bigquery/sql/pipe-syntax.ts).
 * The table is the Produce table of BigQuery's pipe syntax reference.
 */
import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

const PIPES = 'BigQuery docs: Pipe query syntax';
const ZETASQL_ASSERT = 'ZetaSQL compliance tests: pipe_assert.test (Assert failed: payloads joined by spaces)';

const PRODUCE = [
  `CREATE OR REPLACE TABLE conf.produce AS
   SELECT 'apples' AS item, 2 AS sales, 'fruit' AS category UNION ALL SELECT 'carrots', 8, 'vegetable'
   UNION ALL SELECT 'apples', 7, 'fruit' UNION ALL SELECT 'bananas', 5, 'fruit'`,
];
const p = { setup: PRODUCE };

export const cases: ConformanceCase[] = [
  q(
    'pipes: WHERE, AGGREGATE ... GROUP BY and ORDER BY (the reference example)',
    `${PIPES} — Query comparison`,
    `FROM conf.produce
     |> WHERE item != 'bananas' AND category IN ('fruit', 'nut')
     |> AGGREGATE COUNT(*) AS num_items, SUM(sales) AS total_sales GROUP BY item
     |> ORDER BY item DESC`,
    [['apples', '2', '9']],
    { ...p, columns: ['item', 'num_items', 'total_sales'], types: ['STRING', 'INT64', 'INT64'] },
  ),
  q(
    'pipes: AGGREGATE ... GROUP AND ORDER BY orders by the grouping keys',
    `${PIPES} — Shorthand ordering syntax with AGGREGATE`,
    'FROM conf.produce |> AGGREGATE SUM(sales) AS total GROUP AND ORDER BY category DESC',
    [
      ['vegetable', '8'],
      ['fruit', '14'],
    ],
    { ...p, ordered: true, columns: ['category', 'total'] },
  ),
  q(
    'pipes: EXTEND adds columns, SET replaces one in place, DROP removes one',
    `${PIPES} — EXTEND, SET and DROP pipe operators`,
    "FROM conf.produce |> EXTEND sales * 2 AS double_sales |> SET sales = sales + 1 |> DROP category |> WHERE item = 'carrots'",
    [['carrots', '9', '16']],
    { ...p, columns: ['item', 'sales', 'double_sales'] },
  ),
  q(
    'pipes: a table alias stays visible after JOIN and WHERE, until SELECT',
    `${PIPES} — JOIN pipe operator; "A pipe operator can see every alias that exists in the table preceding the pipe"`,
    "FROM conf.produce AS p |> JOIN (SELECT 'apples' AS item, 'red' AS color) AS c USING (item) |> WHERE p.sales > 5 |> SELECT p.item, p.sales, c.color",
    [['apples', '7', 'red']],
    { ...p, columns: ['item', 'sales', 'color'] },
  ),
  q(
    'pipes: a pipe after a standard query, and UNION ALL with more inputs',
    `${PIPES} — Pipe operators can be added to the end of any valid query; UNION pipe operator`,
    'SELECT 1 AS x |> UNION ALL (SELECT 2), (SELECT 3) |> AGGREGATE SUM(x) AS total',
    [['6']],
    { columns: ['total'] },
  ),
  q(
    'pipes: a window function in WHERE filters on its value (after the window is computed)',
    `${PIPES} — WHERE pipe operator (window functions allowed)`,
    'FROM conf.produce |> WHERE RANK() OVER (ORDER BY sales DESC) = 1 |> SELECT item',
    [['carrots']],
    p,
  ),
  err('pipes: ASSERT fails with its payloads', `${PIPES} — ASSERT pipe operator; ${ZETASQL_ASSERT}`, "FROM UNNEST([1, 2, 3]) AS x |> ASSERT x > 1, 'too small:', x", '^Assert failed: too small: 1$'),
  err(
    'pipes: ASSERT sees every row even when a later WHERE drops the failing one',
    `${PIPES} — ASSERT pipe operator; ${ZETASQL_ASSERT}`,
    'FROM UNNEST([1, 2, 3]) AS x |> ASSERT x > 1 |> WHERE x > 1',
    '^Assert failed: x > 1$',
  ),
  q('pipes: a passing ASSERT returns its input', `${PIPES} — ASSERT pipe operator`, 'FROM UNNEST([1, 2, 3]) AS x |> ASSERT x >= 1 |> AGGREGATE COUNT(*) AS n', [['3']]),
  err('pipes: RENAME is refused, not answered', `${PIPES} — RENAME pipe operator`, 'FROM conf.produce |> RENAME item AS fruit', 'RENAME is not supported by the local emulator', PRODUCE),
  q(
    'query: a derived table of SELECT AS STRUCT rows has the struct fields as its columns',
    'BigQuery docs: Query syntax — SELECT AS STRUCT; Value tables ("a value table can be used as a table in a FROM clause")',
    'SELECT * FROM (SELECT AS STRUCT 1 AS x, 2 AS y)',
    [['1', '2']],
    { columns: ['x', 'y'] },
  ),
  err(
    'query: SELECT * of a derived join whose inputs share a column name is refused (DuckDB would rename it value_1)',
    'BigQuery docs: Query syntax — SELECT * (duplicate column names are kept)',
    'SELECT * FROM (SELECT 1 AS k) JOIN (SELECT * FROM (SELECT 1 AS k, 2 AS value) JOIN (SELECT 1 AS k, 3 AS value) USING (k)) USING (k)',
    'not supported by the local emulator',
  ),
];

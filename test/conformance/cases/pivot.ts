import type { ConformanceCase } from '../case.js';
import { q } from './helpers.js';

const QS = 'BigQuery docs: Query syntax';
/** The Produce table of the PIVOT operator's examples. */
const PRODUCE = `WITH Produce AS (
  SELECT 'Kale' AS product, 51 AS sales, 'Q1' AS quarter, 2020 AS year UNION ALL
  SELECT 'Kale', 23, 'Q2', 2020 UNION ALL SELECT 'Kale', 45, 'Q3', 2020 UNION ALL SELECT 'Kale', 3, 'Q4', 2020 UNION ALL
  SELECT 'Kale', 70, 'Q1', 2021 UNION ALL SELECT 'Kale', 85, 'Q2', 2021 UNION ALL
  SELECT 'Apple', 77, 'Q1', 2020 UNION ALL SELECT 'Apple', 0, 'Q2', 2020 UNION ALL SELECT 'Apple', 1, 'Q1', 2021)`;

export const cases: ConformanceCase[] = [
  q(
    'pivot: BOOL values name their columns TRUE and FALSE; INT64 aliases of UNPIVOT make an INT64 name column',
    'BigQuery docs: Query syntax — PIVOT operator (pivot_column names: "Input: TRUE Output: TRUE"); UNPIVOT operator ("A row_value_alias can be a string or an INT64 literal")',
    'SELECT * FROM (SELECT 1 AS v, TRUE AS k) PIVOT(SUM(v) FOR k IN (TRUE, FALSE)) CROSS JOIN (SELECT * FROM (SELECT 5 AS Q1, 6 AS Q2) UNPIVOT(sales FOR quarter IN (Q1 AS 1, Q2 AS 2)) WHERE quarter = 2)',
    [['1', null, '6', '2']],
    { columns: ['TRUE', 'FALSE', 'sales', 'quarter'], types: ['INT64', 'INT64', 'INT64', 'INT64'] },
  ),
  q(
    'query: PIVOT with two aggregates names each column <prefix>_<value>, each value then each aggregate',
    `${QS} — PIVOT operator (example with multiple aggregation functions)`,
    `${PRODUCE} SELECT * FROM (SELECT product, sales, quarter FROM Produce) PIVOT(SUM(sales) AS total_sales, COUNT(*) AS num_records FOR quarter IN ('Q1', 'Q2'))`,
    [
      ['Kale', '121', '2', '108', '2'],
      ['Apple', '78', '2', '0', '1'],
    ],
    { columns: ['product', 'total_sales_Q1', 'num_records_Q1', 'total_sales_Q2', 'num_records_Q2'], types: ['STRING', 'INT64', 'INT64', 'INT64', 'INT64'] },
  ),
  q(
    'query: PIVOT with a prefix, pivot_column aliases and a table alias the outer SELECT names',
    `${QS} — PIVOT operator (example with prefix, pivot_column aliases and table_alias)`,
    `${PRODUCE} SELECT pivoted_sales.product, pivoted_sales.sales_first_quarter, pivoted_sales.sales_second_quarter FROM (SELECT product, sales, quarter FROM Produce) PIVOT(SUM(sales) AS sales FOR quarter IN ('Q1' AS first_quarter, 'Q2' AS second_quarter)) AS pivoted_sales`,
    [
      ['Apple', '78', '0'],
      ['Kale', '121', '108'],
    ],
    { columns: ['product', 'sales_first_quarter', 'sales_second_quarter'] },
  ),
];

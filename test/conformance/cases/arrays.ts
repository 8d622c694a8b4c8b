import type { ConformanceCase } from '../case.js';
import { q } from './helpers.js';

const QS = 'BigQuery docs: Query syntax';
const UNNEST_STAR = `${QS} — UNNEST operator ("For STRUCT element types, SELECT * against the value table column returns multiple columns")`;

export const cases: ConformanceCase[] = [
  q(
    'query: SELECT * over a correlated UNNEST of STRUCTs spreads the fields after the table columns',
    UNNEST_STAR,
    "SELECT * FROM (SELECT 7 AS id, [STRUCT(1 AS a, 'x' AS b), STRUCT(2, 'y')] AS items) AS t, UNNEST(t.items) AS item ORDER BY item.a",
    [
      [
        '7',
        [
          { a: '1', b: 'x' },
          { a: '2', b: 'y' },
        ],
        '1',
        'x',
      ],
      [
        '7',
        [
          { a: '1', b: 'x' },
          { a: '2', b: 'y' },
        ],
        '2',
        'y',
      ],
    ],
    { columns: ['id', 'items', 'a', 'b'], types: ['INT64', 'ARRAY<STRUCT<a INT64, b STRING>>', 'INT64', 'STRING'], ordered: true },
  ),
  q(
    'query: SELECT * over UNNEST of STRUCTs WITH OFFSET gives the fields, then the offset',
    UNNEST_STAR,
    "SELECT * FROM UNNEST([STRUCT(1 AS a, 'x' AS b), STRUCT(2, 'y')]) AS e WITH OFFSET AS pos ORDER BY pos DESC",
    [
      ['2', 'y', '1'],
      ['1', 'x', '0'],
    ],
    { columns: ['a', 'b', 'pos'], ordered: true },
  ),
  q(
    'query: SELECT * over an implicit UNNEST (t.items) and a scalar LEFT JOIN UNNEST keeps each in FROM order',
    UNNEST_STAR,
    'SELECT * FROM (SELECT 1 AS k, [STRUCT(10 AS a)] AS items, [3, 4] AS nums) AS t, t.items LEFT JOIN UNNEST(t.nums) AS n ON n > 3',
    [['1', [{ a: '10' }], ['3', '4'], '10', '4']],
    { columns: ['k', 'items', 'nums', 'a', 'n'] },
  ),
  q(
    'query: the UNNEST alias still names the whole STRUCT beside the spread star',
    UNNEST_STAR,
    "SELECT *, item.a * 10 AS a10, TO_JSON_STRING(item) AS j FROM (SELECT 5 AS k) AS t CROSS JOIN UNNEST([STRUCT(1 AS a, 'x' AS b)]) AS item",
    [['5', '1', 'x', '10', '{"a":1,"b":"x"}']],
    { columns: ['k', 'a', 'b', 'a10', 'j'] },
  ),
  q(
    'query: a RANGE element is one column under SELECT * WITH OFFSET, not its parts',
    `${UNNEST_STAR}; Data types — RANGE type`,
    "SELECT * FROM UNNEST([RANGE(DATE '2024-01-01', DATE '2024-02-01')]) AS r WITH OFFSET",
    [['[2024-01-01, 2024-02-01)', '0']],
    { columns: ['r', 'offset'], types: ['RANGE<DATE>', 'INT64'] },
  ),
];

import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

const QS = 'BigQuery docs: Query syntax';
const A = 'BigQuery docs: Array functions';
const UNNEST_STAR = `${QS} — UNNEST operator ("For STRUCT element types, SELECT * against the value table column returns multiple columns")`;

export const cases: ConformanceCase[] = [
  q(
    'array: GENERATE_ARRAY with a FLOAT64 or NUMERIC step is start + i * step within the bounds',
    'BigQuery docs: Array functions — GENERATE_ARRAY (INT64, NUMERIC, BIGNUMERIC or FLOAT64 arguments; example GENERATE_ARRAY(0, 10, 3), a step of 0.25 here)',
    "SELECT GENERATE_ARRAY(0, 1, 0.25) AS f, GENERATE_ARRAY(2, 0, -0.5) AS down, GENERATE_ARRAY(NUMERIC '0', 1, NUMERIC '0.3') AS n, GENERATE_ARRAY(0, 1, -0.5) AS empty, GENERATE_ARRAY(1, 3.5) AS float_end",
    [[[0, 0.25, 0.5, 0.75, 1], [2, 1.5, 1, 0.5, 0], ['0', '0.3', '0.6', '0.9'], [], [1, 2, 3]]],
    { types: ['ARRAY<FLOAT64>', 'ARRAY<FLOAT64>', 'ARRAY<NUMERIC>', 'ARRAY<FLOAT64>', 'ARRAY<FLOAT64>'] },
  ),
  q(
    'query: an UNNEST or subquery aliased without AS by a word GoogleSQL does not reserve (input, type)',
    'BigQuery docs: Query syntax — FROM clause (the AS keyword is optional for an alias); Lexical structure — reserved keywords (INPUT and TYPE are not)',
    'SELECT input, type.x FROM UNNEST([1]) input, (SELECT 2 AS x) type',
    [['1', '2']],
  ),
  q(
    'query: NOT EXISTS comparing TO_JSON_STRING of STRUCTs of correlated columns',
    'BigQuery docs: Query syntax — EXISTS subqueries with correlated columns; JSON functions — TO_JSON_STRING',
    "WITH r AS (SELECT 'r1' AS run_id, [DATE '2020-01-01'] AS dates, TIMESTAMP '2020-01-01 00:00:00+00' AS at UNION ALL SELECT 'r2', [], NULL) SELECT b.run_id FROM r AS b WHERE NOT EXISTS (SELECT 1 FROM r AS e WHERE e.run_id = 'r1' AND TO_JSON_STRING(STRUCT(e.run_id, e.dates, e.at)) = TO_JSON_STRING(STRUCT(b.run_id, b.dates, b.at)))",
    [['r2']],
  ),
  q(
    'query: a correlated scalar subquery casting a date function of an outer column to STRING',
    'BigQuery docs: Query syntax — correlated subqueries; Conversion functions — CAST AS STRING; Datetime functions — DATETIME',
    "SELECT (SELECT CAST(DATETIME(t.ts, 'UTC') AS STRING)) AS a, (SELECT PARSE_NUMERIC(t.s)) AS b FROM (SELECT TIMESTAMP '2020-01-01 00:00:00+00' AS ts, '1.5' AS s) AS t",
    [['2020-01-01 00:00:00', '1.5']],
  ),
  q(
    'query: a NULL STRUCT element of an aliased UNNEST is NULL, not a STRUCT of NULLs',
    `${QS} — UNNEST and NULL values ("An array containing NULL values produces rows containing NULL values")`,
    'SELECT e IS NULL AS n, e.a FROM UNNEST([STRUCT(1 AS a), NULL]) AS e ORDER BY n',
    [
      [false, '1'],
      [true, null],
    ],
    { columns: ['n', 'a'], ordered: true },
  ),
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
    'query: LEFT JOIN of a correlated UNNEST ON a condition over both sides keeps every row, NULLs where no element matches',
    `${QS} — LEFT OUTER JOIN; correlated join operation`,
    'SELECT id, v, pos FROM (SELECT 1 AS id, [10, 20] AS vs UNION ALL SELECT 2, [30] UNION ALL SELECT 3, []) AS t LEFT JOIN UNNEST(t.vs) AS v WITH OFFSET AS pos ON pos = id - 1 OR v > id * 10 ORDER BY id, pos',
    [
      ['1', '10', '0'],
      ['1', '20', '1'],
      ['2', '30', '0'],
      ['3', null, null],
    ],
    { columns: ['id', 'v', 'pos'], ordered: true },
  ),
  err(
    'query: SELECT * EXCEPT over an aliased UNNEST of STRUCTs is refused, never answered with the element as one column',
    `${UNNEST_STAR}; the local emulator's limit (docs/local-stack.md)`,
    "SELECT * EXCEPT (items) FROM (SELECT 7 AS id, [STRUCT(1 AS a, 'x' AS b)] AS items) AS t, UNNEST(t.items) AS item",
    'not supported by the local emulator',
  ),
  q(
    "query: UNNEST(SPLIT(t.csv)) of a table's STRING column gives STRING parts",
    `${QS} — UNNEST operator; String functions — SPLIT (returns ARRAY<STRING> for a STRING value)`,
    "SELECT t.id, part FROM (SELECT 1 AS id, 'a,b' AS csv) AS t, UNNEST(SPLIT(t.csv)) AS part WITH OFFSET AS pos ORDER BY pos",
    [
      ['1', 'a'],
      ['1', 'b'],
    ],
    { columns: ['id', 'part'], types: ['INT64', 'STRING'], ordered: true },
  ),
  q(
    'query: string functions nested in a FROM-clause UNNEST keep their STRING or BYTES type',
    `${QS} — UNNEST operator; String functions — LOWER, SPLIT, SUBSTR (STRING in, STRING out; BYTES in, BYTES out)`,
    "SELECT part, bytes FROM (SELECT 'A,b' AS csv, b'Cd' AS raw) AS t, UNNEST(SPLIT(LOWER(t.csv))) AS part WITH OFFSET AS pos, UNNEST([SUBSTR(LOWER(t.raw), 2)]) AS bytes ORDER BY pos",
    [
      ['a', 'ZA=='],
      ['b', 'ZA=='],
    ],
    { columns: ['part', 'bytes'], types: ['STRING', 'BYTES'], ordered: true },
  ),
  q(
    'query: a RANGE element is one column under SELECT * WITH OFFSET, not its parts',
    `${UNNEST_STAR}; Data types — RANGE type`,
    "SELECT * FROM UNNEST([RANGE(DATE '2024-01-01', DATE '2024-02-01')]) AS r WITH OFFSET",
    [['[2024-01-01, 2024-02-01)', '0']],
    { columns: ['r', 'offset'], types: ['RANGE<DATE>', 'INT64'] },
  ),
  q(
    'array: ARRAY_SLICE offsets are 0-based from the start and -1 from the end, both ends included and clamped',
    `${A} — ARRAY_SLICE (examples)`,
    `SELECT ARRAY_SLICE(['a', 'b', 'c', 'd', 'e'], 1, 3) AS a, ARRAY_SLICE(['a', 'b', 'c', 'd', 'e'], 1, -3) AS b,
  ARRAY_SLICE(['a', 'b', 'c', 'd', 'e'], 3, 3) AS c, ARRAY_SLICE(['a', 'b', 'c', 'd', 'e'], -30, -5) AS d,
  ARRAY_SLICE(['a', 'b', 'c', 'd', 'e'], 5, 30) AS e, ARRAY_SLICE(['a', 'b', 'c', 'd', 'e'], -1, 3) AS f`,
    [[['b', 'c', 'd'], ['b', 'c'], ['d'], ['a'], [], []]],
  ),
  q(
    'array: ARRAY_CONCAT is NULL when an argument is NULL',
    `${A} — ARRAY_CONCAT ("The function returns NULL if any input argument is NULL")`,
    'SELECT ARRAY_CONCAT([1], CAST(NULL AS ARRAY<INT64>), [3]) IS NULL AS n, ARRAY_CONCAT([1, 2], [3, 4], [5, 6]) AS c',
    [[true, ['1', '2', '3', '4', '5', '6']]],
  ),
  q(
    'array: ARRAY_TO_STRING is NULL for a NULL delimiter or NULL null_text',
    "ZetaSQL's reference implementation and compliance cases (functions_testlib_2.cc: ARRAY_TO_STRING with NULL arguments is NULL)",
    "SELECT ARRAY_TO_STRING(['a', 'b'], CAST(NULL AS STRING)) IS NULL AS d, ARRAY_TO_STRING(['a', NULL], ',', CAST(NULL AS STRING)) IS NULL AS n, ARRAY_TO_STRING(['a', NULL, 'b'], '-', 'MISSING') AS t",
    [[true, true, 'a-MISSING-b']],
  ),
  q(
    "array: arrays of STRUCTs in UNION ALL pair fields by position and keep the first input's names",
    'BigQuery docs: Conversion rules — Supertypes ("STRUCT with the same field position types")',
    'SELECT [STRUCT(1 AS a, 2 AS b)] AS s UNION ALL SELECT [STRUCT(3 AS b, 4 AS a)]',
    [[[{ a: '1', b: '2' }]], [[{ a: '3', b: '4' }]]],
    { types: ['ARRAY<STRUCT<a INT64, b INT64>>'] },
  ),
  q(
    "array: ARRAY_CONCAT, || and IF over arrays of differently named STRUCTs take the first one's fields by position",
    'BigQuery docs: Conversion rules — Supertypes; Array functions — ARRAY_CONCAT',
    "SELECT ARRAY_CONCAT([STRUCT(1 AS a, 'x' AS b)], [STRUCT(2 AS c, 'y' AS d)]) AS c, [STRUCT(1 AS a, 'x' AS b)] || [STRUCT(2 AS c, 'y' AS d)] AS p, IF(FALSE, [STRUCT(1 AS a, 'x' AS b)], [STRUCT(2 AS c, 'y' AS d)]) AS i",
    [
      [
        [
          { a: '1', b: 'x' },
          { a: '2', b: 'y' },
        ],
        [
          { a: '1', b: 'x' },
          { a: '2', b: 'y' },
        ],
        [{ a: '2', b: 'y' }],
      ],
    ],
    { types: ['ARRAY<STRUCT<a INT64, b STRING>>', 'ARRAY<STRUCT<a INT64, b STRING>>', 'ARRAY<STRUCT<a INT64, b STRING>>'] },
  ),
  q(
    'query: the fields of an UNNEST without an alias are columns, in a join and in an expression subquery',
    'BigQuery docs: Work with arrays — Query STRUCT elements in an array ("SELECT name FROM ... UNNEST(participants)")',
    `WITH Races AS (SELECT '800M' AS race, [STRUCT('Rudisha' AS name, [23.4, 26.3] AS laps), STRUCT('Makhloufi', [24.5, 25.4])] AS participants)
SELECT race, (SELECT name FROM UNNEST(participants) ORDER BY ARRAY_LENGTH(laps) DESC, name LIMIT 1) AS first_name,
  (SELECT COUNT(*) FROM Races AS r2, UNNEST(r2.participants) WHERE name LIKE 'M%') AS m_count
FROM Races`,
    [['800M', 'Makhloufi', '1']],
  ),
];

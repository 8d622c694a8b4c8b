import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

const QS = 'BigQuery docs: Query syntax';
const W = 'BigQuery docs: Window function calls / Numbering functions / Navigation functions';
const OPS = 'BigQuery docs: Operators';
const SQ = 'BigQuery docs: Subqueries';

/** id, name, dept, salary, mgr */
const EMP = [
  'create table conf.emp (id INT64, name STRING, dept STRING, salary INT64, mgr INT64)',
  `insert into conf.emp (id, name, dept, salary, mgr) values
    (1, 'Ann', 'eng', 100, NULL),
    (2, 'Bob', 'eng', 80, 1),
    (3, 'Cid', 'eng', 80, 1),
    (4, 'Dee', 'ops', 70, 1),
    (5, 'Eve', 'ops', NULL, 4),
    (6, 'Fay', NULL, 50, 4)`,
];
const DEPT = ['create table conf.dept (code STRING, title STRING)', "insert into conf.dept (code, title) values ('eng', 'Engineering'), ('ops', 'Operations'), ('hr', 'People')"];
const e = { setup: EMP };

export const cases: ConformanceCase[] = [
  err(
    'query: MATCH_RECOGNIZE is refused, not passed over (the input rows came back unchanged)',
    `${QS} — MATCH_RECOGNIZE clause`,
    'SELECT * FROM (SELECT 1 AS x UNION ALL SELECT 2) MATCH_RECOGNIZE(ORDER BY x MEASURES COUNT(*) AS c PATTERN (a+) DEFINE a AS x > 1)',
    'MATCH_RECOGNIZE is not supported by the local emulator',
  ),
  q(
    'query: QUALIFY ROW_NUMBER keeps the top row per partition',
    `${QS} — QUALIFY clause; ${W} — ROW_NUMBER`,
    'SELECT dept, name FROM conf.emp WHERE true QUALIFY ROW_NUMBER() OVER (PARTITION BY dept ORDER BY salary DESC, id) = 1 ORDER BY dept',
    [
      [null, 'Fay'],
      ['eng', 'Ann'],
      ['ops', 'Dee'],
    ],
    { ...e, ordered: true },
  ),
  q(
    'query: ROW_NUMBER dedup keeps the latest row per key',
    `${QS} — QUALIFY clause`,
    `SELECT k, v FROM UNNEST(ARRAY<STRUCT<k STRING, v INT64, ts INT64>>[('a', 1, 1), ('a', 2, 5), ('b', 3, 2), ('a', 4, 3)])
WHERE true
QUALIFY ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC) = 1`,
    [
      ['a', '2'],
      ['b', '3'],
    ],
  ),
  q(
    'query: RANK and DENSE_RANK with ties, NULL last in DESC',
    `${W} — RANK, DENSE_RANK`,
    'SELECT name, RANK() OVER (ORDER BY salary DESC) AS r, DENSE_RANK() OVER (ORDER BY salary DESC) AS dr FROM conf.emp ORDER BY r, name',
    [
      ['Ann', '1', '1'],
      ['Bob', '2', '2'],
      ['Cid', '2', '2'],
      ['Dee', '4', '3'],
      ['Fay', '5', '4'],
      ['Eve', '6', '5'],
    ],
    { ...e, ordered: true },
  ),
  q(
    'query: LAG and LEAD with default',
    `${W} — LAG, LEAD`,
    "SELECT id, LAG(name) OVER (ORDER BY id) AS prev, LEAD(name, 1, 'none') OVER (ORDER BY id) AS next FROM conf.emp WHERE id <= 3 ORDER BY id",
    [
      ['1', null, 'Bob'],
      ['2', 'Ann', 'Cid'],
      ['3', 'Bob', 'none'],
    ],
    { ...e, ordered: true },
  ),
  q(
    'query: running SUM with ROWS frame',
    `${W} — window frame clause (ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`,
    'SELECT x, SUM(x) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM UNNEST([1, 2, 3, 4]) AS x ORDER BY x',
    [
      ['1', '1'],
      ['2', '3'],
      ['3', '6'],
      ['4', '10'],
    ],
    { ordered: true },
  ),
  q(
    'query: default window frame with ORDER BY includes peers (RANGE)',
    `${W} — window frame clause (default frame is RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`,
    'SELECT x, SUM(x) OVER (ORDER BY x) AS running FROM UNNEST([1, 2, 2, 3]) AS x ORDER BY x',
    [
      ['1', '1'],
      ['2', '5'],
      ['2', '5'],
      ['3', '8'],
    ],
    { ordered: true },
  ),
  q(
    'query: moving AVG over 1 PRECEDING AND 1 FOLLOWING',
    `${W} — window frame clause`,
    'SELECT x, AVG(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS mov FROM UNNEST([10, 20, 30, 40]) AS x ORDER BY x',
    [
      ['10', 15],
      ['20', 20],
      ['30', 30],
      ['40', 35],
    ],
    { ordered: true },
  ),
  q(
    'query: partition aggregate COUNT(*) OVER (PARTITION BY)',
    `${W} — aggregate analytic functions`,
    'SELECT name, COUNT(*) OVER (PARTITION BY dept) AS n, SUM(salary) OVER (PARTITION BY dept) AS total FROM conf.emp ORDER BY id',
    [
      ['Ann', '3', '260'],
      ['Bob', '3', '260'],
      ['Cid', '3', '260'],
      ['Dee', '2', '70'],
      ['Eve', '2', '70'],
      ['Fay', '1', '50'],
    ],
    { ...e, ordered: true },
  ),
  q(
    'query: FIRST_VALUE and LAST_VALUE with a full frame',
    `${W} — FIRST_VALUE, LAST_VALUE`,
    `SELECT id, FIRST_VALUE(name) OVER w AS first, LAST_VALUE(name) OVER w AS last
FROM conf.emp WHERE dept = 'eng'
WINDOW w AS (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
ORDER BY id`,
    [
      ['1', 'Ann', 'Cid'],
      ['2', 'Ann', 'Cid'],
      ['3', 'Ann', 'Cid'],
    ],
    { ...e, ordered: true },
  ),
  q('query: SELECT * EXCEPT', `${QS} — SELECT * EXCEPT`, 'SELECT * EXCEPT (salary, mgr) FROM conf.emp WHERE id = 2', [['2', 'Bob', 'eng']], { ...e, columns: ['id', 'name', 'dept'] }),
  q('query: SELECT * REPLACE', `${QS} — SELECT * REPLACE`, 'SELECT * REPLACE (UPPER(name) AS name, salary * 2 AS salary) FROM conf.emp WHERE id = 2', [['2', 'BOB', 'eng', '160', '1']], {
    ...e,
    columns: ['id', 'name', 'dept', 'salary', 'mgr'],
  }),
  q('query: STRUCT construction', 'BigQuery docs: Data types — Constructing a STRUCT', "SELECT STRUCT(1 AS a, 'x' AS b) AS s", [[{ a: '1', b: 'x' }]]),
  q(
    'query: an array of STRUCTs takes the first element field names',
    'BigQuery docs: Data types — Constructing an ARRAY (elements coerced to a common supertype), STRUCT',
    "SELECT e.a, e.b FROM UNNEST([STRUCT(1 AS a, 'x' AS b), STRUCT(2 AS c, 'y' AS d)]) AS e",
    [
      ['1', 'x'],
      ['2', 'y'],
    ],
  ),
  q('query: STRUCT field access', `${OPS} — Field access operator`, "SELECT s.a, s.b.c FROM (SELECT STRUCT(1 AS a, STRUCT('deep' AS c) AS b) AS s)", [['1', 'deep']]),
  q(
    'query: ARRAY of STRUCT with UNNEST and alias',
    `${QS} — UNNEST operator (array of structs)`,
    "SELECT p.name, p.qty FROM UNNEST([STRUCT('a' AS name, 1 AS qty), STRUCT('b' AS name, 2 AS qty)]) AS p ORDER BY p.name",
    [
      ['a', '1'],
      ['b', '2'],
    ],
    { ordered: true },
  ),
  q(
    'query: UNNEST of an array of STRUCT exposes the fields as columns',
    `${QS} — UNNEST operator ("each STRUCT field is a column")`,
    "SELECT * FROM UNNEST(ARRAY<STRUCT<x INT64, y STRING>>[(1, 'foo'), (3, 'bar')])",
    [
      ['1', 'foo'],
      ['3', 'bar'],
    ],
    { columns: ['x', 'y'] },
  ),
  q('query: WITH clauses referencing earlier ones', `${QS} — WITH clause`, 'WITH a AS (SELECT x FROM UNNEST([1, 2, 3]) AS x), b AS (SELECT x * 10 AS y FROM a WHERE x > 1) SELECT SUM(y) AS s FROM b', [['50']]),
  q(
    'query: GROUP BY ROLLUP',
    `${QS} — GROUP BY ROLLUP`,
    `SELECT region, product, SUM(qty) AS total
FROM UNNEST(ARRAY<STRUCT<region STRING, product STRING, qty INT64>>[('eu', 'a', 1), ('eu', 'b', 2), ('us', 'a', 4)])
GROUP BY ROLLUP (region, product)`,
    [
      ['eu', 'a', '1'],
      ['eu', 'b', '2'],
      ['us', 'a', '4'],
      ['eu', null, '3'],
      ['us', null, '4'],
      [null, null, '7'],
    ],
  ),
  q('query: ORDER BY ASC puts NULLs first by default', `${QS} — ORDER BY clause ("NULLs first when sorting in ascending order")`, 'SELECT x FROM UNNEST([3, NULL, 1]) AS x ORDER BY x', [[null], ['1'], ['3']], {
    ordered: true,
  }),
  q(
    'query: ORDER BY DESC puts NULLs last by default',
    `${QS} — ORDER BY clause ("NULLs last when sorting in descending order")`,
    'SELECT x FROM UNNEST([3, NULL, 1]) AS x ORDER BY x DESC',
    [['3'], ['1'], [null]],
    { ordered: true },
  ),
  q('query: ORDER BY ASC NULLS LAST', `${QS} — ORDER BY clause (NULLS FIRST | NULLS LAST)`, 'SELECT x FROM UNNEST([3, NULL, 1]) AS x ORDER BY x NULLS LAST', [['1'], ['3'], [null]], { ordered: true }),
  q('query: ORDER BY DESC NULLS FIRST', `${QS} — ORDER BY clause (NULLS FIRST | NULLS LAST)`, 'SELECT x FROM UNNEST([3, NULL, 1]) AS x ORDER BY x DESC NULLS FIRST', [[null], ['3'], ['1']], { ordered: true }),
  q('query: LIMIT and OFFSET', `${QS} — LIMIT and OFFSET clause`, 'SELECT x FROM UNNEST(GENERATE_ARRAY(1, 10)) AS x ORDER BY x LIMIT 3 OFFSET 2', [['3'], ['4'], ['5']], { ordered: true }),
  q(
    'query: LEFT JOIN keeps unmatched left rows',
    `${QS} — LEFT OUTER JOIN`,
    'SELECT e.name, d.title FROM conf.emp AS e LEFT JOIN conf.dept AS d ON e.dept = d.code WHERE e.id IN (1, 4, 6) ORDER BY e.id',
    [
      ['Ann', 'Engineering'],
      ['Dee', 'Operations'],
      ['Fay', null],
    ],
    { setup: [...EMP, ...DEPT], ordered: true },
  ),
  q(
    'query: FULL JOIN keeps unmatched rows of both sides',
    `${QS} — FULL OUTER JOIN`,
    'SELECT d.code, COUNT(e.id) AS n FROM conf.emp AS e FULL JOIN conf.dept AS d ON e.dept = d.code GROUP BY d.code',
    [
      ['eng', '3'],
      ['ops', '2'],
      ['hr', '0'],
      [null, '1'],
    ],
    { setup: [...EMP, ...DEPT] },
  ),
  q(
    'query: JOIN USING',
    `${QS} — JOIN ... USING`,
    'SELECT k, a.v AS av, b.v AS bv FROM (SELECT 1 AS k, 10 AS v UNION ALL SELECT 2, 20) AS a JOIN (SELECT 2 AS k, 200 AS v UNION ALL SELECT 3, 300) AS b USING (k)',
    [['2', '20', '200']],
  ),
  q(
    'query: SELECT * over JOIN USING lists the USING columns first',
    `${QS} — USING clause (the USING columns, then the left input's other columns, then the right's)`,
    "SELECT * FROM (SELECT 'x' AS v, 1 AS k, 5 AS j) AS a JOIN (SELECT 5 AS j, 1 AS k, 'y' AS w) AS b USING (k, j)",
    [['1', '5', 'x', 'y']],
    { columns: ['k', 'j', 'v', 'w'] },
  ),
  q(
    'query: JOIN USING never matches NaN keys (RIGHT join, CTE inputs)',
    `${QS} — USING clause; BigQuery docs: Data types — Floating point semantics (NaN = NaN is FALSE)`,
    "WITH a AS (SELECT * FROM UNNEST([STRUCT(CAST('NaN' AS FLOAT64) AS k, 'a1' AS x), (1.0, 'a2')])), b AS (SELECT * FROM UNNEST([STRUCT(CAST('NaN' AS FLOAT64) AS k, 'b1' AS y), (1.0, 'b2')])) SELECT a.x, b.y FROM a RIGHT JOIN b USING (k)",
    [
      [null, 'b1'],
      ['a2', 'b2'],
    ],
  ),
  q('query: an anonymous column of a derived table is anonymous in the result', `${QS} — Implicit aliases`, 'SELECT * FROM (SELECT COUNT(*) FROM UNNEST([1, 2]))', [['2']], { columns: ['f0_'] }),
  q('query: an anonymous column of a CTE body is anonymous in the result', `${QS} — Implicit aliases; WITH clause`, "WITH t AS (SELECT 'a' AS b, 1 + 1) SELECT * FROM t", [['a', '2']], {
    columns: ['b', 'f0_'],
  }),
  q('query: UNNEST without an alias yields an anonymous column', `${QS} — UNNEST operator`, 'SELECT * FROM UNNEST([7, 8]) ORDER BY 1', [['7'], ['8']], { columns: ['f0_'], ordered: true }),
  q(
    'query: FULL JOIN USING coalesces the key',
    `${QS} — FULL OUTER JOIN with USING`,
    'SELECT k FROM (SELECT 1 AS k UNION ALL SELECT 2) AS a FULL JOIN (SELECT 2 AS k UNION ALL SELECT 3) AS b USING (k) ORDER BY k',
    [['1'], ['2'], ['3']],
    { ordered: true },
  ),
  q('query: CROSS JOIN', `${QS} — CROSS JOIN`, "SELECT a, b FROM UNNEST([1, 2]) AS a CROSS JOIN UNNEST(['x', 'y']) AS b", [
    ['1', 'x'],
    ['1', 'y'],
    ['2', 'x'],
    ['2', 'y'],
  ]),
  q(
    'query: self join to a manager',
    `${QS} — INNER JOIN`,
    'SELECT e.name, m.name AS manager FROM conf.emp AS e JOIN conf.emp AS m ON e.mgr = m.id WHERE m.id = 4 ORDER BY e.name',
    [
      ['Eve', 'Dee'],
      ['Fay', 'Dee'],
    ],
    { ...e, ordered: true },
  ),
  q(
    'query: correlated scalar subquery',
    `${SQ} — Correlated subqueries, scalar subqueries (NULL when no row)`,
    'SELECT e.name, (SELECT m.name FROM conf.emp AS m WHERE m.id = e.mgr) AS manager FROM conf.emp AS e WHERE e.id IN (1, 2) ORDER BY e.id',
    [
      ['Ann', null],
      ['Bob', 'Ann'],
    ],
    { ...e, ordered: true },
  ),
  err(
    'query: scalar subquery with more than one row is an error',
    `${SQ} — Scalar subqueries ("If the subquery returns more than one row, the query fails with a runtime error")`,
    'SELECT (SELECT x FROM UNNEST([1, 2]) AS x) AS y',
    'more than one element',
  ),
  q('query: EXISTS and NOT EXISTS', `${SQ} — EXISTS subqueries`, 'SELECT d.code FROM conf.dept AS d WHERE NOT EXISTS (SELECT 1 FROM conf.emp AS e WHERE e.dept = d.code)', [['hr']], {
    setup: [...EMP, ...DEPT],
  }),
  q('query: IN subquery', `${SQ} — IN subqueries`, "SELECT name FROM conf.emp WHERE dept IN (SELECT code FROM conf.dept WHERE title LIKE 'O%') ORDER BY name", [['Dee'], ['Eve']], {
    setup: [...EMP, ...DEPT],
    ordered: true,
  }),
  q('query: SELECT DISTINCT keeps one NULL', `${QS} — SELECT DISTINCT`, 'SELECT DISTINCT dept FROM conf.emp', [['eng'], ['ops'], [null]], e),
  q(
    'query: COUNT(DISTINCT) ignores NULL, COUNT(col) skips NULLs',
    'BigQuery docs: Aggregate functions — COUNT',
    'SELECT COUNT(DISTINCT dept) AS depts, COUNT(salary) AS with_salary, COUNT(*) AS all_rows FROM conf.emp',
    [['2', '5', '6']],
    e,
  ),
  q('query: PIVOT', `${QS} — PIVOT operator`, "SELECT * FROM (SELECT dept, salary FROM conf.emp) PIVOT (SUM(salary) FOR dept IN ('eng', 'ops'))", [['260', '70']], { ...e, columns: ['eng', 'ops'] }),
  q(
    'query: UNPIVOT',
    `${QS} — UNPIVOT operator`,
    'SELECT * FROM (SELECT 1 AS id, 10 AS q1, 20 AS q2) UNPIVOT (sales FOR quarter IN (q1, q2))',
    [
      ['1', '10', 'q1'],
      ['1', '20', 'q2'],
    ],
    { columns: ['id', 'sales', 'quarter'] },
  ),
  q('query: SELECT AS STRUCT in an ARRAY subquery', `${QS} — SELECT AS STRUCT`, "SELECT ARRAY(SELECT AS STRUCT x AS a, CONCAT('n', CAST(x AS STRING)) AS b FROM UNNEST([1, 2]) AS x ORDER BY x) AS items", [
    [
      [
        { a: '1', b: 'n1' },
        { a: '2', b: 'n2' },
      ],
    ],
  ]),
  q('query: NULL in an IN list', `${OPS} — IN operator (semantics with NULL)`, 'SELECT 1 IN (1, NULL) AS a, 2 IN (1, NULL) AS b, 2 NOT IN (1, NULL) AS c, CAST(NULL AS INT64) IN (1, 2) AS d', [
    [true, null, null, null],
  ]),
  q('query: NOT IN a subquery containing NULL returns no rows', `${OPS} — IN operator; ${SQ} — IN subqueries`, 'SELECT x FROM UNNEST([1, 2, 3]) AS x WHERE x NOT IN (SELECT y FROM UNNEST([2, NULL]) AS y)', []),
  q('query: WHERE col = a typed NULL matches nothing', `${OPS} — Comparison operators (comparisons with NULL return NULL)`, 'SELECT COUNT(*) AS n FROM conf.emp WHERE dept = CAST(NULL AS STRING)', [['0']], e),
  err(
    'query: WHERE col = NULL (a literal NULL) is an error',
    `${OPS} — Comparison operators; GoogleSQL operand typing ("Operands of = cannot be literal NULL")`,
    'SELECT COUNT(*) AS n FROM conf.emp WHERE dept = NULL',
    'Operands of = cannot be literal NULL',
    EMP,
  ),
  q(
    'query: ORDER BY a select-list alias and an expression',
    `${QS} — ORDER BY clause`,
    'SELECT name, salary * 2 AS double_pay FROM conf.emp WHERE salary IS NOT NULL ORDER BY double_pay DESC, name LIMIT 3',
    [
      ['Ann', '200'],
      ['Bob', '160'],
      ['Cid', '160'],
    ],
    { ...e, ordered: true },
  ),
  q('query: subquery in FROM with aggregation', `${QS} — FROM clause (subqueries)`, 'SELECT MAX(total) AS best FROM (SELECT dept, SUM(salary) AS total FROM conf.emp GROUP BY dept)', [['260']], e),
  q('query: COUNT over LIMIT subquery', `${QS} — LIMIT clause`, 'SELECT COUNT(*) AS n FROM (SELECT * FROM conf.emp LIMIT 2)', [['2']], e),
  q(
    'query: ARRAY_AGG of STRUCT per group',
    'BigQuery docs: Aggregate functions — ARRAY_AGG',
    "SELECT dept, ARRAY_AGG(STRUCT(id, name) ORDER BY id) AS people FROM conf.emp WHERE dept = 'ops' GROUP BY dept",
    [
      [
        'ops',
        [
          { id: '4', name: 'Dee' },
          { id: '5', name: 'Eve' },
        ],
      ],
    ],
    e,
  ),
  q(
    'query: window over an aggregate (share of total)',
    `${W} — aggregate analytic functions over grouped results`,
    'SELECT dept, SUM(salary) AS total, SUM(SUM(salary)) OVER () AS grand FROM conf.emp WHERE dept IS NOT NULL GROUP BY dept ORDER BY dept',
    [
      ['eng', '260', '330'],
      ['ops', '70', '330'],
    ],
    { ...e, ordered: true },
  ),
  q(
    "query: a correlated array path in FROM reads the current row's array",
    `${QS} — Correlated join operation (FROM t.array_column)`,
    'SELECT k, (SELECT COUNT(*) FROM t.arr) AS n, EXISTS(SELECT * FROM t.arr AS v WHERE v > 1) AS big FROM (SELECT 1 AS k, [1, 2] AS arr UNION ALL SELECT 2, [1]) AS t ORDER BY k',
    [
      ['1', '2', true],
      ['2', '1', false],
    ],
    { ordered: true },
  ),
  q(
    'query: a column alias spelled like the dataset leaves FROM dataset.table a table (not a correlated path)',
    `${QS} — Correlated join operation (the path's first name is a range variable of the FROM clause; a column alias is not one)`,
    'SELECT id AS conf FROM conf.emp WHERE id < 3 ORDER BY id',
    [['1'], ['2']],
    { ...e, ordered: true },
  ),
  q(
    'query: GROUP BY ALL with no grouping key in the select list puts every row in one group',
    `${QS} — GROUP BY ALL (grouping keys inferred from the SELECT items; constants are not keys)`,
    "SELECT 'a' AS x FROM (SELECT 1 AS id UNION ALL SELECT 2) GROUP BY ALL",
    [['a']],
  ),
  q(
    "query: GROUP BY ALL does not take a subquery's own columns as grouping keys",
    `${QS} — GROUP BY ALL (a SELECT item that references no column of the FROM clause is not a key)`,
    'SELECT (SELECT MAX(y) FROM UNNEST([5]) AS y) AS m FROM UNNEST([1, 2, 3]) AS x GROUP BY ALL',
    [['5']],
  ),
  q(
    'query: a STRUCT type with unnamed fields (STRUCT<INT64, STRING>) types an array and a NULL',
    'BigQuery docs: Data types — Declaring a STRUCT type (field names are optional)',
    "SELECT ARRAY_LENGTH(ARRAY<STRUCT<INT64, STRING>>[(1, 'a'), (2, 'b')]) AS n, CAST(NULL AS STRUCT<INT64, STRING>) IS NULL AS is_null",
    [['2', true]],
  ),
  q(
    "query: a STRUCT field without a name is _field_N (its position), a path names its field; an array takes its first element's names",
    'BigQuery docs: Data types — Constructing a STRUCT (fields without names are anonymous); a BigQuery dry run of [STRUCT(3, "allo" AS g), STRUCT(5 AS a, "yolo")] returns the fields _field_1 and g',
    "SELECT [STRUCT(3, 'allo' AS g), STRUCT(5 AS a, 'yolo')] AS u, STRUCT(1, t.y, t.s.b) AS v FROM (SELECT 2 AS y, STRUCT(4 AS b) AS s) AS t",
    [
      [
        [
          { _field_1: '3', g: 'allo' },
          { _field_1: '5', g: 'yolo' },
        ],
        { _field_1: '1', y: '2', b: '4' },
      ],
    ],
  ),
  q(
    'query: a nested SELECT AS STRUCT names an unnamed column _field_N, as a STRUCT constructor does',
    'BigQuery docs: Query syntax — SELECT AS STRUCT (a value table of STRUCT rows, one field per column); Data types — Constructing a STRUCT (fields without names are anonymous, _field_N in a schema)',
    "SELECT (SELECT AS STRUCT 1, 'a' AS b, t.y) AS s FROM (SELECT 2 AS y) AS t",
    [[{ _field_1: '1', b: 'a', y: '2' }]],
  ),
  q(
    'query: TABLESAMPLE SYSTEM (100 PERCENT) reads every row',
    `${QS} — TABLESAMPLE operator (TABLESAMPLE SYSTEM ( percent PERCENT ))`,
    'SELECT COUNT(*) AS n FROM conf.emp TABLESAMPLE SYSTEM (100 PERCENT)',
    [['6']],
    e,
  ),
  err(
    'query: TABLESAMPLE BERNOULLI is rejected, as BigQuery has SYSTEM sampling only',
    `${QS} — TABLESAMPLE operator (the only method is SYSTEM)`,
    'SELECT COUNT(*) FROM conf.emp TABLESAMPLE BERNOULLI (50 PERCENT)',
    'TABLESAMPLE BERNOULLI is not supported in BigQuery',
    EMP,
  ),
];

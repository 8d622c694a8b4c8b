import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

/** DATE - DATE and TIMESTAMP - TIMESTAMP (operators#date_arithmetics_operators): INTERVALs, wherever the operands come from. */
export const cases: ConformanceCase[] = [
  q(
    'operators: DATE - DATE and TIMESTAMP - TIMESTAMP are INTERVALs, the latter without a day part',
    'BigQuery docs: Operators — Date arithmetics operators (DATE "2021-05-20" - DATE "2020-04-19" is 0-0 396 0:0:0) and datetime subtraction (TIMESTAMP "2021-06-01 12:34:56.789" - TIMESTAMP "2021-05-31 00:00:00" is 0-0 0 36:34:56.789)',
    "SELECT DATE '2021-05-20' - DATE '2020-04-19' AS d, TIMESTAMP '2021-06-01 12:34:56.789' - TIMESTAMP '2021-05-31 00:00:00' AS t, DATETIME '2021-06-01 12:34:56.789' - DATETIME '2021-05-31 00:00:00' AS dt",
    [['0-0 396 0:0:0', '0-0 0 36:34:56.789', '0-0 1 12:34:56.789']],
    { types: ['INTERVAL', 'INTERVAL', 'INTERVAL'] },
  ),
  q(
    'operators: DATE - DATE and TIMESTAMP - TIMESTAMP of columns, of aggregates and of window functions are INTERVALs too',
    'BigQuery docs: Operators — Date arithmetics operators ("DATE - DATE" returns INTERVAL) and datetime subtraction; the operands are columns, MAX/MIN and LAG here',
    "WITH t AS (SELECT DATE '2021-05-20' d, TIMESTAMP '2021-06-01 12:34:56.789' ts UNION ALL SELECT DATE '2020-04-19', TIMESTAMP '2021-05-31 00:00:00') " +
      'SELECT MAX(d) - MIN(d) AS span, MAX(ts) - MIN(ts) AS ts_span, ANY_VALUE(gap) AS gap FROM (SELECT d, ts, d - LAG(d) OVER (ORDER BY d) AS gap FROM t) WHERE gap IS NOT NULL OR d IS NOT NULL',
    [['0-0 396 0:0:0', '0-0 0 36:34:56.789', '0-0 396 0:0:0']],
    { types: ['INTERVAL', 'INTERVAL', 'INTERVAL'] },
  ),
  q(
    'operators: a subtraction of two DATE columns in a joined table is an INTERVAL, of two INT64 columns an INT64',
    'BigQuery docs: Operators — Date arithmetics operators ("DATE - DATE" returns INTERVAL) and arithmetic operators (INT64 - INT64 is INT64)',
    "WITH t AS (SELECT DATE '2024-03-01' a, DATE '2024-01-01' b, 5 n, 2 m) SELECT t.a - u.b AS d, t.n - u.m AS k FROM t JOIN t AS u ON t.n - u.m = 3",
    [['0-0 60 0:0:0', '3']],
    { types: ['INTERVAL', 'INT64'] },
  ),
  err(
    'operators: a TIMESTAMP compared with a DATE has no signature (no coercion between them)',
    'BigQuery docs: Conversion rules — comparison chart (DATE coerces to DATETIME only; nothing coerces to TIMESTAMP) and Operators — Comparison operators (the operands must be of the same type or coercible)',
    "SELECT COUNT(*) FROM (SELECT TIMESTAMP '2024-02-01 00:00:00+00' AS ts) WHERE ts >= DATE '2024-01-01'",
    'No matching signature for operator >= for argument types: TIMESTAMP, DATE',
  ),
  q(
    'operators: a DATE compared with a DATETIME, and a TIMESTAMP with a TIMESTAMP or a STRING literal, compare',
    'BigQuery docs: Conversion rules — comparison chart (DATE coerces to DATETIME; a STRING literal coerces to TIMESTAMP)',
    "SELECT d < DATETIME '2024-02-01 10:00:00' AS a, ts BETWEEN TIMESTAMP '2024-01-01 00:00:00+00' AND '2024-03-01 00:00:00+00' AS b FROM (SELECT DATE '2024-02-01' AS d, TIMESTAMP '2024-02-01 00:00:00+00' AS ts)",
    [[true, true]],
  ),
  err(
    'operators: TIMESTAMP - DATE has no signature (a DATE coerces to DATETIME, not to TIMESTAMP)',
    'BigQuery docs: Conversion rules — comparison chart (DATE coerces to DATETIME only) and Operators — Date arithmetics operators (DATE - DATE, DATETIME - DATETIME, TIMESTAMP - TIMESTAMP)',
    "WITH t AS (SELECT DATE '2024-03-01' AS d, TIMESTAMP '2024-01-01' AS ts) SELECT ts - d FROM t",
    'No matching signature for operator - for argument types: TIMESTAMP, DATE',
  ),
  err(
    "operators: DATE - DATE of a lateral join's columns in UNNEST is refused, not answered as a number of days",
    'BigQuery docs: Operators — Date arithmetics operators ("DATE - DATE" returns INTERVAL); the local emulator cannot pick the INTERVAL form for correlated columns in UNNEST',
    "WITH t AS (SELECT DATE '2024-03-01' a, DATE '2024-01-01' b) SELECT x FROM t, UNNEST([t.a - t.b]) AS x",
    'DATE - DATE or TIMESTAMP - TIMESTAMP in UNNEST, in an expression subquery',
  ),
  q(
    'operators: a subtraction of a correlated column inside a STRUCT built in a subquery is answered (INT64 - INT64)',
    'BigQuery docs: Operators — arithmetic operators (INT64 - INT64 is INT64); a correlated column in a STRUCT of a scalar subquery',
    'WITH t AS (SELECT 5 AS n, 2 AS m) SELECT (SELECT AS STRUCT t.n - u.m AS k FROM t AS u) AS s, (SELECT ARRAY_AGG(STRUCT(u.n - t.m AS k)) FROM t AS u) AS a FROM t',
    [[{ k: '3' }, [{ k: '3' }]]],
    { types: ['STRUCT<k INT64>', 'ARRAY<STRUCT<k INT64>>'] },
  ),
];

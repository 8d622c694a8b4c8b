import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

const AG = 'BigQuery docs: Aggregate functions';
const STATS = 'BigQuery docs: Statistical aggregate functions';
const APPROX = 'BigQuery docs: Approximate aggregate functions';
const BIT = 'BigQuery docs: Bit functions / Aggregate functions — BIT_AND, BIT_OR, BIT_XOR';

export const cases: ConformanceCase[] = [
  q(
    'aggregate: COUNT(*) counts rows, COUNT(x) skips NULLs, COUNT(DISTINCT x)',
    `${AG} — COUNT`,
    'SELECT COUNT(*) AS count_star, COUNT(x) AS count_x, COUNT(DISTINCT x) AS count_dist FROM UNNEST([1, 4, NULL, 4, 5]) AS x',
    [['5', '4', '3']],
    { types: ['INT64', 'INT64', 'INT64'] },
  ),
  q('aggregate: COUNTIF', `${AG} — COUNTIF`, 'SELECT COUNTIF(x < 0) AS num_negative, COUNTIF(x > 0) AS num_positive FROM UNNEST([5, -2, 3, 6, -10, -7, 4, 0]) AS x', [['3', '4']], {
    types: ['INT64', 'INT64'],
  }),
  q('aggregate: SUM and SUM(DISTINCT) of INT64 are INT64', `${AG} — SUM`, 'SELECT SUM(x) AS s, SUM(DISTINCT x) AS sd FROM UNNEST([1, 2, 3, 4, 5, 4, 3, 2, 1]) AS x', [['25', '15']], {
    types: ['INT64', 'INT64'],
  }),
  q('aggregate: SUM over no rows is NULL, COUNT is 0', `${AG} — SUM ("Returns NULL if the input contains no rows"), COUNT`, 'SELECT SUM(x) AS s, COUNT(x) AS c FROM UNNEST(ARRAY<INT64>[]) AS x', [[null, '0']]),
  q('aggregate: SUM of only NULLs is NULL', `${AG} — SUM ("Returns NULL if the input contains only NULLs")`, 'SELECT SUM(x) AS s FROM UNNEST([CAST(NULL AS INT64), NULL]) AS x', [[null]]),
  q('aggregate: SUM of FLOAT64', `${AG} — SUM`, 'SELECT SUM(x) AS s FROM UNNEST([1.5, 2.25, NULL]) AS x', [[3.75]], { types: ['FLOAT64'] }),
  q('aggregate: AVG of INT64 is FLOAT64', `${AG} — AVG`, 'SELECT AVG(x) AS avg FROM UNNEST([0, 2, 4, 4, 5]) AS x', [[3]], { types: ['FLOAT64'] }),
  q(
    'aggregate: AVG of NUMERIC is NUMERIC, rounded half away from zero to 9 decimals; of BIGNUMERIC BIGNUMERIC; as a window too',
    `${AG} — AVG (returned data types: NUMERIC for NUMERIC input, BIGNUMERIC for BIGNUMERIC input, FLOAT64 otherwise)`,
    "SELECT AVG(n) AS a, AVG(DISTINCT n) AS b, (SELECT AVG(b) FROM UNNEST([BIGNUMERIC '1', BIGNUMERIC '2']) AS b) AS c, MAX(w) AS d FROM (SELECT n, AVG(n) OVER () AS w FROM UNNEST([NUMERIC '1', NUMERIC '2', NUMERIC '2']) AS n)",
    [['1.666666667', '1.5', '1.5', '1.666666667']],
    { types: ['NUMERIC', 'NUMERIC', 'BIGNUMERIC', 'NUMERIC'] },
  ),
  err(
    'aggregate: SUM of BOOL values is an error',
    `${AG} — SUM (Supported Argument Types: any supported numeric data type, INTERVAL)`,
    'SELECT SUM(b) AS s FROM UNNEST([TRUE, FALSE, TRUE]) AS b',
    'No matching signature for aggregate function SUM',
  ),
  err(
    'aggregate: AVG of BIGNUMERIC whose average needs more fractional digits than the emulator keeps is refused',
    `${AG} — AVG (BIGNUMERIC keeps 38 fractional digits in BigQuery, 18 in the local emulator)`,
    "SELECT AVG(b) AS a FROM UNNEST([BIGNUMERIC '1', BIGNUMERIC '2', BIGNUMERIC '2']) AS b",
    'not supported by the local emulator',
  ),
  err(
    'aggregate: AVG of a BIGNUMERIC(P, S) column whose scale is not 18 is refused, not rounded',
    `${AG} — AVG; BigQuery docs: Data types — Parameterized decimal type`,
    'SELECT AVG(b) AS a FROM conf.big_scaled',
    'not supported by the local emulator',
    ['CREATE OR REPLACE TABLE conf.big_scaled (b BIGNUMERIC(20, 12))', "INSERT INTO conf.big_scaled VALUES (BIGNUMERIC '0.000000000001'), (BIGNUMERIC '0')"],
  ),
  q('aggregate: AVG(DISTINCT)', `${AG} — AVG`, 'SELECT AVG(DISTINCT x) AS avg FROM UNNEST([0, 2, 4, 4, 5]) AS x', [[2.75]]),
  q('aggregate: MIN and MAX', `${AG} — MIN, MAX`, 'SELECT MIN(x) AS min, MAX(x) AS max FROM UNNEST([8, 37, 55, 4]) AS x', [['4', '55']]),
  q(
    'aggregate: MIN/MAX of strings and dates',
    `${AG} — MIN, MAX`,
    "SELECT MIN(s) AS a, MAX(s) AS b, MAX(d) AS c FROM UNNEST(ARRAY<STRUCT<s STRING, d DATE>>[('pear', DATE '2024-01-02'), ('apple', DATE '2024-03-01'), ('banana', NULL)])",
    [['apple', 'pear', '2024-03-01']],
  ),
  q('aggregate: ARRAY_AGG with ORDER BY and LIMIT', `${AG} — ARRAY_AGG`, 'SELECT ARRAY_AGG(x ORDER BY x DESC LIMIT 2) AS top2 FROM UNNEST([2, 1, -2, 3, -2, 1, 2]) AS x', [[['3', '2']]], {
    types: ['ARRAY<INT64>'],
  }),
  q('aggregate: ARRAY_AGG IGNORE NULLS', `${AG} — ARRAY_AGG (IGNORE NULLS)`, 'SELECT ARRAY_AGG(x IGNORE NULLS ORDER BY x) AS arr FROM UNNEST([NULL, 1, -2, 3, -2, 1, NULL]) AS x', [
    [['-2', '-2', '1', '1', '3']],
  ]),
  q('aggregate: ARRAY_AGG(DISTINCT ...)', `${AG} — ARRAY_AGG (DISTINCT)`, 'SELECT ARRAY_AGG(DISTINCT x ORDER BY x) AS arr FROM UNNEST([2, 1, -2, 3, -2, 1, 2]) AS x', [[['-2', '1', '2', '3']]]),
  q(
    'aggregate: STRING_AGG with separator and ORDER BY skips NULLs',
    `${AG} — STRING_AGG`,
    "SELECT STRING_AGG(fruit, ' & ' ORDER BY fruit) AS string_agg FROM UNNEST(['apple', NULL, 'pear', 'banana', 'pear']) AS fruit",
    [['apple & banana & pear & pear']],
  ),
  q(
    'aggregate: STRING_AGG DISTINCT ORDER BY DESC',
    `${AG} — STRING_AGG`,
    "SELECT STRING_AGG(DISTINCT fruit, ' & ' ORDER BY fruit DESC) AS string_agg FROM UNNEST(['apple', NULL, 'pear', 'banana', 'pear']) AS fruit",
    [['pear & banana & apple']],
  ),
  q('aggregate: STRING_AGG with LIMIT', `${AG} — STRING_AGG`, "SELECT STRING_AGG(fruit, ' & ' ORDER BY fruit LIMIT 2) AS string_agg FROM UNNEST(['apple', NULL, 'pear', 'banana', 'pear']) AS fruit", [
    ['apple & banana'],
  ]),
  q('aggregate: STRING_AGG default separator is a comma', `${AG} — STRING_AGG ("If delimiter is not specified, a comma is used")`, "SELECT STRING_AGG(x ORDER BY x) AS s FROM UNNEST(['b', 'c', 'a']) AS x", [
    ['a,b,c'],
  ]),
  q(
    'aggregate: STRING_AGG over a BYTES column is BYTES, joined by a bytes comma or the bytes separator',
    `${AG} — STRING_AGG (STRING_AGG(expression [, delimiter]): "expression: STRING or BYTES", returns "STRING or BYTES")`,
    "WITH t AS (SELECT b'ab' AS b, 1 AS k UNION ALL SELECT b'\\x00c', 2 UNION ALL SELECT NULL, 3) SELECT STRING_AGG(b ORDER BY k) AS a, STRING_AGG(b, b'--' ORDER BY k DESC) AS d FROM t",
    [['YWIsAGM=', 'AGMtLWFi']],
    { types: ['BYTES', 'BYTES'] },
  ),
  q(
    'aggregate: STRING_AGG over a BYTES column as an analytic function is BYTES',
    `${AG} — STRING_AGG (returns "STRING or BYTES"; as a window function)`,
    "WITH t AS (SELECT b'ab' AS b, 1 AS k UNION ALL SELECT b'\\x00c', 2) SELECT k, STRING_AGG(b) OVER (ORDER BY k) AS w FROM t ORDER BY k",
    [
      ['1', 'YWI='],
      ['2', 'YWIsAGM='],
    ],
    { types: ['INT64', 'BYTES'], ordered: true },
  ),
  err(
    'aggregate: STRING_AGG of BYTES with a STRING separator has no signature',
    `${AG} — STRING_AGG (the delimiter has the expression's type)`,
    "WITH t AS (SELECT b'ab' AS b) SELECT STRING_AGG(b, ',') AS a FROM t",
    'No matching signature for aggregate function STRING_AGG',
  ),
  err(
    'aggregate: STRING_AGG of STRING values with a BYTES separator has no signature',
    `${AG} — STRING_AGG (the delimiter has the expression's type)`,
    "SELECT STRING_AGG(s, b'-') AS a FROM UNNEST(['a', 'b']) AS s",
    'No matching signature for aggregate function STRING_AGG',
  ),
  err(
    'aggregate: STRING_AGG of INT64 has no signature',
    `${AG} — STRING_AGG (expression: STRING or BYTES)`,
    'SELECT STRING_AGG(x) AS a FROM UNNEST([1, 2]) AS x',
    'No matching signature for aggregate function STRING_AGG',
  ),
  q('aggregate: STRING_AGG of a NULL literal is a STRING NULL', `${AG} — STRING_AGG (the STRING signature comes first)`, 'SELECT STRING_AGG(NULL) AS s', [[null]], { types: ['STRING'] }),
  q('aggregate: ANY_VALUE of a single value', `${AG} — ANY_VALUE`, "SELECT ANY_VALUE(x) AS v FROM UNNEST(['only']) AS x", [['only']]),
  q('aggregate: LOGICAL_AND and LOGICAL_OR', `${AG} — LOGICAL_AND, LOGICAL_OR`, 'SELECT LOGICAL_AND(x) AS a, LOGICAL_OR(x) AS o FROM UNNEST([true, false, true]) AS x', [[false, true]]),
  q('aggregate: LOGICAL_AND ignores NULLs', `${AG} — LOGICAL_AND ("NULL values are ignored")`, 'SELECT LOGICAL_AND(x) AS a FROM UNNEST([true, NULL, true]) AS x', [[true]]),
  q('aggregate: BIT_AND, BIT_OR, BIT_XOR', BIT, 'SELECT BIT_AND(x) AS a, BIT_OR(x) AS o FROM UNNEST([0xF001, 0x00A1]) AS x', [['1', '61601']]),
  q('aggregate: BIT_XOR', BIT, 'SELECT BIT_XOR(x) AS x FROM UNNEST([1234, 5678, 1234]) AS x', [['5678']]),
  q(
    'approximate aggregates: APPROX_QUANTILES with RESPECT NULLS counts the NULLs, ordered first',
    `${APPROX} — APPROX_QUANTILES (examples: RESPECT NULLS gives [NULL, 4, 10], DISTINCT ... RESPECT NULLS [NULL, 6, 10])`,
    "SELECT FORMAT('%T', APPROX_QUANTILES(x, 2 RESPECT NULLS)) AS a, FORMAT('%T', APPROX_QUANTILES(DISTINCT x, 2 RESPECT NULLS)) AS b FROM UNNEST([NULL, NULL, 1, 1, 1, 4, 5, 6, 7, 8, 9, 10]) AS x",
    [['[NULL, 4, 10]', '[NULL, 6, 10]']],
  ),
  q(
    'aggregate: BIT_XOR(DISTINCT x) takes each value once',
    `${AG} — BIT_XOR (example: BIT_XOR(DISTINCT x) of [1234, 5678, 1234] is 4860)`,
    'SELECT BIT_XOR(DISTINCT x) AS bit_xor FROM UNNEST([1234, 5678, 1234]) AS x',
    [['4860']],
  ),
  q(
    'statistical aggregates: VAR_SAMP and VAR_POP with DISTINCT take each value once',
    `${STATS} — VAR_SAMP([DISTINCT] expression), VAR_POP([DISTINCT] expression)`,
    'SELECT VAR_SAMP(DISTINCT x) AS s, VAR_POP(DISTINCT x) AS p, (SELECT VAR_SAMP(DISTINCT y) OVER () FROM UNNEST([1, 1, 3]) AS y LIMIT 1) AS w FROM UNNEST([10, 10, 14, 18]) AS x',
    [[16, 10.666666666666666, 2]],
  ),
  q(
    'aggregate: GROUP BY with several aggregates',
    `${AG}; BigQuery docs: Query syntax — GROUP BY clause`,
    "SELECT k, COUNT(*) AS n, SUM(v) AS total, MAX(v) AS mx FROM UNNEST(ARRAY<STRUCT<k STRING, v INT64>>[('a', 1), ('a', 5), ('b', 2)]) GROUP BY k ORDER BY k",
    [
      ['a', '2', '6', '5'],
      ['b', '1', '2', '2'],
    ],
    { ordered: true },
  ),
  q(
    'aggregate: HAVING filters groups',
    'BigQuery docs: Query syntax — HAVING clause',
    "SELECT k, SUM(v) AS total FROM UNNEST(ARRAY<STRUCT<k STRING, v INT64>>[('a', 1), ('a', 5), ('b', 2), ('c', 10)]) GROUP BY k HAVING SUM(v) > 3 ORDER BY k",
    [
      ['a', '6'],
      ['c', '10'],
    ],
    { ordered: true },
  ),
  q(
    'aggregate: GROUP BY puts NULL keys in one group',
    'BigQuery docs: Query syntax — GROUP BY clause (NULL values are grouped together)',
    "SELECT k, COUNT(*) AS n FROM UNNEST([CAST(NULL AS STRING), 'a', NULL, 'a', NULL]) AS k GROUP BY k ORDER BY k",
    [
      [null, '3'],
      ['a', '2'],
    ],
    { ordered: true },
  ),
  q(
    'aggregate: GROUP BY ordinal and aggregate over expressions',
    'BigQuery docs: Query syntax — GROUP BY clause (column ordinals)',
    'SELECT MOD(x, 2) AS parity, SUM(x) AS s FROM UNNEST(GENERATE_ARRAY(1, 6)) AS x GROUP BY 1 ORDER BY 1',
    [
      ['0', '12'],
      ['1', '9'],
    ],
    { ordered: true },
  ),
  q('aggregate: COUNT(*) of an empty input with no GROUP BY is one row with 0', `${AG} — COUNT`, 'SELECT COUNT(*) AS n FROM UNNEST(ARRAY<STRING>[]) AS x', [['0']]),
  q('aggregate: GROUP BY over no rows returns no rows', 'BigQuery docs: Query syntax — GROUP BY clause', 'SELECT x, COUNT(*) AS n FROM UNNEST(ARRAY<STRING>[]) AS x GROUP BY x', []),
  q(
    'aggregate: COUNTIF over no rows or only NULL conditions is 0, also as a window',
    `${AG} — COUNTIF`,
    'SELECT (SELECT COUNTIF(x > 0) FROM UNNEST(ARRAY<INT64>[]) AS x) AS empty_input, COUNTIF(b) AS all_null, COUNTIF(b) OVER () AS windowed FROM UNNEST([CAST(NULL AS BOOL)]) AS b GROUP BY b',
    [['0', '0', '0']],
  ),
  q(
    'aggregate: STRING_AGG over BYTES with a BYTES separator returns BYTES',
    `${AG} — STRING_AGG (BYTES values and delimiter return BYTES)`,
    "SELECT STRING_AGG(b, b'|' ORDER BY b DESC) AS joined, TYPEOF(STRING_AGG(b, b'|')) AS t FROM UNNEST([b'a', b'b', NULL]) AS b",
    [['Ynxh', 'BYTES']],
  ),
  q(
    'statistical aggregates: an infinite or NaN input makes VAR_POP, STDDEV_SAMP and COVAR_POP NaN',
    `${STATS} — VAR_POP, STDDEV_SAMP, COVAR_POP ("NaN is produced if any input value is NaN, or positive or negative infinity")`,
    "SELECT VAR_POP(x) AS vp, STDDEV_SAMP(x) AS ss, COVAR_POP(x, 1.0) AS cp FROM UNNEST([1.0, CAST('inf' AS FLOAT64), 3.0]) AS x",
    [['NaN', 'NaN', 'NaN']],
    { types: ['FLOAT64', 'FLOAT64', 'FLOAT64'] },
  ),
  q(
    'statistical aggregates: VAR_SAMP of one non-NULL input is NULL even when it is NaN; VAR_POP of it is NaN',
    `${STATS} — VAR_SAMP ("If there are fewer than two non-NULL inputs, this function returns NULL"), VAR_POP`,
    "SELECT VAR_SAMP(x) AS vs, VAR_POP(x) AS vp FROM UNNEST([CAST('nan' AS FLOAT64), NULL]) AS x",
    [[null, 'NaN']],
  ),
  q(
    'statistical aggregates: a pair with a NULL is not an input, so its infinite partner does not make COVAR_SAMP NaN',
    `${STATS} — COVAR_SAMP ("If a row contains at least one NULL, the row is ignored")`,
    "SELECT COVAR_SAMP(y, x) AS c FROM UNNEST([STRUCT(1.0 AS y, 1.0 AS x), (2.0, 3.0), (CAST('inf' AS FLOAT64), NULL)])",
    [[1]],
  ),
  q(
    'statistical aggregates: values past 2^500 do not overflow (STDDEV_POP exact, a VAR_POP past FLOAT64 is +inf, CORR of one huge input)',
    `${STATS}; ZetaSQL analytic_stat_aggregation (stddev_samp_double_extreme: a finite STDDEV_SAMP of 1.79769e+308 and 8.98845e+307, var_pop_double_extreme_inf: inf) and stat_aggregation (corr_double_extreme_negative_slope)`,
    'SELECT STDDEV_POP(x) AS sp, VAR_POP(x) AS vp, CORR(y, x) AS c FROM UNNEST([STRUCT(POW(2.0, 1000) AS x, 1.0 AS y), (-POW(2.0, 1000), -1.0)])',
    [[1.0715086071862673e301, 'Infinity', 1]],
    { types: ['FLOAT64', 'FLOAT64', 'FLOAT64'] },
  ),
  q(
    'statistical aggregates: a column of NULLs only (its type INT64) gives NULL, not an error',
    `${STATS} — CORR, COVAR_POP, COVAR_SAMP (the examples over UNNEST([STRUCT(1.0 AS y, NULL AS x), (9.0, NULL)]): NULL)`,
    'SELECT CORR(y, x) AS c, COVAR_POP(y, x) AS cp, COVAR_SAMP(y, x) AS cs, STDDEV(x) AS sd FROM UNNEST([STRUCT(1.0 AS y, NULL AS x), (9.0, NULL)])',
    [[null, null, null, null]],
    { types: ['FLOAT64', 'FLOAT64', 'FLOAT64', 'FLOAT64'] },
  ),
  q(
    'division of aggregates: SUM / COUNT and SAFE_DIVIDE of FLOAT64 and NUMERIC sums keep their fractions and types',
    'BigQuery docs: Operators — division (FLOAT64 / INT64 is FLOAT64, NUMERIC / INT64 is NUMERIC); Mathematical functions — SAFE_DIVIDE',
    'SELECT SUM(x) / COUNT(*) AS a, SAFE_DIVIDE(SUM(x), COUNT(x)) AS b, MAX(x) / 2 AS c, SUM(CAST(x AS NUMERIC)) / COUNT(*) AS n FROM UNNEST([1.5, 2.25]) AS x',
    [[1.875, 1.875, 1.125, '1.875']],
    { types: ['FLOAT64', 'FLOAT64', 'FLOAT64', 'NUMERIC'] },
  ),
  q(
    'approximate aggregates: APPROX_TOP_COUNT counts NULL as a value, most frequent first',
    `${APPROX} — APPROX_TOP_COUNT (examples: [{pear, 3}, {apple, 2}] and NULL handling [{pear, 3}, {NULL, 2}])`,
    `SELECT APPROX_TOP_COUNT(x, 2) AS top, (SELECT APPROX_TOP_COUNT(y, 2) FROM UNNEST([NULL, 'pear', 'pear', 'pear', 'apple', NULL]) AS y) AS with_nulls
     FROM UNNEST(['apple', 'apple', 'pear', 'pear', 'pear', 'banana']) AS x`,
    [
      [
        [
          { value: 'pear', count: '3' },
          { value: 'apple', count: '2' },
        ],
        [
          { value: 'pear', count: '3' },
          { value: null, count: '2' },
        ],
      ],
    ],
    { types: ['ARRAY<STRUCT<value STRING, count INT64>>', 'ARRAY<STRUCT<value STRING, count INT64>>'] },
  ),
  q(
    'approximate aggregates: APPROX_TOP_SUM sums the weights per value; NULL weights are ignored',
    `${APPROX} — APPROX_TOP_SUM (examples: [{pear, 6}, {banana, 5}] and NULL handling [{pear, 0}, {apple, NULL}])`,
    `SELECT APPROX_TOP_SUM(x, weight, 2) AS top,
       (SELECT APPROX_TOP_SUM(x, weight, 2) FROM UNNEST([STRUCT('apple' AS x, NULL AS weight), ('pear', 0), ('pear', NULL)])) AS with_nulls
     FROM UNNEST([STRUCT('apple' AS x, 3 AS weight), ('pear', 2), ('apple', 0), ('banana', 5), ('pear', 4)])`,
    [
      [
        [
          { value: 'pear', sum: '6' },
          { value: 'banana', sum: '5' },
        ],
        [
          { value: 'pear', sum: '0' },
          { value: 'apple', sum: null },
        ],
      ],
    ],
  ),
  err(
    'approximate aggregates: APPROX_TOP_SUM refuses a negative weight',
    'ZetaSQL compliance tests: approx_aggregation.test, approx_top_sum_negative_int64_weight_expr',
    'SELECT APPROX_TOP_SUM(x, -x, 1) FROM UNNEST([2]) AS x',
    'APPROX_TOP_SUM does not support negative or NaN weights in the second argument; got -2',
  ),
  err(
    'approximate aggregates: APPROX_TOP_COUNT whose last place is a tie is refused, not guessed',
    `${APPROX} — APPROX_TOP_COUNT (which of the tied values BigQuery returns is its own)`,
    "SELECT APPROX_TOP_COUNT(x, 1) FROM UNNEST(['a', 'b']) AS x",
    'last place is shared by tied values is not supported by the local emulator',
  ),
  err(
    'approximate aggregates: APPROX_TOP_COUNT of INTERVAL values is refused (equal intervals are spelt two ways)',
    'ZetaSQL compliance tests: interval.test, approx_top_count (INTERVAL 1 MONTH equals INTERVAL 30 DAY; BigQuery returns one spelling)',
    'SELECT APPROX_TOP_COUNT(x, 1) FROM UNNEST([INTERVAL 1 MONTH, INTERVAL 30 DAY]) AS x',
    'APPROX_TOP_COUNT of INTERVAL values is not supported by the local emulator',
  ),
  // Arithmetic, casts and math over aggregates in HAVING: the translator binds such operands once through a lambda
  // (fix-arithmetic.ts), whose field access DuckDB's HAVING binder once read as a column and refused.
  q(
    'aggregate: HAVING with CAST(SUM(x) AS STRING), SUM(x) * SUM(y), SQRT(SUM(x)) and SUM(x) / COUNT(*)',
    'BigQuery docs: Query syntax — HAVING clause ("can reference aggregate functions")',
    `SELECT g FROM UNNEST([STRUCT(1 AS g, 10 AS x, 2 AS y), (1, 20, 3), (2, 4, 5)])
     GROUP BY g HAVING CAST(SUM(x) AS STRING) = '30' AND SUM(x) * SUM(y) > 100 AND SQRT(SUM(x)) > 3 AND SUM(x) / COUNT(*) > 10 AND SAFE_DIVIDE(SUM(x), COUNT(*)) > 10`,
    [['1']],
  ),
  q(
    'aggregate: HAVING with MIN(ts) + INTERVAL and CAST(MIN(ts) AS STRING)',
    'BigQuery docs: Query syntax — HAVING clause',
    `SELECT g FROM UNNEST([STRUCT(1 AS g, TIMESTAMP '2020-01-01 00:00:00+00' AS ts), (2, TIMESTAMP '2021-01-01 00:00:00+00')])
     GROUP BY g HAVING MIN(ts) + INTERVAL 1 HOUR > TIMESTAMP '2020-06-01 00:00:00+00' AND CAST(MIN(ts) AS STRING) LIKE '2021%'`,
    [['2']],
  ),
];

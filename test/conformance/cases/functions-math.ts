import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

const M = 'BigQuery docs: Mathematical functions';
const OPS = 'BigQuery docs: Operators';

export const cases: ConformanceCase[] = [
  q('math: DIV of an expression keeps its parentheses', `${M} — DIV`, 'SELECT DIV(10 - 4, 2) AS d', [['3']], { types: ['INT64'] }),
  q('math: DIV rounds toward zero', `${M} — DIV`, 'SELECT DIV(20, 4) AS a, DIV(12, -7) AS b, DIV(20, 3) AS c', [['5', '-1', '6']]),
  q('math: MOD takes the sign of the dividend', `${M} — MOD`, 'SELECT MOD(25, 12) AS a, MOD(-25, 12) AS b', [['1', '-1']], { types: ['INT64', 'INT64'] }),
  q(
    'math: SAFE_DIVIDE of NUMERIC is NUMERIC, and NULL where the division overflows',
    `${M} — SAFE_DIVIDE (return type table: NUMERIC for NUMERIC inputs; NULL for any error of the division)`,
    "SELECT SAFE_DIVIDE(NUMERIC '1', NUMERIC '4') AS a, SAFE_DIVIDE(1e300, 1e-300) AS b",
    [['0.25', null]],
    { types: ['NUMERIC', 'FLOAT64'] },
  ),
  q('math: SAFE_DIVIDE', `${M} — SAFE_DIVIDE`, 'SELECT SAFE_DIVIDE(20, 4) AS a, SAFE_DIVIDE(0, 20) AS b, SAFE_DIVIDE(20, 0) AS c', [[5, 0, null]], {
    types: ['FLOAT64', 'FLOAT64', 'FLOAT64'],
  }),
  q('math: IEEE_DIVIDE gives Infinity and NaN', `${M} — IEEE_DIVIDE`, 'SELECT IEEE_DIVIDE(20.0, 4.0) AS a, IEEE_DIVIDE(25.0, 0.0) AS b, IEEE_DIVIDE(-25.0, 0.0) AS c, IEEE_DIVIDE(0.0, 0.0) AS d', [
    [5, 'Infinity', '-Infinity', 'NaN'],
  ]),
  q('math: IS_NAN and IS_INF', `${M} — IS_NAN, IS_INF`, 'SELECT IS_NAN(IEEE_DIVIDE(0, 0)) AS a, IS_INF(IEEE_DIVIDE(1, 0)) AS b, IS_NAN(1.0) AS c', [[true, true, false]]),
  q(
    'math: NUMERIC × NUMERIC is NUMERIC, rounded to 9 decimal places, exact up to its range',
    `${OPS} — Arithmetic operators (result types: NUMERIC × NUMERIC and NUMERIC × INT64 are NUMERIC); BigQuery docs: Data types — Decimal types (NUMERIC: precision 38, scale 9)`,
    "SELECT NUMERIC '0.123456789' * NUMERIC '0.123456789' AS a, NUMERIC '-1.5' * NUMERIC '2.5' AS b, NUMERIC '100000000000' * NUMERIC '100000000000' AS c, NUMERIC '2.5' * 4 AS d",
    [['0.015241579', '-3.75', '10000000000000000000000', '10']],
    { types: ['NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC'] },
  ),
  err('math: integer division by zero is an error', `${OPS} — Arithmetic operators (division by zero raises an error)`, 'SELECT 1 / 0 AS x', 'division by zero'),
  err('math: MOD by zero is an error', `${M} — MOD ("If Y is 0, an error occurs")`, 'SELECT MOD(25, 0) AS x', 'division by zero'),
  q('math: / on INT64 returns FLOAT64', `${OPS} — Arithmetic operators (result types: INT64 / INT64 is FLOAT64)`, 'SELECT 10 / 4 AS a, 6 / 2 AS b', [[2.5, 3]], {
    types: ['FLOAT64', 'FLOAT64'],
  }),
  q('math: INT64 arithmetic and precedence', `${OPS} — Operator precedence`, 'SELECT 2 + 3 * 4 AS a, (2 + 3) * 4 AS b, 5 - 7 AS c, -2 * -3 AS d', [['14', '20', '-2', '6']], {
    types: ['INT64', 'INT64', 'INT64', 'INT64'],
  }),
  q('math: ABS', `${M} — ABS`, 'SELECT ABS(-25) AS a, ABS(25) AS b, ABS(-2.5) AS c', [['25', '25', 2.5]], { types: ['INT64', 'INT64', 'FLOAT64'] }),
  q('math: SIGN', `${M} — SIGN`, 'SELECT SIGN(-25) AS a, SIGN(0) AS b, SIGN(25) AS c, SIGN(-0.5) AS d', [['-1', '0', '1', -1]]),
  q('math: GREATEST and LEAST', `${M} — GREATEST, LEAST`, 'SELECT GREATEST(3, 5, 1) AS g, LEAST(3, 5, 1) AS l', [['5', '1']]),
  q('math: GREATEST and LEAST with a NULL argument are NULL', `${M} — GREATEST ("Returns NULL if any of the inputs is NULL"), LEAST`, 'SELECT GREATEST(1, NULL, 3) AS g, LEAST(1, NULL, 3) AS l', [[null, null]]),
  q('math: ROUND half away from zero', `${M} — ROUND ("Rounds halfway cases away from zero")`, 'SELECT ROUND(2.5) AS a, ROUND(-2.5) AS b, ROUND(2.4) AS c', [[3, -3, 2]], {
    types: ['FLOAT64', 'FLOAT64', 'FLOAT64'],
  }),
  q('math: ROUND with digits', `${M} — ROUND(X, N)`, 'SELECT ROUND(123.7, -1) AS a, ROUND(3.14159, 2) AS b', [[120, 3.14]]),
  q('math: TRUNC, CEIL, FLOOR', `${M} — TRUNC, CEIL, FLOOR`, 'SELECT TRUNC(2.8) AS a, TRUNC(-2.8) AS b, CEIL(2.3) AS c, FLOOR(-2.3) AS d, CEILING(-2.3) AS e', [[2, -2, 3, -3, -2]]),
  q('math: POW, SQRT', `${M} — POW, SQRT`, 'SELECT POW(2, 10) AS a, POWER(2, -2) AS b, SQRT(16) AS c', [[1024, 0.25, 4]], { types: ['FLOAT64', 'FLOAT64', 'FLOAT64'] }),
  q('math: EXP, LN, LOG10, LOG', `${M} — EXP, LN, LOG10, LOG`, 'SELECT EXP(0) AS a, LN(1) AS b, LOG10(100) AS c, LOG(8, 2) AS d', [[1, 0, 2, 3]]),
  q(
    'math: POW, SQRT, EXP, LN, LOG and LOG10 of NUMERIC are NUMERIC, rounded to 9 decimal places',
    `${M} — POW, SQRT, EXP, LN, LOG, LOG10 (return type tables: NUMERIC for NUMERIC input); BigQuery docs: Data types — NUMERIC (scale 9)`,
    "SELECT POW(NUMERIC '2', 3) AS a, SQRT(NUMERIC '2') AS b, EXP(NUMERIC '1') AS c, LN(NUMERIC '10') AS d, LOG(NUMERIC '8', 2) AS e, LOG10(NUMERIC '1000') AS f",
    [['8', '1.414213562', '2.718281828', '2.302585093', '3', '3']],
    { types: ['NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC'] },
  ),
  q('math: DIV of NUMERIC is NUMERIC, toward zero', `${M} — DIV (return type table: NUMERIC when either input is NUMERIC)`, "SELECT DIV(NUMERIC '5.5', 2) AS a, DIV(NUMERIC '-5.5', 2) AS b", [['2', '-2']], {
    types: ['NUMERIC', 'NUMERIC'],
  }),
  err('math: POW(0, Y < 0) is an error', `${M} — POW (special cases: X = 0, Y < 0 is an error)`, 'SELECT POW(0, -1) AS x', 'Floating point error in function: POW'),
  err('math: POW of a negative X to a non-integer Y is an error', `${M} — POW (special cases: finite X < 0, non-integer Y is an error)`, 'SELECT POW(-2, 0.5) AS x', 'Floating point error in function: POW'),
  err('math: EXP that overflows is an error', `${M} — EXP ("Generates an error if the result overflows")`, 'SELECT EXP(1000) AS x', 'Floating point error in function: EXP'),
  err('math: LOG to base 1 is an error', `${M} — LOG (special cases: Y = 1.0 is an error)`, 'SELECT LOG(8, 1) AS x', 'Floating point error in function: LOG'),
  err('math: SQRT of a negative value is an error', `${M} — SQRT (special cases: X < 0 is an error)`, 'SELECT SQRT(-1) AS x', 'SQRT cannot be negative'),
  q(
    'math: SAFE. turns those errors into NULL',
    `BigQuery docs: Function calls — SAFE. prefix; ${M} — POW, SQRT, LN`,
    'SELECT SAFE.POW(0, -1) AS a, SAFE.SQRT(-1) AS b, SAFE.LN(0) AS c, SAFE.EXP(1000) AS d',
    [[null, null, null, null]],
    {
      types: ['FLOAT64', 'FLOAT64', 'FLOAT64', 'FLOAT64'],
    },
  ),
  q(
    'math: POW of non-finite values follows its special cases',
    `${M} — POW (special cases table)`,
    "SELECT POW(1, CAST('NaN' AS FLOAT64)) AS a, POW(-1, CAST('inf' AS FLOAT64)) AS b, POW(0.5, CAST('-inf' AS FLOAT64)) AS c, POW(2, CAST('-inf' AS FLOAT64)) AS d",
    [[1, 1, 'Infinity', 0]],
  ),
  q(
    'math: SAFE_ADD overflow gives NULL, other SAFE_ functions',
    `${M} — SAFE_ADD, SAFE_SUBTRACT, SAFE_MULTIPLY, SAFE_NEGATE`,
    'SELECT SAFE_ADD(9223372036854775807, 1) AS a, SAFE_SUBTRACT(5, 4) AS b, SAFE_MULTIPLY(20, 4) AS c, SAFE_NEGATE(1) AS d',
    [[null, '1', '80', '-1']],
  ),
  err(
    'math: a literal NULL operand of an operator is an error',
    `${OPS} — Arithmetic operators; GoogleSQL operand typing ("Operands of + cannot be literal NULL")`,
    'SELECT 1 + NULL AS x',
    'Operands of \\+ cannot be literal NULL',
  ),
  err('math: INT64 overflow is an error', `${OPS} — Arithmetic operators (overflow raises an error)`, 'SELECT 9223372036854775807 + 1 AS x', 'overflow'),
  q('math: RANGE_BUCKET', `${M} — RANGE_BUCKET`, 'SELECT RANGE_BUCKET(20, [0, 10, 20, 30, 40]) AS a, RANGE_BUCKET(-5, [0, 10]) AS b', [['3', '0']]),
  q('math: bitwise operators', `${OPS} — Bitwise operators`, 'SELECT 12 & 10 AS a, 12 | 10 AS b, 12 ^ 10 AS c, 1 << 4 AS d, 256 >> 4 AS e, ~0 AS f', [['8', '14', '6', '16', '16', '-1']]),
  q('math: NUMERIC arithmetic is exact', 'BigQuery docs: Data types — NUMERIC; Operators — Arithmetic operators', "SELECT NUMERIC '0.1' + NUMERIC '0.2' AS a, NUMERIC '10' / 4 AS b", [['0.3', '2.5']], {
    types: ['NUMERIC', 'NUMERIC'],
  }),
  q('math: FLOAT64 addition', `${OPS} — Arithmetic operators`, 'SELECT 0.5 + 0.25 AS a, 1.5 * 2 AS b', [[0.75, 3]], { types: ['FLOAT64', 'FLOAT64'] }),
  q('math: arithmetic with a typed NULL is NULL', `${OPS} — Arithmetic operators`, 'SELECT 1 + CAST(NULL AS INT64) AS a, CAST(NULL AS FLOAT64) * 2 AS b', [[null, null]], { types: ['INT64', 'FLOAT64'] }),
  q(
    'math: SIN, COS, TAN, COT, ASIN and ACOS of ±inf are NaN',
    `${M} — SIN, COS, TAN, COT, ASIN, ACOS (tables: +inf and -inf give NaN)`,
    "SELECT SIN(x) AS s, COS(x) AS c, TAN(x) AS t, COT(x) AS ct, ASIN(x) AS a, ACOS(x) AS ac FROM UNNEST([CAST('inf' AS FLOAT64), CAST('-inf' AS FLOAT64)]) AS x",
    [
      ['NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN'],
      ['NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN'],
    ],
  ),
  q('math: LOG of -inf is NaN whatever the base, 1 included', `${M} — LOG (table: X = -inf, any Y: NaN)`, "SELECT LOG(CAST('-inf' AS FLOAT64), 1) AS a, LOG(CAST('-inf' AS FLOAT64), 10) AS b", [['NaN', 'NaN']]),
  q(
    'math: CSC, SEC, CSCH, SECH and COTH, with NULL from SAFE. where the result is infinite',
    `${M} — CSC, SEC, CSCH, SECH, COTH (tables: X = 0 is an error for CSC, CSCH, COTH; ±inf gives NaN, NaN, 0, 0, ±1); values as ZetaSQL's safe_function.test`,
    "SELECT CSC(1) AS a, CSCH(1) AS b, COTH(1) AS c, SEC(0) AS d, SECH(0) AS e, SAFE.CSC(0) AS f, SAFE.COTH(0) AS g, CSC(CAST('inf' AS FLOAT64)) AS h, CSCH(CAST('inf' AS FLOAT64)) AS i, COTH(CAST('-inf' AS FLOAT64)) AS j",
    [[1.1883951057781212, 0.8509181282393216, 1.3130352854993315, 1, 1, null, null, 'NaN', 0, -1]],
    { types: ['FLOAT64', 'FLOAT64', 'FLOAT64', 'FLOAT64', 'FLOAT64', 'FLOAT64', 'FLOAT64', 'FLOAT64', 'FLOAT64', 'FLOAT64'] },
  ),
  q(
    'math: ROUND with a rounding mode, on NUMERIC',
    `${M} — ROUND (the table's rounding_mode rows)`,
    `SELECT ROUND(NUMERIC "2.25", 1, "ROUND_HALF_EVEN") AS a, ROUND(NUMERIC "2.35", 1, "ROUND_HALF_EVEN") AS b, ROUND(NUMERIC "2.251", 1, "ROUND_HALF_EVEN") AS c,
       ROUND(NUMERIC "-2.5", 0, "ROUND_HALF_EVEN") AS d, ROUND(NUMERIC "2.5", 0, "ROUND_HALF_AWAY_FROM_ZERO") AS e, ROUND(NUMERIC "-2.5", 0, "ROUND_HALF_AWAY_FROM_ZERO") AS f`,
    [['2.2', '2.4', '2.3', '-2', '3', '-3']],
    { types: ['NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC'] },
  ),
  q(
    'math: ROUND, TRUNC, CEIL and FLOOR of INT64 are FLOAT64, of BIGNUMERIC BIGNUMERIC',
    `${M} — ROUND, TRUNC, CEIL, FLOOR (Return Data Type tables: INT64 → FLOAT64, NUMERIC → NUMERIC, BIGNUMERIC → BIGNUMERIC)`,
    `SELECT ROUND(5) AS a, TRUNC(5, 1) AS b, CEIL(5) AS c, FLOOR(5) AS d, ROUND(BIGNUMERIC '2.25', 1) AS e, TRUNC(BIGNUMERIC '2.25', 1) AS f,
       CEIL(BIGNUMERIC '2.5') AS g, FLOOR(NUMERIC '2.5') AS h, ROUND(BIGNUMERIC '2.25', 1, 'ROUND_HALF_EVEN') AS i`,
    [[5, 5, 5, 5, '2.3', '2.2', '3', '2', '2.2']],
    { types: ['FLOAT64', 'FLOAT64', 'FLOAT64', 'FLOAT64', 'BIGNUMERIC', 'BIGNUMERIC', 'BIGNUMERIC', 'NUMERIC', 'BIGNUMERIC'] },
  ),
  err(
    'math: ROUND with a rounding mode of a FLOAT64 is refused (BigQuery: an error)',
    `${M} — ROUND ("If you set the rounding_mode and X isn't a NUMERIC or BIGNUMERIC type, then the function generates an error")`,
    'SELECT ROUND(CAST(2.5 AS FLOAT64), 0, "ROUND_HALF_EVEN") AS a',
    'ROUND with a rounding mode of a DOUBLE value',
  ),
  err('math: CSC(0) is a floating point error', `${M} — CSC (table: X = 0 is an error)`, 'SELECT CSC(0) AS a', 'Floating point error in function: CSC'),
  q(
    'math: LEAST and SIGN of NaN are NaN',
    `${M} — LEAST ("if any argument is NaN, returns NaN"), SIGN (table: NaN → NaN)`,
    "SELECT LEAST(CAST('NaN' AS FLOAT64), 1.0) AS l, SIGN(CAST('NaN' AS FLOAT64)) AS s, LEAST(3, 1, 2) AS i, SIGN(-2.5) AS n",
    [['NaN', 'NaN', '1', -1]],
    { types: ['FLOAT64', 'FLOAT64', 'INT64', 'FLOAT64'] },
  ),
  q(
    'math: RANGE_BUCKET of a NULL or NaN point is NULL',
    `${M} — RANGE_BUCKET ("If the point is NULL or NaN, returns NULL")`,
    "SELECT RANGE_BUCKET(CAST('NaN' AS FLOAT64), [1.0, 2.0]) AS a, RANGE_BUCKET(NULL, [1, 2]) AS b, RANGE_BUCKET(20, [0, 10, 20, 30, 40]) AS c",
    [[null, null, '3']],
  ),
  err(
    'math: RANGE_BUCKET refuses boundaries out of order',
    `${M} — RANGE_BUCKET (example: [10, 30, 20, 40, 50] is an execution failure)`,
    'SELECT RANGE_BUCKET(30, [10, 30, 20, 40, 50]) AS b',
    'must be in ascending order',
  ),
  err('math: RANGE_BUCKET refuses a NULL boundary', `${M} — RANGE_BUCKET (example: [NULL, 10, 20, 30, 40] is an execution failure)`, 'SELECT RANGE_BUCKET(80, [NULL, 10, 20, 30, 40]) AS b', 'cannot be null'),
];

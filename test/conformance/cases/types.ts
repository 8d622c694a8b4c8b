import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

const DT = 'BigQuery docs: Data types';
const LEX = 'BigQuery docs: Lexical structure — literals';
const C = 'BigQuery docs: Conversion functions';

export const cases: ConformanceCase[] = [
  err(
    'casts: an ARRAY of FLOAT64 does not cast to ARRAY<INT64> (element values are not cast one by one)',
    'BigQuery docs: Conversion functions — CAST AS ARRAY (ARRAY to ARRAY: "Must be the exact same array type")',
    'SELECT CAST(x AS ARRAY<INT64>) FROM (SELECT [1.5, 2.5] AS x)',
    'Invalid cast from ARRAY<FLOAT64> to ARRAY<INT64>',
  ),
  q(
    'casts: an ARRAY of INT64 values casts to ARRAY<INT64>, sums included',
    'BigQuery docs: Conversion functions — CAST AS ARRAY (to the same array type)',
    'SELECT CAST(ARRAY_AGG(s) AS ARRAY<INT64>) AS a FROM (SELECT SUM(n) AS s FROM UNNEST([1, 2]) AS n)',
    [[['3']]],
    { types: ['ARRAY<INT64>'] },
  ),
  q('types: NUMERIC literal drops trailing zeros', `${DT} — NUMERIC; ${LEX} (NUMERIC literals)`, "SELECT NUMERIC '1.10' AS a, NUMERIC '123.450' AS b, CAST(123 AS NUMERIC) AS c", [['1.1', '123.45', '123']], {
    types: ['NUMERIC', 'NUMERIC', 'NUMERIC'],
  }),
  q(
    'types: BIGNUMERIC literal keeps 38 fractional digits',
    `${DT} — BIGNUMERIC; ${LEX} (BIGNUMERIC literals)`,
    "SELECT BIGNUMERIC '1.23456789012345678901234567890123456789' AS b",
    [['1.23456789012345678901234567890123456789']],
    { types: ['BIGNUMERIC'] },
  ),
  q(
    'types: BIGNUMERIC literal with an exponent is its exact value',
    `${DT} — BIGNUMERIC; ${LEX} (BIGNUMERIC literals)`,
    "SELECT BIGNUMERIC '1e3' AS a, BIGNUMERIC '-1.5E2' AS b, BIGNUMERIC '25e-3' AS c",
    [['1000', '-150', '0.025']],
    { types: ['BIGNUMERIC', 'BIGNUMERIC', 'BIGNUMERIC'] },
  ),
  q('types: BYTES literal comes back base64', `${DT} — BYTES; ${LEX} (bytes literals)`, "SELECT b'abc' AS b, CAST('abc' AS BYTES) AS c", [['YWJj', 'YWJj']], { types: ['BYTES', 'BYTES'] }),
  q(
    'types: DATE, DATETIME and TIME literals',
    `${DT} — DATE, DATETIME, TIME`,
    "SELECT DATE '2024-02-29' AS d, DATETIME '2008-12-25 15:30:00' AS dt, TIME '23:59:59' AS t",
    [['2024-02-29', '2008-12-25T15:30:00', '23:59:59']],
    {
      types: ['DATE', 'DATETIME', 'TIME'],
    },
  ),
  q('types: DATETIME with microseconds', `${DT} — DATETIME`, "SELECT DATETIME '2008-12-25 15:30:00.123456' AS dt", [['2008-12-25T15:30:00.123456']]),
  q(
    'types: TIMESTAMP literals with offsets and zone names are converted to UTC',
    `${DT} — TIMESTAMP (time zones); ${LEX} (timestamp literals)`,
    "SELECT TIMESTAMP '2008-12-25 15:30:00-08:00' AS a, TIMESTAMP '2008-12-25 15:30:00 America/Los_Angeles' AS b, TIMESTAMP '2008-12-25 15:30:00' AS c, TIMESTAMP '2008-12-25 15:30:00+05' AS d",
    [['2008-12-25T23:30:00Z', '2008-12-25T23:30:00Z', '2008-12-25T15:30:00Z', '2008-12-25T10:30:00Z']],
    { types: ['TIMESTAMP', 'TIMESTAMP', 'TIMESTAMP', 'TIMESTAMP'] },
  ),
  q('types: TIMESTAMP with a fraction', `${DT} — TIMESTAMP`, "SELECT TIMESTAMP '2008-12-25 15:30:00.123+00' AS ts", [['2008-12-25T15:30:00.123Z']]),
  q('types: CAST STRING to TIMESTAMP with an offset', `${C} — CAST AS TIMESTAMP`, "SELECT CAST('2008-12-25 15:30:00+05' AS TIMESTAMP) AS ts", [['2008-12-25T10:30:00Z']]),
  q('types: INT64 hex literal and FLOAT64 exponent literal', LEX, 'SELECT 0xFF AS h, 1.5e3 AS f, -7 AS n', [['255', 1500, '-7']], { types: ['INT64', 'FLOAT64', 'INT64'] }),
  q('types: CAST hex string to INT64', `${C} — CAST AS INT64 (hex strings)`, "SELECT CAST('0x123' AS INT64) AS a, CAST('-0x123' AS INT64) AS b", [['291', '-291']]),
  q(
    'types: CAST FLOAT64 to INT64 rounds halfway cases away from zero',
    `${C} — CAST AS INT64 ("Halfway cases such as 1.5 or -0.5 round away from zero")`,
    'SELECT CAST(1.5 AS INT64) AS a, CAST(-0.5 AS INT64) AS b, CAST(2.5 AS INT64) AS c, CAST(-2.5 AS INT64) AS d, CAST(1.4 AS INT64) AS e',
    [['2', '-1', '3', '-3', '1']],
  ),
  q('types: CAST NUMERIC to INT64 rounds half away from zero', `${C} — CAST AS INT64`, "SELECT CAST(NUMERIC '2.5' AS INT64) AS a, CAST(NUMERIC '-2.5' AS INT64) AS b", [['3', '-3']]),
  q('types: CAST between BOOL and INT64/STRING', `${C} — CAST AS BOOL, CAST AS INT64`, "SELECT CAST(true AS INT64) AS a, CAST(0 AS BOOL) AS b, CAST('true' AS BOOL) AS c, CAST(5 AS BOOL) AS d", [
    ['1', false, true, true],
  ]),
  q('types: special FLOAT64 values', `${C} — CAST AS FLOAT64 ("inf", "-inf", "nan")`, "SELECT CAST('NaN' AS FLOAT64) AS a, CAST('inf' AS FLOAT64) AS b, CAST('-inf' AS FLOAT64) AS c", [
    ['NaN', 'Infinity', '-Infinity'],
  ]),
  q(
    'types: SAFE_CAST failures are NULL',
    `${C} — SAFE_CAST`,
    "SELECT SAFE_CAST('2024-13-01' AS DATE) AS a, SAFE_CAST('1.5' AS INT64) AS b, SAFE_CAST('x' AS BOOL) AS c, SAFE_CAST('9223372036854775808' AS INT64) AS d",
    [[null, null, null, null]],
  ),
  err('types: CAST of a bad string to INT64 is an error', `${C} — CAST AS INT64`, "SELECT CAST('abc' AS INT64) AS x", 'Bad int64 value'),
  q('types: ARRAY<STRUCT<...>> literal', `${DT} — ARRAY, STRUCT (typed constructors)`, "SELECT ARRAY<STRUCT<a INT64, b STRING>>[(1, 'x'), (2, 'y')] AS arr", [
    [
      [
        { a: '1', b: 'x' },
        { a: '2', b: 'y' },
      ],
    ],
  ]),
  q('types: STRUCT containing an ARRAY and a nested STRUCT', `${DT} — STRUCT`, "SELECT STRUCT([1, 2] AS nums, STRUCT(DATE '2024-01-01' AS d) AS inner_s, 'z' AS tag) AS s", [
    [{ nums: ['1', '2'], inner_s: { d: '2024-01-01' }, tag: 'z' }],
  ]),
  q('types: empty typed ARRAY', `${DT} — ARRAY`, 'SELECT ARRAY<INT64>[] AS a', [[[]]]),
  err(
    'types: a string literal with an escape sequence not in the table is an error',
    `${LEX} (Escape sequences for string and bytes literals: "Any sequence not in this table produces an error")`,
    String.raw`SELECT REGEXP_CONTAINS('a1', '\\d') AS ok, REGEXP_CONTAINS('a1', '\d') AS not_ok`,
    String.raw`Illegal escape sequence: \\d`, // a pattern: the backslash escaped
  ),
  err(
    'types: a TIME literal of 24:00:00 is an error (a DATETIME one too: it is not the next day)',
    `${DT} — Time type (range 00:00:00 to 23:59:59.999999); ${LEX} — Time literals (canonical format [H]H:[M]M:[S]S[.DDDDDD])`,
    "SELECT TIME '24:00:00' AS t",
    "Invalid TIME literal: '24:00:00'",
  ),
  err(
    'types: a DATETIME literal with a seventh fractional digit is an error, not cut to microseconds',
    `${DT} — Datetime type (canonical format: "[.F]: Up to six fractional digits (microsecond precision)")`,
    "SELECT DATETIME '2020-01-01 12:34:56.1234567' AS dt",
    "Invalid DATETIME literal: '2020-01-01 12:34:56.1234567'",
  ),
  q(
    'lexical: block comments do not nest (the first */ ends the comment)',
    'BigQuery docs: Lexical structure — Comments ("Nested multiline comments aren\'t supported")',
    'SELECT 1 /* a /* b */ + 1 AS x, 2 AS y',
    [['2', '2']],
    { types: ['INT64', 'INT64'] },
  ),
  err(
    'types: a CAST to TIMESTAMP of a string in year 10000 is an error, not a value past the range',
    `${DT} — Timestamp type (range 0001-01-01 00:00:00 to 9999-12-31 23:59:59.999999 UTC); ${C} — CAST AS TIMESTAMP`,
    "SELECT CAST('10000-01-01 00:00:00' AS TIMESTAMP) AS ts",
    "Invalid timestamp: '10000-01-01 00:00:00'",
  ),
  err('types: an ARRAY of ARRAY is an error', `${DT} — ARRAY ("BigQuery doesn't support ARRAYs of ARRAYs")`, 'SELECT [[1, 2], [3]] AS a', 'nested arrays are not supported'),
  err('types: an ARRAY with a NULL element cannot be returned', `${DT} — ARRAY ("BigQuery raises an error if query result has ARRAYs which contain NULL elements")`, 'SELECT [1, NULL, 3] AS a', 'null element'),
  q('types: unicode and escape sequences in strings', `${LEX} (escape sequences)`, String.raw`SELECT '\u00e9' AS a, 'tab\there' AS b, "double \"quoted\"" AS c, r'raw\n' AS d`, [
    ['é', 'tab\there', 'double "quoted"', 'raw\\n'],
  ]),
  q('types: triple-quoted string spanning lines', `${LEX} (triple-quoted strings)`, "SELECT '''line1\nline2''' AS s", [['line1\nline2']]),
  q('types: NULL of every type comes back as null', DT, 'SELECT CAST(NULL AS STRING) AS s, CAST(NULL AS DATE) AS d, CAST(NULL AS NUMERIC) AS n, CAST(NULL AS BOOL) AS b', [[null, null, null, null]], {
    types: ['STRING', 'DATE', 'NUMERIC', 'BOOL'],
  }),
  q(
    'types: UNNEST of a typed STRUCT array whose later elements are tuples',
    `${DT} — STRUCT (typed struct constructors: "[STRUCT<x INT64, y STRING>(1, 'a'), (2, 'b')]"); Query syntax — UNNEST of an array of STRUCTs`,
    "SELECT * FROM UNNEST([STRUCT<id INT64, ts TIMESTAMP>(1, TIMESTAMP '2020-01-01'), (2, TIMESTAMP '2021-01-01')])",
    [
      ['1', '2020-01-01T00:00:00Z'],
      ['2', '2021-01-01T00:00:00Z'],
    ],
    { types: ['INT64', 'TIMESTAMP'], columns: ['id', 'ts'] },
  ),
  q(
    'types: a typed STRUCT constructor keeps its TIMESTAMP field a TIMESTAMP',
    `${DT} — STRUCT (typed struct constructors), TIMESTAMP`,
    "SELECT STRUCT<id INT64, ts TIMESTAMP>(1, TIMESTAMP '2020-01-01 10:00:00+02') AS s, ARRAY<STRUCT<ts TIMESTAMP>>[(TIMESTAMP '2021-01-01')] AS a",
    [[{ id: '1', ts: '2020-01-01T08:00:00Z' }, [{ ts: '2021-01-01T00:00:00Z' }]]],
    { types: ['STRUCT<id INT64, ts TIMESTAMP>', 'ARRAY<STRUCT<ts TIMESTAMP>>'] },
  ),
  q(
    'types: a TIMESTAMP field of a STRUCT stays TIMESTAMP in a table created from it',
    `${DT} — STRUCT, TIMESTAMP; DDL — CREATE TABLE AS SELECT (the table's schema is the query's)`,
    "SELECT column_name, data_type FROM conf.INFORMATION_SCHEMA.COLUMNS WHERE table_name = 'struct_ts' ORDER BY column_name",
    [
      ['a', 'ARRAY<STRUCT<ts TIMESTAMP>>'],
      ['s', 'STRUCT<ts TIMESTAMP>'],
    ],
    {
      ordered: true,
      setup: ["CREATE TABLE conf.struct_ts AS SELECT STRUCT(TIMESTAMP '2020-01-01' AS ts) AS s, ARRAY<STRUCT<ts TIMESTAMP>>[(TIMESTAMP '2020-01-01')] AS a"],
    },
  ),
  q(
    'types: unaliased expression columns are named f0_, f1_, ... and field accesses after the field',
    'BigQuery docs: Query syntax — SELECT list ("implicit aliases": expressions without an alias get f0_, f1_, ...; a field access is named after the field)',
    "SELECT FORMAT_DATE('%Y-%m-%d', DATE '2020-01-02'), 1 + 1, x, (SELECT STRUCT(3 AS b)).b, UPPER('a') FROM (SELECT 7 AS x)",
    [['2020-01-02', '2', '7', '3', 'A']],
    { columns: ['f0_', 'f1_', 'x', 'b', 'f2_'] },
  ),
  q(
    'types: STRUCTs compare field by field in order, a NULL field making = NULL',
    'BigQuery docs: Operators — Comparison operators ("STRUCTs ... compared field by field, in field order"; "if any field is NULL ... the result is NULL")',
    'SELECT s = STRUCT(2 AS y, 1 AS x) AS by_position, s = STRUCT(1, NULL) AS null_field, s != STRUCT(1, 3) AS differs, s IS NOT DISTINCT FROM STRUCT(1, 2) AS same, t IS DISTINCT FROM STRUCT(1, 2) AS null_struct, s IN UNNEST([(2, 1), (1, NULL)]) AS in_unnest FROM (SELECT STRUCT(1 AS x, 2 AS y) AS s, CAST(NULL AS STRUCT<x INT64, y INT64>) AS t)',
    [[false, null, true, true, true, null]],
  ),
  q(
    'casts: FLOAT64 to NUMERIC rounds the exact binary value half away from zero',
    `${C} — CAST AS NUMERIC; ZetaSQL's NumericValue::FromDouble (the double's exact value, rounded half away from zero); the doubles' exact values: 12345.67890123449979..., 2.50000000000000005...e-9, 1.49999999999999999...e-9`,
    'SELECT CAST(x AS NUMERIC) AS n FROM UNNEST([12345.6789012345, -2.5e-9, 1.5e-9, 123456789.00000381]) AS x',
    [['12345.678901234'], ['-0.000000003'], ['0.000000001'], ['123456789.000003815']],
    { types: ['NUMERIC'] },
  ),
  q(
    'casts: FLOAT64 to BIGNUMERIC of a short binary fraction is its exact value',
    `${C} — CAST AS BIGNUMERIC; the double 123456789.00000381 is exactly 123456789.000003814697265625`,
    'SELECT CAST(x AS BIGNUMERIC) AS b FROM UNNEST([123456789.00000381, -0.75]) AS x',
    [['123456789.000003814697265625'], ['-0.75']],
    { types: ['BIGNUMERIC'] },
  ),
  err(
    'casts: FLOAT64 to BIGNUMERIC past 18 fractional digits is refused by the emulator',
    `${C} — CAST AS BIGNUMERIC (the double 0.1 is 0.1000000000000000055511151231257827021 to 38 digits; the emulator keeps 18)`,
    'SELECT CAST(x AS BIGNUMERIC) AS b FROM UNNEST([0.1]) AS x',
    'not supported by the local emulator',
  ),
  err(
    'arithmetic: a BIGNUMERIC quotient past 18 fractional digits is refused by the emulator',
    'BigQuery docs: Data types — Decimal types (BIGNUMERIC has 38 fractional digits: 1 / 3 is 0.33333333333333333333333333333333333333; the emulator keeps 18)',
    "SELECT BIGNUMERIC '1' / 3 AS q",
    'not supported by the local emulator',
  ),
  err(
    'arithmetic: a BIGNUMERIC product past 18 fractional digits is refused by the emulator',
    'BigQuery docs: Data types — Decimal types (BIGNUMERIC has 38 fractional digits: 0.5 × 0.000000000000000001 is 0.0000000000000000005; the emulator keeps 18)',
    "SELECT BIGNUMERIC '0.5' * BIGNUMERIC '0.000000000000000001' AS p",
    'not supported by the local emulator',
  ),
  q(
    'arithmetic: BIGNUMERIC products and quotients within 18 fractional digits are exact, also past 10^20 / 10^18',
    'BigQuery docs: Data types — Decimal types (BIGNUMERIC); Operators — arithmetic operators',
    "SELECT BIGNUMERIC '123456789.123456789' * BIGNUMERIC '1000' AS a, BIGNUMERIC '0.5' * BIGNUMERIC '0.5' AS b, BIGNUMERIC '1' / 8 AS c",
    [['123456789123.456789', '0.25', '0.125']],
    { types: ['BIGNUMERIC', 'BIGNUMERIC', 'BIGNUMERIC'] },
  ),
  err('literals: a DATE literal past year 9999 is an error', 'BigQuery docs: Data types — Date type (range 0001-01-01 to 9999-12-31)', "SELECT DATE '10000-01-01' AS d", 'Invalid DATE literal'),
  err(
    'timestamp: TIMESTAMP_SECONDS past 9999-12-31 is an error',
    'BigQuery docs: Data types — Timestamp type (range 0001-01-01 00:00:00 to 9999-12-31 23:59:59.999999 UTC)',
    'SELECT TIMESTAMP_SECONDS(253402300800) AS t',
    'out of range',
  ),
  err(
    'datetime: PARSE_DATE with a time element in its format is an error',
    'ZetaSQL\'s parse_date_time.cc (ValidateDateFormat: "Invalid format: %H is not allowed for the DATE type.")',
    "SELECT PARSE_DATE('%Y-%m-%d %H', '2001-02-03 10') AS d",
    'is not allowed for the DATE type',
  ),
  err(
    'casts: a non-finite FLOAT64 to NUMERIC is an error',
    `${C} — CAST AS NUMERIC; ZetaSQL's NumericValue::FromDouble ("Illegal conversion of non-finite floating point number")`,
    "SELECT CAST(x AS NUMERIC) AS n FROM UNNEST([CAST('inf' AS FLOAT64)]) AS x",
    'Illegal conversion of non-finite floating point number to NUMERIC',
  ),
  q(
    "types: a FLOAT64 literal beside a column takes the column's decimal type (NUMERIC * 1.5 is NUMERIC), beside INT64 it is FLOAT64",
    'BigQuery docs: Conversion rules — Literal coercion (a FLOAT64 literal coerces to NUMERIC and BIGNUMERIC), Supertypes (CASE, IF, COALESCE); Operators — Arithmetic operators (result types)',
    'SELECT n * 1.5 AS a, 2.5 - n AS m, COALESCE(n, 0.0) AS c, IF(i > 0, n, -0.5) AS d, GREATEST(n, 1.5) AS e, SUM(n) * 0.1 AS f, i * 1.5 AS g, b / 0.5 AS h FROM conf.coerce GROUP BY n, i, b',
    [['4.5', '-0.5', '3', '3', '3', '0.3', 3, '14']],
    {
      setup: ['CREATE OR REPLACE TABLE conf.coerce (n NUMERIC, i INT64, b BIGNUMERIC)', 'INSERT INTO conf.coerce VALUES (3, 2, 7)'],
      types: ['NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'FLOAT64', 'BIGNUMERIC'],
    },
  ),
  q(
    'types: a FLOAT64 literal beside a BIGNUMERIC, in CASE, LEAST, IFNULL, in parentheses and in a long sum keeps the column type',
    'BigQuery docs: Conversion rules — Literal coercion, Supertypes; Operators — Arithmetic operators (NUMERIC and BIGNUMERIC results)',
    'SELECT b * 1.5 AS a, CASE WHEN i > 0 THEN n ELSE 0.5 END AS c, LEAST(n, 2.5) AS d, IFNULL(n, 0.5) AS e, n * (2.5) AS f, n + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5 AS g, n * 1e3 AS h FROM conf.coerce',
    [['10.5', '3', '2.5', '3', '7.5', '18', '3000']],
    {
      setup: ['CREATE OR REPLACE TABLE conf.coerce (n NUMERIC, i INT64, b BIGNUMERIC)', 'INSERT INTO conf.coerce VALUES (3, 2, 7)'],
      types: ['BIGNUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC'],
    },
  ),
  q(
    'types: BIGNUMERIC times a FLOAT64 literal past 100 is BIGNUMERIC',
    'BigQuery docs: Operators — Arithmetic operators; Data types — BIGNUMERIC',
    "SELECT b * 1.5 AS a FROM UNNEST([BIGNUMERIC '1000000']) AS b",
    [['1500000']],
    { types: ['BIGNUMERIC'] },
  ),
  q(
    'types: a STRING literal compared with a DATE, DATETIME or TIMESTAMP column coerces to its type',
    'BigQuery docs: Conversion rules — Literal coercion (STRING literal to DATE, DATETIME, TIME, TIMESTAMP)',
    "SELECT COUNTIF(d = '2024-01-01') AS a, COUNTIF(d BETWEEN '2024-01-01' AND '2024-01-02') AS b, COUNTIF(dt >= '2024-01-01 12:00:00') AS c, COUNTIF(ts < '2024-01-02 00:00:00+00') AS e FROM conf.lit_cmp",
    [['1', '2', '1', '1']],
    {
      setup: [
        'CREATE OR REPLACE TABLE conf.lit_cmp (d DATE, dt DATETIME, ts TIMESTAMP, n INT64)',
        "INSERT INTO conf.lit_cmp VALUES ('2024-01-01', '2024-01-01 10:00:00', '2024-01-01 10:00:00+00', 1), ('2024-01-02', '2024-01-02 13:00:00', '2024-01-02 13:00:00+00', 2)",
      ],
    },
  ),
  err(
    'types: a STRING literal compared with an INT64 column has no matching signature',
    'BigQuery docs: Conversion rules — Literal coercion (a STRING literal coerces only to DATE, DATETIME, TIME, TIMESTAMP); Operators — Comparison operators',
    "SELECT COUNT(*) AS n FROM conf.lit_cmp WHERE n = '1'",
    'No matching signature for operator = for argument types: INT64, STRING',
    ['CREATE OR REPLACE TABLE conf.lit_cmp (d DATE, dt DATETIME, ts TIMESTAMP, n INT64)', "INSERT INTO conf.lit_cmp VALUES ('2024-01-01', '2024-01-01 10:00:00', '2024-01-01 10:00:00+00', 1)"],
  ),
  err(
    'types: an IN list of STRING literals beside an INT64 column has no matching signature',
    'BigQuery docs: Conversion rules — Literal coercion (a STRING literal coerces only to DATE, DATETIME, TIME, TIMESTAMP); Operators — IN operator',
    "SELECT COUNT(*) AS n FROM conf.lit_cmp WHERE n IN ('1', '2')",
    'No matching signature for operator IN for argument types: INT64, STRING',
    ['CREATE OR REPLACE TABLE conf.lit_cmp (d DATE, dt DATETIME, ts TIMESTAMP, n INT64)', "INSERT INTO conf.lit_cmp VALUES ('2024-01-01', '2024-01-01 10:00:00', '2024-01-01 10:00:00+00', 1)"],
  ),
  err(
    'types: IN UNNEST of a STRUCT array column is refused by the emulator',
    'BigQuery docs: Operators — IN operator (STRUCT values compare field by field, which the emulator does only for an array literal)',
    'SELECT (1, 2) IN UNNEST(a) AS found FROM (SELECT [STRUCT(1 AS x, 2 AS y)] AS a)',
    'not supported by the local emulator',
  ),
  q(
    'types: a tuple aggregated by ARRAY_AGG or returned by IF or CASE keeps its values, in anonymous fields (_field_N)',
    'BigQuery docs: Data types — Tuple syntax ((expr1, expr2) constructs a STRUCT of anonymous fields); ZetaSQL compliance tests: array_aggregation.test, array_agg_of_struct_expr_anonymous_fields',
    "SELECT ARRAY_AGG((a, b) ORDER BY a) AS c, ANY_VALUE(IF(a = 1, (a, b), NULL)) AS d, ARRAY_AGG(CASE WHEN a = 2 THEN (a, b) ELSE (0, 'z') END ORDER BY a) AS e FROM (SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, 'y')",
    [
      [
        [
          { _field_1: '1', _field_2: 'x' },
          { _field_1: '2', _field_2: 'y' },
        ],
        { _field_1: '1', _field_2: 'x' },
        [
          { _field_1: '0', _field_2: 'z' },
          { _field_1: '2', _field_2: 'y' },
        ],
      ],
    ],
  ),
  q(
    'json: TO_JSON_STRING writes the anonymous fields of a tuple with the key ""',
    'BigQuery docs: JSON functions — JSON encodings (STRUCT: anonymous fields are represented with "")',
    "SELECT TO_JSON_STRING((2, 'y')) AS t",
    [['{"":2,"":"y"}']],
  ),
  q(
    'types: CAST of a FLOAT64 to STRING writes %.15g, or %.17g where that is needed to read it back, and no -0',
    `${C} — CAST AS STRING ("A returned NaN or 0 will not be signed"); ZetaSQL's RoundTripDoubleToString and its cast compliance cases`,
    'SELECT CAST(-0.0 AS STRING) AS z, CAST(1e15 AS STRING) AS a, CAST(1.5e15 AS STRING) AS b, CAST(0.1 AS STRING) AS c, CAST(1.7976931348623157e308 AS STRING) AS d',
    [['0', '1e+15', '1.5e+15', '0.1', '1.7976931348623157e+308']],
  ),
  q(
    'types: SAFE_CAST to STRING writes what CAST writes, and NULL for BYTES that are not UTF-8',
    `${C} — SAFE_CAST; CAST AS STRING (FLOAT64, NUMERIC and INTERVAL text)`,
    "SELECT SAFE_CAST(25.0 AS STRING) AS f, SAFE_CAST(NUMERIC '1.5' AS STRING) AS n, SAFE_CAST(INTERVAL 1 DAY AS STRING) AS i, SAFE_CAST(b'\\xff' AS STRING) AS b",
    [['25', '1.5', '0-0 1 0:0:0', null]],
  ),
  q(
    'types: SAFE_CAST of date and time text out of range or malformed is NULL',
    "ZetaSQL's date_time_util.cc (MakeDate: year 0001 to 9999; IsValidTimeOfDay: hour 0 to 23; ParsePrefixToTimeParts: [H]H:[M]M:[S]S, at most 6 fractional digits; IsValidTimeZoneParts: offsets up to 14 hours)",
    `SELECT SAFE_CAST('0000-12-31' AS DATE) AS a, SAFE_CAST('2020-01-01 24:00:00' AS DATETIME) AS b, SAFE_CAST('2020-01-01 12:34' AS DATETIME) AS c,
  SAFE_CAST('12:34' AS TIME) AS d, SAFE_CAST('12:34:56.1234567' AS TIME) AS e, SAFE_CAST('2020-01-01 12:34:56+15:00' AS TIMESTAMP) AS f,
  SAFE_CAST('2020-1-2 3:4:5.123456' AS DATETIME) AS g`,
    [[null, null, null, null, null, null, '2020-01-02T03:04:05.123456']],
  ),
  err(
    'types: a FLOAT64 has no cast to BOOL',
    `${C} — CAST AS BOOL; Conversion rules (FLOAT64 casts to INT64, NUMERIC, BIGNUMERIC, FLOAT64, STRING)`,
    'SELECT CAST(1.5 AS BOOL) AS b',
    'Invalid cast from FLOAT64 to BOOL',
  ),
];

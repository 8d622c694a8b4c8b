import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

const J = 'BigQuery docs: JSON functions';
const A = 'BigQuery docs: Array functions';
const OPS = 'BigQuery docs: Operators';
const CE = 'BigQuery docs: Conditional expressions';
const H = 'BigQuery docs: Hash functions';

export const cases: ConformanceCase[] = [
  // JSON
  q('json: JSON_VALUE returns an unquoted string', `${J} — JSON_VALUE`, `SELECT JSON_VALUE('{"name": "Jakob", "age": "6" }', '$.name') AS name`, [['Jakob']], { types: ['STRING'] }),
  q('json: JSON_VALUE of a number is a STRING', `${J} — JSON_VALUE`, `SELECT JSON_VALUE('{"a": {"b": 10}}', '$.a.b') AS v`, [['10']], { types: ['STRING'] }),
  q(
    'json: JSON_VALUE of a non-scalar or a missing path is NULL',
    `${J} — JSON_VALUE ("If a JSON key uses invalid JSONPath characters... / non-scalar values return NULL")`,
    `SELECT JSON_VALUE('{"fruits": ["apple", "banana"]}', '$.fruits') AS a, JSON_VALUE('{"a": 1}', '$.b') AS b`,
    [[null, null]],
  ),
  q('json: JSON_VALUE with an array index in the path', `${J} — JSONPath format`, `SELECT JSON_VALUE('{"items":[{"id":7},{"id":8}]}', '$.items[1].id') AS id`, [['8']]),
  q('json: JSON_QUERY of an array', `${J} — JSON_QUERY`, `SELECT JSON_QUERY('{"a":[1,2]}', '$.a') AS a`, [['[1,2]']], { types: ['STRING'] }),
  q('json: JSON_QUERY of a string keeps the quotes', `${J} — JSON_QUERY`, `SELECT JSON_QUERY('{"name":"Jakob"}', '$.name') AS n`, [['"Jakob"']]),
  q(
    'json: JSON_EXTRACT_SCALAR and JSON_EXTRACT',
    `${J} — JSON_EXTRACT_SCALAR, JSON_EXTRACT`,
    `SELECT JSON_EXTRACT_SCALAR('{"name":"Jakob","age":"6"}', '$.age') AS age, JSON_EXTRACT('{"a":{"b":1}}', '$.a') AS obj`,
    [['6', '{"b":1}']],
  ),
  q(
    'json: JSON_VALUE_ARRAY and JSON_EXTRACT_ARRAY',
    `${J} — JSON_VALUE_ARRAY, JSON_EXTRACT_ARRAY`,
    `SELECT JSON_VALUE_ARRAY('{"fruits":["apples","oranges"]}', '$.fruits') AS a, JSON_EXTRACT_ARRAY('[1,2,3]') AS b`,
    [
      [
        ['apples', 'oranges'],
        ['1', '2', '3'],
      ],
    ],
  ),
  q('json: TO_JSON_STRING of a STRUCT', `${J} — TO_JSON_STRING`, 'SELECT TO_JSON_STRING(STRUCT(1 AS id, [10, 20] AS coordinates)) AS json_data', [['{"id":1,"coordinates":[10,20]}']]),
  q(
    'json: a JSON value holds its members ordered by name (TO_JSON of rows), TO_JSON_STRING keeps the fields in order',
    `${J} — TO_JSON (example: TO_JSON(t) is {"coordinates":[10,20],"id":1}), JSON encodings (STRUCT(12 AS purchases, TRUE AS inStock): {"inStock": true,"purchases":12})`,
    `WITH CoordinatesTable AS ((SELECT 1 AS id, [10, 20] AS coordinates) UNION ALL (SELECT 2 AS id, [30, 40] AS coordinates))
     SELECT TO_JSON(t) AS json_objects, TO_JSON_STRING(t) AS text, TO_JSON(STRUCT(12 AS purchases, TRUE AS inStock)) AS s FROM CoordinatesTable AS t`,
    [
      ['{"coordinates":[10,20],"id":1}', '{"id":1,"coordinates":[10,20]}', '{"inStock":true,"purchases":12}'],
      ['{"coordinates":[30,40],"id":2}', '{"id":2,"coordinates":[30,40]}', '{"inStock":true,"purchases":12}'],
    ],
  ),
  q(
    'json: JSON_OBJECT, a JSON literal and PARSE_JSON order the members by name',
    `${J} — JSON_OBJECT (example: JSON_OBJECT('foo', 10, 'bar', TRUE) is {"bar":true,"foo":10}); ZetaSQL json_value.cc (JSONValue keeps an object's members in a std::map)`,
    `SELECT JSON_OBJECT('foo', 10, 'bar', TRUE) AS a, JSON '{"b": 1, "a": {"d": 2, "c": 3}}' AS b, PARSE_JSON('{"z": [{"y": 1, "x": 2}]}') AS c`,
    [['{"bar":true,"foo":10}', '{"a":{"c":3,"d":2},"b":1}', '{"z":[{"x":2,"y":1}]}']],
  ),
  q(
    'json: TO_JSON_STRING quotes an INT64 past 2^53 and a NUMERIC with a fraction, written without trailing zeros',
    `${J} — TO_JSON_STRING, JSON encodings (INT64 and NUMERIC outside [-2^53, 2^53], or a NUMERIC with a fractional part, are strings); ZetaSQL json_format.cc JsonFromNumericOrBool`,
    "SELECT TO_JSON_STRING(NUMERIC '1.50') AS a, TO_JSON_STRING(NUMERIC '3') AS b, TO_JSON_STRING(9007199254740993) AS c, TO_JSON_STRING(-9007199254740992) AS d, TO_JSON_STRING(BIGNUMERIC '0.25') AS e, TO_JSON_STRING(NUMERIC '9007199254740993') AS f",
    [['"1.5"', '3', '"9007199254740993"', '-9007199254740992', '"0.25"', '"9007199254740993"']],
  ),
  q(
    'json: TO_JSON_STRING of NULL is the text null',
    `${J} — TO_JSON_STRING (a NULL input yields the JSON null)`,
    "SELECT TO_JSON_STRING(CAST(NULL AS INT64)) AS a, TO_JSON_STRING(STRUCT(CAST(NULL AS STRING) AS s)) AS b, TO_JSON_STRING(DATE '2026-01-17') AS c",
    [['null', '{"s":null}', '"2026-01-17"']],
  ),
  // Arrays
  q('array: ARRAY_LENGTH', `${A} — ARRAY_LENGTH`, 'SELECT ARRAY_LENGTH([1, 2, 3, 4]) AS a, ARRAY_LENGTH(ARRAY<INT64>[]) AS b', [['4', '0']], { types: ['INT64', 'INT64'] }),
  q('array: ARRAY_CONCAT', `${A} — ARRAY_CONCAT`, 'SELECT ARRAY_CONCAT([1, 2], [3, 4], [5, 6]) AS count_to_six', [[['1', '2', '3', '4', '5', '6']]]),
  q('array: ARRAY_REVERSE', `${A} — ARRAY_REVERSE`, 'SELECT ARRAY_REVERSE([1, 2, 3]) AS r', [[['3', '2', '1']]]),
  q(
    'array: GENERATE_ARRAY',
    `${A} — GENERATE_ARRAY`,
    'SELECT GENERATE_ARRAY(1, 5) AS a, GENERATE_ARRAY(0, 10, 3) AS b, GENERATE_ARRAY(10, 0, -3) AS c, GENERATE_ARRAY(10, 0, 3) AS d, GENERATE_ARRAY(4, 4, 10) AS e',
    [[['1', '2', '3', '4', '5'], ['0', '3', '6', '9'], ['10', '7', '4', '1'], [], ['4']]],
  ),
  q('array: OFFSET and ORDINAL', `${OPS} — Array subscript operator`, 'SELECT [1, 2, 3][OFFSET(1)] AS o, [1, 2, 3][ORDINAL(1)] AS r', [['2', '1']]),
  q('array: SAFE_OFFSET and SAFE_ORDINAL out of range are NULL', `${OPS} — Array subscript operator (SAFE_OFFSET, SAFE_ORDINAL)`, 'SELECT [1, 2, 3][SAFE_OFFSET(5)] AS a, [1, 2, 3][SAFE_ORDINAL(0)] AS b', [
    [null, null],
  ]),
  q(
    'array: a bare subscript is OFFSET (0-based) for an ARRAY column, and the JSON element for a JSON field',
    `${OPS} — Array subscript operator (array[index] is array[OFFSET(index)]), JSON subscript operator (0-based)`,
    "SELECT a[1] AS x, j.b[0] AS y, j.b[1] AS z FROM (SELECT ['p', 'q'] AS a, PARSE_JSON('{\"b\": [10, 20]}') AS j)",
    [['q', '10', '20']],
    { types: ['STRING', 'JSON', 'JSON'] },
  ),
  q(
    'json: a negative or out-of-range JSON subscript is NULL',
    `${OPS} — JSON subscript operator ("If a negative value is entered, or the value is greater than or equal to the size of the array ... a SQL NULL is returned")`,
    "SELECT j[-1] AS a, j[2] AS b, j[1] AS c FROM (SELECT PARSE_JSON('[10, 20]') AS j)",
    [[null, null, '20']],
    { types: ['JSON', 'JSON', 'JSON'] },
  ),
  err('array: a bare subscript past the end is an error', `${OPS} — Array subscript operator ("out of bounds" error)`, 'SELECT a[5] AS x FROM (SELECT [1, 2, 3] AS a)', 'out of bounds'),
  err('array: OFFSET out of range is an error', `${OPS} — Array subscript operator ("out of bounds" error)`, 'SELECT [1, 2, 3][OFFSET(5)] AS x', 'out of bounds'),
  q('array: field access on an array element of STRUCT', `${OPS} — Field access operator, Array subscript operator`, "SELECT [STRUCT(1 AS a, 'x' AS b)][SAFE_OFFSET(0)].b AS b", [['x']]),
  q(
    'array: UNNEST WITH OFFSET',
    'BigQuery docs: Query syntax — UNNEST operator (WITH OFFSET)',
    "SELECT x, off FROM UNNEST(['a', 'b', 'c']) AS x WITH OFFSET AS off ORDER BY off",
    [
      ['a', '0'],
      ['b', '1'],
      ['c', '2'],
    ],
    { ordered: true },
  ),
  q('array: x IN UNNEST(array)', `${OPS} — IN operator (IN UNNEST)`, "SELECT 'b' IN UNNEST(['a', 'b']) AS a, 'z' IN UNNEST(['a', 'b']) AS b", [[true, false]]),
  q(
    'array: ARRAY_TO_STRING with and without null_text',
    `${A} — ARRAY_TO_STRING`,
    "SELECT ARRAY_TO_STRING(['coffee', 'tea'], '--') AS a, ARRAY_TO_STRING(['a', NULL, 'b'], '-', 'N') AS b, ARRAY_TO_STRING(['a', NULL, 'b'], '-') AS c",
    [['coffee--tea', 'a-N-b', 'a-b']],
  ),
  q('array: ARRAY(subquery) keeps ORDER BY', `${A} — ARRAY (subquery)`, 'SELECT ARRAY(SELECT x * 2 FROM UNNEST([3, 1, 2]) AS x ORDER BY x) AS doubled', [[['2', '4', '6']]]),
  q(
    'array: UNNEST of a NULL array gives no rows',
    'BigQuery docs: Query syntax — UNNEST operator ("UNNEST treats NULL as an empty array")',
    'SELECT COUNT(*) AS n FROM UNNEST(CAST(NULL AS ARRAY<INT64>)) AS x',
    [['0']],
  ),
  q(
    'array: correlated CROSS JOIN UNNEST (comma join)',
    'BigQuery docs: Query syntax — UNNEST operator, correlated join',
    "WITH t AS (SELECT 'a' AS k, [1, 2] AS arr UNION ALL SELECT 'b', [3] UNION ALL SELECT 'c', ARRAY<INT64>[]) SELECT k, x FROM t, UNNEST(t.arr) AS x ORDER BY k, x",
    [
      ['a', '1'],
      ['a', '2'],
      ['b', '3'],
    ],
    { ordered: true },
  ),
  q(
    'array: LEFT JOIN UNNEST keeps rows with empty arrays',
    'BigQuery docs: Query syntax — UNNEST operator (LEFT JOIN UNNEST)',
    "WITH t AS (SELECT 'a' AS k, [1] AS arr UNION ALL SELECT 'c', ARRAY<INT64>[]) SELECT k, x FROM t LEFT JOIN UNNEST(t.arr) AS x ORDER BY k",
    [
      ['a', '1'],
      ['c', null],
    ],
    { ordered: true },
  ),
  // Conditional
  q('conditional: IF', `${CE} — IF`, "SELECT IF(1 > 0, 'yes', 'no') AS a, IF(NULL, 'yes', 'no') AS b", [['yes', 'no']]),
  q('conditional: IFNULL', `${CE} — IFNULL`, 'SELECT IFNULL(NULL, 0) AS a, IFNULL(10, 0) AS b', [['0', '10']], { types: ['INT64', 'INT64'] }),
  q('conditional: COALESCE', `${CE} — COALESCE`, "SELECT COALESCE(NULL, 'B', 'C') AS a, COALESCE(CAST(NULL AS STRING), NULL) AS b", [['B', null]]),
  q('conditional: NULLIF', `${CE} — NULLIF`, 'SELECT NULLIF(0, 0) AS a, NULLIF(10, 0) AS b', [[null, '10']]),
  q(
    'conditional: searched CASE with ELSE and without ELSE',
    `${CE} — CASE`,
    "SELECT x, CASE WHEN x > 5 THEN 'big' WHEN x > 2 THEN 'mid' ELSE 'small' END AS size, CASE WHEN x = 10 THEN 'ten' END AS ten FROM UNNEST([1, 4, 10]) AS x ORDER BY x",
    [
      ['1', 'small', null],
      ['4', 'mid', null],
      ['10', 'big', 'ten'],
    ],
    { ordered: true },
  ),
  q(
    'conditional: an unnamed STRUCT beside a STRUCT column takes its type (CASE, IF, COALESCE)',
    `${CE} — CASE, IF, COALESCE (the result is the values' supertype); BigQuery docs: Data types — Struct type (constructing a STRUCT: a tuple or STRUCT(...) literal is coerced to the STRUCT type beside it)`,
    "WITH t AS (SELECT STRUCT(1 AS a, 'x' AS b) AS s) SELECT CASE WHEN s.a = 1 THEN STRUCT(5, 'z') ELSE s END AS c, IF(s.a = 2, s, STRUCT(7, 'q')) AS i, COALESCE(NULL, s, STRUCT(8, 'w')) AS k FROM t",
    [
      [
        { a: '5', b: 'z' },
        { a: '7', b: 'q' },
        { a: '1', b: 'x' },
      ],
    ],
    { types: ['STRUCT<a INT64, b STRING>', 'STRUCT<a INT64, b STRING>', 'STRUCT<a INT64, b STRING>'] },
  ),
  q('conditional: simple CASE expr WHEN', `${CE} — CASE expr`, "SELECT CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END AS c", [['two']]),
  q(
    'conditional: IS DISTINCT FROM treats NULLs as equal',
    `${OPS} — IS DISTINCT FROM operator`,
    'SELECT NULL IS DISTINCT FROM NULL AS a, 1 IS DISTINCT FROM NULL AS b, 1 IS NOT DISTINCT FROM 1 AS c, 1 IS DISTINCT FROM 2 AS d',
    [[false, true, true, true]],
  ),
  q(
    'conditional: three-valued logic with NULL',
    `${OPS} — Logical operators, Comparison operators`,
    'SELECT CAST(NULL AS INT64) = CAST(NULL AS INT64) AS a, NULL OR TRUE AS b, NULL AND FALSE AS c, NOT CAST(NULL AS BOOL) AS d, NULL IS NULL AS e',
    [[null, true, false, null, true]],
  ),
  q('conditional: IS TRUE / IS NOT FALSE', `${OPS} — IS operators`, 'SELECT CAST(NULL AS BOOL) IS TRUE AS a, CAST(NULL AS BOOL) IS NOT FALSE AS b, TRUE IS TRUE AS c', [[false, true, true]]),
  // Hashing
  q('hash: TO_HEX(MD5(...))', `${H} — MD5`, "SELECT TO_HEX(MD5('Hello World')) AS h", [['b10a8db164e0754105b7a99be72e3fe5']]),
  q(
    'hash: SHA512 of a STRING (its UTF-8 bytes) and of BYTES',
    `${H} — SHA512`,
    "SELECT TO_HEX(SHA512('Hello World')) AS h, SHA512(b'\\x00\\x01') AS b",
    [
      [
        '2c74fd17edafd80e8447b0d46741ee243b7eb74dd2149a0ab1b9246fb30382f27e853d8585719e0e67cbda0daa8f51671064615d645ae27acb15bfb1447f459b',
        'gFNsYXDdhibcCBrxSNOewv1dCQzFeKdmR+eQP9NL0C5DM+zlew4k/xFvQ0Kbb/VBg0vUDvDI01Y6zvXtD9JUuA==',
      ],
    ],
    {
      types: ['STRING', 'BYTES'],
    },
  ),
  err('hash: SHA512 of an INT64 has no signature', `${H} — SHA512 (input: STRING or BYTES)`, 'SELECT SHA512(1) AS h', 'No matching signature for function SHA512'),
  q('hash: MD5 returns BYTES', `${H} — MD5`, "SELECT MD5('Hello World') AS md5", [['sQqNsWTgdUEFt6mb5y4/5Q==']], { types: ['BYTES'] }),
  q('hash: TO_HEX(SHA256(...))', `${H} — SHA256`, "SELECT TO_HEX(SHA256('Hello World')) AS h", [['a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e']]),
  q('hash: TO_HEX(SHA1(...))', `${H} — SHA1`, "SELECT TO_HEX(SHA1('abc')) AS h", [['a9993e364706816aba3e25717850c26c9cd0d89d']]),
  q(
    'hash: FARM_FINGERPRINT documentation example',
    `${H} — FARM_FINGERPRINT (example table)`,
    `WITH example AS (
  SELECT 1 AS x, "foo" AS y, true AS z UNION ALL
  SELECT 2 AS x, "apple" AS y, false AS z UNION ALL
  SELECT 3 AS x, "" AS y, true AS z
)
SELECT
  *,
  FARM_FINGERPRINT(CONCAT(CAST(x AS STRING), y, CAST(z AS STRING)))
    AS row_fingerprint
FROM example
ORDER BY x`,
    [
      ['1', 'foo', true, '-1541654101129638711'],
      ['2', 'apple', false, '2794438866806483259'],
      ['3', '', true, '-4880158226897771312'],
    ],
    { ordered: true, types: ['INT64', 'STRING', 'BOOL', 'INT64'] },
  ),
  q(
    "misc: TYPEOF names BigQuery's types, not DuckDB's",
    'BigQuery docs: Utility functions — TYPEOF (a NULL literal is INT64)',
    "SELECT TYPEOF(1) AS a, TYPEOF('x') AS b, TYPEOF(b'x') AS c, TYPEOF(1.5) AS d, TYPEOF(NULL) AS e, TYPEOF(NUMERIC '1') AS f, TYPEOF(TIMESTAMP '2020-01-01 00:00:00 UTC') AS g, TYPEOF(DATETIME '2020-01-01 00:00:00') AS h",
    [['INT64', 'STRING', 'BYTES', 'FLOAT64', 'INT64', 'NUMERIC', 'TIMESTAMP', 'DATETIME']],
  ),
  q(
    "json: JSON_EXTRACT reads a key with JSONPath characters through ['...']",
    `${J} — JSON_EXTRACT (example: JSON_EXTRACT('{"a.b": {"c": "world"}}', "$['a.b'].c") is "world")`,
    `SELECT JSON_EXTRACT('{"a.b": {"c": "world"}}', "$['a.b'].c") AS hello, JSON_EXTRACT_SCALAR('{"a": [1, {"b.c": [10, 20]}]}', "$[a][1]['b.c'][0]") AS ten`,
    [['"world"', '10']],
  ),
  q(
    'json: JSON_EXTRACT_ARRAY keeps JSON null elements, and is NULL for a value that is not an array',
    'ZetaSQL compliance tests: json_queries.test, json_extract_array (ARRAY<JSON>[1, {"c":"foo"}, null]); ' + `${J} — JSON_EXTRACT_ARRAY`,
    `SELECT JSON_EXTRACT_ARRAY(JSON '{"a.b": [1, {"c": "foo"}, null]}', "$['a.b']") AS arr, JSON_EXTRACT_ARRAY('{"a": {"b": 1}}', '$.a') AS not_array`,
    [[['1', '{"c":"foo"}', 'null'], []]],
  ),
  q(
    'debugging: SAFE.ERROR is a NULL INT64',
    'ZetaSQL compliance tests: misc.test, default_safe_error_int64 (ARRAY<STRUCT<INT64>>[{NULL}]) and cast_safe_error_as_string',
    'SELECT SAFE.ERROR("message") AS n, CAST(SAFE.ERROR("message") AS STRING) AS s',
    [[null, null]],
    { types: ['INT64', 'STRING'] },
  ),
  err(
    "debugging: SAFE.ERROR does not suppress its argument's error",
    'ZetaSQL compliance tests: misc.test, safe_error_fn_with_error (ERROR: custom error message)',
    'SELECT SAFE.ERROR(ERROR("custom error message")) AS n',
    'custom error message',
  ),
  q(
    'json: TO_JSON_STRING and TO_JSON write a TIMESTAMP in UTC with T and Z, a DATETIME with T, a TIME as is, fractions in groups of three',
    `${J} — TO_JSON_STRING (JSON encodings: TIMESTAMP as 2017-03-06T12:34:56.789012Z, DATETIME as 2017-03-06T12:34:56.789012); ZetaSQL pico_timestamp.test to_json_pico (2020-03-22T12:00:29.123456780Z)`,
    "SELECT TO_JSON_STRING(TIMESTAMP '2016-03-12 12:00:00-08') AS a, TO_JSON_STRING(DATETIME '2016-03-12 12:00:00.5') AS b, TO_JSON_STRING(TIME '12:00:00.5') AS c, TO_JSON_STRING(DATE '2016-03-12') AS d, TO_JSON(TIMESTAMP '2017-03-06 12:34:56.789012+00') AS e",
    [['"2016-03-12T20:00:00Z"', '"2016-03-12T12:00:00.500"', '"12:00:00.500"', '"2016-03-12"', '"2017-03-06T12:34:56.789012Z"']],
  ),
  q(
    'json: TO_JSON_STRING writes BYTES as base64, NaN and infinities as strings',
    `${J} — TO_JSON_STRING, JSON encodings (BYTES: base64; FLOAT64 NaN/+inf/-inf: "NaN", "Infinity", "-Infinity")`,
    "SELECT TO_JSON_STRING(b'Google') AS a, TO_JSON_STRING(CAST('nan' AS FLOAT64)) AS b, TO_JSON_STRING(CAST('-inf' AS FLOAT64)) AS c",
    [['"R29vZ2xl"', '"NaN"', '"-Infinity"']],
  ),
  q(
    'json: TO_JSON_STRING encodes the values inside a STRUCT or ARRAY as it does at the top level',
    `${J} — JSON encodings (STRUCT: "Each value is formatted according to its type"; NUMERIC 123.56 → "123.56", TIMESTAMP → 2017-03-06T12:34:56.789012Z, BYTES → base64)`,
    "SELECT TO_JSON_STRING(STRUCT(NUMERIC '123.56' AS n, [NUMERIC '2.0', 9007199254740993] AS a, [TIMESTAMP '2017-03-06 12:34:56.789012+00'] AS t, DATETIME '2017-03-06 12:34:56' AS d, b'Google' AS b)) AS j",
    [['{"n":"123.56","a":[2,"9007199254740993"],"t":["2017-03-06T12:34:56.789012Z"],"d":"2017-03-06T12:34:56","b":"R29vZ2xl"}']],
  ),
  q(
    'json: TO_JSON_STRING writes a FLOAT64 without a needless fraction, and an INTERVAL in ISO 8601',
    `${J} — JSON encodings (FLOAT64 1.0 → 1; INTERVAL '10:20:30.52' HOUR TO SECOND → "PT10H20M30.52S", INTERVAL -25 MONTH → "P-2Y-1M", INTERVAL '1 5:30' DAY TO MINUTE → "P1DT5H30M")`,
    "SELECT TO_JSON_STRING(1.0) AS f, TO_JSON_STRING(STRUCT(2.5 AS x, 1e20 AS y)) AS s, TO_JSON_STRING(INTERVAL '10:20:30.52' HOUR TO SECOND) AS a, TO_JSON_STRING(INTERVAL -25 MONTH) AS b, TO_JSON_STRING([INTERVAL '1 5:30' DAY TO MINUTE]) AS c",
    [['1', '{"x":2.5,"y":1e+20}', '"PT10H20M30.52S"', '"P-2Y-1M"', '["P1DT5H30M"]']],
  ),
  q(
    'json: TO_JSON keeps the numbers inside a STRUCT as JSON numbers, and writes a RANGE as start and end',
    `${J} — JSON encodings (NUMERIC for TO_JSON: 123.56 → 123.56; RANGE<DATE> '[2024-07-24, 2024-07-25)' → {"start":"2024-07-24","end":"2024-07-25"}, an unbounded part null)`,
    "SELECT TO_JSON_STRING(TO_JSON(STRUCT(NUMERIC '123.56' AS n))) AS a, TO_JSON_STRING(RANGE<DATE> '[2024-07-24, 2024-07-25)') AS b, TO_JSON_STRING(RANGE<DATETIME> '[2024-07-24 10:00:00, UNBOUNDED)') AS c",
    [['{"n":123.56}', '{"start":"2024-07-24","end":"2024-07-25"}', '{"start":"2024-07-24T10:00:00","end":null}']],
  ),
  q(
    'json: JSON_ARRAY and JSON_OBJECT write their values in TO_JSON encoding',
    `${J} — JSON_ARRAY, JSON_OBJECT ("uses TO_JSON encoding"); JSON encodings (TIMESTAMP as ...Z, BYTES base64, NaN as "NaN", INTERVAL -25 MONTH as "P-2Y-1M")`,
    "SELECT TO_JSON_STRING(JSON_ARRAY(TIMESTAMP '2020-01-01 00:00:00+00', b'ab', CAST('nan' AS FLOAT64), 1.0)) AS a, TO_JSON_STRING(JSON_OBJECT('i', INTERVAL -25 MONTH)) AS o",
    [['["2020-01-01T00:00:00Z","YWI=","NaN",1]', '{"i":"P-2Y-1M"}']],
  ),
  q(
    'json: TO_JSON keeps the first of STRUCT fields with one name, TO_JSON_STRING all of them',
    `${J} — JSON encodings (STRUCT: "For TO_JSON, a field is included in the output string and any duplicates of this field are omitted. For TO_JSON_STRING, a field and any duplicates of this field are included")`,
    "SELECT TO_JSON_STRING(TO_JSON(STRUCT(1, 'x'))) AS j, TO_JSON_STRING(STRUCT(1, 'x')) AS s",
    [['{"":1}', '{"":1,"":"x"}']],
  ),
  q(
    'json: JSON_QUERY_ARRAY of a JSON value is an ARRAY<JSON>; JSON_QUERY of a JSON null in a STRING is a SQL NULL',
    `${J} — JSON_QUERY_ARRAY (return type: ARRAY<JSON> for json_expr), JSON_QUERY ("JSON_QUERY('null', '$') -- Returns a SQL NULL")`,
    'SELECT JSON_QUERY_ARRAY(JSON \'{"fruits": ["apples", "oranges"]}\', \'$.fruits\') AS a, JSON_QUERY(\'{"name": null}\', \'$.name\') IS NULL AS b',
    [[['"apples"', '"oranges"'], true]],
    { types: ['ARRAY<JSON>', 'BOOL'] },
  ),
  q(
    'json: JSON_EXTRACT_ARRAY of invalid JSON text is NULL',
    `${J} — JSON_EXTRACT_ARRAY ("If a JSON-formatted string is invalid, the output is NULL")`,
    "SELECT JSON_EXTRACT_ARRAY('}}') IS NULL AS a, JSON_QUERY_ARRAY('}}') IS NULL AS b",
    [[true, true]],
  ),
  err(
    'json: a JSONPath that does not start with $ is an error',
    `${J} — JSONPath format ("An error is thrown if you provide an invalid JSONPath"; "$ ... The JSONPath format must start with this operator")`,
    'SELECT JSON_EXTRACT_ARRAY(\'["foo", "bar"]\', \'INVALID_JSONPath\') AS a',
    'JSONPath',
  ),
  q(
    'json: a JSON value keeps the first of repeated keys',
    `${J} — JSON_QUERY (example: JSON_QUERY(JSON '{"key": 1, "key": 2}', "$") is {"key":1}); Data types — JSON type ("If an object has duplicate keys, the first key that's found is preserved")`,
    'SELECT TO_JSON_STRING(JSON_QUERY(JSON \'{"key": 1, "key": 2}\', "$")) AS a, TO_JSON_STRING(PARSE_JSON(\'{"a": {"b": 1, "b": 2}}\')) AS b',
    [['{"key":1}', '{"a":{"b":1}}']],
  ),
  err(
    'json: PARSE_JSON of a number it cannot store exactly is an error',
    `${J} — PARSE_JSON (example: PARSE_JSON('{"id": 922337203685477580701}') -- fails; wide_number_mode 'exact' is the default)`,
    'SELECT PARSE_JSON(\'{"id": 922337203685477580701}\') AS j',
    'without loss of precision',
  ),
  q(
    'json: SAFE.INT64 of a JSON number past INT64 is NULL',
    `${J} — INT64 (an error when "the JSON number isn't in the SQL INT64 domain"); Functions reference — SAFE. prefix`,
    "SELECT SAFE.INT64(JSON '1e20') AS a, INT64(JSON '1e3') AS b",
    [[null, '1000']],
  ),
  err(
    'debugging: ERROR(NULL) is an error, not NULL',
    'BigQuery docs: Debugging functions — ERROR ("Returns an error"); ZetaSQL\'s reference implementation (function.cc: "ERROR function called with NULL value")',
    'SELECT ERROR(CAST(NULL AS STRING)) AS e',
    'ERROR function called with NULL value',
  ),
  q(
    'range: RANGE_START and RANGE_END of a NULL range are NULL of the element type',
    'BigQuery docs: Range functions — RANGE_START (return type: T in range_value; NULL for a NULL range)',
    'SELECT RANGE_START(CAST(NULL AS RANGE<DATE>)) AS s, RANGE_END(CAST(NULL AS RANGE<DATETIME>)) AS e',
    [[null, null]],
    { types: ['DATE', 'DATETIME'] },
  ),
  q('conditional: NULLIF returns the supertype of its arguments', `${CE} — NULLIF (return type: "Supertype of expr and expr_to_match")`, 'SELECT NULLIF(2, 1.5) AS a, NULLIF(1, 1.0) AS b', [[2, null]], {
    types: ['FLOAT64', 'FLOAT64'],
  }),
];

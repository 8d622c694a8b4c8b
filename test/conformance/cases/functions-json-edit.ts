import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

/**
 * JSON_SET, JSON_REMOVE, JSON_ARRAY_INSERT, JSON_ARRAY_APPEND, JSON_STRIP_NULLS, JSON_KEYS, JSON_FLATTEN: every worked
 * example of their sections in BigQuery's JSON functions page, then edge cases from ZetaSQL's implementation and
 * compliance tests (zetasql/public/functions/json.cc, compliance/functions_testlib_json.cc).
 */
const J = 'BigQuery docs: JSON functions';
const Z = 'ZetaSQL functions_testlib_json.cc / json.cc';

/** A documented example whose one column is a JSON value, written as BigQuery prints it. */
const json = (fn: string, what: string, sql: string, out: string | null): ConformanceCase => q(`json: ${fn} ${what}`, `${J} — ${fn} (example: ${what})`, sql, [[out]], { types: ['JSON'] });
const keys = (what: string, sql: string, out: string[]): ConformanceCase => q(`json: JSON_KEYS ${what}`, `${J} — JSON_KEYS (example: ${what})`, sql, [[out]], { types: ['ARRAY<STRING>'] });
const flat = (what: string, sql: string, out: string[]): ConformanceCase => q(`json: JSON_FLATTEN ${what}`, `${J} — JSON_FLATTEN (example: ${what})`, sql, [[out]], { types: ['ARRAY<JSON>'] });

export const cases: ConformanceCase[] = [
  // JSON_ARRAY_APPEND
  json('JSON_ARRAY_APPEND', 'appends at $', `SELECT JSON_ARRAY_APPEND(JSON '["a", "b", "c"]', '$', 1) AS json_data`, '["a","b","c",1]'),
  json('JSON_ARRAY_APPEND', 'appends each element of an array by default', `SELECT JSON_ARRAY_APPEND(JSON '["a", "b", "c"]', '$', [1, 2]) AS json_data`, '["a","b","c",1,2]'),
  json(
    'JSON_ARRAY_APPEND',
    'append_each_element=>FALSE appends the array as one element',
    `SELECT JSON_ARRAY_APPEND(JSON '["a", "b", "c"]', '$', [1, 2], append_each_element=>FALSE) AS json_data`,
    '["a","b","c",[1,2]]',
  ),
  json(
    'JSON_ARRAY_APPEND',
    'two pairs with append_each_element=>FALSE',
    `SELECT JSON_ARRAY_APPEND(JSON '["a", ["b"], "c"]', '$[1]', [1, 2], '$[1][1]', [3, 4], append_each_element=>FALSE) AS json_data`,
    '["a",["b",[1,2,[3,4]]],"c"]',
  ),
  json('JSON_ARRAY_APPEND', 'a second path that is no longer an array is ignored', `SELECT JSON_ARRAY_APPEND(JSON '["a", ["b"], "c"]', '$[1]', [1, 2], '$[1][1]', [3, 4]) AS json_data`, '["a",["b",1,2],"c"]'),
  json('JSON_ARRAY_APPEND', 'appends at $.a', `SELECT JSON_ARRAY_APPEND(JSON '{"a": [1]}', '$.a', 2) AS json_data`, '{"a":[1,2]}'),
  json('JSON_ARRAY_APPEND', 'into a JSON null', `SELECT JSON_ARRAY_APPEND(JSON '{"a": null}', '$.a', 10) AS json_data`, '{"a":[10]}'),
  json('JSON_ARRAY_APPEND', 'to a non-array is ignored', `SELECT JSON_ARRAY_APPEND(JSON '{"a": 1}', '$.a', 2) AS json_data`, '{"a":1}'),
  json('JSON_ARRAY_APPEND', 'to a missing path is ignored', `SELECT JSON_ARRAY_APPEND(JSON '{"a": 1}', '$.b', 2) AS json_data`, '{"a":1}'),
  // JSON_ARRAY_INSERT
  json('JSON_ARRAY_INSERT', 'inserts at $[1]', `SELECT JSON_ARRAY_INSERT(JSON '["a", ["b", "c"], "d"]', '$[1]', 1) AS json_data`, '["a",1,["b","c"],"d"]'),
  json('JSON_ARRAY_INSERT', 'inserts at $[1][0]', `SELECT JSON_ARRAY_INSERT(JSON '["a", ["b", "c"], "d"]', '$[1][0]', 1) AS json_data`, '["a",[1,"b","c"],"d"]'),
  json('JSON_ARRAY_INSERT', 'inserts each element of an array by default', `SELECT JSON_ARRAY_INSERT(JSON '["a", "b", "c"]', '$[1]', [1, 2]) AS json_data`, '["a",1,2,"b","c"]'),
  json(
    'JSON_ARRAY_INSERT',
    'insert_each_element=>FALSE inserts the array as one element',
    `SELECT JSON_ARRAY_INSERT(JSON '["a", "b", "c"]', '$[1]', [1, 2], insert_each_element=>FALSE) AS json_data`,
    '["a",[1,2],"b","c"]',
  ),
  json('JSON_ARRAY_INSERT', 'past the end pads with nulls', `SELECT JSON_ARRAY_INSERT(JSON '["a", "b", "c", "d"]', '$[7]', "e") AS json_data`, '["a","b","c","d",null,null,null,"e"]'),
  json('JSON_ARRAY_INSERT', 'into an object is ignored', `SELECT JSON_ARRAY_INSERT(JSON '{"a": {}}', '$.a[0]', 2) AS json_data`, '{"a":{}}'),
  json('JSON_ARRAY_INSERT', 'at $ (no position) is ignored', `SELECT JSON_ARRAY_INSERT(JSON '[1, 2]', '$', 3) AS json_data`, '[1,2]'),
  json('JSON_ARRAY_INSERT', 'into a JSON null', `SELECT JSON_ARRAY_INSERT(JSON '{"a": null}', '$.a[2]', 10) AS json_data`, '{"a":[null,null,10]}'),
  json('JSON_ARRAY_INSERT', 'into a JSON number is ignored', `SELECT JSON_ARRAY_INSERT(JSON '1', '$[0]', 'r1') AS json_data`, '1'),
  // JSON_REMOVE
  json('JSON_REMOVE', 'removes $[1]', `SELECT JSON_REMOVE(JSON '["a", ["b", "c"], "d"]', '$[1]') AS json_data`, '["a","d"]'),
  json('JSON_REMOVE', 'of a field access', `WITH T AS (SELECT JSON '{"a": {"b": 10, "c": 20}}' AS data) SELECT JSON_REMOVE(data.a, '$.b') AS json_data FROM T`, '{"c":20}'),
  json('JSON_REMOVE', 'evaluates paths left to right', `SELECT JSON_REMOVE(JSON '["a", ["b", "c"], "d"]', '$[1]', '$[1]') AS json_data`, '["a"]'),
  json('JSON_REMOVE', 'keeps an emptied array', `SELECT JSON_REMOVE(JSON '["a", ["b", "c"], "d"]', '$[1]', '$[1]', '$[0]') AS json_data`, '[]'),
  json('JSON_REMOVE', 'removes $.a.b.c', `SELECT JSON_REMOVE(JSON '{"a": {"b": {"c": "d"}}}', '$.a.b.c') AS json_data`, '{"a":{"b":{}}}'),
  json('JSON_REMOVE', 'removes $.a.b', `SELECT JSON_REMOVE(JSON '{"a": {"b": {"c": "d"}}}', '$.a.b') AS json_data`, '{"a":{}}'),
  json('JSON_REMOVE', 'of a missing path changes nothing', `SELECT JSON_REMOVE(JSON '{"a": 1}', '$.b') AS json_data`, '{"a":1}'),
  json('JSON_REMOVE', 'ignores missing paths and applies the others', `SELECT JSON_REMOVE(JSON '{"a": [1, 2, 3]}', '$.a[0]', '$.a.b', '$.b', '$.a[0]') AS json_data`, '{"a":[3]}'),
  err('json: JSON_REMOVE of $ is an error', `${J} — JSON_REMOVE (example: "Error: The JSONPath can't be '$'")`, `SELECT JSON_REMOVE(JSON '{}', '$') AS json_data`, "JSONPath cannot be '\\$'"),
  json('JSON_REMOVE', 'from a JSON null is ignored', `SELECT JSON_REMOVE(JSON 'null', '$.a.b') AS json_data`, 'null'),
  // JSON_SET
  json('JSON_SET', 'at $ replaces the value', `SELECT JSON_SET(JSON '{"a": 1}', '$', JSON '{"b": 2, "c": 3}') AS json_data`, '{"b":2,"c":3}'),
  json('JSON_SET', 'create_if_missing => false ignores a missing path', `SELECT JSON_SET(JSON '{"a": 1}', "$.b", 999, create_if_missing => false) AS json_data`, '{"a":1}'),
  json('JSON_SET', 'create_if_missing => false replaces an existing value', `SELECT JSON_SET(JSON '{"a": 1}', "$.a", 999, create_if_missing => false) AS json_data`, '{"a":999}'),
  json('JSON_SET', 'creates $.a.b', `SELECT JSON_SET(JSON '{"a": {}}', '$.a.b', 100) AS json_data`, '{"a":{"b":100}}'),
  json('JSON_SET', 'creates the path below a JSON null', `SELECT JSON_SET(JSON 'null', '$.a.b', 100) AS json_data`, '{"a":{"b":100}}'),
  json('JSON_SET', 'ignores a path through a number and applies the others', `SELECT JSON_SET(JSON '{"a": 1}', '$.b', 2, '$.a.c', 100, '$.d', 3) AS json_data`, '{"a":1,"b":2,"d":3}'),
  json('JSON_SET', 'ignores an array path through a number', `SELECT JSON_SET(JSON '{"a": 1}', '$.a[2]', 100, '$.b', 2) AS json_data`, '{"a":1,"b":2}'),
  json('JSON_SET', 'replaces $[1]', `SELECT JSON_SET(JSON '["a", ["b", "c"], "d"]', '$[1]', "foo") AS json_data`, '["a","foo","d"]'),
  json('JSON_SET', 'replaces $[1][0]', `SELECT JSON_SET(JSON '["a", ["b", "c"], "d"]', '$[1][0]', "foo") AS json_data`, '["a",["foo","c"],"d"]'),
  json('JSON_SET', 'creates nested arrays in a JSON null', `SELECT JSON_SET(JSON 'null', '$[0][3]', "foo") AS json_data`, '[[null,null,null,"foo"]]'),
  json('JSON_SET', 'extends an array', `SELECT JSON_SET(JSON '["a", ["b", "c"], "d"]', '$[1][4]', "foo") AS json_data`, '["a",["b","c",null,null,"foo"],"d"]'),
  json('JSON_SET', 'ignores an index into a string', `SELECT JSON_SET(JSON '["a", ["b", "c"], "d"]', '$[1][0][0]', "foo") AS json_data`, '["a",["b","c"],"d"]'),
  json('JSON_SET', 'extends an array and creates the rest', `SELECT JSON_SET(JSON '["a", ["b", "c"], "d"]', '$[1][2][1]', "foo") AS json_data`, '["a",["b","c",[null,"foo"]],"d"]'),
  json('JSON_SET', 'creates $.b[2].d in an empty object', `SELECT JSON_SET(JSON '{}', '$.b[2].d', 100) AS json_data`, '{"b":[null,null,{"d":100}]}'),
  json(
    'JSON_SET',
    'sets several values',
    `SELECT JSON_SET(JSON '{"a": 1, "b": {"c":3}, "d": [4]}', '$.a', 'v1', '$.b.e', 'v2', '$.d[2]', 'v3') AS json_data`,
    '{"a":"v1","b":{"c":3,"e":"v2"},"d":[4,null,"v3"]}',
  ),
  // JSON_STRIP_NULLS
  json('JSON_STRIP_NULLS', 'removes JSON nulls', `SELECT JSON_STRIP_NULLS(JSON '{"a": null, "b": "c"}') AS json_data`, '{"b":"c"}'),
  json('JSON_STRIP_NULLS', 'removes JSON nulls from an array', `SELECT JSON_STRIP_NULLS(JSON '[1, null, 2, null]') AS json_data`, '[1,2]'),
  json('JSON_STRIP_NULLS', 'include_arrays=>FALSE keeps nulls in arrays', `SELECT JSON_STRIP_NULLS(JSON '[1, null, 2, null]', include_arrays=>FALSE) AS json_data`, '[1,null,2,null]'),
  json('JSON_STRIP_NULLS', 'keeps emptied structures by default', `SELECT JSON_STRIP_NULLS(JSON '[1, null, 2, null, [null]]') AS json_data`, '[1,2,[]]'),
  json('JSON_STRIP_NULLS', 'remove_empty=>TRUE removes emptied structures', `SELECT JSON_STRIP_NULLS(JSON '[1, null, 2, null, [null]]', remove_empty=>TRUE) AS json_data`, '[1,2]'),
  json('JSON_STRIP_NULLS', 'of an object left empty is a JSON null', `SELECT JSON_STRIP_NULLS(JSON '{"a": null}', remove_empty=>TRUE) AS json_data`, 'null'),
  json('JSON_STRIP_NULLS', 'of an object holding an emptied array is a JSON null', `SELECT JSON_STRIP_NULLS(JSON '{"a": [null]}', remove_empty=>TRUE) AS json_data`, 'null'),
  json(
    'JSON_STRIP_NULLS',
    'removes empty objects but not arrays with include_arrays=>FALSE',
    `SELECT JSON_STRIP_NULLS(JSON '{"a": {"b": {"c": null}}, "d": [null], "e": [], "f": 1}', include_arrays=>FALSE, remove_empty=>TRUE) AS json_data`,
    '{"d":[null],"e":[],"f":1}',
  ),
  json('JSON_STRIP_NULLS', 'removes empty objects and arrays', `SELECT JSON_STRIP_NULLS(JSON '{"a": {"b": {"c": null}}, "d": [null], "e": [], "f": 1}', remove_empty=>TRUE) AS json_data`, '{"f":1}'),
  json('JSON_STRIP_NULLS', 'of a JSON null', `SELECT JSON_STRIP_NULLS(JSON 'null') AS json_data`, 'null'),
  // JSON_KEYS
  keys('of nested objects', `SELECT JSON_KEYS(JSON '{"a": {"b":1}}') AS json_keys`, ['a', 'a.b']),
  keys('with max_depth 1', `SELECT JSON_KEYS(JSON '{"a": {"b":1}}', 1) AS json_keys`, ['a']),
  keys('in strict mode skips arrays', `SELECT JSON_KEYS(JSON '{"a":[{"b":1}, {"c":2}], "d":3}') AS json_keys`, ['a', 'd']),
  keys('in lax mode enters arrays', `SELECT JSON_KEYS(JSON '{"a":[{"b":1}, {"c":2}], "d":3}', mode => "lax") AS json_keys`, ['a', 'a.b', 'a.c', 'd']),
  keys('in lax mode skips nested arrays', `SELECT JSON_KEYS(JSON '{"a":[[{"b":1}]]}', mode => "lax") AS json_keys`, ['a']),
  keys('in lax recursive mode enters nested arrays', `SELECT JSON_KEYS(JSON '{"a":[[{"b":1}]]}', mode => "lax recursive") AS json_keys`, ['a', 'a.b']),
  keys('in lax mode enters arrays that are not nested', `SELECT JSON_KEYS(JSON '{"a":[{"b":[{"c":1}]}]}', mode => "lax") AS json_keys`, ['a', 'a.b', 'a.b.c']),
  keys('in lax mode with nested and single arrays', `SELECT JSON_KEYS(JSON '{"a":[{"b":[[{"c":1}]]}]}', mode => "lax") AS json_keys`, ['a', 'a.b']),
  keys('in lax recursive mode with nested and single arrays', `SELECT JSON_KEYS(JSON '{"a":[{"b":[[{"c":1}]]}]}', mode => "lax recursive") AS json_keys`, ['a', 'a.b', 'a.b.c']),
  // JSON_FLATTEN
  flat('of a scalar', `SELECT JSON_FLATTEN(JSON '1') AS json_flatten`, ['1']),
  flat('of an array', `SELECT JSON_FLATTEN(JSON '[1, 2, null]') AS json_flatten`, ['1', '2', 'null']),
  flat('of nested arrays', `SELECT JSON_FLATTEN(JSON '[[[1]], 2, [3]]') AS json_flatten`, ['1', '2', '3']),
  flat('keeps an object whole', `SELECT JSON_FLATTEN(JSON '{"a": [[1]]}') AS json_flatten`, ['{"a":[[1]]}']),
  flat('of arrays and other values', `SELECT JSON_FLATTEN(JSON '[[[1, 2], 3], {"a": 4}, true]') AS json_flatten`, ['1', '2', '3', '{"a":4}', 'true']),
  // Edge cases (ZetaSQL)
  q(
    'json: JSON_SET and JSON_STRIP_NULLS return members in name order, as BigQuery JSON holds them',
    `${J} — JSON_OBJECT (example: JSON_OBJECT('foo', 10, 'bar', TRUE) is {"bar":true,"foo":10}); ${Z} (JSONValue members in a std::map)`,
    `SELECT JSON_SET(JSON '{"b": 1, "a": 2}', '$.c', 3) AS s, JSON_STRIP_NULLS(JSON '{"z": null, "y": 1, "x": 2}') AS n`,
    [['{"a":2,"b":1,"c":3}', '{"x":2,"y":1}']],
  ),
  q(
    'json: a NULL path is ignored, a NULL JSON value gives NULL, a NULL option returns the value',
    `${J} — JSON_SET, JSON_ARRAY_APPEND, JSON_STRIP_NULLS, JSON_KEYS (Details: SQL NULL arguments)`,
    `SELECT JSON_SET(JSON '{"a":1}', NULL, 2) AS a, JSON_SET(CAST(NULL AS JSON), '$.a', 2) AS b, JSON_SET(JSON '{"a":1}', '$.a', 2, create_if_missing => NULL) AS c, JSON_ARRAY_APPEND(JSON '[1]', '$', 2, append_each_element => NULL) AS d, JSON_STRIP_NULLS(JSON '{"a":null}', NULL) AS e, JSON_REMOVE(JSON '{"a":1}', NULL, '$.a') AS f`,
    [['{"a":1}', null, '{"a":1}', '[1]', '{"a":null}', '{}']],
  ),
  q(
    'json: JSON_ARRAY_INSERT of an empty array pads, JSON_ARRAY_APPEND of a NULL array is ignored unless appended whole',
    `${Z} (JsonAddArrayElement, JSONValueRef::InsertArrayElements)`,
    `SELECT JSON_ARRAY_INSERT(JSON '[1]', '$[3]', CAST([] AS ARRAY<INT64>)) AS a, JSON_ARRAY_APPEND(JSON 'null', '$', CAST([] AS ARRAY<INT64>)) AS b, JSON_ARRAY_APPEND(JSON '[1]', '$', CAST(NULL AS ARRAY<INT64>)) AS c, JSON_ARRAY_APPEND(JSON '[1]', '$', CAST(NULL AS ARRAY<INT64>), append_each_element => FALSE) AS d`,
    [['[1,null,null,null]', '[]', '[1]', '[1,null]']],
  ),
  json(
    'JSON_STRIP_NULLS',
    'below a path that ends up empty makes it a JSON null',
    `SELECT JSON_STRIP_NULLS(JSON '{"a": {"b":null, "c":null, "d":[[null], null]}, "e":null}', '$.a', remove_empty => TRUE) AS j`,
    '{"a":null,"e":null}',
  ),
  json(
    'JSON_SET',
    'writes values in TO_JSON encoding',
    `SELECT JSON_SET(JSON '{}', '$.t', TIMESTAMP '2020-01-01 00:00:00+00', '$.n', NUMERIC '1.50', '$.s', STRUCT(1 AS a, 'x' AS b)) AS j`,
    '{"n":1.5,"s":{"a":1,"b":"x"},"t":"2020-01-01T00:00:00Z"}',
  ),
  keys('escapes a key with a dot or a quote, and is sorted', `SELECT JSON_KEYS(JSON '{"b": 1, "a.b": {"c": 1}, "x\\\\"y": 1, "B": 1}') AS k`, ['"a.b"', '"a.b".c', '"x\\"y"', 'B', 'b']),
  keys('with a max_depth and an array in lax mode', `SELECT JSON_KEYS(JSON '[{"a":{"b":1}}]', 1, mode => "Lax") AS k`, ['a']),
  err('json: JSON_KEYS with an unknown mode is an error', `${Z} (JsonKeysFunction: "Invalid JSON mode specified")`, `SELECT JSON_KEYS(JSON '{}', mode => "loose") AS k`, 'Invalid JSON mode specified'),
  err(
    'json: JSON_KEYS with max_depth 0 is an error',
    `${J} — JSON_KEYS ("If max_depth is less than or equal to 0, then an error is returned")`,
    `SELECT JSON_KEYS(JSON '{}', 0) AS k`,
    'max_depth must be positive',
  ),
  err(
    'json: JSON_SET with an invalid JSONPath is an error',
    `${J} — JSON_SET ("If any json_path is an invalid JSONPath, an error is produced")`,
    `SELECT JSON_SET(JSON '{}', 'a', 1) AS j`,
    "Invalid input to JSON_SET: JSONPath must start with '\\$'",
  ),
  err(
    'json: JSON_ARRAY_INSERT with a negative index is an error',
    `${J} — JSON_ARRAY_INSERT ("If any json_path is an invalid JSONPath, an error is produced"); ${Z}`,
    `SELECT JSON_ARRAY_INSERT(JSON '[]', '$[-1]', 1) AS j`,
    'Invalid token in JSONPath',
  ),
  err('json: JSON_SET past the largest JSON array is an error', `${Z} (JsonSet: kJSONMaxArraySize)`, `SELECT JSON_SET(JSON '{}', '$.a[1000000]', 1) AS j`, 'Exceeded maximum array size of 1000000'),
  err(
    'json: JSON_ARRAY_INSERT with an odd number of paths and values is an error',
    'ZetaSQL compliance tests: json_queries.test, json_array_insert_incorrect_number_of_args_with_optional',
    `SELECT JSON_ARRAY_INSERT(JSON '{"a": [10, null]}', "$.a", 10, "$.b", insert_each_element=>true) AS j`,
    'missing repeated arguments',
  ),
  err(
    'json: a positional argument after a named one is an error',
    'ZetaSQL compliance tests: json_queries.test, json_strip_nulls_named_value_error',
    `SELECT JSON_STRIP_NULLS(JSON '{"a": 10}', "$", include_arrays=>true, false) AS j`,
    'positional arguments after named arguments',
  ),
  // FLOAT64 with wide_number_mode
  q(
    'json: FLOAT64 wide_number_mode => round rounds a wide integer, exact keeps one a FLOAT64 holds',
    `${J} — FLOAT64 (wide_number_mode: 'round' is the default, 'exact' fails on a loss of precision)`,
    `SELECT FLOAT64(JSON '18446744073709551615', wide_number_mode=>'round') AS r, FLOAT64(JSON '9007199254740992', wide_number_mode=>'exact') AS e, FLOAT64(JSON '9.8', wide_number_mode=>'exact') AS f, SAFE.FLOAT64(JSON '9007199254740993', wide_number_mode=>'exact') AS s`,
    [[1.8446744073709552e19, 9007199254740992, 9.8, null]],
    { types: ['FLOAT64', 'FLOAT64', 'FLOAT64', 'FLOAT64'] },
  ),
  err(
    'json: FLOAT64 wide_number_mode => exact fails on a number a FLOAT64 does not hold',
    `${J} — FLOAT64 (example: FLOAT64(JSON '18446744073709551615', wide_number_mode=>'exact') is an error)`,
    `SELECT FLOAT64(JSON '18446744073709551615', wide_number_mode=>'exact') AS result`,
    'cannot be converted to DOUBLE without loss of precision',
  ),
  err(
    'json: FLOAT64 wide_number_mode is case-sensitive',
    `${J} — FLOAT64 (example: wide_number_mode=>'EXACT' is an error)`,
    `SELECT FLOAT64(JSON '123.4', wide_number_mode=>'EXACT') AS result`,
    'Invalid `wide_number_mode` specified: EXACT',
  ),
];

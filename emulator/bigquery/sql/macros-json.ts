/** DuckDB macros for BigQuery's JSON value converters and JSON_TYPE (see fix-json.ts). */
const converters: string[] = [
  // DuckDB's json_type names → BigQuery's.
  `CREATE OR REPLACE MACRO __gg_json_type(j) AS CASE json_type(CAST(j AS JSON)) WHEN 'OBJECT' THEN 'object' WHEN 'ARRAY' THEN 'array'
     WHEN 'VARCHAR' THEN 'string' WHEN 'BOOLEAN' THEN 'boolean' WHEN 'NULL' THEN 'null' WHEN 'BIGINT' THEN 'number'
     WHEN 'UBIGINT' THEN 'number' WHEN 'HUGEINT' THEN 'number' WHEN 'DOUBLE' THEN 'number' END`,
  // STRING(x) of a non-JSON value (STRING(timestamp)) stays a cast; of JSON, only a JSON string converts.
  `CREATE OR REPLACE MACRO __gg_json_to_string(j) AS CASE WHEN j IS NULL THEN NULL WHEN typeof(j) <> 'JSON' THEN __gg_to_string(j)
     WHEN json_type(CAST(j AS JSON)) = 'VARCHAR' THEN json_extract_string(CAST(j AS JSON), '$')
     ELSE error('The provided JSON input is not a string') END`,
  // A whole number past INT64's range is an error of the function (NULL under SAFE.), not a failing cast.
  `CREATE OR REPLACE MACRO __gg_json_to_int64(j) AS CASE WHEN j IS NULL THEN NULL
     WHEN json_type(CAST(j AS JSON)) IN ('BIGINT', 'UBIGINT', 'HUGEINT') AND TRY_CAST(json_extract_string(CAST(j AS JSON), '$') AS BIGINT) IS NOT NULL
       THEN CAST(json_extract_string(CAST(j AS JSON), '$') AS BIGINT)
     WHEN json_type(CAST(j AS JSON)) = 'DOUBLE' AND CAST(json_extract_string(CAST(j AS JSON), '$') AS DOUBLE) = trunc(CAST(json_extract_string(CAST(j AS JSON), '$') AS DOUBLE))
       AND TRY_CAST(CAST(json_extract_string(CAST(j AS JSON), '$') AS DOUBLE) AS BIGINT) IS NOT NULL
       THEN CAST(CAST(json_extract_string(CAST(j AS JSON), '$') AS DOUBLE) AS BIGINT)
     WHEN json_type(CAST(j AS JSON)) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE') AND CAST(json_extract_string(CAST(j AS JSON), '$') AS DOUBLE) = trunc(CAST(json_extract_string(CAST(j AS JSON), '$') AS DOUBLE))
       THEN error('The provided JSON number: ' || j::VARCHAR || ' cannot be converted to an int64')
     WHEN json_type(CAST(j AS JSON)) = 'DOUBLE' THEN error('The provided JSON number: ' || j::VARCHAR || ' cannot be converted to an int64')
     ELSE error('The provided JSON input is not an integer') END`,
  `CREATE OR REPLACE MACRO __gg_json_to_float64(j) AS CASE WHEN j IS NULL THEN NULL
     WHEN json_type(CAST(j AS JSON)) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE') THEN CAST(json_extract_string(CAST(j AS JSON), '$') AS DOUBLE)
     ELSE error('The provided JSON input is not a number') END`,
  // FLOAT64(j, wide_number_mode => mode) (json_functions#float64): 'round' is the default; 'exact' fails on a whole
  // number a FLOAT64 does not hold (a fractional JSON number is a FLOAT64 already); the mode is case-sensitive.
  `CREATE OR REPLACE MACRO __gg_json_to_float64_in_mode(j, mode) AS CASE
     WHEN mode IS NULL THEN CAST(__gg_refuse('FLOAT64 with a NULL wide_number_mode is not supported by the local emulator') AS DOUBLE)
     WHEN mode NOT IN ('exact', 'round') THEN error('Invalid \`wide_number_mode\` specified: ' || mode)
     WHEN mode = 'exact' AND json_type(j::JSON) IN ('BIGINT', 'UBIGINT', 'HUGEINT')
       AND TRY_CAST(TRY_CAST(json_extract_string(j::JSON, '$') AS DOUBLE) AS HUGEINT) IS DISTINCT FROM TRY_CAST(json_extract_string(j::JSON, '$') AS HUGEINT)
       THEN error('JSON number: ' || j::VARCHAR || ' cannot be converted to DOUBLE without loss of precision')
     ELSE __gg_json_to_float64(j) END`,
  `CREATE OR REPLACE MACRO __gg_json_to_bool(j) AS CASE WHEN j IS NULL THEN NULL
     WHEN json_type(CAST(j AS JSON)) = 'BOOLEAN' THEN CAST(json_extract_string(CAST(j AS JSON), '$') AS BOOLEAN)
     ELSE error('The provided JSON input is not a boolean') END`,
];

/** Each converter again as `__gg_safe_json_to_*`, NULL instead of an error (SAFE.INT64(...)). */
const safeConverters = converters.filter((m) => m.includes('__gg_json_to_')).map((m) => m.replaceAll('__gg_json_to_', '__gg_safe_json_to_').replace(/error\([^)]*\)/g, 'NULL'));

export const jsonMacros: string[] = [
  ...converters,
  ...safeConverters,
  // As TO_JSON_STRING (macros-text.ts), numbers as JSON numbers (TO_JSON_STRING's quoting of wide and fractional ones is its own).
  `CREATE OR REPLACE MACRO __gg_to_json(v) AS CAST(__gg_json_text_of(v, 'json') AS JSON)`,
  // A negative subscript is NULL (operators#json_subscript_operator); DuckDB counts it from the end.
  `CREATE OR REPLACE MACRO __gg_json_at(j, i) AS CASE WHEN CAST(i AS BIGINT) < 0 THEN NULL ELSE json_extract(CAST(j AS JSON), CAST(i AS BIGINT)) END`,
  // A member by its path (fix-json.ts jsonMember): a macro, as polyglot writes json_extract as an unparenthesised ->.
  // A STRUCT or ARRAY has no members by name in BigQuery (a struct subscript takes a position); DuckDB would answer.
  `CREATE OR REPLACE MACRO __gg_json_member(j, path) AS CASE WHEN typeof(j) LIKE 'STRUCT(%' OR typeof(j) LIKE '%[]' OR typeof(j) LIKE 'MAP(%'
     THEN error('A subscript with a STRING key reads a member of a JSON value only; this value is a STRUCT or ARRAY') ELSE json_extract(j, path) END`,
];

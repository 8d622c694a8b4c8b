/** DuckDB macros for BigQuery's string and JSON functions that DuckDB lacks or defines differently. */
import { rangeAsTextRefusal } from '../range-type.ts';

// INITCAP's default word delimiters, from BigQuery's documentation.
/** A character other than ASCII and the Latin-1 letters whose case folding is lower() (a regular expression). */
const BEYOND_LATIN1_LETTERS = '[^\\x00-\\x7FÀ-ÖØ-Þà-öø-ÿ]';
const INITCAP_DELIMS = ` \\t\\n\\r-[](){}/|<>!?@"^#$&~_,.:;*%+\\\\`;

const EMPTY_GROUP_REFUSAL = `'REGEXP_EXTRACT or REGEXP_EXTRACT_ALL whose capturing group matches an empty string (or takes no part in the match) is not supported by the local emulator'`;

export const textMacros: string[] = [
  // REGEXP_EXTRACT(_ALL): the match, or its group's if the pattern has one (g groups); more than one group is an error.
  // DuckDB gives '' both for a group that matched nothing and for one that did not take part, which BigQuery tells
  // apart ('' and NULL: REGEXP_EXTRACT('ab', '(z)?b') is NULL): an empty group is refused.
  `CREATE OR REPLACE MACRO __gg_regexp_extract(s, p, g) AS CASE
     WHEN g > 1 THEN __gg_raise_text('Regular expressions passed into extraction functions must not have more than 1 capturing group')
     WHEN NOT regexp_matches(s, p) THEN NULL
     WHEN g = 0 THEN regexp_extract(s, p, 0)
     WHEN regexp_extract(s, p, 1) = '' THEN __gg_refuse_text(${EMPTY_GROUP_REFUSAL})
     ELSE regexp_extract(s, p, 1) END`,
  `CREATE OR REPLACE MACRO __gg_regexp_extract_all(s, p, g) AS CASE
     WHEN g > 1 THEN [__gg_raise_text('Regular expressions passed into extraction functions must not have more than 1 capturing group')]
     WHEN g = 0 THEN regexp_extract_all(s, p, 0)
     WHEN list_contains(regexp_extract_all(s, p, 1), '') THEN [__gg_refuse_text(${EMPTY_GROUP_REFUSAL})]
     ELSE regexp_extract_all(s, p, 1) END`,
  // REGEXP_INSTR (fix-strings.ts regexpInstr): `split` is the pattern as `(before the group)(the group)after`, which
  // matches as the pattern does. DuckDB's regexp_extract_all and string_split_regex take the same leftmost,
  // non-overlapping matches, so the text before the occurrence-th match is the pieces and matches before it. An empty
  // match (or group) is refused: ZetaSQL steps past empty matches its own way. Errors as ZetaSQL's reference gives them.
  `CREATE OR REPLACE MACRO __gg_regexp_instr_in(t, split, pos, occ, occpos) AS CASE
     WHEN len(regexp_extract_all(t, split, 0)) < occ THEN 0
     WHEN list_contains(regexp_extract_all(t, split, 0), '') OR regexp_extract_all(t, split, 2)[occ] = ''
       THEN __gg_refuse('REGEXP_INSTR with a match or capturing group that is an empty string is not supported by the local emulator')
     ELSE pos + length(array_to_string(string_split_regex(t, split)[1:occ], '')) + length(array_to_string(regexp_extract_all(t, split, 0)[1:occ - 1], ''))
       + length(regexp_extract_all(t, split, 1)[occ]) + occpos * length(regexp_extract_all(t, split, 2)[occ]) END`,
  `CREATE OR REPLACE MACRO __gg_regexp_instr(s, p, pos, occ, occpos, split, g, anchored) AS CASE
     WHEN s IS NULL OR p IS NULL OR pos IS NULL OR occ IS NULL OR occpos IS NULL THEN NULL
     WHEN g > 1 THEN __gg_raise('Regular expressions passed into extraction functions must not have more than 1 capturing group')
     WHEN pos < 1 THEN __gg_raise('Position must be positive')
     WHEN occ < 1 THEN __gg_raise('Occurrence must be positive')
     WHEN occpos NOT IN (0, 1) THEN __gg_raise('Invalid return_position_after_match.')
     WHEN pos > length(s) OR p = '' THEN 0
     WHEN regexp_matches('', p) THEN __gg_refuse('REGEXP_INSTR with a pattern that matches an empty string is not supported by the local emulator')
     WHEN anchored AND (pos > 1 OR occ > 1) THEN __gg_refuse('REGEXP_INSTR from a position or of an occurrence past 1 with ^, \\A, \\b or \\B in the pattern is not supported by the local emulator')
     ELSE __gg_regexp_instr_in(substr(s, pos), split, pos, occ, occpos) END`,
  // REGEXP_REPLACE replaces every match (DuckDB: the first unless 'g').
  `CREATE OR REPLACE MACRO __gg_regexp_replace(s, p, r) AS regexp_replace(s, p, r, 'g')`,
  // BYTE_LENGTH counts UTF-8 bytes of a STRING (DuckDB's length counts characters).
  `CREATE OR REPLACE MACRO __gg_byte_length(x) AS CASE WHEN typeof(x) = 'BLOB' THEN octet_length(TRY_CAST(x AS BLOB)) ELSE strlen(TRY_CAST(x AS VARCHAR)) END`,
  // INITCAP: upper-case the first character of each word, lower-case the rest.
  `CREATE OR REPLACE MACRO __gg_initcap(s, delims := E'${INITCAP_DELIMS}') AS CASE WHEN s IS NULL THEN NULL ELSE array_to_string(list_transform(range(1, length(s) + 1),
     lambda i: CASE WHEN i = 1 OR contains(delims, substring(s, i - 1, 1)) THEN upper(substring(s, i, 1)) ELSE lower(substring(s, i, 1)) END), '') END`,
  // CONTAINS_SUBSTR compares NFKC case-folded text and searches inside JSON values, STRUCTs and ARRAYs. DuckDB has no
  // NFKC case folding: exact where lower() is the same, for ASCII and Latin-1 letters (not ß, ª, º, µ or the symbols);
  // other text and other types are refused.
  `CREATE OR REPLACE MACRO __gg_contains_substr(x, s) AS CASE WHEN x IS NULL OR s IS NULL THEN NULL
     WHEN typeof(x) <> 'VARCHAR' THEN cast_to_type(__gg_refuse('CONTAINS_SUBSTR of a value that is not a STRING (JSON, STRUCT, ARRAY, a number, a date) is not supported by the local emulator'), true)
     WHEN regexp_matches(TRY_CAST(x AS VARCHAR) || s, '${BEYOND_LATIN1_LETTERS}')
     THEN cast_to_type(__gg_refuse('CONTAINS_SUBSTR of text beyond ASCII and Latin-1 letters is not supported by the local emulator (no NFKC case folding in DuckDB)'), true)
     ELSE contains(lower(TRY_CAST(x AS VARCHAR)), lower(s)) END`,
  // EDIT_DISTANCE counts characters; DuckDB's levenshtein counts bytes, the same only for ASCII.
  `CREATE OR REPLACE MACRO __gg_edit_distance(a, b) AS CASE WHEN regexp_matches(a || b, '[^\\x00-\\x7F]')
     THEN cast_to_type(__gg_refuse('EDIT_DISTANCE of text beyond ASCII is not supported by the local emulator (DuckDB counts bytes)'), 0::BIGINT)
     ELSE CAST(levenshtein(a, b) AS BIGINT) END`,
  // A FORMAT argument of the type its specifier takes (ZetaSQL's StringFormatEvaluator and its messages). A negative
  // %o, %x or %X: ZetaSQL writes a sign, BigQuery's docs say it is an error; refused.
  `CREATE OR REPLACE MACRO __gg_format_arg_ok(x, expected, n, sign) AS CASE
     WHEN typeof(x) <> '"NULL"' AND CASE expected WHEN 'integer' THEN typeof(x) NOT IN ('BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'HUGEINT')
       WHEN 'FLOAT64' THEN typeof(x) NOT IN ('DOUBLE', 'FLOAT') AND typeof(x) NOT LIKE 'DECIMAL%' ELSE typeof(x) <> 'VARCHAR' END
     THEN CAST(__gg_raise('Invalid type for argument ' || n || ' to FORMAT; Expected ' || expected || '; Got ' || __gg_type_name(x)) AS BOOLEAN)
     WHEN sign = 'unsigned' AND TRY_CAST(x AS DOUBLE) < 0 THEN CAST(__gg_refuse('FORMAT of a negative number in octal or hexadecimal is not supported by the local emulator') AS BOOLEAN)
     ELSE true END`,
  `CREATE OR REPLACE MACRO __gg_format_checked(v, ok) AS CASE WHEN ok THEN v END`,
  // TRANSLATE refuses a source character listed twice (ZetaSQL's message; DuckDB takes the first mapping).
  `CREATE OR REPLACE MACRO __gg_translate(s, src, tgt) AS CASE WHEN len(list_distinct(string_split(src, ''))) < length(src)
     THEN __gg_raise_text('Duplicate character "' || list_filter(string_split(src, ''), lambda c, i: list_position(string_split(src, ''), c) < i)[1] || '" in TRANSLATE source characters')
     ELSE translate(s, src, tgt) END`,
  `CREATE OR REPLACE MACRO __gg_repeat(s, n) AS CASE WHEN n < 0 THEN cast_to_type(__gg_raise_text('Second argument (repeat count) for REPEAT cannot be negative'), s)
     WHEN __gg_byte_length(s) * n > 1048576 THEN cast_to_type(__gg_raise_text('Output of REPEAT exceeds max allowed output size of 1MB'), s) ELSE repeat(s, n) END`,
  `CREATE OR REPLACE MACRO __gg_pad_length(n) AS CASE WHEN n < 0 THEN CAST(__gg_raise('The return length of LPAD/RPAD cannot be negative') AS INTEGER)
     WHEN n > 1048576 THEN CAST(__gg_raise('Output of LPAD/RPAD exceeds max allowed output size of 1MB') AS INTEGER) ELSE CAST(n AS INTEGER) END`,
  // A NULL code point makes the whole result NULL (string_functions#code_points_to_string); array_to_string skips it.
  `CREATE OR REPLACE MACRO __gg_code_points_to_string(arr) AS CASE WHEN arr IS NULL OR list_contains(list_transform(arr, lambda c: c IS NULL), true) THEN NULL
     ELSE array_to_string(list_transform(arr, lambda c: chr(CAST(c AS INTEGER))), '') END`,
  // Extended ASCII code points (0-255) as bytes; NULL if any is NULL, as CODE_POINTS_TO_STRING.
  `CREATE OR REPLACE MACRO __gg_code_points_to_bytes(arr) AS CASE WHEN arr IS NULL OR list_contains(list_transform(arr, lambda c: c IS NULL), true) THEN NULL
     WHEN list_contains(list_transform(arr, lambda c: c < 0 OR c > 255), true)
     THEN CAST(__gg_raise_text('Invalid code point in CODE_POINTS_TO_BYTES: ' || CAST(list_filter(arr, lambda c: c < 0 OR c > 255)[1] AS VARCHAR)) AS BLOB)
     ELSE unhex(array_to_string(list_transform(arr, lambda c: printf('%02x', CAST(c AS INTEGER))), '')) END`,
  `CREATE OR REPLACE MACRO __gg_to_code_points(s) AS CASE WHEN s IS NULL THEN NULL ELSE list_transform(range(1, length(s) + 1), lambda i: CAST(unicode(substring(s, i, 1)) AS BIGINT)) END`,
  // INSTR(s, sub[, position[, occurrence]]): overlapping matches; a negative position searches backwards.
  `CREATE OR REPLACE MACRO __gg_instr4(s, sub, pos, occ) AS CASE WHEN s IS NULL OR sub IS NULL OR pos IS NULL OR occ IS NULL THEN NULL
       WHEN pos = 0 OR occ <= 0 THEN __gg_raise('INSTR: position must be non-zero and occurrence positive')
       WHEN pos > 0 THEN coalesce(list_filter(range(pos, length(s) - length(sub) + 2), lambda i: substring(s, i, length(sub)) = sub)[occ], 0)
       ELSE coalesce(list_reverse(list_filter(range(1, length(s) + pos + 2), lambda i: substring(s, i, length(sub)) = sub))[occ], 0) END`,
  `CREATE OR REPLACE MACRO __gg_instr(s, sub) AS __gg_instr4(s, sub, 1, 1), (s, sub, pos) AS __gg_instr4(s, sub, pos, 1), (s, sub, pos, occ) AS __gg_instr4(s, sub, pos, occ)`,
  // JSON_VALUE: scalars as unquoted STRING, objects/arrays and missing paths are NULL.
  `CREATE OR REPLACE MACRO __gg_json_value(j, p) AS CASE WHEN json_type(CAST(j AS JSON), p) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(CAST(j AS JSON), p) END`,
  // JSON_QUERY keeps its input's type: STRING for STRING input, JSON for JSON (the CASE unifies them).
  // Of a STRING, a JSON null is a SQL NULL ("JSON_QUERY('null', '$') -- Returns a SQL NULL"); of a JSON value, JSON null.
  `CREATE OR REPLACE MACRO __gg_json_query(j, p) AS CASE WHEN FALSE THEN j
     WHEN typeof(j) <> 'JSON' AND json_type(json_extract(CAST(j AS JSON), p)) = 'NULL' THEN NULL ELSE CAST(json_extract(CAST(j AS JSON), p) AS VARCHAR) END`,
  // Window PARTITION BY: BigQuery rejects floating point expressions (typeof folds at bind time, so this is free).
  `CREATE OR REPLACE MACRO __gg_window_partition_key(x) AS CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN error('Partitioning by expressions of type FLOAT64 is not allowed') ELSE x END`,
  // BigQuery's JSON encoding of a value of any depth, a JavaScript function (native/functions.ts, native/json-encoding.ts).
  // A value typed NULL (an untyped NULL in a STRUCT or ARRAY literal) cannot be handed over: DuckDB writes it, where
  // its other parts are written alike; the rest is refused.
  `CREATE OR REPLACE MACRO __gg_json_text_of(v, mode) AS CASE WHEN typeof(v) = '"NULL"' THEN 'null'
     WHEN NOT contains(typeof(v), '"NULL"') THEN __gg_json_text(v, typeof(v), mode)
     WHEN regexp_matches(typeof(v), 'DECIMAL|TIME|BLOB|INTERVAL|DOUBLE|FLOAT|HUGEINT|JSON|_field_|__gg_range') THEN __gg_refuse_text('JSON of a STRUCT or ARRAY holding an untyped NULL beside values of other types than STRING, INT64, BOOL and DATE is not supported by the local emulator')
     ELSE CAST(to_json(v) AS VARCHAR) END`,
  `CREATE OR REPLACE MACRO __gg_to_json_string(v) AS __gg_json_text_of(v, 'string')`,
  // A list typed as a list of x: CASE unifies its branches' types (JSON[] for a JSON x, VARCHAR[] for a STRING one).
  // FORMAT's width for %t and %T: s padded with spaces to w characters, on the right under the - flag; never cut.
  // FORMAT's %f, %e and %g (format-strings.ts): a NUMERIC or BIGNUMERIC exactly under %f (native/format-decimal.ts).
  `CREATE OR REPLACE MACRO __gg_format_f(spec, x) AS CASE WHEN typeof(x) LIKE 'DECIMAL%' THEN __gg_format_decimal_f(spec, x) ELSE printf(spec, x) END`,
  `CREATE OR REPLACE MACRO __gg_format_eg(spec, x) AS CASE WHEN typeof(x) LIKE 'DECIMAL%'
     THEN __gg_refuse_text('FORMAT''s %e and %g of a NUMERIC or BIGNUMERIC value are not supported by the local emulator (DuckDB formats it as a FLOAT64)') ELSE printf(spec, x) END`,
  `CREATE OR REPLACE MACRO __gg_padded(s, w, left_justified) AS CASE WHEN length(s) >= w THEN s WHEN left_justified THEN rpad(s, w, ' ') ELSE lpad(s, w, ' ') END`,
  `CREATE OR REPLACE MACRO __gg_typed_like_list(l, x) AS CASE WHEN false THEN [x] ELSE l END`,
  // Invalid JSON text is NULL ("If a JSON-formatted string is invalid, the output is NULL"), hence TRY_CAST.
  `CREATE OR REPLACE MACRO __gg_json_query_array(j, p) AS CAST(CAST(json_extract(TRY_CAST(j AS JSON), p) AS JSON[]) AS VARCHAR[])`,
  // With a literal path (fix-functions.ts): JSON null elements stay JSON 'null' (the cast to JSON[] made them SQL NULLs,
  // which a result cannot hold), and a value that is not an array is NULL. DuckDB takes the [*] only on a constant path.
  `CREATE OR REPLACE MACRO __gg_json_query_array_at(j, p) AS CASE WHEN json_type(json_extract(TRY_CAST(j AS JSON), p)) = 'ARRAY'
     THEN CAST(json_extract(TRY_CAST(j AS JSON), p || '[*]') AS VARCHAR[]) END`,
  // NULL where the selected value is no array, or an array holding an object or array, and for invalid JSON text
  // (https://cloud.google.com/bigquery/docs/reference/standard-sql/json_functions#json_value_array); DuckDB's cast to
  // JSON[] raised "Expected ARRAY".
  `CREATE OR REPLACE MACRO __gg_json_value_array(j, p) AS list_apply([json_extract(TRY_CAST(j AS JSON), p)], lambda a: CASE
     WHEN json_type(a) IS DISTINCT FROM 'ARRAY' OR list_bool_or(list_transform(CAST(a AS JSON[]), lambda e: json_type(e) IN ('OBJECT', 'ARRAY'))) THEN NULL
     ELSE list_transform(CAST(a AS JSON[]), lambda e: json_extract_string(e, '$')) END)[1]`,
  // FORMAT's %t and %T as https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#t_and_t_behavior
  // gives them, for the types written here; the others are refused, not answered in DuckDB's or JSON's spelling.
  // %t: a value's text, a TIMESTAMP's in UTC (ZetaSQL formats values, not casts them in the job's zone), a FLOAT64
  // always with a fraction (123.0), an ARRAY as [value, value] of the element types DuckDB writes as BigQuery does.
  `CREATE OR REPLACE MACRO __gg_format_t_text(x) AS CASE WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' THEN __gg_ts_text_in_zone(TRY_CAST(x AS TIMESTAMPTZ), 'UTC')
     ${rangeAsTextRefusal('x')}
     WHEN contains(typeof(x), 'STRUCT(') THEN __gg_refuse_text('FORMAT''s %t of a STRUCT value is not supported by the local emulator')
     WHEN typeof(x) LIKE '%[]' THEN CASE WHEN regexp_full_match(typeof(x), '(BIGINT|INTEGER|BOOLEAN|VARCHAR|DATE|TIMESTAMP|DOUBLE)\\[\\]') THEN CAST(x AS VARCHAR)
       ELSE __gg_refuse_text('FORMAT''s %t of an ARRAY of NUMERIC, BIGNUMERIC, BYTES, TIME, TIMESTAMP, INTERVAL or JSON values is not supported by the local emulator') END
     WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN CASE WHEN regexp_full_match(__gg_to_string(x), '-?\\d+') THEN __gg_to_string(x) || '.0' ELSE __gg_to_string(x) END
     WHEN typeof(x) = 'BLOB' THEN CASE WHEN x IS NULL THEN NULL WHEN regexp_full_match(CAST(TRY_CAST(x AS BLOB) AS VARCHAR), '[ !#-&(-\\[\\]-~]*') THEN CAST(TRY_CAST(x AS BLOB) AS VARCHAR)
       ELSE __gg_refuse_text('FORMAT''s %t of BYTES other than printable ASCII (which BigQuery writes escaped) is not supported by the local emulator') END
     ELSE __gg_to_string(x) END`,
  // Typed, so that its body binds only for a FLOAT64 (isnan of a STRING or a list is a binder error).
  `CREATE OR REPLACE MACRO __gg_float_literal(x DOUBLE) AS CASE WHEN isnan(x) THEN 'CAST("nan" AS FLOAT64)' WHEN isinf(x) THEN 'CAST("' || CASE WHEN x < 0 THEN '-' ELSE '' END || 'inf" AS FLOAT64)'
       WHEN regexp_full_match(__gg_to_string(x), '-?\\d+') THEN __gg_to_string(x) || '.0' ELSE __gg_to_string(x) END, (x) AS NULL`,
  // %T: the value as a GoogleSQL literal: a string quoted, a DATE, DATETIME or TIMESTAMP with its type's name, a
  // FLOAT64 with a fraction (CAST("inf" AS FLOAT64) for a non-finite one), an ARRAY of strings, integers or booleans as
  // [value, value] (Dataform's own scripts write ARRAY<STRING> values with %T).
  `CREATE OR REPLACE MACRO __gg_format_t(x) AS CASE ${rangeAsTextRefusal('x')}
     WHEN x IS NULL THEN 'NULL'
     WHEN typeof(x) = 'DATE' THEN 'DATE "' || CAST(x AS VARCHAR) || '"'
     WHEN typeof(x) = 'TIMESTAMP' THEN 'DATETIME "' || CAST(x AS VARCHAR) || '"'
     WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' THEN 'TIMESTAMP "' || __gg_ts_text_in_zone(TRY_CAST(x AS TIMESTAMPTZ), 'UTC') || '"'
     WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN __gg_float_literal(x)
     WHEN typeof(x) IN ('VARCHAR', 'BIGINT', 'INTEGER', 'BOOLEAN') THEN CAST(to_json(x) AS VARCHAR)
     WHEN typeof(x) IN ('VARCHAR[]', 'BIGINT[]', 'INTEGER[]', 'BOOLEAN[]') THEN '[' || array_to_string(list_transform(CAST(to_json(x) AS JSON[]),
       lambda e: CASE WHEN e IS NULL OR json_type(e) = 'NULL' THEN 'NULL' ELSE CAST(e AS VARCHAR) END), ', ') || ']'
     ELSE __gg_refuse_text('FORMAT''s %T of a STRUCT, NUMERIC, BIGNUMERIC, BYTES, TIME, INTERVAL or JSON value, or of an ARRAY of other than STRING, INT64 or BOOL values, is not supported by the local emulator') END`,
];

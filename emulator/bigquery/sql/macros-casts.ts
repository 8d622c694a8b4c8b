/**
 * DuckDB macros for CAST to NUMERIC and BIGNUMERIC, CAST ... FORMAT and parameterized types (fix-casts.ts). Invalid
 * input raises with __gg_raise (a failing cast SAFE_CAST's TRY can catch); a FORMAT refusal raises with error(), which
 * TRY cannot wrap, so it is never NULL. The NUMERIC and BIGNUMERIC casts take no TRY: their SAFE forms give NULL
 * themselves, and their refusals (__gg_refuse, which raises through a TRY and stays usable behind a HAVING or QUALIFY
 * alias) raise.
 */
import { BIGNUMERIC_DIGITS, bigNumericTooWideText, invalidNumericText } from '../errors.ts';
import { NUMERIC_DIGITS } from '../decimal-digits.ts';
import { onceFormMacro, P9 } from './macros-numeric.ts';
import { BYTES_FORMATS } from './macros-encodings.ts';

const REFUSE = `'CAST with this FORMAT (or FORMAT from or to this type) is not supported by the local emulator'`;
/** 2^92 (a DOUBLE's fraction of magnitude >= 2^-40 is a whole multiple of 2^-92), as a HUGEINT and as a DOUBLE; 2^-40. */
const TWO_TO_92 = 'CAST(4951760157141521099596496896 AS HUGEINT)';
const TWO_TO_92_DOUBLE = 'CAST(4951760157141521099596496896 AS DOUBLE)';
const TWO_TO_MINUS_40 = '(1.0 / CAST(1099511627776 AS DOUBLE))';
/** 2^18 and 5^18: a fraction that is a whole number of 2^-18 is that number times 5^18 in units of 10^-18. */
const TWO_TO_18 = 'CAST(262144 AS DOUBLE)';
const FIVE_TO_18 = 'CAST(3814697265625 AS HUGEINT)';
/** The largest double NUMERIC holds: the double nearest 1e29 is 99999999999999991433150857216, below NUMERIC's maximum. */
const NUMERIC_MAX_DOUBLE = "CAST('99999999999999991433150857216' AS DOUBLE)";
/** A number written with an exponent (1.5e-3), as a DuckDB regular expression literal. */
const NUMBER_WITH_EXPONENT = `'^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)[eE][+-]?\\d+\\s*$'`;
/**
 * The NUMERIC and BIGNUMERIC cast macros: each names its operand a dozen times, so fix-casts.ts calls them through
 * arithmeticCall, which takes the `_once` form for an operand costly or wrong to repeat (RAND() drawn anew at each).
 */
export const DECIMAL_CAST_MACROS = ['__gg_numeric', '__gg_safe_numeric', '__gg_bignumeric', '__gg_safe_bignumeric'] as const;
/** ASCII whitespace as ZetaSQL reads it (RE2's \s leaves out the vertical tab). */
const SPACE = '[ \\t\\n\\v\\f\\r]';
/** PARSE_NUMERIC's text: sign, integer part (digits and commas), fraction, exponent, sign after. */
const PARSE_DECIMAL = `'^${SPACE}*([+-]?)${SPACE}*([0-9,]*)(\\.[0-9]*)?([eE][+-]?[0-9]+)?${SPACE}*([+-]?)${SPACE}*$'`;
const DECODED = `(${BYTES_FORMATS.map((f) => `'${f}'`).join(', ')})`;

/** A STRING literal compared with x, typed as BigQuery coerces it (fix-literal-coercion.ts). */
export const STRING_LITERAL_LIKE = '__gg_string_literal_like';

export const castMacros: string[] = [
  // A STRING literal coerces to DATE, DATETIME, TIME and TIMESTAMP only: compared with a number, a BOOL, BYTES, JSON,
  // a STRUCT or an ARRAY, BigQuery finds no signature (DuckDB would cast the literal to anything); any other type takes
  // the literal as DuckDB casts it. typeof() folds when DuckDB binds.
  `CREATE OR REPLACE MACRO ${STRING_LITERAL_LIKE}(x, text, op) AS CASE
     WHEN NOT (typeof(x) IN ('BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'HUGEINT', 'DOUBLE', 'FLOAT', 'BOOLEAN', 'BLOB', 'JSON')
       OR typeof(x) LIKE 'DECIMAL%' OR typeof(x) LIKE 'STRUCT%' OR typeof(x) LIKE '%[]') THEN cast_to_type(text, CASE WHEN false THEN x END)
     ELSE cast_to_type(__gg_raise_text('No matching signature for operator ' || op || ' for argument types: ' || __gg_type_name(x) || ', STRING'), CASE WHEN false THEN x END) END`,
  // A string needing more digits than DECIMAL(38,18) keeps, which DuckDB would round (0.1234567890123456789, 1.5e-30 to
  // 0): refused, as literals are (translate.ts), also under SAFE_CAST. A string with an exponent is refused whole.
  // A number's text (no exponent) needing more than `whole` integer or `fraction` fractional digits.
  `CREATE OR REPLACE MACRO __gg_text_digits_beyond(s, whole, fraction) AS length(rtrim(regexp_extract(s, '\\.(\\d*)', 1), '0')) > fraction OR length(ltrim(regexp_extract(s, '^\\s*[+-]?(\\d*)', 1), '0')) > whole`,
  `CREATE OR REPLACE MACRO __gg_bignumeric_text_too_wide(s) AS __gg_text_digits_beyond(s, ${BIGNUMERIC_DIGITS.integer}, ${BIGNUMERIC_DIGITS.fraction})`,
  `CREATE OR REPLACE MACRO __gg_bignumeric_checked(x, value) AS CASE WHEN typeof(x) = 'VARCHAR' AND regexp_matches(TRY_CAST(x AS VARCHAR), ${NUMBER_WITH_EXPONENT})
     THEN CAST(__gg_refuse('CAST of a string with an exponent (' || TRY_CAST(x AS VARCHAR) || ') to BIGNUMERIC is not supported by the local emulator') AS DECIMAL(38,18))
     WHEN typeof(x) = 'VARCHAR' AND __gg_bignumeric_text_too_wide(TRY_CAST(x AS VARCHAR))
     THEN CAST(__gg_refuse(replace('${bigNumericTooWideText('The BIGNUMERIC value {value}')}', '{value}', TRY_CAST(x AS VARCHAR))) AS DECIMAL(38,18)) ELSE value END`,
  // FLOAT64 to NUMERIC or BIGNUMERIC as BigQuery converts it: the double's exact binary value times 10^scale, rounded
  // half away from zero (ZetaSQL's ScaleAndRoundAwayFromZero, behind NumericValue::FromDouble). DuckDB's own cast
  // multiplies in floating point: 123456789.00000381 became 123456789.000003808 (BigQuery: ...815), 12345.6789012345
  // became 12345.678901235 (BigQuery: ...234, the double being 12345.67890123449979...). The fraction f = d - trunc(d)
  // is exact; if |f| >= 2^-40, f is a whole multiple of 2^-92 (53 significant bits), so f * 2^92 is an exact integer; a
  // smaller f is below half a unit of the 9th digit.
  `CREATE OR REPLACE MACRO __gg_double_e9(d) AS CAST(trunc(d) AS HUGEINT) * ${P9} + CASE WHEN abs(d - trunc(d)) < ${TWO_TO_MINUS_40} THEN CAST(0 AS HUGEINT)
     ELSE CAST(sign(d) AS HUGEINT) * __gg_round_div(CAST(abs(d - trunc(d)) * ${TWO_TO_92_DOUBLE} AS HUGEINT) * ${P9}, ${TWO_TO_92}) END`,
  `CREATE OR REPLACE MACRO __gg_double_numeric(d, safe) AS CASE
     WHEN NOT isfinite(d) THEN CASE WHEN safe THEN NULL ELSE CAST(__gg_raise('Illegal conversion of non-finite floating point number to numeric: ' || CAST(d AS VARCHAR)) AS DECIMAL(38,9)) END
     WHEN abs(d) > ${NUMERIC_MAX_DOUBLE} THEN CASE WHEN safe THEN NULL ELSE CAST(__gg_raise('numeric out of range: ' || CAST(d AS VARCHAR)) AS DECIMAL(38,9)) END
     ELSE __gg_unscaled9(__gg_double_e9(d)) END`,
  // BIGNUMERIC keeps 38 fractional digits in BigQuery, 18 here: a double converts exactly when its fraction is a whole
  // number of 2^-18 (a binary fraction of k bits has k decimal digits); any other (0.1 is 0.1000000000000000055511...
  // to BigQuery) is refused, never rounded. Also under SAFE_CAST: BigQuery would answer with a value, not NULL.
  `CREATE OR REPLACE MACRO __gg_double_bignumeric(d, safe) AS CASE
     WHEN NOT isfinite(d) THEN CASE WHEN safe THEN NULL ELSE CAST(__gg_raise('Illegal conversion of non-finite floating point number to BIGNUMERIC: ' || CAST(d AS VARCHAR)) AS DECIMAL(38,18)) END
     WHEN abs(d) >= 1e${BIGNUMERIC_DIGITS.integer} OR (d - trunc(d)) * ${TWO_TO_18} <> trunc((d - trunc(d)) * ${TWO_TO_18})
     THEN CAST(__gg_refuse(replace('${bigNumericTooWideText('The BIGNUMERIC value of the FLOAT64 {value}')}', '{value}', CAST(d AS VARCHAR))) AS DECIMAL(38,18))
     ELSE __gg_unscaled18(CAST(trunc(d) AS HUGEINT) * ${P9} * ${P9} + CAST((d - trunc(d)) * ${TWO_TO_18} AS HUGEINT) * ${FIVE_TO_18}) END`,
  // A loaded NUMERIC text (load-job.ts) past 9 fractional or 29 integer digits is invalid input to BigQuery, never
  // rounded; one with an exponent is refused. (A BIGNUMERIC text goes through __gg_bignumeric's string checks.)
  `CREATE OR REPLACE MACRO __gg_load_numeric(s, field) AS CASE WHEN s IS NULL THEN NULL
     WHEN regexp_matches(s, ${NUMBER_WITH_EXPONENT}) THEN CAST(__gg_refuse('The NUMERIC value ' || s || ' of field ' || field || ' (with an exponent) is not supported by the local emulator') AS DECIMAL(38,9))
     WHEN __gg_text_digits_beyond(s, ${NUMERIC_DIGITS.integer}, ${NUMERIC_DIGITS.fraction})
     THEN CAST(__gg_raise(replace(replace('${invalidNumericText('{value}', '{field}')}', '{value}', s), '{field}', field)) AS DECIMAL(38,9)) ELSE CAST(s AS DECIMAL(38,9)) END`,
  // DuckDB rounds a string with an exponent up whenever its first digit is 5 or more (CAST('9e-12' AS DECIMAL(38,9)) is
  // 0.000000001; BigQuery: 0): one that needs more than 9 fractional digits once its point moves is refused.
  `CREATE OR REPLACE MACRO __gg_exponent_text_rounds(s) AS regexp_matches(s, ${NUMBER_WITH_EXPONENT})
     AND length(rtrim(replace(regexp_extract(s, '^\\s*[+-]?([0-9.]+)', 1), '.', ''), '0'))
       - length(regexp_extract(s, '^\\s*[+-]?(\\d*)', 1)) - TRY_CAST(regexp_extract(s, '[eE]([+-]?\\d+)', 1) AS INTEGER) > 9`,
  `CREATE OR REPLACE MACRO __gg_numeric_text_checked(x, value) AS CASE WHEN typeof(x) = 'VARCHAR' AND __gg_exponent_text_rounds(TRY_CAST(x AS VARCHAR))
     THEN CAST(__gg_refuse('CAST of the string ' || TRY_CAST(x AS VARCHAR) || ' (an exponent, rounded to 9 digits) to NUMERIC is not supported by the local emulator') AS DECIMAL(38,9)) ELSE value END`,
  // A literal's digits, checked by the translation (fix-casts.ts): polyglot writes a DECIMAL type without its precision.
  `CREATE OR REPLACE MACRO __gg_plain_numeric(s) AS CAST(s AS DECIMAL(38,9))`,
  `CREATE OR REPLACE MACRO __gg_plain_bignumeric(s) AS CAST(s AS DECIMAL(38,18))`,
  `CREATE OR REPLACE MACRO __gg_numeric(x) AS CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN __gg_double_numeric(TRY_CAST(x AS DOUBLE), false) ELSE __gg_numeric_text_checked(x, CAST(x AS DECIMAL(38,9))) END`,
  `CREATE OR REPLACE MACRO __gg_safe_numeric(x) AS CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN __gg_double_numeric(TRY_CAST(x AS DOUBLE), true) ELSE __gg_numeric_text_checked(x, TRY_CAST(x AS DECIMAL(38,9))) END`,
  `CREATE OR REPLACE MACRO __gg_bignumeric(x) AS CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN __gg_double_bignumeric(TRY_CAST(x AS DOUBLE), false)
     ELSE __gg_bignumeric_checked(x, CAST(x AS DECIMAL(38,18))) END`,
  `CREATE OR REPLACE MACRO __gg_safe_bignumeric(x) AS CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN __gg_double_bignumeric(TRY_CAST(x AS DOUBLE), true)
     ELSE __gg_bignumeric_checked(x, TRY_CAST(x AS DECIMAL(38,18))) END`,
  ...DECIMAL_CAST_MACROS.map((name) => onceFormMacro(name, 1)),
  // PARSE_NUMERIC / PARSE_BIGNUMERIC's text (conversion_functions#parse_numeric): one sign, before or after the number
  // and spaced from it; commas in the integer part, which holds a digit if it is not empty; a digit somewhere; an
  // exponent. Written as the plain number the NUMERIC cast reads. Other spacing that keeps digits apart (BigQuery
  // allows whitespace anywhere but between digits) is refused rather than guessed; anything else is invalid input.
  // Digits with the point moved by an exponent's text ('' for none) as plain text, never an e-form: the NUMERIC cast then
  // rounds them exactly (DuckDB's own exponent reading rounds up from 5). Zero is zero whatever the exponent; an
  // exponent of 10,000 or more makes any other number 0 (negative) or out of range (a 81-digit text the cast refuses).
  // The moved point stays bounded in every branch: DuckDB folds a constant CASE's branches, chosen or not.
  `CREATE OR REPLACE MACRO __gg_decimal_point_moved(whole, fraction, etext) AS CASE
     WHEN etext = '' THEN CASE WHEN fraction = '' THEN whole ELSE whole || '.' || fraction END
     WHEN ltrim(whole || fraction, '0') = '' THEN '0'
     WHEN __gg_exponent_past_9999(etext) THEN CASE WHEN starts_with(etext, '-') THEN '0' ELSE '1' || repeat('0', 80) END
     ELSE __gg_decimal_point_at(whole || fraction, length(whole) + CASE WHEN __gg_exponent_past_9999(etext) THEN 0 ELSE TRY_CAST(etext AS INTEGER) END) END`,
  `CREATE OR REPLACE MACRO __gg_exponent_past_9999(etext) AS length(ltrim(ltrim(etext, '+-'), '0')) > 4`,
  `CREATE OR REPLACE MACRO __gg_decimal_point_at(digits, point) AS CASE
     WHEN point <= 0 THEN '0.' || repeat('0', -point) || digits
     WHEN point >= length(digits) THEN digits || repeat('0', point - length(digits))
     ELSE left(digits, point) || '.' || substr(digits, point + 1) END`,
  `CREATE OR REPLACE MACRO __gg_parse_decimal_ok(t) AS regexp_matches(t, ${PARSE_DECIMAL})
     AND (regexp_extract(t, ${PARSE_DECIMAL}, 1) = '' OR regexp_extract(t, ${PARSE_DECIMAL}, 5) = '')
     AND (regexp_extract(t, ${PARSE_DECIMAL}, 2) = '' OR regexp_matches(regexp_extract(t, ${PARSE_DECIMAL}, 2), '[0-9]'))
     AND regexp_matches(regexp_extract(t, ${PARSE_DECIMAL}, 2) || regexp_extract(t, ${PARSE_DECIMAL}, 3), '[0-9]')`,
  `CREATE OR REPLACE MACRO __gg_parse_decimal_text(s, type_name, safe) AS CASE WHEN s IS NULL THEN NULL
     WHEN __gg_parse_decimal_ok(s)
     THEN regexp_extract(s, ${PARSE_DECIMAL}, 1) || regexp_extract(s, ${PARSE_DECIMAL}, 5) || __gg_decimal_point_moved(replace(regexp_extract(s, ${PARSE_DECIMAL}, 2), ',', ''),
       ltrim(regexp_extract(s, ${PARSE_DECIMAL}, 3), '.'), ltrim(regexp_extract(s, ${PARSE_DECIMAL}, 4), 'eE'))
     WHEN NOT regexp_matches(s, '[0-9]${SPACE}+[0-9]') AND __gg_parse_decimal_ok(regexp_replace(s, '${SPACE}', '', 'g'))
     THEN __gg_refuse_text('PARSE_' || type_name || ' of ' || s || ' (spaces inside the number) is not supported by the local emulator')
     WHEN safe THEN NULL ELSE __gg_raise_text('Invalid input to PARSE_' || type_name || ': ' || s) END`,
  // SAFE.PARSE_NUMERIC is NULL for invalid text or a value out of range; the emulator's refusals still raise.
  `CREATE OR REPLACE MACRO __gg_parse_numeric(s) AS __gg_numeric(__gg_parse_decimal_text(s, 'NUMERIC', false))`,
  `CREATE OR REPLACE MACRO __gg_safe_parse_numeric(s) AS __gg_safe_numeric(__gg_parse_decimal_text(s, 'NUMERIC', true))`,
  `CREATE OR REPLACE MACRO __gg_parse_bignumeric(s) AS __gg_bignumeric(__gg_parse_decimal_text(s, 'BIGNUMERIC', false))`,
  `CREATE OR REPLACE MACRO __gg_safe_parse_bignumeric(s) AS __gg_safe_bignumeric(__gg_parse_decimal_text(s, 'BIGNUMERIC', true))`,
  // BYTES → STRING and back for the FORMAT names BigQuery documents (case-insensitive).
  `CREATE OR REPLACE MACRO __gg_bytes_to_string_format(b, f) AS CASE lower(f)
     WHEN 'hex' THEN lower(hex(b)) WHEN 'base16' THEN lower(hex(b))
     WHEN 'base2' THEN __gg_to_base2(b) WHEN 'base8' THEN __gg_to_base8(b) WHEN 'base32' THEN __gg_to_base32(b)
     WHEN 'base64' THEN to_base64(b) WHEN 'base64m' THEN __gg_to_base64m(b)
     WHEN 'ascii' THEN CASE WHEN regexp_matches(hex(b), '^([0-7][0-9A-F])*$') THEN decode(b) ELSE __gg_raise_text('Failed to decode invalid ASCII string') END
     ELSE decode(b) END`,
  `CREATE OR REPLACE MACRO __gg_string_to_bytes_format(s, f) AS CASE lower(f)
     WHEN 'hex' THEN unhex(s) WHEN 'base16' THEN unhex(s)
     WHEN 'base2' THEN __gg_from_base2(s) WHEN 'base8' THEN __gg_from_base8(s) WHEN 'base32' THEN __gg_from_base32(s)
     WHEN 'base64' THEN __gg_from_base64_spaced(s) WHEN 'base64m' THEN __gg_from_base64_spaced(s)
     WHEN 'ascii' THEN CASE WHEN regexp_matches(s, '^[\\x00-\\x7F]*$') THEN encode(s) ELSE CAST(__gg_raise_text('Failed to encode invalid ASCII string') AS BLOB) END
     ELSE encode(s) END`,
  // typeof folds when the macro binds: only the branch for x's type runs. A NULL value or format gives NULL.
  `CREATE OR REPLACE MACRO __gg_format_check(x, f, source, safe) AS CASE
     WHEN typeof(x) <> source THEN error(${REFUSE})
     WHEN lower(f) NOT IN ${DECODED} THEN CASE WHEN safe THEN NULL ELSE error('Invalid format: ' || f) END ELSE TRUE END`,
  `CREATE OR REPLACE MACRO __gg_null_unless(v, ok) AS CASE WHEN ok THEN v END`,
  `CREATE OR REPLACE MACRO __gg_cast_ok(v, original) AS v IS NOT NULL OR original IS NULL`,
  // A STRUCT's number of fields, from its DuckDB type text: the fields at depth 0 of STRUCT(...) once nested
  // parentheses are dropped (five levels deep). x unchanged where it has n, else an error (a positional CAST, fix-casts.ts).
  `CREATE OR REPLACE MACRO __gg_struct_width(t) AS len(string_split(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
     regexp_extract(t, '^STRUCT\\((.*)\\)$', 1), '\\([^()]*\\)', '', 'g'), '\\([^()]*\\)', '', 'g'), '\\([^()]*\\)', '', 'g'), '\\([^()]*\\)', '', 'g'), '\\([^()]*\\)', '', 'g'), ','))`,
  `CREATE OR REPLACE MACRO __gg_struct_of_width(x, n) AS CASE WHEN typeof(x) NOT LIKE 'STRUCT(%' OR __gg_struct_width(typeof(x)) <> n
     THEN error('Invalid cast of a ' || CASE WHEN typeof(x) LIKE 'STRUCT(%' THEN 'STRUCT of ' || __gg_struct_width(typeof(x)) || ' fields' ELSE 'value that is not a STRUCT' END || ' to a STRUCT of ' || n || ' fields') ELSE x END`,
  `CREATE OR REPLACE MACRO __gg_cast_string_format(x, f, safe) AS CASE WHEN x IS NULL OR f IS NULL THEN NULL WHEN __gg_format_check(x, f, 'BLOB', safe) THEN
     CASE WHEN safe THEN TRY(__gg_bytes_to_string_format(TRY_CAST(x AS BLOB), f)) ELSE __gg_bytes_to_string_format(TRY_CAST(x AS BLOB), f) END END`,
  `CREATE OR REPLACE MACRO __gg_cast_bytes_format(x, f, safe) AS CASE WHEN x IS NULL OR f IS NULL THEN NULL WHEN __gg_format_check(x, f, 'VARCHAR', safe) THEN
     CASE WHEN safe THEN TRY(__gg_string_to_bytes_format(TRY_CAST(x AS VARCHAR), f)) ELSE __gg_string_to_bytes_format(TRY_CAST(x AS VARCHAR), f) END END`,
  // CAST(x AS STRING FORMAT '<literal>'): BYTES through the encodings (an unknown name is their error), a date or time
  // through its format (cast-format-datetime.ts).
  `CREATE OR REPLACE MACRO __gg_string_or_datetime_format(x, f, safe, formatted) AS CASE WHEN typeof(x) = 'BLOB' THEN __gg_cast_string_format(x, f, safe) ELSE formatted END`,
  // A FLOAT64, NUMERIC or BIGNUMERIC has no cast to BOOL (conversion_rules#cast_table); DuckDB's reads nonzero as true.
  `CREATE OR REPLACE MACRO __gg_to_bool(x, safe) AS CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') OR typeof(x) LIKE 'DECIMAL%'
     THEN CAST(__gg_static_error('Invalid cast from ' || __gg_type_name(x) || ' to BOOL') AS BOOLEAN)
     WHEN typeof(x) <> 'VARCHAR' THEN CASE WHEN safe THEN TRY_CAST(x AS BOOLEAN) ELSE CAST(x AS BOOLEAN) END
     WHEN x IS NULL THEN NULL WHEN lower(TRY_CAST(x AS VARCHAR)) = 'true' THEN true WHEN lower(TRY_CAST(x AS VARCHAR)) = 'false' THEN false
     WHEN safe THEN NULL ELSE CAST(__gg_raise('Bad bool value: ' || TRY_CAST(x AS VARCHAR)) AS BOOLEAN) END`,
  `CREATE OR REPLACE MACRO __gg_check_length(v, n, label) AS CASE WHEN length(v) > n
     THEN __gg_raise_text(label || ' has maximum length ' || n || ' but got a value with length ' || length(v)) ELSE v END`,
  `CREATE OR REPLACE MACRO __gg_check_bytes_length(v, n, label) AS CASE WHEN octet_length(v) > n
     THEN CAST(__gg_raise_text(label || ' has maximum length ' || n || ' but got a value with length ' || octet_length(v)) AS BLOB) ELSE v END`,
  `CREATE OR REPLACE MACRO __gg_check_decimal(v, max, message) AS CASE WHEN abs(v) > max THEN v + __gg_raise(message) ELSE v END`,
  `CREATE OR REPLACE MACRO __gg_safe_check_decimal(v, max) AS CASE WHEN abs(v) > max THEN NULL ELSE v END`,
  `CREATE OR REPLACE MACRO __gg_to_bytes(x) AS CASE WHEN typeof(x) = 'VARCHAR' THEN encode(TRY_CAST(x AS VARCHAR)) ELSE CAST(x AS BLOB) END`,
];

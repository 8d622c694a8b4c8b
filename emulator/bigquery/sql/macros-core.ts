/**
 * DuckDB macros for BigQuery's arithmetic, casts, arrays and hashing. ast-fixes rewrites calls to
 * these `__gg_*` names; each entry says which BigQuery behaviour it keeps.
 */
const INT_TEXT = `'^\\s*[+-]?(\\d+|0[xX][0-9a-fA-F]+)\\s*$'`;

import { boundOnce, onceFormMacro, P9 } from './macros-numeric.ts';
import { RANGE_TYPEOF_PATTERN, rangeAsTextRefusal } from '../range-type.ts';

// A fixed offset: its sign, hours and minutes (+12:34, UTC+1234, -1:5, +12, +123 as 12:03).
const ZONE_OFFSET = `'^(?:UTC)?([+-])(\\d{1,2}):?(\\d{1,2})?$'`;

const U64_MASK = '18446744073709551615::HUGEINT';
const [FLOAT64_MAX, TWO_TO_MINUS_1021] = ['1.7976931348623157e308', '4.450147717014403e-308'];

export const coreMacros: string[] = [
  // `/` is __gg_div and DIV is __gg_intdiv, in macros-numeric.ts.
  // MOD raises on zero (DuckDB returns NULL); the sign follows the dividend in both.
  `CREATE OR REPLACE MACRO __gg_mod(a, b) AS CASE WHEN b = 0 THEN cast_to_type(__gg_raise('division by zero: ' || a::VARCHAR || ' / ' || b::VARCHAR), a % b) ELSE a % b END`,
  // IEEE_DIVIDE never raises: x/0 is ±Infinity and 0/0 NaN.
  `CREATE OR REPLACE MACRO __gg_ieee_divide(a, b) AS CAST(a AS DOUBLE) / CAST(b AS DOUBLE)`,
  // SAFE_ arithmetic: NULL on overflow instead of an error.
  // Their arguments' own errors raise (__gg_safe_call, macros-raise.ts): the TRY is for the operation's overflow.
  `CREATE OR REPLACE MACRO __gg_safe_add(a, b) AS __gg_safe_call(row(a, b), TRY(__gg_double_checked(a + b, a, b, '+')))`,
  `CREATE OR REPLACE MACRO __gg_safe_subtract(a, b) AS __gg_safe_call(row(a, b), TRY(__gg_double_checked(a - b, a, b, '-')))`,
  `CREATE OR REPLACE MACRO __gg_safe_multiply(a, b) AS __gg_safe_call(row(a, b), TRY(__gg_mul(a, b)))`,
  `CREATE OR REPLACE MACRO __gg_safe_negate(a) AS __gg_safe_call(row(a), TRY(-a))`,
  // SIGN keeps its argument's type (DuckDB returns TINYINT); the CASE unifies the two.
  `CREATE OR REPLACE MACRO __gg_is_nan(x) AS typeof(x) IN ('DOUBLE', 'FLOAT') AND isnan(TRY_CAST(x AS DOUBLE))`,
  // SIGN(NaN) is NaN (DuckDB: 0).
  `CREATE OR REPLACE MACRO __gg_sign(x) AS CASE WHEN FALSE THEN x WHEN __gg_is_nan(x) THEN x ELSE sign(x) END`,
  // Shifts of INT64 (operators#bitwise_operators): bits shifted out are dropped, zeros shifted in on both sides (no sign
  // extension), a shift by 64 or more is 0 and a negative one an error (ZetaSQL's bitwise.h). DuckDB's >> extends the
  // sign, and its << raises on an overflow or a negative number.
  `CREATE OR REPLACE MACRO __gg_shift_right(x, n) AS CASE WHEN n < 0 THEN __gg_raise('Bitwise shift by negative offset.') WHEN n >= 64 THEN 0
     WHEN n = 0 THEN CAST(x AS BIGINT) ELSE (CAST(x AS BIGINT) >> CAST(n AS INTEGER)) & (9223372036854775807 >> CAST(n - 1 AS INTEGER)) END`,
  `CREATE OR REPLACE MACRO __gg_u64_signed(u) AS CASE WHEN u >= 9223372036854775808::HUGEINT THEN u - 18446744073709551616::HUGEINT ELSE u END`,
  `CREATE OR REPLACE MACRO __gg_shift_left(x, n) AS CASE WHEN n < 0 THEN __gg_raise('Bitwise shift by negative offset.') WHEN n >= 64 THEN 0
     ELSE CAST(__gg_u64_signed(((CAST(x AS HUGEINT) & ${U64_MASK}) << CAST(n AS INTEGER)) & ${U64_MASK}) AS BIGINT) END`,
  // BIT_COUNT of an INT64 counts its 64 bits (a literal is a 32-bit INTEGER in DuckDB); of BYTES, every byte's.
  `CREATE OR REPLACE MACRO __gg_bit_count(x BLOB) AS CASE WHEN x IS NULL THEN NULL
     ELSE coalesce(CAST(list_sum(list_transform(regexp_extract_all(hex(x), '..'), lambda h: bit_count(CAST('0x' || h AS INTEGER)))) AS BIGINT), 0) END,
     (x) AS CAST(bit_count(CAST(x AS BIGINT)) AS BIGINT)`,
  // RANGE_BUCKET: how many boundaries are <= x. NULL for a NULL or NaN point; the boundaries must be non-NULL, not NaN
  // and ascending, checked element by element as ZetaSQL's RangeBucketFunction does (its messages).
  `CREATE OR REPLACE MACRO __gg_range_bucket_fault(arr) AS list_transform(range(1, len(arr) + 1), lambda i: CASE
     WHEN arr[i] IS NULL THEN 'cannot be null. Null element found at position ' || i
     WHEN __gg_is_nan(arr[i]) THEN 'cannot be NaN. NaN element found at position ' || i
     WHEN i < len(arr) AND arr[i + 1] < arr[i] THEN 'must be in ascending order. Nonconforming elements found at position ' || i || ' and ' || (i + 1) END)`,
  `CREATE OR REPLACE MACRO __gg_range_bucket(x, arr) AS CASE WHEN x IS NULL OR arr IS NULL OR __gg_is_nan(x) THEN NULL
     WHEN list_count(__gg_range_bucket_fault(arr)) > 0
     THEN __gg_raise('Elements in input array to RANGE_BUCKET ' || list_filter(__gg_range_bucket_fault(arr), lambda f: f IS NOT NULL)[1])
     ELSE CAST(len(list_filter(arr, lambda e: e <= x)) AS BIGINT) END`,
  // ARRAY_SLICE's offsets are 0-based from the start, -1 the last element, both ends included and clamped to the array
  // (DuckDB's list_slice counts from 1).
  `CREATE OR REPLACE MACRO __gg_array_slice(arr, s, e) AS CASE WHEN s IS NULL OR e IS NULL THEN NULL ELSE list_slice(arr,
     greatest(CASE WHEN s >= 0 THEN s ELSE len(arr) + s END, 0) + 1,
     greatest(least(CASE WHEN e >= 0 THEN e ELSE len(arr) + e END, len(arr) - 1) + 1, 0)) END`,
  // ARRAY_CONCAT and ARRAY_TO_STRING are NULL if any argument is (DuckDB's skip NULL arguments).
  `CREATE OR REPLACE MACRO __gg_array_concat(a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE list_concat(a, b) END`,
  `CREATE OR REPLACE MACRO __gg_array_to_string(arr, d) AS CASE WHEN d IS NULL THEN NULL ELSE array_to_string(arr, d) END`,
  `CREATE OR REPLACE MACRO __gg_array_to_string_or(arr, d, n) AS CASE WHEN d IS NULL OR n IS NULL THEN NULL ELSE array_to_string(list_transform(arr, lambda x: coalesce(x, n)), d) END`,
  // NULLIF's result is the supertype of both arguments (DuckDB: the first's type).
  `CREATE OR REPLACE MACRO __gg_nullif(a, b) AS nullif(CASE WHEN FALSE THEN b ELSE a END, b)`,
  // Decimal or (signed) hex text → BIGINT; DuckDB's own cast rejects '-0x…'.
  `CREATE OR REPLACE MACRO __gg_int_text(s) AS CASE
     WHEN regexp_matches(s, '^\\s*-\\s*0[xX]') THEN -CAST(regexp_replace(s, '^\\s*-\\s*', '') AS BIGINT)
     ELSE CAST(regexp_replace(s, '^\\s*\\+', '') AS BIGINT) END`,
  // CAST(... AS INT64): FLOAT64 rounds half away from zero (DuckDB: to even); strings must be
  // integer or hex literals ('1.5' is an error, DuckDB rounds it) and fail with BigQuery's message.
  `CREATE OR REPLACE MACRO __gg_to_int64(x) AS CASE
     WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN CAST(round(TRY_CAST(x AS DOUBLE)) AS BIGINT)
     WHEN typeof(x) = 'VARCHAR' THEN CASE
       WHEN x IS NULL THEN NULL
       WHEN regexp_matches(CAST(x AS VARCHAR), ${INT_TEXT}) THEN __gg_int_text(CAST(x AS VARCHAR))
       ELSE error('Bad int64 value: ' || CAST(x AS VARCHAR)) END
     ELSE CAST(x AS BIGINT) END`,
  `CREATE OR REPLACE MACRO __gg_safe_int64(x) AS CASE
     WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN TRY_CAST(round(TRY_CAST(x AS DOUBLE)) AS BIGINT)
     WHEN typeof(x) = 'VARCHAR' THEN CASE WHEN regexp_matches(CAST(x AS VARCHAR), ${INT_TEXT}) THEN TRY(__gg_int_text(CAST(x AS VARCHAR))) END
     ELSE TRY_CAST(x AS BIGINT) END`,
  // INTERVAL as BigQuery prints it: [-]Y-M [-]D [-]H:M:S[.F].
  `CREATE OR REPLACE MACRO __gg_interval_months(i) AS datepart('year', i) * 12 + datepart('month', i)`,
  `CREATE OR REPLACE MACRO __gg_interval_micros(i) AS CAST(datepart('hour', i) AS BIGINT) * 3600000000 + datepart('minute', i) * 60000000 + datepart('microseconds', i)`,
  `CREATE OR REPLACE MACRO __gg_interval_text(i) AS (CASE WHEN __gg_interval_months(i) < 0 THEN '-' ELSE '' END) || (abs(__gg_interval_months(i)) // 12) || '-'
     || (abs(__gg_interval_months(i)) % 12) || ' ' || datepart('day', i) || ' ' || (CASE WHEN __gg_interval_micros(i) < 0 THEN '-' ELSE '' END)
     || (abs(__gg_interval_micros(i)) // 3600000000) || ':' || (abs(__gg_interval_micros(i)) // 60000000 % 60) || ':' || (abs(__gg_interval_micros(i)) // 1000000 % 60)
     || regexp_replace('.' || lpad(CAST(abs(__gg_interval_micros(i)) % 1000000 AS VARCHAR), 6, '0'), '\\.?0+$', '')`,
  // Fractional seconds print in groups of three digits (.100, .000010), as BigQuery prints them.
  `CREATE OR REPLACE MACRO __gg_fraction_groups(s) AS CASE WHEN NOT regexp_matches(s, '\\.\\d+$') THEN s
     ELSE s || repeat('0', (CASE WHEN length(regexp_extract(s, '\\.(\\d+)$', 1)) <= 3 THEN 3 ELSE 6 END) - length(regexp_extract(s, '\\.(\\d+)$', 1))) END`,
  // A fixed offset in minutes, NULL for a named zone: {+|-}H[H][:M[M]] (data-types#time_zones), also after UTC
  // (UTC+1234), read as ZetaSQL reads it (hours take two digits if they can: +123 is 12:03) and at most 14:00 either way.
  // DuckDB knows whole-hour offsets only (IANA's Etc/GMT∓h) and would read UTC+1234 as UTC+12, so a fixed offset is
  // applied to UTC's civil time by arithmetic instead (__gg_local, __gg_instant), which is exact: such a zone has no
  // daylight saving time. The conditions only parse: the error of an offset out of range is raised in a branch (a
  // SAFE. call's TRY cannot catch what DuckDB raises while it folds a constant condition).
  `CREATE OR REPLACE MACRO __gg_zone_offset_parts(tz) AS CASE WHEN regexp_matches(tz, ${ZONE_OFFSET})
     THEN [CAST(regexp_extract(tz, ${ZONE_OFFSET}, 2) AS INTEGER), coalesce(TRY_CAST(regexp_extract(tz, ${ZONE_OFFSET}, 3) AS INTEGER), 0)] END`,
  `CREATE OR REPLACE MACRO __gg_zone_offset(tz) AS ${boundOnce(
    '__gg_zone_offset_parts(tz)',
    `CASE WHEN p[2] > 59 THEN __gg_refuse('The time zone ' || tz || ' (an offset with more than 59 minutes) is not supported by the local emulator')
     WHEN p[1] * 60 + p[2] > 840 THEN __gg_raise('Invalid time zone: ' || tz)
     ELSE (CASE WHEN contains(tz, '-') THEN -1 ELSE 1 END) * (p[1] * 60 + p[2]) END`,
    'p',
  )}`,
  // A TIMESTAMP's civil time in zone tz, and the TIMESTAMP of a civil time in zone tz.
  `CREATE OR REPLACE MACRO __gg_local(ts, tz) AS CASE WHEN __gg_zone_offset_parts(tz) IS NOT NULL
     THEN timezone('UTC', CAST(ts AS TIMESTAMPTZ)) + to_minutes(__gg_zone_offset(tz)) ELSE timezone(tz, CAST(ts AS TIMESTAMPTZ)) END`,
  // A civil time a zone's clocks show twice (the hour repeated when daylight saving time ends) is its earlier instant,
  // as ZetaSQL takes it (absl's TimeZone::At(...).pre); DuckDB takes the later one.
  `CREATE OR REPLACE MACRO __gg_instant(civil, tz) AS CASE WHEN __gg_zone_offset_parts(tz) IS NOT NULL
     THEN timezone('UTC', CAST(civil AS TIMESTAMP) - to_minutes(__gg_zone_offset(tz)))
     ELSE list_apply([{'c': CAST(civil AS TIMESTAMP), 'z': tz}], lambda v: list_apply([timezone(v['z'], v['c'])], lambda i:
       CASE WHEN timezone(v['z'], i - INTERVAL 1 HOUR) = v['c'] THEN i - INTERVAL 1 HOUR ELSE i END)[1])[1] END`,
  `CREATE OR REPLACE MACRO __gg_offset_minutes(ts, tz) AS date_diff('minute', timezone('UTC', CAST(ts AS TIMESTAMPTZ)), __gg_local(ts, tz))`,
  // EXTRACT(... FROM x AT TIME ZONE tz): x must be a TIMESTAMP.
  `CREATE OR REPLACE MACRO __gg_at_time_zone(x, tz) AS CASE WHEN typeof(x) <> 'TIMESTAMP WITH TIME ZONE'
     THEN CAST(__gg_static_error('EXTRACT from ' || CASE typeof(x) WHEN 'TIMESTAMP' THEN 'DATETIME' ELSE typeof(x) END || ' does not support AT TIME ZONE') AS TIMESTAMP)
     ELSE __gg_local(x, tz) END`,
  // The text of a TIMESTAMP in a zone: its civil time, fractions in groups of three, and the zone's offset at that
  // instant as BigQuery writes it (-08, +05:30); in one DuckDB knows (the connection's, time-zone.ts), or in any.
  `CREATE OR REPLACE MACRO __gg_offset_text(minutes) AS CASE WHEN minutes < 0 THEN '-' ELSE '+' END || lpad(CAST(abs(minutes) // 60 AS VARCHAR), 2, '0')
     || CASE WHEN abs(minutes) % 60 = 0 THEN '' ELSE ':' || lpad(CAST(abs(minutes) % 60 AS VARCHAR), 2, '0') END`,
  `CREATE OR REPLACE MACRO __gg_ts_text_in_duck_zone(ts, zone) AS __gg_fraction_groups(regexp_replace(strftime(timezone(zone, ts), '%Y-%m-%d %H:%M:%S.%f'), '\\.?0*$', ''))
     || __gg_offset_text(date_diff('minute', timezone('UTC', ts), timezone(zone, ts)))`,
  `CREATE OR REPLACE MACRO __gg_ts_text_in_zone(ts, tz) AS __gg_fraction_groups(regexp_replace(strftime(__gg_local(ts, tz), '%Y-%m-%d %H:%M:%S.%f'), '\\.?0*$', ''))
     || __gg_offset_text(__gg_offset_minutes(ts, tz))`,
  // The zones a connection in UTC reports (time-zone.ts leaves a UTC job's connection as it starts).
  `CREATE OR REPLACE MACRO __gg_is_utc(zone) AS zone IN ('UTC', 'Etc/UTC')`,
  // FLOAT64 -> STRING prints 25.0 as '25' in BigQuery, NUMERIC 1.500000000 as '1.5'; TIMESTAMP prints in the job's
  // time zone with its offset;
  // DATETIME, TIME and TIMESTAMP print fractions in groups of three digits;
  // BYTES must be valid UTF-8 (DuckDB would print \\x escapes).
  // DuckDB binds every branch of a CASE before it folds typeof(x), and the TIMESTAMP and INTERVAL texts are large
  // expressions: binding them for every CAST(x AS STRING) of any type cost ~10 ms a call (measured with EXPLAIN). A
  // macro overload with a typed parameter is chosen at bind time, so these helpers bind the large text only for an
  // argument of (or castable to) their type, and a trivial NULL otherwise; the CASE guards still decide the value.
  // In the connection's own zone, which the emulator sets in DuckDB's form (time-zone.ts).
  `CREATE OR REPLACE MACRO __gg_tstz_text(x TIMESTAMPTZ) AS __gg_ts_text_in_duck_zone(x, current_setting('TimeZone')), (x) AS NULL`,
  `CREATE OR REPLACE MACRO __gg_interval_text_of(x INTERVAL) AS __gg_interval_text(x), (x) AS NULL`,
  // FLOAT64 -> STRING as ZetaSQL's RoundTripDoubleToString: %.15g where that reads back as the same double, else
  // %.17g (1e+15, 0.79999999999999993; DuckDB's shortest text is 1000000000000000.0, 0.7999999999999999); no -0.
  `CREATE OR REPLACE MACRO __gg_double_text(x) AS CASE WHEN x = 0 THEN '0' WHEN isnan(x) THEN 'nan' WHEN isinf(x) THEN CASE WHEN x > 0 THEN 'inf' ELSE '-inf' END
     WHEN TRY_CAST(printf('%.15g', x) AS DOUBLE) = x THEN printf('%.15g', x) ELSE printf('%.17g', x) END`,
  `CREATE OR REPLACE MACRO __gg_to_string(x) AS CASE ${rangeAsTextRefusal('x')}
     WHEN typeof(x) LIKE '%[]' OR typeof(x) LIKE 'STRUCT(%' THEN __gg_raise_text('Invalid cast from ' || CASE WHEN typeof(x) LIKE '%[]' THEN 'ARRAY' ELSE 'STRUCT' END || ' to STRING')
     WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN __gg_double_text(TRY_CAST(x AS DOUBLE)) WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' THEN __gg_tstz_text(x)
     WHEN typeof(x) IN ('TIMESTAMP', 'TIME') THEN __gg_fraction_groups(CAST(x AS VARCHAR))
     WHEN typeof(x) LIKE 'DECIMAL%' THEN regexp_replace(regexp_replace(regexp_replace(CAST(x AS VARCHAR), '(\\.\\d*?)0+$', '\\1'), '\\.$', ''), '^-0$', '0')
     WHEN typeof(x) = 'BLOB' THEN decode(TRY_CAST(x AS BLOB))
     WHEN typeof(x) = 'INTERVAL' THEN __gg_interval_text_of(x) ELSE CAST(x AS VARCHAR) END`,
  // It names x a dozen times: CAST(CAST(x AS STRING) AS STRING) of a costly x took DuckDB 34 s to bind (fix-casts.ts).
  onceFormMacro('__gg_to_string', 1),
  // SAFE_CAST(x AS STRING): the same text; only BYTES that are not UTF-8 fail, to NULL. (A STRUCT or ARRAY still raises:
  // that cast does not exist.)
  `CREATE OR REPLACE MACRO __gg_safe_to_string(x) AS CASE WHEN typeof(x) = 'BLOB' THEN TRY(decode(TRY_CAST(x AS BLOB))) ELSE __gg_to_string(x) END`,
  onceFormMacro('__gg_safe_to_string', 1),
  // x IN UNNEST(arr) is IN over the array's elements: FALSE for an empty or NULL array (even for a NULL x), TRUE if an
  // element equals x, else NULL if x or a comparison is NULL (a NULL element, a STRUCT with a NULL field).
  // A NaN is equal to nothing (ast-fixes.ts' inListNaN).
  `CREATE OR REPLACE MACRO __gg_nan_in(r, x, elements) AS CASE WHEN __gg_is_nan(x) THEN CASE WHEN list_count(elements) < len(elements) THEN NULL ELSE FALSE END ELSE r END`,
  `CREATE OR REPLACE MACRO __gg_in_unnest(x, arr) AS CASE WHEN arr IS NULL OR len(arr) = 0 THEN FALSE
     WHEN __gg_is_nan(x) THEN CASE WHEN list_count(arr) < len(arr) THEN NULL ELSE FALSE END
     WHEN len(list_filter(arr, lambda e: e = x)) > 0 THEN TRUE
     WHEN x IS NULL OR len(list_filter(arr, lambda e: (e = x) IS NULL)) > 0 THEN NULL ELSE FALSE END`,
  // An element is typed by an untaken coalesce(arr, [])[1]: DuckDB types arr[i] of a constant NULL array or index as
  // NULL (INT64 here)..
  // arr[OFFSET(i)] / arr[ORDINAL(i)] raise out of range; the SAFE_ forms give NULL (DuckDB also
  // counts negative indexes from the end, which BigQuery never does).
  // A NULL array gives NULL at any index (BigQuery checks the bounds of a non-NULL array only).
  `CREATE OR REPLACE MACRO __gg_offset(arr, i) AS CASE WHEN false THEN coalesce(arr, [])[1] WHEN arr IS NULL THEN NULL WHEN i < 0 OR i >= len(arr) THEN cast_to_type(__gg_raise('Array index ' || i || ' is out of bounds (overflow)'), coalesce(arr, [])[1])
     ELSE coalesce(arr, [])[i + 1] END`,
  // ARRAY_FIRST / ARRAY_LAST fail on an empty array (SAFE. gives NULL: __gg_raise, not the volatile error(), inside TRY).
  `CREATE OR REPLACE MACRO __gg_array_first(arr) AS CASE WHEN len(arr) = 0 THEN cast_to_type(__gg_raise('ARRAY_FIRST cannot get the first element of an empty array'), coalesce(arr, [])[1]) ELSE coalesce(arr, [])[1] END`,
  `CREATE OR REPLACE MACRO __gg_array_last(arr) AS CASE WHEN len(arr) = 0 THEN cast_to_type(__gg_raise('ARRAY_LAST cannot get the last element of an empty array'), coalesce(arr, [])[1]) ELSE coalesce(arr, [])[-1] END`,
  // x[i]: 0-based in BigQuery for an ARRAY (OFFSET(i)) and for JSON, whose DuckDB subscript is 0-based already.
  // A negative JSON subscript is NULL (operators#json_subscript_operator); DuckDB counts it from the end.
  `CREATE OR REPLACE MACRO __gg_index(x, i) AS CASE WHEN typeof(x) = 'JSON' THEN CASE WHEN TRY_CAST(i AS BIGINT) < 0 THEN NULL ELSE x[i] END ELSE __gg_offset(x, i) END`,
  onceFormMacro('__gg_index', 2),
  `CREATE OR REPLACE MACRO __gg_safe_offset(arr, i) AS CASE WHEN false THEN coalesce(arr, [])[1]
     WHEN i < 0 OR i >= len(arr) THEN NULL ELSE coalesce(arr, [])[i + 1] END`,
  // UNNEST(arr) WITH OFFSET, as a lateral subquery: values and 0-based positions in lockstep.
  `CREATE OR REPLACE MACRO __gg_unnest_values(arr) AS unnest(arr)`,
  `CREATE OR REPLACE MACRO __gg_unnest_offsets(arr) AS generate_subscripts(arr, 1) - 1`,
  // The array of an aliased UNNEST under a star DuckDB expands (unnest-value-tables.ts): BigQuery's star gives a STRUCT
  // element's fields, DuckDB's the element. Refused when the elements it reads are STRUCTs.
  `CREATE OR REPLACE MACRO __gg_unstarred_elements(arr) AS CASE WHEN typeof(arr) LIKE 'STRUCT(%' AND typeof(arr) NOT LIKE '${RANGE_TYPEOF_PATTERN}'
     THEN arr[:__gg_refuse('SELECT * with EXCEPT or REPLACE, or beside DISTINCT, GROUP BY or a USING join, over an aliased UNNEST of STRUCTs is not supported by the local emulator; name the columns')]
     ELSE arr END`,
  // STRING_AGG(... LIMIT n): NULLs are skipped before the limit; it and ARRAY_AGG(... LIMIT n) are NULL when nothing is left.
  `CREATE OR REPLACE MACRO __gg_string_agg_limit(arr, sep, n) AS CASE WHEN len(list_slice(list_filter(arr, lambda e: e IS NOT NULL), 1, n)) > 0
     THEN array_to_string(list_slice(list_filter(arr, lambda e: e IS NOT NULL), 1, n), sep) END`,
  `CREATE OR REPLACE MACRO __gg_array_agg_limit(arr, n) AS CASE WHEN len(list_slice(arr, 1, n)) > 0 THEN list_slice(arr, 1, n) END`,
  // MERGE: a target row matched by two source rows is an error in BigQuery.
  `CREATE OR REPLACE MACRO __gg_merge_guard(n) AS CASE WHEN n > 1 THEN error('UPDATE/MERGE must match at most one source row for each target row') ELSE TRUE END`,
  // BigQuery's name of a DuckDB type (DuckDB's typeof says BIGINT, VARCHAR, BLOB), NULL for a type without one
  // (STRUCTs and ARRAYs, whose names spell out their fields and elements; an untyped NULL). One map for TYPEOF, messages
  // and the array cast check.
  `CREATE OR REPLACE MACRO __gg_bigquery_type_name(t) AS CASE
     WHEN t IN ('BIGINT', 'INTEGER', 'HUGEINT', 'SMALLINT', 'TINYINT') THEN 'INT64' WHEN t IN ('DOUBLE', 'FLOAT') THEN 'FLOAT64'
     WHEN t = 'DECIMAL(38,9)' THEN 'NUMERIC' WHEN t = 'DECIMAL(38,18)' THEN 'BIGNUMERIC' WHEN t = 'VARCHAR' THEN 'STRING' WHEN t = 'BLOB' THEN 'BYTES'
     WHEN t = 'BOOLEAN' THEN 'BOOL' WHEN t = 'TIMESTAMP' THEN 'DATETIME' WHEN t = 'TIMESTAMP WITH TIME ZONE' THEN 'TIMESTAMP'
     WHEN t IN ('DATE', 'TIME', 'INTERVAL', 'JSON') THEN t END`,
  // For messages: other types by DuckDB's name.
  `CREATE OR REPLACE MACRO __gg_type_name(x) AS coalesce(__gg_bigquery_type_name(typeof(x)), typeof(x))`,
  // TYPEOF: an untyped NULL is an INT64 (BigQuery's NULL literal); a type without a BigQuery name here is refused.
  `CREATE OR REPLACE MACRO __gg_typeof(x) AS CASE WHEN typeof(x) = '"NULL"' THEN 'INT64' ELSE coalesce(__gg_bigquery_type_name(typeof(x)),
     CAST(__gg_refuse('TYPEOF of a ' || typeof(x) || ' value is not supported by the local emulator') AS VARCHAR)) END`,
  // CAST to ARRAY<T> keeps an array of T only ("ARRAY → ARRAY: must be the exact same array type",
  // conversion_functions#cast); DuckDB cast each element, 2.5 to 2 by its own rounding (fix-casts.ts). typeof is a
  // constant: the check costs nothing at run time. Element types without a BigQuery name (an array of NULLs, nested
  // types) are not checked; the error reads s, so that constant folding does not try it in every statement.
  `CREATE OR REPLACE MACRO __gg_array_cast_checked(r, s, t) AS CASE WHEN __gg_bigquery_type_name(typeof(s[1])) <> t
     THEN cast_to_type(__gg_static_error('Invalid cast from ARRAY<' || __gg_bigquery_type_name(typeof(s[1])) || '> to ARRAY<' || t || '>' || left(CAST(s AS VARCHAR), 0)), r) ELSE r END`,
  // ERROR(msg): DuckDB's error() of an argument typed NULL (another error() call) folds to NULL without raising; a NULL
  // message is an error too (ZetaSQL: "ERROR function called with NULL value").
  `CREATE OR REPLACE MACRO __gg_error(msg) AS error(coalesce(CAST(msg AS VARCHAR), 'ERROR function called with NULL value'))`,
  // Always NULL, yet the message is evaluated (a NULL both branches of a CASE give would be folded away, its errors too).
  `CREATE OR REPLACE MACRO __gg_safe_error(msg) AS CAST(nullif(length(CAST(msg AS VARCHAR)), length(CAST(msg AS VARCHAR))) AS BIGINT)`,
  // GENERATE_ARRAY of FLOAT64 or NUMERIC values: start + i * step while within [start, end], as ZetaSQL computes it
  // (a FLOAT64 element is not the previous one plus the step, which would gather rounding errors); the candidates past
  // the division's estimate are filtered. Lambdas: a correlated argument is a DuckDB binder error here.
  `CREATE OR REPLACE MACRO __gg_generate_array_by(a, b, s) AS CASE
     WHEN isnan(CAST(a AS DOUBLE)) OR isnan(CAST(b AS DOUBLE)) OR isnan(CAST(s AS DOUBLE)) THEN cast_to_type(__gg_raise('Sequence start, end, and step cannot be NaN.'), [a + 0 * b + 0 * s])
     WHEN s = 0 THEN cast_to_type(__gg_raise('Sequence step cannot be 0.'), [a + 0 * b + 0 * s])
     WHEN isinf(CAST(s AS DOUBLE)) THEN cast_to_type(__gg_raise('Sequence step cannot be +/-inf.'), [a + 0 * b + 0 * s])
     WHEN (a < b AND s < 0) OR (a > b AND s > 0) THEN []
     WHEN a = b THEN [cast_to_type(a, a + b + s)]
     ELSE list_filter(list_transform(range(0, CAST(floor((b - a) / s) AS BIGINT) + 2), lambda i: cast_to_type(a + i * s, a + b + s)), lambda v: CASE WHEN a <= b THEN v <= b ELSE v >= b END) END`,
  `CREATE OR REPLACE MACRO __gg_generate_array_steps(a, b) AS __gg_generate_array_by(a, b, 1), (a, b, s) AS __gg_generate_array_by(a, b, s)`,
  `CREATE OR REPLACE MACRO __gg_generate_array(a, b) AS generate_series(a, b),
     (a, b, step) AS generate_series(a, b, CASE WHEN step = 0 THEN __gg_raise('Sequence step cannot be 0.') ELSE step END)`,
  // Aggregates (fix-aggregates.ts). AVG has its argument's type: NUMERIC (BIGNUMERIC, a NUMERIC(P, S) widened) for a
  // decimal, the exact quotient of its SUM and COUNT rounded half away from zero (DuckDB's avg is DOUBLE); FLOAT64
  // otherwise. The type is MEDIAN's of the argument (DOUBLE for an integer, the decimal for a decimal), as in
  // __gg_float_literal_like. An infinite or NaN input makes a variance NaN.
  `CREATE OR REPLACE MACRO __gg_avg_type(probe) AS list_median([__gg_zero_of(probe)]) + CAST(0 AS DECIMAL(38,9))`,
  // A BIGNUMERIC average whose exact value needs more than the emulator's 18 fractional digits (BigQuery keeps 38) is
  // refused, not rounded.
  `CREATE OR REPLACE MACRO __gg_avg_checked(v, s, c, probe) AS CASE
     WHEN typeof(__gg_avg_type(probe)) LIKE 'DECIMAL%' AND typeof(__gg_avg_type(probe)) NOT IN ('DECIMAL(38,9)', 'DECIMAL(38,18)')
       THEN cast_to_type(__gg_refuse('AVG of a BIGNUMERIC(P, S) value with a scale other than 18 is not supported by the local emulator'), __gg_avg_type(probe))
     WHEN typeof(__gg_avg_type(probe)) = 'DECIMAL(38,18)' AND abs(__gg_scaled(s, ${P9} * ${P9})) % c <> 0
       THEN cast_to_type(__gg_refuse('AVG of BIGNUMERIC values whose average has more than 18 fractional digits is not supported by the local emulator'), __gg_avg_type(probe))
     WHEN typeof(__gg_avg_type(probe)) LIKE 'DECIMAL%' THEN __gg_decimal_div_once(s, c, __gg_avg_type(probe))
     ELSE cast_to_type(v, __gg_avg_type(probe)) END`,
  // SUM takes numbers and INTERVALs in BigQuery; DuckDB also counts the TRUE values of a BOOL.
  `CREATE OR REPLACE MACRO __gg_sum_checked(s, hi, lo) AS CASE
     WHEN typeof(hi) = 'BOOLEAN' THEN cast_to_type(__gg_raise('No matching signature for aggregate function SUM for argument types: BOOL'), s)
     WHEN typeof(s) = 'DECIMAL(38,9)' AND abs(s) > CAST('99999999999999999999999999999.999999999' AS DECIMAL(38,9)) THEN s + __gg_raise('numeric overflow: SUM')
     WHEN typeof(s) = 'DOUBLE' AND isinf(TRY_CAST(s AS DOUBLE)) AND isfinite(TRY_CAST(hi AS DOUBLE)) AND isfinite(TRY_CAST(lo AS DOUBLE)) THEN s + __gg_raise('double overflow')
     ELSE s END`,
  `CREATE OR REPLACE MACRO __gg_string_agg_checked(v, probe) AS CASE WHEN typeof(probe) = 'BLOB' THEN v || __gg_refuse('STRING_AGG over BYTES with LIMIT or in a subquery is not supported by the local emulator (its result would be STRING, not BYTES)') ELSE v END`,
  // STRING_AGG over a value whose type only DuckDB knows (fix-string-agg.ts): BYTES as hex text, read back by the
  // result's BLOB overload; the separator's type must be the value's (BYTES, or STRING: aggregate_functions#string_agg).
  `CREATE OR REPLACE MACRO __gg_string_agg_text(x) AS CASE WHEN typeof(x) = 'BLOB' THEN hex(x) WHEN typeof(x) IN ('VARCHAR', '"NULL"') THEN CAST(x AS VARCHAR)
     ELSE CAST(__gg_static_error('No matching signature for aggregate function STRING_AGG. Supported signatures: STRING_AGG(STRING); STRING_AGG(STRING, STRING); STRING_AGG(BYTES); STRING_AGG(BYTES, BYTES)') AS VARCHAR) END`,
  `CREATE OR REPLACE MACRO __gg_string_agg_default_separator(x) AS CASE WHEN typeof(x) = 'BLOB' THEN '2C' ELSE ',' END`,
  `CREATE OR REPLACE MACRO __gg_string_agg_separator_text(s, x) AS CASE
     WHEN (typeof(x) = 'BLOB') <> (typeof(s) = 'BLOB') AND typeof(s) <> '"NULL"' AND typeof(x) <> '"NULL"'
       THEN CAST(__gg_static_error('No matching signature for aggregate function STRING_AGG: the separator must have the type of the values (STRING or BYTES)') AS VARCHAR)
     WHEN typeof(x) = 'BLOB' THEN hex(s) ELSE CAST(s AS VARCHAR) END`,
  `CREATE OR REPLACE MACRO __gg_string_agg_result(v, probe BLOB) AS unhex(v), (v, probe) AS v`,
  `CREATE OR REPLACE MACRO __gg_agg_separator(s) AS CASE WHEN s IS NULL THEN CAST(__gg_raise('Illegal NULL separator in STRING_AGG') AS VARCHAR) ELSE s END`,
  `CREATE OR REPLACE MACRO __gg_quantile_points(n) AS CAST(list_transform(range(0, CASE
     WHEN n IS NULL THEN __gg_raise('The second argument to APPROX_QUANTILES function must not be NULL')
     WHEN n <= 0 THEN __gg_raise('The second argument to APPROX_QUANTILES function must be positive')
     WHEN n > 100000 THEN __gg_raise('The second argument to APPROX_QUANTILES function cannot be greater than 100000')
     ELSE n END + 1), lambda i: i / n) AS DOUBLE[])`,
  // APPROX_QUANTILES(x, n RESPECT NULLS) over the list of values (DISTINCT: each once, NULL too): the point i/n of the
  // values sorted NULLs first is the element at (count - 1) * i / n, as QUANTILE_DISC picks them.
  `CREATE OR REPLACE MACRO __gg_quantiles_respecting_nulls(l, n, distinct_values) AS CASE WHEN l IS NULL THEN NULL ELSE list_apply(
     [list_sort(CASE WHEN distinct_values THEN list_distinct(l) || CASE WHEN list_count(l) < len(l) THEN [NULL] ELSE [] END ELSE l END, 'ASC', 'NULLS FIRST')],
     lambda s: list_transform(range(0, len(__gg_quantile_points(n))), lambda i: s[((len(s) - 1) * i) // n + 1]))[1] END`,
  `CREATE OR REPLACE MACRO __gg_nan_free_quantiles(q, hi) AS CASE WHEN __gg_is_nan(hi)
     THEN cast_to_type(__gg_refuse('APPROX_QUANTILES over NaN values is not supported by the local emulator (DuckDB orders NaN last, BigQuery first)'), q) ELSE q END`,
  `CREATE OR REPLACE MACRO __gg_min_nan(lo, hi) AS CASE WHEN __gg_is_nan(hi) THEN hi ELSE lo END`,
  // v is computed over the finite values only (DuckDB raises "out of range" on the others); an infinite or NaN input
  // (hi - hi or lo - lo is NaN) makes the result NaN, given the n >= least non-NULL inputs the function needs.
  `CREATE OR REPLACE MACRO __gg_finite(x) AS CASE WHEN isfinite(CAST(x AS DOUBLE)) THEN x END`,
  // VAR*/STDDEV*/CORR of values past 2^500 (fix-aggregates.ts): DuckDB squares them, overflows and raises "out of range"
  // where BigQuery's result is finite (or +inf for a variance past FLOAT64). Such a group's values are scaled by 2^-600
  // (exact: a power of two) and the result scaled back; the other groups keep DuckDB's own computation.
  `CREATE OR REPLACE MACRO __gg_var_peak(x) AS abs(CAST(x AS DOUBLE))`,
  `CREATE OR REPLACE MACRO __gg_var_plain(x) AS CASE WHEN abs(CAST(x AS DOUBLE)) <= pow(2.0, 500) THEN x END`,
  `CREATE OR REPLACE MACRO __gg_var_scaled(x) AS CAST(x AS DOUBLE) * pow(2.0, -600)`,
  // `power`: how the result scales with its inputs (2 for a variance, 1 for a standard deviation).
  `CREATE OR REPLACE MACRO __gg_var_pick(plain, scaled, peak, power) AS CASE WHEN peak > pow(2.0, 500)
     THEN CASE power WHEN 2 THEN scaled * pow(2.0, 600) * pow(2.0, 600) ELSE scaled * pow(2.0, 600) END ELSE plain END`,
  // CORR does not change with either input's scale: each input past 2^500 is scaled, the other kept (scaling a small
  // input too would leave its values underflowing). The four computations are named by (y, x): plain or scaled.
  `CREATE OR REPLACE MACRO __gg_corr_pick(pp, ps, sp, ss, peak_y, peak_x) AS CASE WHEN peak_y > pow(2.0, 500)
     THEN CASE WHEN peak_x > pow(2.0, 500) THEN ss ELSE sp END WHEN peak_x > pow(2.0, 500) THEN ps ELSE pp END`,
  `CREATE OR REPLACE MACRO __gg_nonfinite_nan(v, hi, lo, n, least) AS CASE WHEN isnan(CAST((hi - hi) + (lo - lo) AS DOUBLE))
     THEN CASE WHEN n >= least THEN CAST('NaN' AS DOUBLE) END ELSE v END`,
  `CREATE OR REPLACE MACRO __gg_double_error(x) AS CASE WHEN typeof(x) LIKE 'DECIMAL%' THEN CAST(abs(x - cast_to_type(CAST(x AS DOUBLE), coalesce(x, CAST(0 AS TINYINT)))) AS DOUBLE) ELSE 0.0 END`,
  `CREATE OR REPLACE MACRO __gg_exact_in_double(v, err, hi, lo, f) AS CASE WHEN hi <> lo AND err * 1e14 > CAST(hi AS DOUBLE) - CAST(lo AS DOUBLE)
     THEN __gg_refuse(f || ' of NUMERIC or BIGNUMERIC values whose digits a FLOAT64 does not keep is not supported by the local emulator') ELSE v END`,
  `CREATE OR REPLACE MACRO __gg_pair(y, x) AS CASE WHEN y IS NULL OR x IS NULL THEN NULL ELSE 1 END`,
  // v, NULL where probe is NULL (a pair's value in CORR/COVAR; a positional STRUCT cast's source: fix-casts.ts).
  `CREATE OR REPLACE MACRO __gg_null_if_null(v, probe) AS CASE WHEN probe IS NULL THEN NULL ELSE v END`,
  `CREATE OR REPLACE MACRO __gg_corr_checked(v, n) AS CASE WHEN n < 2 THEN NULL ELSE v END`,
  `CREATE OR REPLACE MACRO __gg_percentile_cont(direct, mirrored, nan_free, x) AS CASE WHEN typeof(x) LIKE 'DECIMAL%' THEN __gg_refuse('PERCENTILE_CONT of NUMERIC or BIGNUMERIC values is not supported by the local emulator (DuckDB interpolates them as FLOAT64)') WHEN nan_free = 0 THEN mirrored ELSE direct END`,
  // PERCENTILE_DISC (fix-percentiles.ts): refused over a partition holding NaN (its __gg_nan_key is 0).
  `CREATE OR REPLACE MACRO __gg_percentile_disc(v, nan_free, f) AS CASE WHEN nan_free = 0 THEN cast_to_type(__gg_refuse_text(f || ' over FLOAT64 values with NaN is not supported by the local emulator (DuckDB orders NaN last, BigQuery first)'), v) ELSE v END`,
  // Comparisons with NaN (fix-nan-comparisons.ts): x is NaN and other is not NULL; FALSE at bind time for other types.
  `CREATE OR REPLACE MACRO __gg_nan_against(x, other) AS __gg_is_nan(x) AND other IS NOT NULL`,
  `CREATE OR REPLACE MACRO __gg_no_nan(a, b) AS NOT (__gg_nan_against(a, b) OR __gg_nan_against(b, a))`,
  `CREATE OR REPLACE MACRO __gg_any_nan(a, b) AS __gg_nan_against(a, b) OR __gg_nan_against(b, a)`,
  `CREATE OR REPLACE MACRO __gg_frame_count(n) AS CASE WHEN n < 0 THEN 0 ELSE n END`,
  // A NUMERIC or BIGNUMERIC key: DuckDB adds the offset in DECIMAL(38, s), which overflows near the type's limits where
  // BigQuery finds no row past them. Key and offset (in the key's type) in HUGEINT units of 10^-s keep the order and
  // leave room (10^38 within HUGEINT's 1.7 * 10^38). struct_extract's key folds at bind time, so each type gets its own
  // result type (a CASE would make them all DECIMAL); the fields other types do not take fold to NULL.
  // A FLOAT64 key or offset is halved (exact unless the half is subnormal: one below 2^-1021 in magnitude, other than 0,
  // is refused) and ±inf becomes ±the largest FLOAT64: DuckDB's frame of a ±inf row, whose bound x - k is x again, took its peers or not from run to run
  // (a ZetaSQL case flipped under load). A finite bound then stays below the infinite keys: x + k past the FLOAT64 range
  // is refused (__gg_range_key), so (x + k) / 2 is at most half the largest FLOAT64.
  `CREATE OR REPLACE MACRO __gg_range_double(d) AS CASE WHEN isinf(d) THEN sign(d) * ${FLOAT64_MAX}
     WHEN d <> 0 AND abs(d) < ${TWO_TO_MINUS_1021} THEN d + __gg_refuse('A RANGE window frame over a FLOAT64 ORDER BY value or offset below 2^-1021 in magnitude (other than 0) is not supported by the local emulator')
     ELSE d / 2 END`,
  `CREATE OR REPLACE MACRO __gg_range_units(x) AS struct_extract({'n': CASE WHEN typeof(x) = 'DECIMAL(38,9)' THEN __gg_scaled(x, ${P9}) END,
     'b': CASE WHEN typeof(x) = 'DECIMAL(38,18)' THEN __gg_scaled(x, ${P9} * ${P9}) END,
     'd': CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN __gg_range_double(TRY_CAST(x AS DOUBLE)) END, 'other': x + CAST(0 AS HUGEINT)},
     CASE WHEN typeof(x) = 'DECIMAL(38,9)' THEN 'n' WHEN typeof(x) = 'DECIMAL(38,18)' THEN 'b' WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN 'd' ELSE 'other' END)`,
  // The offset in the key's type (HUGEINT for an integer key, as its key); one past 7 * 10^37 units could take a NUMERIC
  // key's bound past HUGEINT's range: refused.
  `CREATE OR REPLACE MACRO __gg_range_offset_units(u, x) AS CASE WHEN typeof(x) LIKE 'DECIMAL%' AND u > CAST('70000000000000000000000000000000000000' AS HUGEINT)
     THEN u + __gg_refuse('A RANGE window frame offset past 7 * 10^37 units of its NUMERIC or BIGNUMERIC ORDER BY key is not supported by the local emulator') ELSE u END`,
  `CREATE OR REPLACE MACRO __gg_range_offset(x, o) AS __gg_range_offset_units(__gg_range_units(cast_to_type(o, coalesce(x, CAST(NULL AS HUGEINT)))), x)`,
  // ORDER BY (fix-ordering.ts): a key that puts NaN between NULL and -inf as BigQuery does.
  // A finite FLOAT64 key whose frame bound (x ± the widest offset k) overflows: BigQuery's bound stays finite, DuckDB's would
  // reach the infinite keys (halved, __gg_range_units, it would be the largest FLOAT64 they map to).
  `CREATE OR REPLACE MACRO __gg_range_key(x, k) AS CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') AND isfinite(CAST(x AS DOUBLE)) AND isinf(abs(CAST(x AS DOUBLE)) + CAST(k AS DOUBLE))
     THEN __gg_refuse('A RANGE window frame whose offset takes an ORDER BY value past the FLOAT64 range is not supported by the local emulator')
     ELSE -__gg_range_units(x) END`,
  `CREATE OR REPLACE MACRO __gg_nan_key(x) AS CASE WHEN x IS NULL THEN NULL WHEN __gg_is_nan(x) THEN 0 ELSE 1 END`,
  // Analytic function arguments (fix-windows.ts).
  `CREATE OR REPLACE MACRO __gg_nav_offset(n, f) AS CASE WHEN n IS NULL THEN __gg_raise('The offset to the function ' || f || ' must not be null')
     WHEN n < 0 THEN __gg_raise('The offset to the function ' || f || ' must not be negative') ELSE n END`,
  // x as the common supertype of x and type_of (LAG/LEAD's value and default, fix-windows.ts): CASE unifies the branches' types.
  `CREATE OR REPLACE MACRO __gg_with_type_of(x, type_of) AS CASE WHEN false THEN type_of ELSE x END`,
  `CREATE OR REPLACE MACRO __gg_nth_value_n(n, f) AS CASE WHEN n IS NULL THEN __gg_raise('The N value for the NthValue function must not be NULL')
     WHEN n <= 0 THEN __gg_raise('The N value for the NthValue function must be positive') ELSE n END`,
  `CREATE OR REPLACE MACRO __gg_ntile_n(n, f) AS CASE WHEN n IS NULL THEN __gg_raise('The N value (number of buckets) for the NTILE function must not be NULL')
     WHEN n <= 0 THEN __gg_raise('The N value (number of buckets) for the NTILE function must be positive') ELSE n END`,
  `CREATE OR REPLACE MACRO __gg_frame_offset(n, side) AS CASE WHEN n IS NULL THEN __gg_raise('The boundary offset value cannot be null')
     WHEN n < 0 THEN __gg_raise('Window frame offset for PRECEDING or FOLLOWING must be non-negative, but was ' || n) ELSE n END`,
  `CREATE OR REPLACE MACRO __gg_range_frame_end(e, s, side) AS CASE WHEN ((side = 'Preceding' AND e > s) OR (side = 'Following' AND e < s)) AND greatest(e, s) > 9007199254740992
     THEN e + __gg_refuse('A RANGE window frame that starts after it ends with an offset beyond 2^53 is not supported by the local emulator') ELSE e END`,
  // Hashes return BYTES in BigQuery (DuckDB: hex text).
  `CREATE OR REPLACE MACRO __gg_md5(x) AS unhex(md5(x))`,
  `CREATE OR REPLACE MACRO __gg_sha1(x) AS unhex(sha1(x))`,
  `CREATE OR REPLACE MACRO __gg_sha512(x) AS __gg_sha512_bytes(CASE WHEN typeof(x) = 'BLOB' THEN TRY_CAST(x AS BLOB) WHEN typeof(x) IN ('VARCHAR', '"NULL"') THEN encode(TRY_CAST(x AS VARCHAR))
     ELSE CAST(__gg_static_error('No matching signature for function SHA512. Supported signatures: SHA512(STRING); SHA512(BYTES)') AS BLOB) END)`,
  // A BYTES argument of a function that takes only BYTES (DuckDB would cast a STRING to BLOB).
  `CREATE OR REPLACE MACRO __gg_bytes_argument(x, fname) AS CASE WHEN typeof(x) IN ('BLOB', '"NULL"') THEN TRY_CAST(x AS BLOB)
     ELSE CAST(__gg_static_error('No matching signature for function ' || fname || ': its argument is BYTES') AS BLOB) END`,
  // FarmHash in JavaScript (native/farm-fingerprint.ts): a STRING hashes as its UTF-8 bytes.
  `CREATE OR REPLACE MACRO __gg_farm_fingerprint(x) AS __gg_farm_fingerprint_bytes(CASE WHEN typeof(x) = 'BLOB' THEN TRY_CAST(x AS BLOB) ELSE encode(TRY_CAST(x AS VARCHAR)) END)`,
];

/**
 * DuckDB macros for BigQuery's date and time functions. BigQuery TIMESTAMP is DuckDB TIMESTAMPTZ
 * (in the connection's TimeZone: the job's default time zone, time-zone.ts), DATETIME is TIMESTAMP. Truncation uses time_bucket, which keeps its
 * input's type (DATE stays DATE) where date_trunc would return TIMESTAMP.
 */
import { boundOnce, onceFormMacro } from './macros-numeric.ts';

/** WEEK(SUNDAY) .. WEEK(SATURDAY): a week part's position, 1 for SUNDAY (time_bucket's weeks begin on Mondays). */
const WEEK_PARTS = `[${['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'].map((d) => `'WEEK(${d})'`).join(', ')}]`;

export const datetimeMacros: string[] = [
  // Casts as calls, so rewritten nodes need not build polyglot's CAST shape.
  `CREATE OR REPLACE MACRO __gg_cast_date(x) AS CAST(x AS DATE)`,
  // A TIMESTAMP's time is its civil time in the default time zone (the connection's TimeZone, as CAST to DATE);
  // DuckDB has no cast from TIMESTAMPTZ to TIME. TRY_CAST binds for every type of x.
  `CREATE OR REPLACE MACRO __gg_time_of_ts(x) AS CAST(CAST(TRY_CAST(x AS TIMESTAMPTZ) AS TIMESTAMP) AS TIME)`,
  `CREATE OR REPLACE MACRO __gg_cast_time(x) AS CASE WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' THEN __gg_time_of_ts(x) ELSE CAST(x AS TIME) END`,
  `CREATE OR REPLACE MACRO __gg_cast_datetime(x) AS CAST(x AS TIMESTAMP)`,
  // A DATETIME or TIME string must not carry a zone or offset (DuckDB would drop it silently).
  `CREATE OR REPLACE MACRO __gg_has_zone(s) AS regexp_matches(s, ':\\d\\d(\\.\\d*)?\\s*([+-]\\d{1,2}(:?\\d\\d)?|[zZ]|[A-Za-z]+(/[A-Za-z_]+)*)\\s*$')`,
  `CREATE OR REPLACE MACRO __gg_zoned_text(x) AS typeof(x) = 'VARCHAR' AND __gg_has_zone(TRY_CAST(x AS VARCHAR))`,
  // A leap second (":60", any fraction dropped) is the next minute's first second, as in ZetaSQL's civil_time cases.
  `CREATE OR REPLACE MACRO __gg_leap(x) AS typeof(x) = 'VARCHAR' AND regexp_matches(TRY_CAST(x AS VARCHAR), '\\d:60(\\.\\d*)?(\\s|$|[+-]|[zZ])')`,
  `CREATE OR REPLACE MACRO __gg_leap_text(x) AS regexp_replace(TRY_CAST(x AS VARCHAR), '(\\d):60(\\.\\d*)?', '\\1:59')`,
  // A TIMESTAMP's leap second keeps its fraction (ZetaSQL's civil_time case cast_from_timestamp_to_time: 12:59:60.123456 is 13:00:00.123456).
  `CREATE OR REPLACE MACRO __gg_leap_ts_text(x) AS regexp_replace(TRY_CAST(x AS VARCHAR), '(\\d):60', '\\1:59')`,
  // The date and time of a DATETIME string may be separated by 't' as well as 'T' or a space (DuckDB: 'T' or a space).
  `CREATE OR REPLACE MACRO __gg_upper_t(x) AS regexp_replace(TRY_CAST(x AS VARCHAR), '^(\\s*\\d+-\\d+-\\d+)t', '\\1T')`,
  // A DATE string is the date alone (DuckDB would read '2020-01-02 05:00:00' and drop the time).
  // Years start at 0001 (ZetaSQL's MakeDate: "Date value out of range"; DuckDB reads year 0).
  `CREATE OR REPLACE MACRO __gg_bad_date_text(x) AS typeof(x) = 'VARCHAR' AND (NOT regexp_matches(TRY_CAST(x AS VARCHAR), '^\\s*\\d{4}-\\d{1,2}-\\d{1,2}\\s*$') OR regexp_matches(TRY_CAST(x AS VARCHAR), '^\\s*0000-'))`,
  // A DATETIME string is a date, optionally with [H]H:[M]M:[S]S and at most 6 fractional digits, hour at most 23
  // (ZetaSQL's ParsePrefixToTimeParts and IsValidTimeOfDay; DuckDB reads 12:34, 24:00:00 and 7 digits).
  `CREATE OR REPLACE MACRO __gg_bad_datetime_text(x) AS typeof(x) = 'VARCHAR' AND NOT __gg_zoned_text(x) AND (regexp_matches(TRY_CAST(x AS VARCHAR), '^\\s*0000-|[ Tt]24:')
     OR NOT regexp_matches(TRY_CAST(x AS VARCHAR), '^\\s*\\d{4}-\\d{1,2}-\\d{1,2}([ Tt]\\d{1,2}:\\d{1,2}:\\d{1,2}(\\.\\d{0,6})?)?\\s*$'))`,
  `CREATE OR REPLACE MACRO __gg_to_date(x) AS CASE WHEN __gg_bad_date_text(x) THEN CAST(__gg_raise_text('Invalid date: ''' || TRY_CAST(x AS VARCHAR) || '''') AS DATE) ELSE CAST(x AS DATE) END`,
  `CREATE OR REPLACE MACRO __gg_safe_to_date(x) AS CASE WHEN __gg_bad_date_text(x) THEN NULL ELSE TRY_CAST(x AS DATE) END`,
  `CREATE OR REPLACE MACRO __gg_to_datetime(x) AS CASE WHEN __gg_zoned_text(x) OR __gg_bad_datetime_text(x)
     THEN CAST(__gg_raise_text('Invalid datetime string "' || TRY_CAST(x AS VARCHAR) || '"') AS TIMESTAMP)
     WHEN __gg_leap(x) THEN CAST(__gg_leap_text(x) AS TIMESTAMP) + INTERVAL 1 SECOND WHEN typeof(x) = 'VARCHAR' THEN CAST(__gg_upper_t(x) AS TIMESTAMP) ELSE CAST(x AS TIMESTAMP) END`,
  `CREATE OR REPLACE MACRO __gg_safe_to_datetime(x) AS CASE WHEN __gg_zoned_text(x) OR __gg_bad_datetime_text(x) THEN NULL
     WHEN __gg_leap(x) THEN TRY_CAST(__gg_leap_text(x) AS TIMESTAMP) + INTERVAL 1 SECOND WHEN typeof(x) = 'VARCHAR' THEN TRY_CAST(__gg_upper_t(x) AS TIMESTAMP) ELSE TRY_CAST(x AS TIMESTAMP) END`,
  // TIME strings end at 23:59:59.999999 (DuckDB also reads 24:00:00).
  `CREATE OR REPLACE MACRO __gg_bad_time_text(x) AS typeof(x) = 'VARCHAR' AND (__gg_has_zone(TRY_CAST(x AS VARCHAR)) OR regexp_matches(TRY_CAST(x AS VARCHAR), '^\\s*24:')
     OR NOT regexp_matches(TRY_CAST(x AS VARCHAR), '^\\s*\\d{1,2}:\\d{1,2}:\\d{1,2}(\\.\\d{0,6})?\\s*$'))`,
  `CREATE OR REPLACE MACRO __gg_to_time(x) AS CASE WHEN __gg_bad_time_text(x) THEN CAST(__gg_raise_text('Invalid time string "' || TRY_CAST(x AS VARCHAR) || '"') AS TIME)
     WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' THEN __gg_time_of_ts(x)
     WHEN __gg_leap(x) THEN CAST(__gg_leap_text(x) AS TIME) + INTERVAL 1 SECOND ELSE CAST(x AS TIME) END`,
  `CREATE OR REPLACE MACRO __gg_safe_to_time(x) AS CASE WHEN __gg_bad_time_text(x) THEN NULL WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' THEN __gg_time_of_ts(x)
     WHEN __gg_leap(x) THEN TRY_CAST(__gg_leap_text(x) AS TIME) + INTERVAL 1 SECOND ELSE TRY_CAST(x AS TIME) END`,
  // FORMAT_DATE of a DATETIME formats its time too.
  `CREATE OR REPLACE MACRO __gg_format_date(f, d) AS strftime(CASE WHEN typeof(d) = 'TIMESTAMP' THEN TRY_CAST(d AS TIMESTAMP) ELSE CAST(CAST(d AS DATE) AS TIMESTAMP) END, f)`,
  `CREATE OR REPLACE MACRO __gg_times(a, b) AS CAST(a AS BIGINT) * CAST(b AS BIGINT)`,
  // A TIMESTAMP string keeps at most 9 fractional digits (DuckDB reads any number).
  // Nor a year 0000 or past 9999, an hour 24 or an offset past 14 hours (ZetaSQL's MakeDate, IsValidTimeOfDay,
  // IsValidTimeZoneParts; DuckDB read '10000-01-01 00:00:00').
  `CREATE OR REPLACE MACRO __gg_ts_text_too_fine(x) AS typeof(x) = 'VARCHAR' AND regexp_matches(TRY_CAST(x AS VARCHAR), ':\\d\\d\\.\\d{7,}|^\\s*(0000|\\d{5,})-|[ Tt]24:|:\\d\\d(\\.\\d*)?\\s*[+-](1[5-9]|[2-9]\\d)(:?\\d\\d)?\\s*$')`,
  `CREATE OR REPLACE MACRO __gg_ts(x) AS CASE WHEN __gg_ts_text_too_fine(x) THEN CAST(__gg_raise_text('Invalid timestamp: ''' || TRY_CAST(x AS VARCHAR) || '''') AS TIMESTAMPTZ) WHEN __gg_leap(x) THEN CAST(__gg_leap_ts_text(x) AS TIMESTAMPTZ) + INTERVAL 1 SECOND ELSE CAST(x AS TIMESTAMPTZ) END`,
  `CREATE OR REPLACE MACRO __gg_safe_ts(x) AS CASE WHEN __gg_ts_text_too_fine(x) THEN NULL WHEN __gg_leap(x) THEN TRY_CAST(__gg_leap_ts_text(x) AS TIMESTAMPTZ) + INTERVAL 1 SECOND ELSE TRY_CAST(x AS TIMESTAMPTZ) END`,
  // DATE(), DATETIME() and TIME() of a string with a zone or offset read it as a TIMESTAMP and give its civil date or
  // time in the default time zone (ZetaSQL's date_from_string_* and time_on_string_* cases); other strings as before.
  `CREATE OR REPLACE MACRO __gg_date_of(x) AS CASE WHEN __gg_zoned_text(x) THEN CAST(__gg_ts(TRY_CAST(x AS VARCHAR)) AS DATE) ELSE __gg_cast_date(x) END`,
  `CREATE OR REPLACE MACRO __gg_datetime_of(x) AS CASE WHEN __gg_zoned_text(x) THEN CAST(__gg_ts(TRY_CAST(x AS VARCHAR)) AS TIMESTAMP) ELSE __gg_cast_datetime(x) END`,
  `CREATE OR REPLACE MACRO __gg_time_of(x) AS CASE WHEN __gg_zoned_text(x) THEN __gg_time_of_ts(__gg_ts(TRY_CAST(x AS VARCHAR))) ELSE __gg_cast_time(x) END`,
  // TIMESTAMP(x, zone): the zone applies unless a string carries its own offset or zone.
  `CREATE OR REPLACE MACRO __gg_ts_in_zone(x, tz) AS CASE
     WHEN typeof(x) = 'VARCHAR' AND regexp_matches(CAST(x AS VARCHAR), '([+-]\\d{1,2}(:?\\d{2})?|Z|UTC|[A-Za-z_]+/[A-Za-z_]+)\\s*$') THEN CAST(CAST(x AS VARCHAR) AS TIMESTAMPTZ)
     ELSE __gg_instant(TRY_CAST(x AS TIMESTAMP), tz) END`,
  // DATE/DATETIME/TIMESTAMP_TRUNC: bucket width and offset come from the date part (weeks start on Sunday).
  // time_bucket truncates a TIMESTAMP in UTC: DATE_TRUNC/DATETIME_TRUNC of one under another default zone are refused.
  // (The refusal goes through the width: a CASE around time_bucket would change the type of a DATE's result.)
  // EXTRACT of a time part (fix-datetime.ts fixExtract): not from a DATE.
  `CREATE OR REPLACE MACRO __gg_extract_time_part(x, v, part) AS CASE WHEN typeof(x) = 'DATE'
     THEN cast_to_type(__gg_static_error('EXTRACT from DATE does not support the ' || part || ' date part'), v) ELSE v END`,
  // DATE_ADD/DATE_SUB of a time part (fix-datetime.ts): not of a DATE.
  `CREATE OR REPLACE MACRO __gg_date_time_part(d, v, f, part) AS CASE WHEN typeof(d) = 'DATE'
     THEN cast_to_type(__gg_static_error(f || ' does not support the ' || part || ' date part'), v) ELSE v END`,
  `CREATE OR REPLACE MACRO __gg_trunc(x, w, o) AS time_bucket(CAST(CASE WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' AND NOT __gg_is_utc(current_setting('TimeZone'))
     THEN __gg_refuse_text('DATE_TRUNC/DATETIME_TRUNC of a TIMESTAMP under a time_zone other than UTC is not supported by the local emulator (use TIMESTAMP_TRUNC)')
     ELSE w END AS INTERVAL), x, CAST(o AS INTERVAL))`,
  // Below a day, TIMESTAMP_TRUNC "subtracts the minutes and seconds" of the civil time from the timestamp: in the hour a
  // zone repeats, 01:30 of the second pass truncates to its own 01:00, which reading the civil 01:00 back would not give.
  `CREATE OR REPLACE MACRO __gg_ts_trunc(x, w, o, tz) AS CASE WHEN w IN ('1 microsecond', '1 millisecond', '1 second', '1 minute', '1 hour')
     THEN CAST(x AS TIMESTAMPTZ) - (__gg_local(x, tz) - time_bucket(CAST(w AS INTERVAL), __gg_local(x, tz), CAST(o AS INTERVAL)))
     ELSE __gg_instant(time_bucket(CAST(w AS INTERVAL), __gg_local(x, tz), CAST(o AS INTERVAL)), tz) END`,
  // A comparison of a TIMESTAMP with a DATE or a DATETIME has no signature (fix-temporal-comparisons.ts): c is the
  // comparison, o its side of unknown type. Kept cheap to bind, as they wrap comparisons in WHERE clauses: the error
  // reads o, so that DuckDB's constant folding does not try (and fail, ~0.4 ms) to evaluate it in every statement;
  // it is raised for the first row read.
  `CREATE OR REPLACE MACRO __gg_beside_civil(c, o, message) AS CASE WHEN typeof(o) = 'TIMESTAMP WITH TIME ZONE'
     THEN CAST(__gg_static_error(message || left(CAST(o AS VARCHAR), 0)) AS BOOLEAN) ELSE c END`,
  `CREATE OR REPLACE MACRO __gg_beside_timestamp(c, o, date_message, datetime_message) AS CASE
     WHEN typeof(o) = 'DATE' THEN CAST(__gg_static_error(date_message || left(CAST(o AS VARCHAR), 0)) AS BOOLEAN)
     WHEN typeof(o) = 'TIMESTAMP' THEN CAST(__gg_static_error(datetime_message || left(CAST(o AS VARCHAR), 0)) AS BOOLEAN) ELSE c END`,
  // TIMESTAMP_TRUNC of a DATETIME is a DATETIME ("the same data type as the first argument"), and DATETIME_TRUNC and
  // TIMESTAMP_TRUNC of a DATE truncate the DATETIME it coerces to. Typed overloads, so that only the form taken is
  // bound (a CASE binds every branch); operands DuckDB types later (aggregates) are bound first (typed-call.ts).
  `CREATE OR REPLACE MACRO __gg_timestamp_trunc(x TIMESTAMPTZ, w, o, tz) AS __gg_ts_trunc(x, w, o, tz),
     (x TIMESTAMP, w, o, tz) AS time_bucket(CAST(w AS INTERVAL), x, CAST(o AS INTERVAL))`,
  `CREATE OR REPLACE MACRO __gg_datetime_trunc(x DATE, w, o) AS time_bucket(CAST(w AS INTERVAL), CAST(x AS TIMESTAMP), CAST(o AS INTERVAL)),
     (x, w, o) AS __gg_trunc(x, w, o)`,
  `CREATE OR REPLACE MACRO __gg_time_trunc(t, w) AS CAST(time_bucket(CAST(w AS INTERVAL), DATE '2000-01-03' + t) AS TIME)`,
  // LAST_DAY(d, part): the last day of the month/quarter/year/week containing d.
  `CREATE OR REPLACE MACRO __gg_last_day(d, w, o) AS CAST(time_bucket(CAST(w AS INTERVAL), CAST(d AS DATE), CAST(o AS INTERVAL)) + CAST(w AS INTERVAL) - INTERVAL 1 DAY AS DATE)`,
  // A TIMESTAMP's range, TIMESTAMP_ADD's DAY (24 hours) and TIMESTAMP_MICROS are UTC's whatever the job's time zone:
  // computed on the UTC civil time (timezone('UTC', ...)), not by DuckDB's calendar in the connection's zone.
  `CREATE OR REPLACE MACRO __gg_ts_in_range(t) AS CASE WHEN year(timezone('UTC', t)) BETWEEN 1 AND 9999 THEN t ELSE CAST(__gg_raise_text('TIMESTAMP value out of range: ' || CAST(t AS VARCHAR)) AS TIMESTAMPTZ) END`,
  `CREATE OR REPLACE MACRO __gg_ts_add(ts, i) AS __gg_ts_in_range(timezone('UTC', timezone('UTC', CAST(ts AS TIMESTAMPTZ)) + i))`,
  `CREATE OR REPLACE MACRO __gg_ts_sub(ts, i) AS __gg_ts_in_range(timezone('UTC', timezone('UTC', CAST(ts AS TIMESTAMPTZ)) - i))`,
  // x + INTERVAL: DuckDB adds a TIMESTAMP's days by the calendar of the connection's zone (23 or 25 hours across a
  // daylight saving change); BigQuery's are 24 hours (UTC civil time, corrected here by the difference in microseconds,
  // which keeps the sum's type for every x), and a MONTH or YEAR part is an error on a TIMESTAMP.
  // a - b by the operands' types (fix-arithmetic.ts): DATE - DATE is an INTERVAL of days (DuckDB: a BIGINT), TIMESTAMP -
  // TIMESTAMP an INTERVAL of time alone (DuckDB splits off days), DATETIME - DATETIME as DuckDB has it (a DATE coerces
  // to DATETIME). A TIMESTAMP beside a DATE or DATETIME has no signature: a DATE coerces to DATETIME only
  // (conversion_rules#comparison_chart); DuckDB would cast both to TIMESTAMPTZ.
  `CREATE OR REPLACE MACRO __gg_minus(a DATE, b DATE) AS to_days(CAST(a - b AS INTEGER)), (a TIMESTAMP, b TIMESTAMP) AS a - b,
     (a TIMESTAMPTZ, b TIMESTAMPTZ) AS to_microseconds(epoch_us(a) - epoch_us(b)),
     ${[
       ['TIMESTAMPTZ', 'DATE', 'TIMESTAMP, DATE'],
       ['DATE', 'TIMESTAMPTZ', 'DATE, TIMESTAMP'],
       ['TIMESTAMPTZ', 'TIMESTAMP', 'TIMESTAMP, DATETIME'],
       ['TIMESTAMP', 'TIMESTAMPTZ', 'DATETIME, TIMESTAMP'],
     ]
       .map(([a, b, types]) => `(a ${a}, b ${b}) AS CAST(__gg_static_error('No matching signature for operator - for argument types: ${types}') AS INTERVAL)`)
       .join(', ')},
     (a, b) AS a - b`,
  `CREATE OR REPLACE MACRO __gg_plus_interval(a, i) AS a + i + CASE WHEN typeof(a) <> 'TIMESTAMP WITH TIME ZONE' THEN INTERVAL 0 SECOND
     WHEN __gg_interval_months(i) <> 0 THEN CAST(__gg_raise_text('TIMESTAMP +/- INTERVAL is not supported for intervals with non-zero MONTH or YEAR part') AS INTERVAL)
     WHEN year(timezone('UTC', TRY_CAST(a AS TIMESTAMPTZ)) + i) NOT BETWEEN 1 AND 9999 THEN CAST(__gg_raise_text('TIMESTAMP value out of range') AS INTERVAL)
     ELSE to_microseconds(epoch_us(timezone('UTC', timezone('UTC', TRY_CAST(a AS TIMESTAMPTZ)) + i)) - epoch_us(TRY_CAST(a AS TIMESTAMPTZ) + i)) END`,
  // Chained sums (ts + INTERVAL 1 HOUR + INTERVAL 2 HOUR) bind the inner sum once (fix-arithmetic.ts picks this form).
  onceFormMacro('__gg_plus_interval', 2),
  // Dates and times outside years 1 to 9999 are errors (data-types#date_type); DuckDB's reach further.
  `CREATE OR REPLACE MACRO __gg_date_in_range(d) AS CASE WHEN year(d) BETWEEN 1 AND 9999 THEN d ELSE CAST(__gg_raise_text('DATE value out of range: ' || CAST(d AS VARCHAR)) AS DATE) END`,
  `CREATE OR REPLACE MACRO __gg_datetime_in_range(d) AS CASE WHEN year(d) BETWEEN 1 AND 9999 THEN d ELSE CAST(__gg_raise_text('DATETIME value out of range: ' || CAST(d AS VARCHAR)) AS TIMESTAMP) END`,
  `CREATE OR REPLACE MACRO __gg_ts_micros(us) AS __gg_ts_in_range(timezone('UTC', make_timestamp(CAST(us AS BIGINT))))`,
  `CREATE OR REPLACE MACRO __gg_date_from_unix_date(n) AS __gg_date_in_range(CAST(DATE '1970-01-01' + CAST(n AS INTEGER) AS DATE))`,
  `CREATE OR REPLACE MACRO __gg_date_from_parts(y, m, d) AS __gg_date_in_range(make_date(CAST(y AS BIGINT), CAST(m AS BIGINT), CAST(d AS BIGINT)))`,
  // A TIMESTAMP's whole units of u microseconds since the epoch, rounded down (also before 1970).
  `CREATE OR REPLACE MACRO __gg_unix_floor(ts, u) AS ${boundOnce('epoch_us(CAST(ts AS TIMESTAMPTZ))', '(e - ((e % u) + u) % u) // u', 'e')}`,
  // %e, %k, %l (format-strings.ts): a zero-padded number behind \x05; its leading 0 is a space in BigQuery.
  // The marks format-strings.ts writes: a space for a padding zero (%e), am/pm (%P), %E*S's fraction without trailing zeros.
  `CREATE OR REPLACE MACRO __gg_format_marked(r) AS regexp_replace(regexp_replace(
     replace(replace(replace(replace(r, chr(5) || '0', ' '), chr(5), ''), chr(6) || 'AM', 'am'), chr(6) || 'PM', 'pm'),
     chr(7) || '\\.0*' || chr(8), '', 'g'), chr(7) || '(\\.\\d*?)0*' || chr(8), '\\1', 'g')`,
  `CREATE OR REPLACE MACRO __gg_date_in_zone(ts, tz) AS CAST(__gg_local(ts, tz) AS DATE)`,
  `CREATE OR REPLACE MACRO __gg_datetime_in_zone(ts, tz) AS __gg_local(ts, tz)`,
  // DATETIME(date, time), or DATETIME(timestamp, zone) with a zone that is not a literal.
  `CREATE OR REPLACE MACRO __gg_datetime_2(a, b) AS CASE WHEN typeof(b) = 'TIME' THEN __gg_to_date(a) + TRY_CAST(b AS TIME)
     ELSE __gg_datetime_in_zone(a, TRY_CAST(b AS VARCHAR)) END`,
  `CREATE OR REPLACE MACRO __gg_time_in_zone(ts, tz) AS CAST(__gg_local(ts, tz) AS TIME)`,
  // TIME(h, m, s) and DATETIME(..., h, m, s): an hour past 23, a minute past 59 or a second past 60 is an error (DuckDB's
  // make_time gave 24:00:00); a 60th second is the next minute's first (ZetaSQL's ConstructTime: 23:59:60 is 00:00:00).
  `CREATE OR REPLACE MACRO __gg_bad_time_parts(h, m, s) AS NOT (h BETWEEN 0 AND 23 AND m BETWEEN 0 AND 59 AND s BETWEEN 0 AND 60)`,
  `CREATE OR REPLACE MACRO __gg_time_from_parts(h, m, s) AS CASE WHEN __gg_bad_time_parts(h, m, s)
     THEN CAST(__gg_raise_text('Input calculates to invalid time: ' || printf('%02d:%02d:%02d', h, m, s)) AS TIME)
     ELSE CAST(make_timestamp(2000, 1, 1, CAST(h AS BIGINT), CAST(m AS BIGINT), 0) + to_seconds(CAST(s AS BIGINT)) AS TIME) END`,
  `CREATE OR REPLACE MACRO __gg_datetime_from_parts(y, mo, d, h, mi, s) AS CASE WHEN __gg_bad_time_parts(h, mi, s)
     THEN CAST(__gg_raise_text('Input calculates to invalid datetime: ' || printf('%04d-%02d-%02d %04d:%02d:%02d', y, mo, d, h, mi, s)) AS TIMESTAMP)
     ELSE __gg_datetime_in_range(make_timestamp(CAST(y AS BIGINT), CAST(mo AS BIGINT), CAST(d AS BIGINT), CAST(h AS BIGINT), CAST(mi AS BIGINT), 0) + to_seconds(CAST(s AS BIGINT))) END`,
  // FORMAT_*/PARSE_*: the format string is converted at translation time (see datetime-format.ts).
  // FORMAT_TIMESTAMP's zone elements, marked by chr(2..4) in the format (format-strings.ts): %z is +hhmm, %Ez +hh:mm,
  // %Z the zone's name (only UTC's is known here).
  `CREATE OR REPLACE MACRO __gg_hhmm(minutes, sep) AS CASE WHEN minutes < 0 THEN '-' ELSE '+' END || lpad(CAST(abs(minutes) // 60 AS VARCHAR), 2, '0') || sep || lpad(CAST(abs(minutes) % 60 AS VARCHAR), 2, '0')`,
  `CREATE OR REPLACE MACRO __gg_zone_elements(text, ts, tz) AS CASE WHEN contains(text, chr(4)) AND (__gg_zone_offset_parts(tz) IS NOT NULL OR NOT __gg_is_utc(tz))
     THEN __gg_refuse_text('The format element %Z in a time zone other than UTC is not supported by the local emulator')
     ELSE replace(replace(replace(text, chr(2), __gg_hhmm(__gg_offset_minutes(ts, tz), '')), chr(3), __gg_hhmm(__gg_offset_minutes(ts, tz), ':')), chr(4), 'UTC') END`,
  `CREATE OR REPLACE MACRO __gg_format_ts(f, ts, tz) AS CASE WHEN regexp_matches(f, '[\\x02-\\x04]') THEN __gg_zone_elements(strftime(__gg_local(ts, tz), f), ts, tz)
     ELSE strftime(__gg_local(ts, tz), f) END`,
  `CREATE OR REPLACE MACRO __gg_format_time(f, t) AS strftime(DATE '2000-01-01' + CAST(t AS TIME), f)`,
  `CREATE OR REPLACE MACRO __gg_parse_ts(f, s, tz) AS __gg_instant(strptime(s, f), tz)`,
  `CREATE OR REPLACE MACRO __gg_parse_ts_offset(f, s) AS CAST(strptime(s, f) AS TIMESTAMPTZ)`,
  // GENERATE_TIMESTAMP_ARRAY steps through UTC civil time (a DAY is 24 hours, as in TIMESTAMP_ADD); string bounds are
  // TIMESTAMPs in the job's zone.
  `CREATE OR REPLACE MACRO __gg_generate_ts_array(a, b, step) AS list_transform(generate_series(timezone('UTC', __gg_ts(a)), timezone('UTC', __gg_ts(b)),
     CASE WHEN step = INTERVAL '0' DAY THEN CAST(__gg_raise('Sequence step cannot be 0.') AS INTERVAL) ELSE step END), lambda t: timezone('UTC', t))`,
  `CREATE OR REPLACE MACRO __gg_generate_date_array(a, b, step) AS CAST(generate_series(CAST(a AS DATE), CAST(b AS DATE),
     CASE WHEN step = INTERVAL '0' DAY THEN to_days(CAST(__gg_raise('Sequence step cannot be 0.') AS INTEGER)) ELSE step END) AS DATE[])`,
  // Sunday = 1 in BigQuery, 0 in DuckDB.
  `CREATE OR REPLACE MACRO __gg_dayofweek(d) AS dayofweek(d) + 1`,
  // BigQuery WEEK: weeks start on Sunday; days before the first Sunday are week 0.
  `CREATE OR REPLACE MACRO __gg_week(d) AS CAST(strftime(d, '%U') AS BIGINT)`,
  // EXTRACT(WEEK(<weekday>)): weeks begin on weekday k (0 = Sunday); the days before the year's first one are week 0.
  `CREATE OR REPLACE MACRO __gg_week_from(d, k) AS (dayofyear(d) - (dayofweek(d) - k + 7) % 7 + 6) // 7`,
  // DATE_ADD/DATE_SUB return DATE in BigQuery (DuckDB: TIMESTAMP), within 0001-01-01..9999-12-31. On a DATETIME they
  // return DATETIME, which one macro cannot (its type is fixed when it binds): refused.
  `CREATE OR REPLACE MACRO __gg_date_add(d, i) AS CASE WHEN typeof(d) IN ('TIMESTAMP', 'TIMESTAMP WITH TIME ZONE')
     THEN CAST(__gg_refuse_text('DATE_ADD/DATE_SUB on a DATETIME or TIMESTAMP is not supported by the local emulator (use DATETIME_ADD/DATETIME_SUB)') AS DATE)
     ELSE __gg_date_in_range(CAST(d + i AS DATE)) END`,
  `CREATE OR REPLACE MACRO __gg_date_sub(d, i) AS __gg_date_add(d, -i)`,
  // DATE_TRUNC and DATETIME_TRUNC take a time zone with a TIMESTAMP only.
  `CREATE OR REPLACE MACRO __gg_zoned_trunc_arg(x, f) AS CASE WHEN typeof(x) IN ('TIMESTAMP WITH TIME ZONE', '"NULL"') THEN x
     ELSE cast_to_type(__gg_static_error('No matching signature for function ' || f || ' with a time zone for argument type ' || CASE typeof(x) WHEN 'DATE' THEN 'DATE' WHEN 'TIMESTAMP' THEN 'DATETIME' ELSE typeof(x) END), TIMESTAMPTZ '2000-01-01 00:00:00+00') END`,
  // DATE_BUCKET/DATETIME_BUCKET/TIMESTAMP_BUCKET: buckets counted from 1950-01-01 unless an origin is given.
  // time_bucket keeps its input's type (DATE, DATETIME or TIMESTAMP), as the three functions do on any of them.
  `CREATE OR REPLACE MACRO __gg_bucket(d, w) AS time_bucket(w, d, DATE '1950-01-01'), (d, w, o) AS time_bucket(w, d, o)`,
  // NEXT_DAY(date or datetime, weekday name or its 3-letter abbreviation): the first such day after it.
  `CREATE OR REPLACE MACRO __gg_next_day(d, name) AS CASE WHEN d IS NULL OR name IS NULL THEN NULL
     WHEN lower(name) NOT IN ('sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat')
     THEN CAST(__gg_raise_text('Invalid day of week: ' || name) AS DATE)
     ELSE __gg_date_in_range(CAST(d AS DATE) + CAST(((list_position(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], left(lower(name), 3)) - 1 - dayofweek(CAST(d AS DATE)) + 6) % 7 + 1) AS INTEGER)) END`,
  `CREATE OR REPLACE MACRO __gg_datetime_in_range(d) AS CASE WHEN year(d) BETWEEN 1 AND 9999 THEN d ELSE CAST(__gg_raise_text('DATETIME value out of range: ' || CAST(d AS VARCHAR)) AS TIMESTAMP) END`,
  // On a TIMESTAMP, DATETIME_ADD/DATETIME_SUB return a TIMESTAMP, which one macro cannot (as DATE_ADD above).
  `CREATE OR REPLACE MACRO __gg_datetime_add(d, i) AS CASE WHEN typeof(d) = 'TIMESTAMP WITH TIME ZONE'
     THEN CAST(__gg_refuse_text('DATETIME_ADD/DATETIME_SUB on a TIMESTAMP is not supported by the local emulator (use TIMESTAMP_ADD/TIMESTAMP_SUB)') AS TIMESTAMP)
     ELSE __gg_datetime_in_range(CAST(d AS TIMESTAMP) + i) END`,
  // TIMESTAMP_DIFF counts whole units elapsed, truncated toward zero (DuckDB counts boundaries). The error reads a, so
  // that constant folding does not try it in every statement (an exception each time, ~0.5 ms of binding).
  `CREATE OR REPLACE MACRO __gg_elapsed_diff(a, b, unit) AS CASE unit
     WHEN 'MICROSECOND' THEN epoch_us(a) - epoch_us(b)
     WHEN 'MILLISECOND' THEN CAST(trunc((epoch_us(a) - epoch_us(b)) / 1000) AS BIGINT)
     WHEN 'SECOND' THEN CAST(trunc((epoch_us(a) - epoch_us(b)) / 1000000) AS BIGINT)
     WHEN 'MINUTE' THEN CAST(trunc((epoch_us(a) - epoch_us(b)) / 60000000) AS BIGINT)
     WHEN 'HOUR' THEN CAST(trunc((epoch_us(a) - epoch_us(b)) / 3600000000) AS BIGINT)
     WHEN 'DAY' THEN CAST(trunc((epoch_us(a) - epoch_us(b)) / 86400000000) AS BIGINT)
     ELSE __gg_raise('TIMESTAMP_DIFF does not support the ' || unit || ' date part' || left(CAST(a AS VARCHAR), 0)) END`,
  // DATETIME_DIFF and TIME_DIFF below a day count the boundaries of the civil part crossed ("the number of unit
  // boundaries", ZetaSQL's DiffWithPartsSmallerThanDay: CivilHour(a) - CivilHour(b)), not whole units elapsed: 23:59:59
  // to 00:00:00 is 1 HOUR. Floor division in integers (epoch microseconds pass 2^53).
  `CREATE OR REPLACE MACRO __gg_floor_div(x, d) AS (x - ((x % d) + d) % d) // d`,
  `CREATE OR REPLACE MACRO __gg_civil_diff(a, b, unit) AS CASE unit
     WHEN 'MICROSECOND' THEN epoch_us(a) - epoch_us(b)
     WHEN 'MILLISECOND' THEN __gg_floor_div(epoch_us(a), 1000) - __gg_floor_div(epoch_us(b), 1000)
     WHEN 'SECOND' THEN __gg_floor_div(epoch_us(a), 1000000) - __gg_floor_div(epoch_us(b), 1000000)
     WHEN 'MINUTE' THEN __gg_floor_div(epoch_us(a), 60000000) - __gg_floor_div(epoch_us(b), 60000000)
     WHEN 'HOUR' THEN __gg_floor_div(epoch_us(a), 3600000000) - __gg_floor_div(epoch_us(b), 3600000000)
     ELSE __gg_elapsed_diff(a, b, unit) END`,
  // DATETIME_DIFF counts calendar boundaries for DAY and larger parts too.
  `CREATE OR REPLACE MACRO __gg_calendar_diff(a, b, unit) AS CASE unit
     WHEN 'DAY' THEN date_diff('day', CAST(b AS DATE), CAST(a AS DATE))
     WHEN 'WEEK' THEN date_diff('day', time_bucket(INTERVAL '7 days', CAST(b AS DATE), INTERVAL '-1 day'), time_bucket(INTERVAL '7 days', CAST(a AS DATE), INTERVAL '-1 day')) // 7
     WHEN 'ISOWEEK' THEN date_diff('week', date_trunc('week', CAST(b AS DATE)), date_trunc('week', CAST(a AS DATE)))
     WHEN 'MONTH' THEN date_diff('month', CAST(b AS DATE), CAST(a AS DATE))
     WHEN 'QUARTER' THEN date_diff('quarter', CAST(b AS DATE), CAST(a AS DATE))
     WHEN 'YEAR' THEN date_diff('year', CAST(b AS DATE), CAST(a AS DATE))
     WHEN 'ISOYEAR' THEN date_diff('isoyear', CAST(b AS DATE), CAST(a AS DATE))
     ELSE CASE WHEN unit LIKE 'WEEK(%' THEN date_diff('day', time_bucket(INTERVAL '7 days', CAST(b AS DATE), to_days(CAST(list_position(${WEEK_PARTS}, unit) - 2 AS INTEGER))),
       time_bucket(INTERVAL '7 days', CAST(a AS DATE), to_days(CAST(list_position(${WEEK_PARTS}, unit) - 2 AS INTEGER)))) // 7 ELSE __gg_civil_diff(a, b, unit) END END`,
  // DATE_DIFF, DATETIME_DIFF and TIMESTAMP_DIFF behave by their arguments' type, whatever their name: on TIMESTAMPs as
  // TIMESTAMP_DIFF (whole units elapsed), on DATETIMEs and DATEs as DATETIME_DIFF and DATE_DIFF (boundaries crossed)
  // (date_functions#date_diff, datetime_functions#datetime_diff, timestamp_functions#timestamp_diff). Overloads typed
  // by the arguments, so that only the form taken is bound (binding the calendar form costs ~4 ms); operands DuckDB
  // types later (aggregates) are bound first (typed-call.ts). `civil` is DATE_DIFF's own translation (polyglot's).
  `CREATE OR REPLACE MACRO __gg_ts_diff(a TIMESTAMPTZ, b TIMESTAMPTZ, unit) AS __gg_elapsed_diff(a, b, unit),
     (a TIMESTAMP, b TIMESTAMP, unit) AS __gg_calendar_diff(a, b, unit), (a, b, unit) AS __gg_elapsed_diff(a, b, unit)`,
  `CREATE OR REPLACE MACRO __gg_dt_diff(a TIMESTAMPTZ, b TIMESTAMPTZ, unit) AS __gg_elapsed_diff(a, b, unit),
     (a TIMESTAMP, b TIMESTAMP, unit) AS __gg_calendar_diff(a, b, unit), (a, b, unit) AS __gg_calendar_diff(a, b, unit)`,
  `CREATE OR REPLACE MACRO __gg_date_diff(a TIMESTAMPTZ, b TIMESTAMPTZ, unit, civil) AS __gg_elapsed_diff(a, b, unit),
     (a DATE, b DATE, unit, civil) AS civil, (a TIMESTAMP, b TIMESTAMP, unit, civil) AS civil, (a, b, unit, civil) AS civil`,
];

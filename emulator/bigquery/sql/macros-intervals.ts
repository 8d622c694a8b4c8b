/**
 * DuckDB macros for BigQuery's INTERVAL: CAST from STRING and the JUSTIFY_* functions. DuckDB's INTERVAL keeps months,
 * days and microseconds apart as BigQuery's does (which keeps nanoseconds: a finer fraction is refused).
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#interval_type
 */
import { boundOnce } from './macros-numeric.ts';

const DAY_MICROS = '86400000000';
// BigQuery's range: -10000-0 -3660000 -87840000:0:0 to 10000-0 3660000 87840000:0:0 (data-types#interval_type).
const MAX_MONTHS = '120000';
const MAX_DAYS = '3660000';
const MAX_MICROS = '316224000000000000';

// The text forms CAST(STRING AS INTERVAL) reads (conversion_rules#cast_as_interval): 'Y-M D H:M:S.F' and the partial
// forms that are not ambiguous, told apart by their spaces and colons ('Y-M', 'Y-M D', 'Y-M D H', 'Y-M D H:M',
// 'H:M:S', 'D H:M:S'), and ISO 8601 durations ('P1Y2M3DT4H5M6.789S', a decimal comma allowed). A sign leads the
// year-month and the hour-minute-second groups; in ISO 8601 each number has its own.
const YEAR_ROOTED = `'^(-?)(\\d+)-(\\d+)(?: (-?\\d+)(?: (-?)(\\d+)(?::(\\d+)(?::(\\d+(?:\\.\\d+)?))?)?)?)?$'`;
// (TIME_ROOTED's three empty groups stand for the year-month group's, so that both read into the same fields.)
const TIME_ROOTED = `'^()()()(?:(-?\\d+) )?(-?)(\\d+):(\\d+):(\\d+(?:\\.\\d+)?)$'`;
const ISO_8601 = `'^P(?:(-?\\d+)Y)?(?:(-?\\d+)M)?(?:(-?\\d+)D)?(?:T(?:(-?\\d+)H)?(?:(-?\\d+)M)?(?:(-?\\d+(?:[.,]\\d+)?)S)?)?$'`;
const PARTS = `['ysign', 'y', 'mo', 'd', 'tsign', 'h', 'mi', 's']`;

const refuse = (what: string) => `__gg_refuse('CAST to INTERVAL of ' || ${what} || ' is not supported by the local emulator')`;
// A field of a text form: 0 where not given, BigQuery's error where past INT64 (or a seconds' DECIMAL).
const field = (text: string, value: string) => `CASE WHEN coalesce(${text}, '') = '' THEN 0 WHEN ${value} IS NULL THEN __gg_raise('Invalid INTERVAL value: ' || ${text} || ' is out of range') ELSE ${value} END`;
const seconds = (text: string) => field(text, `CAST(round(TRY_CAST(replace(${text}, ',', '.') AS DECIMAL(38,6)) * 1000000) AS BIGINT)`);
const number = (text: string) => field(text, `TRY_CAST(${text} AS BIGINT)`);

export const intervalMacros: string[] = [
  // 0, or BigQuery's error for parts [months, days, microseconds] past its range.
  `CREATE OR REPLACE MACRO __gg_interval_range_error(p) AS ${boundOnce(
    'p',
    `CASE
     WHEN abs(v[1]) > ${MAX_MONTHS} THEN __gg_raise('Interval field months ''' || v[1] || ''' is out of range -${MAX_MONTHS} to ${MAX_MONTHS}')
     WHEN abs(v[2]) > ${MAX_DAYS} THEN __gg_raise('Interval field days ''' || v[2] || ''' is out of range -${MAX_DAYS} to ${MAX_DAYS}')
     WHEN abs(v[3]) > ${MAX_MICROS} THEN __gg_raise('Interval field micros ''' || v[3] || ''' is out of range -${MAX_MICROS} to ${MAX_MICROS}')
     ELSE 0 END`,
  )}`,
  // The INTERVAL of parts [months, days, microseconds] (BIGINTs; the range is checked before DuckDB's INTEGER cast),
  // and an INTERVAL's parts.
  `CREATE OR REPLACE MACRO __gg_interval_of_parts(p) AS ${boundOnce('p', `to_months(CAST(v[1] + __gg_interval_range_error(v) AS INTEGER)) + to_days(CAST(v[2] + __gg_interval_range_error(v) AS INTEGER)) + to_microseconds(v[3] + __gg_interval_range_error(v))`)}`,
  `CREATE OR REPLACE MACRO __gg_interval_parts(i) AS ${boundOnce('i', `[CAST(__gg_interval_months(v) AS BIGINT), CAST(datepart('day', v) AS BIGINT), __gg_interval_micros(v)]`)}`,
  // A MAKE_INTERVAL argument (fix-intervals.ts): an INT64 (interval_functions#make_interval), as HUGEINT so that the
  // parts' products and sums do not overflow before the range check, as ZetaSQL sums in 128 bits.
  `CREATE OR REPLACE MACRO __gg_interval_part(x) AS CASE WHEN typeof(x) IN ('BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', '"NULL"') THEN TRY_CAST(x AS HUGEINT)
     ELSE CAST(__gg_static_error('No matching signature for function MAKE_INTERVAL: its arguments are INT64, not ' || __gg_type_name(x)) AS HUGEINT) END`,
  // An INTERVAL literal's parts (fix-intervals.ts).
  `CREATE OR REPLACE MACRO __gg_interval_of(months, days, micros) AS __gg_interval_of_parts([CAST(months AS BIGINT), CAST(days AS BIGINT), CAST(micros AS BIGINT)])`,
  // The INTERVAL of a text form's fields (a STRUCT of PARTS' strings, '' where not given); minutes or seconds past 59
  // after an hour are refused rather than guessed at.
  `CREATE OR REPLACE MACRO __gg_interval_of_text_fields(text, f) AS ${boundOnce(
    'f',
    `CASE WHEN TRY_CAST(fields.mi AS BIGINT) > 59 OR TRY_CAST(fields.s AS DOUBLE) >= 60 THEN CAST(${refuse("'''' || text || ''' (minutes or seconds past 59)'")} AS INTERVAL)
     ELSE __gg_interval_of_parts([(CASE WHEN fields.ysign = '-' THEN -1 ELSE 1 END) * (${number('fields.y')} * 12 + ${number('fields.mo')}), ${number('fields.d')},
       (CASE WHEN fields.tsign = '-' THEN -1 ELSE 1 END) * (${number('fields.h')} * 3600000000 + ${number('fields.mi')} * 60000000 + ${seconds('fields.s')})]) END`,
    'fields',
  )}`,
  `CREATE OR REPLACE MACRO __gg_interval_of_iso_fields(f) AS ${boundOnce(
    'f',
    `__gg_interval_of_parts([${number('v.y')} * 12 + ${number('v.mo')}, ${number('v.d')}, ${number('v.h')} * 3600000000 + ${number('v.mi')} * 60000000 + ${seconds('v.s')}])`,
  )}`,
  `CREATE OR REPLACE MACRO __gg_interval_from_text(s) AS ${boundOnce(
    's',
    `CASE
     WHEN txt IS NULL THEN NULL
     WHEN regexp_matches(txt, '[.,]\\d{7,}') THEN CAST(${refuse("'''' || txt || ''' (the local emulator keeps microseconds, not nanoseconds)'")} AS INTERVAL)
     WHEN regexp_matches(txt, ${YEAR_ROOTED}) THEN __gg_interval_of_text_fields(txt, regexp_extract(txt, ${YEAR_ROOTED}, ${PARTS}))
     WHEN regexp_matches(txt, ${TIME_ROOTED}) THEN __gg_interval_of_text_fields(txt, regexp_extract(txt, ${TIME_ROOTED}, ${PARTS}))
     WHEN regexp_matches(txt, ${ISO_8601}) AND regexp_matches(txt, '\\d') AND NOT regexp_matches(txt, 'T$')
       THEN __gg_interval_of_iso_fields(regexp_extract(txt, ${ISO_8601}, ['y', 'mo', 'd', 'h', 'mi', 's']))
     -- Shapes whose reading the emulator does not know ('H:M', 'D H', a '+' sign; ISO 8601 with weeks, a fraction of
     -- another part, or parts out of order or repeated, which BigQuery reads).
     WHEN regexp_matches(txt, '^P(-?\\d+([.,]\\d*)?[YMWDHS]|T)+$') OR (regexp_matches(txt, '^[-+0-9 :.]+$') AND NOT regexp_matches(txt, '^-?\\d+(-\\d*)?$'))
       THEN CAST(${refuse("'''' || txt || ''''")} AS INTERVAL)
     ELSE CAST(__gg_raise('Invalid INTERVAL value ''' || txt || '''') AS INTERVAL) END`,
    'txt',
  )}`,
  // INTERVAL / n truncates the microseconds toward zero (DuckDB rounds them).
  `CREATE OR REPLACE MACRO __gg_interval_div(i, n) AS CASE WHEN n = 0 THEN error('division by zero: ' || CAST(i AS VARCHAR) || ' / 0')
     WHEN __gg_interval_months(i) = 0 AND datepart('day', i) = 0 THEN to_microseconds(CAST(trunc(__gg_interval_micros(i) / n) AS BIGINT)) ELSE i / n END`,
  // CAST (safe false) and SAFE_CAST (true) to INTERVAL: DuckDB's own cast reads '1' as one second, not '1-2' or 'PT1H2M'.
  `CREATE OR REPLACE MACRO __gg_to_interval(x, safe) AS CASE WHEN typeof(x) IN ('INTERVAL', 'NULL', '"NULL"') THEN TRY_CAST(x AS INTERVAL)
     WHEN typeof(x) = 'VARCHAR' THEN CASE WHEN safe THEN TRY(__gg_interval_from_text(TRY_CAST(x AS VARCHAR))) ELSE __gg_interval_from_text(TRY_CAST(x AS VARCHAR)) END
     ELSE CAST(error('CAST to INTERVAL from ' || typeof(x) || ' is not supported by the local emulator') AS INTERVAL) END`,
  // JUSTIFY_HOURS moves whole 24-hour periods into the days, JUSTIFY_DAYS whole 30-day periods into the months (each
  // toward zero), and each then gives the two parts one sign; JUSTIFY_INTERVAL does both (interval_functions).
  `CREATE OR REPLACE MACRO __gg_carry_hours(p) AS ${boundOnce('p', `[v[1], v[2] + v[3] // ${DAY_MICROS}, v[3] % ${DAY_MICROS}]`)}`,
  `CREATE OR REPLACE MACRO __gg_carry_days(p) AS ${boundOnce('p', `[v[1] + v[2] // 30, v[2] % 30, v[3]]`)}`,
  `CREATE OR REPLACE MACRO __gg_sign_days_time(p) AS ${boundOnce(
    'p',
    `CASE WHEN v[2] > 0 AND v[3] < 0 THEN [v[1], v[2] - 1, v[3] + ${DAY_MICROS}] WHEN v[2] < 0 AND v[3] > 0 THEN [v[1], v[2] + 1, v[3] - ${DAY_MICROS}] ELSE v END`,
  )}`,
  // In JUSTIFY_INTERVAL a zero day part takes the time's sign (with_time).
  `CREATE OR REPLACE MACRO __gg_sign_months_days(p, with_time) AS ${boundOnce(
    'p',
    `CASE WHEN v[1] > 0 AND (v[2] < 0 OR (with_time AND v[2] = 0 AND v[3] < 0)) THEN [v[1] - 1, v[2] + 30, v[3]]
     WHEN v[1] < 0 AND (v[2] > 0 OR (with_time AND v[2] = 0 AND v[3] > 0)) THEN [v[1] + 1, v[2] - 30, v[3]] ELSE v END`,
  )}`,
  `CREATE OR REPLACE MACRO __gg_justify_hours(i) AS __gg_interval_of_parts(__gg_sign_days_time(__gg_carry_hours(__gg_interval_parts(i))))`,
  `CREATE OR REPLACE MACRO __gg_justify_days(i) AS __gg_interval_of_parts(__gg_sign_months_days(__gg_carry_days(__gg_interval_parts(i)), false))`,
  `CREATE OR REPLACE MACRO __gg_justify_interval(i) AS __gg_interval_of_parts(__gg_sign_days_time(__gg_sign_months_days(__gg_carry_days(__gg_carry_hours(__gg_interval_parts(i))), true)))`,
];

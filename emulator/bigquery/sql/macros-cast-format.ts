/**
 * DuckDB macros for CAST ... FORMAT between STRING and the date and time types (cast-format-datetime.ts reads the
 * format into element codes and patterns; these do the work for each row).
 */
const REFUSE_TYPE = `'CAST with this FORMAT (or FORMAT from or to this type) is not supported by the local emulator'`;

export const castFormatMacros: string[] = [
  // The value's civil time as a DuckDB TIMESTAMP; a TIMESTAMP's in zone tz. TRY_CAST binds whatever x's type (DuckDB
  // has no TIME to TIMESTAMP cast, for one); typeof folds when DuckDB binds, so only x's own branch runs.
  `CREATE OR REPLACE MACRO __gg_civil_of(x, tz) AS CASE typeof(x)
     WHEN 'DATE' THEN CAST(TRY_CAST(x AS DATE) AS TIMESTAMP)
     WHEN 'TIME' THEN DATE '1970-01-01' + TRY_CAST(x AS TIME)
     WHEN 'TIMESTAMP WITH TIME ZONE' THEN __gg_local(TRY_CAST(x AS TIMESTAMPTZ), tz)
     ELSE TRY_CAST(x AS TIMESTAMP) END`,
  // A name's letters in the case class of its element: A (upper), a (lower), Aa (capitalized).
  `CREATE OR REPLACE MACRO __gg_in_case(v, k) AS CASE k WHEN 'A' THEN upper(v) WHEN 'a' THEN lower(v) ELSE upper(left(v, 1)) || lower(substr(v, 2)) END`,
  // One format element's text for the civil time c; om is the TIMESTAMP's offset in minutes from UTC in its zone.
  `CREATE OR REPLACE MACRO __gg_format_element(c, om, e) AS CASE
     WHEN starts_with(e, 'L:') THEN substr(e, 3)
     WHEN e IN ('YYYY', 'RRRR') THEN lpad(CAST(year(c) AS VARCHAR), 4, '0')
     WHEN e = 'YYY' THEN lpad(CAST(year(c) % 1000 AS VARCHAR), 3, '0')
     WHEN e IN ('YY', 'RR') THEN lpad(CAST(year(c) % 100 AS VARCHAR), 2, '0')
     WHEN e = 'Y' THEN CAST(year(c) % 10 AS VARCHAR)
     WHEN e = 'Y,YYY' THEN CAST(year(c) // 1000 AS VARCHAR) || ',' || lpad(CAST(year(c) % 1000 AS VARCHAR), 3, '0')
     WHEN e = 'MM' THEN strftime(c, '%m')
     WHEN e = 'D' THEN CAST(dayofweek(c) + 1 AS VARCHAR)
     WHEN e = 'DD' THEN strftime(c, '%d')
     WHEN e = 'DDD' THEN strftime(c, '%j')
     WHEN e IN ('HH', 'HH12') THEN strftime(c, '%I')
     WHEN e = 'HH24' THEN strftime(c, '%H')
     WHEN e = 'MI' THEN strftime(c, '%M')
     WHEN e = 'SS' THEN strftime(c, '%S')
     WHEN e = 'SSSSS' THEN lpad(CAST(hour(c) * 3600 + minute(c) * 60 + second(c) AS VARCHAR), 5, '0')
     WHEN starts_with(e, 'FF') THEN left(strftime(c, '%f') || '000', CAST(substr(e, 3) AS INTEGER))
     WHEN starts_with(e, 'AM:') THEN __gg_in_case(CASE WHEN hour(c) < 12 THEN 'AM' ELSE 'PM' END, substr(e, 4))
     WHEN starts_with(e, 'A.M.:') THEN __gg_in_case(CASE WHEN hour(c) < 12 THEN 'A.M.' ELSE 'P.M.' END, substr(e, 6))
     WHEN starts_with(e, 'MONTH:') THEN __gg_in_case(strftime(c, '%B'), substr(e, 7))
     WHEN starts_with(e, 'MON:') THEN __gg_in_case(strftime(c, '%b'), substr(e, 5))
     WHEN starts_with(e, 'DY:') THEN __gg_in_case(strftime(c, '%a'), substr(e, 4))
     WHEN e = 'TZH' THEN CASE WHEN om < 0 THEN '-' ELSE '+' END || lpad(CAST(abs(om) // 60 AS VARCHAR), 2, '0')
     WHEN e = 'TZM' THEN lpad(CAST(abs(om) % 60 AS VARCHAR), 2, '0') END`,
  // CAST(x AS STRING FORMAT ...): a DATE has no time parts, a TIME no date parts; only a TIMESTAMP has an offset here.
  `CREATE OR REPLACE MACRO __gg_format_datetime(x, tz, codes, has_date, has_time, has_zone) AS CASE
     WHEN typeof(x) NOT IN ('DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE') THEN __gg_refuse_text(${REFUSE_TYPE})
     WHEN has_zone AND typeof(x) <> 'TIMESTAMP WITH TIME ZONE' THEN __gg_refuse_text('The format elements TZH and TZM of a value that is not a TIMESTAMP are not supported by the local emulator')
     WHEN (typeof(x) = 'DATE' AND has_time) OR (typeof(x) = 'TIME' AND has_date)
     THEN __gg_raise_text('A format element of CAST ... FORMAT is not a part of ' || CASE typeof(x) WHEN 'TIMESTAMP' THEN 'DATETIME' ELSE typeof(x) END)
     WHEN x IS NULL OR tz IS NULL THEN NULL
     ELSE list_apply([{'c': __gg_civil_of(x, tz), 'om': CASE WHEN has_zone THEN __gg_offset_minutes(TRY_CAST(x AS TIMESTAMPTZ), tz) END}],
       lambda v: array_to_string(list_transform(codes, lambda e: __gg_format_element(v['c'], v['om'], e)), ''))[1] END`,
  // Polyglot writes any TIMESTAMP type as DuckDB's TIMESTAMP (BigQuery's DATETIME).
  `CREATE OR REPLACE MACRO __gg_null_timestamp() AS CAST(NULL AS TIMESTAMPTZ)`,
  `CREATE OR REPLACE MACRO __gg_today() AS __gg_date_in_zone(get_current_timestamp(), current_setting('TimeZone'))`,
  // A part's number from text s matched by the pattern p (group g), or the default where the format has no such part.
  `CREATE OR REPLACE MACRO __gg_parsed_part(s, p, g, otherwise) AS CASE WHEN g = 0 THEN otherwise ELSE TRY_CAST(regexp_extract(s, p, g) AS INTEGER) END`,
  // The civil time text 'YYYY-MM-DD HH:MI:SS.ffffff' of s read with the format's strict pattern; an impossible part
  // (hour 24, which DuckDB's cast reads as the next day, a 12-hour clock past 12, minute 60, a year 0) becomes text no
  // cast reads. Text only a looser reading matches is refused.
  `CREATE OR REPLACE MACRO __gg_parse_civil(s, strict, loose, yi, moi, di, hi, meri, mii, si, fi, type, safe) AS CASE
     WHEN s IS NULL THEN NULL
     WHEN regexp_matches(s, strict) THEN printf('%04d-%02d-%02d %02d:%02d:%02d.%s',
       CASE WHEN __gg_parsed_part(s, strict, yi, year(__gg_today())) < 1 THEN -1 ELSE __gg_parsed_part(s, strict, yi, year(__gg_today())) END,
       __gg_parsed_part(s, strict, moi, month(__gg_today())), __gg_parsed_part(s, strict, di, 1),
       CASE WHEN meri = 0 THEN CASE WHEN __gg_parsed_part(s, strict, hi, 0) <= 23 THEN __gg_parsed_part(s, strict, hi, 0) ELSE 99 END
         WHEN __gg_parsed_part(s, strict, hi, 0) BETWEEN 1 AND 12
         THEN __gg_parsed_part(s, strict, hi, 0) % 12 + CASE WHEN upper(regexp_extract(s, strict, meri)) = 'P' THEN 12 ELSE 0 END ELSE 99 END,
       CASE WHEN __gg_parsed_part(s, strict, mii, 0) <= 59 THEN __gg_parsed_part(s, strict, mii, 0) ELSE 99 END,
       CASE WHEN __gg_parsed_part(s, strict, si, 0) <= 59 THEN __gg_parsed_part(s, strict, si, 0) ELSE 99 END,
       CASE WHEN fi = 0 THEN '000000' ELSE left(regexp_extract(s, strict, fi) || '00000', 6) END)
     WHEN regexp_matches(s, loose) THEN __gg_refuse_text('CAST(''' || s || ''' AS ' || type || ' FORMAT ...), whose parts are not as wide as their format elements, is not supported by the local emulator')
     WHEN safe THEN NULL
     ELSE __gg_raise_text('Failed to parse input string "' || s || '" with the format of CAST(... AS ' || type || ' FORMAT ...)') END`,
  ...(
    [
      ['date', 'DATE', 'CAST(CAST(t AS TIMESTAMP) AS DATE)'],
      ['datetime', 'TIMESTAMP', 'CAST(t AS TIMESTAMP)'],
      ['time', 'TIME', 'CAST(CAST(t AS TIMESTAMP) AS TIME)'],
    ] as const
  ).map(
    ([name, type, value]) => `CREATE OR REPLACE MACRO __gg_civil_as_${name}(t, target, safe) AS CASE WHEN t IS NULL THEN NULL
       WHEN TRY_CAST(t AS TIMESTAMP) IS NULL THEN CASE WHEN safe THEN NULL ELSE CAST(__gg_raise_text('Invalid ' || target || ' value: ' || t) AS ${type}) END
       ELSE ${value} END`,
  ),
];

/**
 * DuckDB macros that give BigQuery's semantics where DuckDB's built-ins differ. ast-fixes.ts
 * rewrites calls to these names; each line says which BigQuery behaviour it keeps.
 */
export const bigQueryMacros: string[] = [
  // BigQuery raises on division by zero; DuckDB returns Infinity/NULL.
  `CREATE OR REPLACE MACRO __gg_div(a, b) AS CASE WHEN b = 0 THEN error('division by zero: ' || a::VARCHAR || ' / ' || b::VARCHAR) ELSE a / b END`,
  // DIV truncates toward zero and raises on zero.
  `CREATE OR REPLACE MACRO __gg_intdiv(a, b) AS CASE WHEN b = 0 THEN error('division by zero: ' || a::VARCHAR || ' / ' || b::VARCHAR) ELSE CAST(a AS BIGINT) // CAST(b AS BIGINT) END`,
  // FLOAT64 -> INT64 rounds half away from zero in BigQuery; DuckDB rounds half to even.
  `CREATE OR REPLACE MACRO __gg_to_int64(x) AS CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN CAST(round(TRY_CAST(x AS DOUBLE)) AS BIGINT) ELSE CAST(x AS BIGINT) END`,
  // FLOAT64 -> STRING prints 25.0 as '25' in BigQuery; BOOL prints lower case in both.
  `CREATE OR REPLACE MACRO __gg_to_string(x) AS CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN regexp_replace(CAST(x AS VARCHAR), '\\.0$', '') WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' THEN regexp_replace(strftime(TRY_CAST(x AS TIMESTAMPTZ), '%Y-%m-%d %H:%M:%S.%f'), '\\.?0*$', '') || '+00' ELSE CAST(x AS VARCHAR) END`,
  // Sunday = 1 in BigQuery, 0 in DuckDB.
  `CREATE OR REPLACE MACRO __gg_dayofweek(d) AS dayofweek(d) + 1`,
  // BigQuery WEEK: weeks start on Sunday; days before the first Sunday are week 0.
  `CREATE OR REPLACE MACRO __gg_week(d) AS CAST(strftime(d, '%U') AS BIGINT)`,
  `CREATE OR REPLACE MACRO __gg_date_trunc_week(d) AS CAST(CAST(d AS DATE) - CAST(dayofweek(d) AS INTEGER) AS DATE)`,
  // DATE_ADD/DATE_SUB return DATE in BigQuery (DuckDB: TIMESTAMP).
  `CREATE OR REPLACE MACRO __gg_date_add(d, i) AS CAST(d + i AS DATE)`,
  `CREATE OR REPLACE MACRO __gg_date_sub(d, i) AS CAST(d - i AS DATE)`,
  // TIMESTAMP_DIFF counts whole units elapsed, truncated toward zero (DuckDB counts boundaries).
  `CREATE OR REPLACE MACRO __gg_ts_diff(a, b, unit) AS CASE unit
     WHEN 'MICROSECOND' THEN epoch_us(a) - epoch_us(b)
     WHEN 'MILLISECOND' THEN CAST(trunc((epoch_us(a) - epoch_us(b)) / 1000) AS BIGINT)
     WHEN 'SECOND' THEN CAST(trunc((epoch_us(a) - epoch_us(b)) / 1000000) AS BIGINT)
     WHEN 'MINUTE' THEN CAST(trunc((epoch_us(a) - epoch_us(b)) / 60000000) AS BIGINT)
     WHEN 'HOUR' THEN CAST(trunc((epoch_us(a) - epoch_us(b)) / 3600000000) AS BIGINT)
     WHEN 'DAY' THEN CAST(trunc((epoch_us(a) - epoch_us(b)) / 86400000000) AS BIGINT)
     ELSE error('TIMESTAMP_DIFF does not support the ' || unit || ' date part') END`,
  // REGEXP_EXTRACT returns NULL when nothing matches (DuckDB: '').
  `CREATE OR REPLACE MACRO __gg_regexp_extract(s, p, g) AS CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p, g) END`,
  `CREATE OR REPLACE MACRO __gg_in_unnest(x, arr) AS CASE WHEN x IS NULL THEN NULL ELSE list_contains(arr, x) END`,
];

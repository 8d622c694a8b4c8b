/**
 * DuckDB macros for fix-strings.ts. typeof() folds when a macro binds, so only the branch for the argument's type
 * runs (the TRY_CASTs let the other branch bind). Errors use __gg_raise, which SAFE.fn's TRY can catch.
 */
export const stringMacros: string[] = [
  `CREATE OR REPLACE MACRO __gg_non_negative(n, message) AS CASE WHEN n < 0 THEN __gg_raise(message) ELSE n END`,
  // UNICODE('') is 0 (DuckDB: -1).
  `CREATE OR REPLACE MACRO __gg_unicode(s) AS CASE WHEN s = '' THEN 0 ELSE unicode(s) END`,
  // ASCII: the first byte of BYTES; the first character of a STRING, which must be ASCII; 0 for empty input.
  `CREATE OR REPLACE MACRO __gg_ascii(s) AS CASE
     WHEN typeof(s) = 'BLOB' THEN CASE WHEN octet_length(TRY_CAST(s AS BLOB)) = 0 THEN 0 ELSE CAST(('0x' || substring(hex(TRY_CAST(s AS BLOB)), 1, 2)) AS INTEGER) END
     WHEN TRY_CAST(s AS VARCHAR) = '' THEN 0
     WHEN unicode(TRY_CAST(s AS VARCHAR)) > 127 THEN __gg_raise('ASCII() requires an ASCII first character: ' || TRY_CAST(s AS VARCHAR))
     ELSE unicode(TRY_CAST(s AS VARCHAR)) END`,
  // SPLIT: NULL for a NULL value or delimiter (DuckDB: an empty list).
  `CREATE OR REPLACE MACRO __gg_split(s, d) AS CASE WHEN s IS NULL OR d IS NULL THEN NULL ELSE str_split(s, d) END`,
  // STRPOS / STARTS_WITH / ENDS_WITH on BYTES compare bytes (hex digits, aligned on byte boundaries).
  `CREATE OR REPLACE MACRO __gg_bytes_strpos(ha, hb) AS coalesce(list_filter(range(1, length(ha) // 2 - length(hb) // 2 + 2), lambda i: substring(ha, 2 * i - 1, length(hb)) = hb)[1], 0)`,
  `CREATE OR REPLACE MACRO __gg_strpos(a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL
     WHEN typeof(a) = 'BLOB' THEN __gg_bytes_strpos(hex(TRY_CAST(a AS BLOB)), hex(TRY_CAST(b AS BLOB)))
     ELSE strpos(TRY_CAST(a AS VARCHAR), TRY_CAST(b AS VARCHAR)) END`,
  `CREATE OR REPLACE MACRO __gg_starts_with(a, b) AS CASE WHEN typeof(a) = 'BLOB' THEN starts_with(hex(TRY_CAST(a AS BLOB)), hex(TRY_CAST(b AS BLOB)))
     ELSE starts_with(TRY_CAST(a AS VARCHAR), TRY_CAST(b AS VARCHAR)) END`,
  `CREATE OR REPLACE MACRO __gg_ends_with(a, b) AS CASE WHEN typeof(a) = 'BLOB' THEN ends_with(hex(TRY_CAST(a AS BLOB)), hex(TRY_CAST(b AS BLOB)))
     ELSE ends_with(TRY_CAST(a AS VARCHAR), TRY_CAST(b AS VARCHAR)) END`,
];

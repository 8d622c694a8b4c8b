/**
 * DuckDB macros for fix-strings.ts. typeof() folds when a macro binds, so only the branch for the argument's type
 * runs (the TRY_CASTs let the other branch bind). Errors use __gg_raise, which SAFE.fn's TRY can catch; refusals
 * __gg_refuse, which it cannot (macros-raise.ts).
 */
export const stringMacros: string[] = [
  // CONCAT(x): x as a string, NULL for NULL (DuckDB's concat gives '').
  `CREATE OR REPLACE MACRO __gg_concat1(x) AS CASE WHEN x IS NULL THEN NULL ELSE concat(x) END`,
  `CREATE OR REPLACE MACRO __gg_non_negative(n, message) AS CASE WHEN n < 0 THEN __gg_raise(message) ELSE n END`,
  // REGEXP_EXTRACT(s, re, position, occurrence) searches the text from `position` on; BigQuery matches in the whole
  // value, so ^ and \\b see the text before it: such a pattern past position 1 is refused rather than answered on the cut text.
  `CREATE OR REPLACE MACRO __gg_regexp_from(s, re, pos) AS cast_to_type(CASE WHEN pos <= 0 THEN __gg_raise_text('The position argument to REGEXP_EXTRACT must be positive; got ' || pos)
     WHEN pos > 1 AND regexp_matches(TRY_CAST(re AS VARCHAR), '\\^|\\\\[bBA]') THEN __gg_refuse_text('REGEXP_EXTRACT from a position past 1 with a pattern using ^, \\A, \\b or \\B is not supported by the local emulator')
     WHEN typeof(s) = 'BLOB' THEN __gg_refuse_text('REGEXP_EXTRACT of BYTES from a position is not supported by the local emulator')
     ELSE nullif(substring(TRY_CAST(s AS VARCHAR), pos), '') END, s)`,
  `CREATE OR REPLACE MACRO __gg_regexp_occurrence(matches, occ) AS CASE WHEN false THEN coalesce(matches, [])[1]
     ELSE coalesce(matches, [])[CASE WHEN occ <= 0 THEN __gg_raise('The occurrence argument to REGEXP_EXTRACT must be positive; got ' || occ) ELSE occ END] END`,
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
  // SPLIT_SUBSTR(s, d, start[, count]): parts joined by d; start 0 is 1, a negative start counts from the end
  // (before the first part: the first part), past the end is ''.
  `CREATE OR REPLACE MACRO __gg_split_substr_parts(parts, d, p, c) AS array_to_string(list_slice(parts,
     CASE WHEN p > 0 THEN p WHEN p = 0 OR -p > len(parts) THEN 1 ELSE len(parts) + p + 1 END,
     CASE WHEN p > 0 THEN p WHEN p = 0 OR -p > len(parts) THEN 1 ELSE len(parts) + p + 1 END + least(c, len(parts)) - 1), d)`,
  `CREATE OR REPLACE MACRO __gg_split_substr4(s, d, p, c) AS CASE WHEN s IS NULL OR d IS NULL OR p IS NULL OR c IS NULL THEN NULL
     WHEN d = '' OR c < 0 THEN __gg_refuse_text('SPLIT_SUBSTR with an empty delimiter or a negative count is not supported by the local emulator')
     ELSE __gg_split_substr_parts(str_split(s, d), d, p, c) END`,
  `CREATE OR REPLACE MACRO __gg_split_substr(s, d, p) AS __gg_split_substr4(s, d, p, 9223372036854775807), (s, d, p, c) AS __gg_split_substr4(s, d, p, c)`,
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

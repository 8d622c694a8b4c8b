/**
 * DuckDB macros for CAST ... FORMAT and parameterized types (fix-casts.ts). Invalid input raises with __gg_raise (a
 * failing cast SAFE_CAST's TRY can catch); a refusal raises with error(), which TRY cannot wrap, so it is never NULL.
 */
const REFUSE = `'CAST with this FORMAT (or FORMAT from or to this type) is not supported by the local emulator'`;
const DECODED = `('hex', 'base16', 'base64', 'utf8', 'utf-8', 'ascii')`;

export const castMacros: string[] = [
  // BYTES → STRING and back for the FORMAT names BigQuery documents (case-insensitive).
  `CREATE OR REPLACE MACRO __gg_bytes_to_string_format(b, f) AS CASE lower(f)
     WHEN 'hex' THEN lower(hex(b)) WHEN 'base16' THEN lower(hex(b))
     WHEN 'base64' THEN to_base64(b)
     WHEN 'ascii' THEN CASE WHEN regexp_matches(hex(b), '^([0-7][0-9A-F])*$') THEN decode(b) ELSE __gg_raise_text('Failed to decode invalid ASCII string') END
     ELSE decode(b) END`,
  `CREATE OR REPLACE MACRO __gg_string_to_bytes_format(s, f) AS CASE lower(f)
     WHEN 'hex' THEN unhex(s) WHEN 'base16' THEN unhex(s)
     WHEN 'base64' THEN from_base64(s)
     WHEN 'ascii' THEN CASE WHEN regexp_matches(s, '^[\\x00-\\x7F]*$') THEN encode(s) ELSE CAST(__gg_raise_text('Failed to encode invalid ASCII string') AS BLOB) END
     ELSE encode(s) END`,
  // typeof folds when the macro binds: only the branch for x's type runs. A NULL value or format gives NULL.
  `CREATE OR REPLACE MACRO __gg_format_check(x, f, source, safe) AS CASE
     WHEN lower(f) IN ('base2', 'base8', 'base32', 'base64m') OR typeof(x) <> source THEN error(${REFUSE})
     WHEN lower(f) NOT IN ${DECODED} THEN CASE WHEN safe THEN NULL ELSE error('Invalid format: ' || f) END ELSE TRUE END`,
  `CREATE OR REPLACE MACRO __gg_cast_string_format(x, f, safe) AS CASE WHEN x IS NULL OR f IS NULL THEN NULL WHEN __gg_format_check(x, f, 'BLOB', safe) THEN
     CASE WHEN safe THEN TRY(__gg_bytes_to_string_format(TRY_CAST(x AS BLOB), f)) ELSE __gg_bytes_to_string_format(TRY_CAST(x AS BLOB), f) END END`,
  `CREATE OR REPLACE MACRO __gg_cast_bytes_format(x, f, safe) AS CASE WHEN x IS NULL OR f IS NULL THEN NULL WHEN __gg_format_check(x, f, 'VARCHAR', safe) THEN
     CASE WHEN safe THEN TRY(__gg_string_to_bytes_format(TRY_CAST(x AS VARCHAR), f)) ELSE __gg_string_to_bytes_format(TRY_CAST(x AS VARCHAR), f) END END`,
  `CREATE OR REPLACE MACRO __gg_check_length(v, n, label) AS CASE WHEN length(v) > n
     THEN __gg_raise_text(label || ' has maximum length ' || n || ' but got a value with length ' || length(v)) ELSE v END`,
  `CREATE OR REPLACE MACRO __gg_check_bytes_length(v, n, label) AS CASE WHEN octet_length(v) > n
     THEN CAST(__gg_raise_text(label || ' has maximum length ' || n || ' but got a value with length ' || octet_length(v)) AS BLOB) ELSE v END`,
  `CREATE OR REPLACE MACRO __gg_check_decimal(v, max, message) AS CASE WHEN abs(v) > max THEN v + __gg_raise(message) ELSE v END`,
  `CREATE OR REPLACE MACRO __gg_to_interval(x) AS CASE WHEN typeof(x) IN ('INTERVAL', 'NULL', '"NULL"') THEN TRY_CAST(x AS INTERVAL)
     ELSE CAST(error('CAST to INTERVAL from ' || typeof(x) || ' is not supported by the local emulator') AS INTERVAL) END`,
  // INTERVAL / n truncates the microseconds toward zero (DuckDB rounds them).
  `CREATE OR REPLACE MACRO __gg_interval_div(i, n) AS CASE WHEN n = 0 THEN error('division by zero: ' || CAST(i AS VARCHAR) || ' / 0')
     WHEN __gg_interval_months(i) = 0 AND datepart('day', i) = 0 THEN to_microseconds(CAST(trunc(__gg_interval_micros(i) / n) AS BIGINT)) ELSE i / n END`,
  `CREATE OR REPLACE MACRO __gg_interval_of(months, days, micros) AS to_months(CAST(months AS INTEGER)) + to_days(CAST(days AS INTEGER)) + to_microseconds(CAST(micros AS BIGINT))`,
  `CREATE OR REPLACE MACRO __gg_to_bytes(x) AS CASE WHEN typeof(x) = 'VARCHAR' THEN encode(TRY_CAST(x AS VARCHAR)) ELSE CAST(x AS BLOB) END`,
];

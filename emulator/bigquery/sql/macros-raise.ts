/**
 * The two ways a translated query fails on purpose: BigQuery's own errors (__gg_raise), which a SAFE. call turns into
 * NULL as BigQuery does, and the emulator's refusals (__gg_refuse), which nothing turns into NULL. Every other macro
 * list may use them, so they are defined first (macros.ts).
 */
export const raiseMacros: string[] = [
  // A run-time error as a failing cast: DuckDB's error() is volatile, and DuckDB refuses a volatile expression behind an
  // alias used in HAVING/QUALIFY; errors.ts turns the cast's message back into the text.
  `CREATE OR REPLACE MACRO __gg_raise(msg) AS CAST('__gg_error: ' || msg AS BIGINT)`,
  `CREATE OR REPLACE MACRO __gg_raise_text(msg) AS CAST(__gg_raise(msg) AS VARCHAR)`,
  // The emulator's refusals ("... is not supported by the local emulator") must raise even inside TRY, which is how
  // SAFE. calls are translated: a refusal turned into NULL would be a wrong answer. DuckDB's TRY passes a parser error
  // through, and json_deserialize_sql raises one with the message of the serialized error it is given; errors.ts turns
  // it back into the text. (An unknown time zone, which raised a "Not implemented" error before, cost ~3 ms each time
  // DuckDB's constant folding tried a refusal: ICU lists every zone. A query with a few RANGE windows took a second.)
  `CREATE OR REPLACE MACRO __gg_refuse(msg) AS CAST(json_deserialize_sql('{"error":true,"error_type":"__gg_refusal","error_message":' || to_json(coalesce(CAST(msg AS VARCHAR), 'This query is not supported by the local emulator (its refusal message was NULL)')) || '}') AS BIGINT)`,
  `CREATE OR REPLACE MACRO __gg_refuse_text(msg) AS CAST(__gg_refuse(msg) AS VARCHAR)`,
  // An error BigQuery reports when it analyses the query (no matching signature), which the emulator can see only once
  // DuckDB knows the types: SAFE. does not turn it into NULL either.
  `CREATE OR REPLACE MACRO __gg_static_error(msg) AS __gg_refuse(msg)`,
  // SAFE.fn(args) "only prevents errors from the prefixed function itself: it doesn't prevent errors that occur while
  // evaluating argument expressions" (functions-reference#safe_prefix). TRY(fn(args)) would catch both: the arguments
  // are evaluated first, outside the TRY, in a row that is never NULL (ast-fixes.ts).
  `CREATE OR REPLACE MACRO __gg_safe_call(args, v) AS CASE WHEN args IS NULL THEN NULL ELSE v END`,
];

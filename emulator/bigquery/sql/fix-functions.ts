/**
 * Scalar functions (strings, math, JSON, hashing) that DuckDB lacks or defines differently.
 * Handlers get already-rewritten arguments; undefined keeps polyglot's own translation.
 */
import { BigQueryError, invalidQuery } from '../errors.ts';
import { castTo, fn, isFloatLiteral, isNullLiteral, strLit, stringValue, type Node } from './ast-build.ts';
import { arithmeticCall } from './fix-arithmetic.ts';
import { expandFormat } from './format-strings.ts';
import { makeInterval } from './fix-intervals.ts';
import { checkJsonPath, legacyJsonPath } from './fix-json.ts';
import { parse, Dialect } from './polyglot.ts';
import { rangeFunctionRefusals } from './refuse-unsupported.ts';
import { bindsLate, typedCall } from './typed-call.ts';

type Handler = (args: Node[]) => Node | undefined;

/** A FLOAT64 literal (maybe negated) or a NUMERIC/BIGNUMERIC literal, as the translation writes them (CAST(0.5 AS DOUBLE), fix-casts.ts). */
const isFractionalLiteral = (n: Node): boolean =>
  n?.neg ? isFractionalLiteral(n.neg.this) : isFloatLiteral(n) || isFloatLiteral(n?.cast?.this) || /^__gg_plain_(big)?numeric$/i.test(String(n?.function?.name ?? ''));

const macro =
  (name: string): Handler =>
  (args) =>
    fn(name, args);

/**
 * BigQuery's encryption functions (KEYS.*, AEAD.*, DETERMINISTIC_*) work on Tink keysets, which the local emulator does
 * not implement: refused rather than failing on a missing DuckDB function.
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/aead_encryption_functions
 */
function refuseEncryption(name: string): never {
  throw new BigQueryError(400, 'invalidQuery', `${name.toUpperCase()} (AEAD encryption) is not supported by the local emulator`);
}
/** KEYS.fn(...) / AEAD.fn(...) (also under SAFE.) parse as a method call on a column named KEYS or AEAD. */
export function refuseEncryptionCall(body: Node): undefined {
  const owner = String(body.this?.column?.name?.name ?? '').toUpperCase();
  if ((owner === 'KEYS' || owner === 'AEAD') && !body.this.column.name.quoted) refuseEncryption(`${owner}.${body.method?.name ?? ''}`);
  return undefined;
}

let selectStar: Node | undefined;
/** ARRAY(<set operation>): polyglot makes it LIST_VALUE(<query>), which DuckDB cannot parse; a query over it is the same array. */
const arrayOfSetOperation: Handler = (args) => {
  if (args.length !== 1 || !['union', 'intersect', 'except'].some((k) => args[0]?.[k])) return undefined;
  selectStar ??= (parse('SELECT * FROM (SELECT 1)', Dialect.BigQuery).ast as Node[])[0];
  const query = structuredClone(selectStar);
  query.select.from.expressions[0].subquery.this = args[0];
  return fn('ARRAY', [query]);
};

/** JUSTIFY_*(i): a NULL literal is an INTERVAL NULL (DuckDB found no datepart overload for an untyped NULL). */
const justify =
  (macro: string): Handler =>
  (args) =>
    args.length === 1 ? fn(macro, [isNullLiteral(args[0]) ? castTo(args[0], 'INTERVAL') : args[0]]) : undefined;

export const scalarFunctions: Record<string, Handler> = {
  array: arrayOfSetOperation,
  error: (args) => (args.length === 1 ? fn('__gg_error', args) : undefined),
  make_interval: makeInterval,
  justify_days: justify('__gg_justify_days'),
  justify_hours: justify('__gg_justify_hours'),
  justify_interval: justify('__gg_justify_interval'),
  ...rangeFunctionRefusals,
  // ../range-type.ts; a call with another number of arguments is left to fail as BigQuery's does.
  range: (args) => (args.length === 2 ? fn('__gg_range', args) : undefined),
  range_start: (args) => (args.length === 1 ? fn('__gg_range_start', args) : undefined),
  range_end: (args) => (args.length === 1 ? fn('__gg_range_end', args) : undefined),
  range_overlaps: (args) => (args.length === 2 ? fn('__gg_range_overlaps', args) : undefined),
  range_intersect: (args) => (args.length === 2 ? fn('__gg_range_intersect', args) : undefined),
  // FLATTEN (GoogleSQL's array path flattening) is not among BigQuery's functions; DuckDB's flatten() would concatenate a
  // list of lists.
  flatten: () => {
    throw invalidQuery('Function not found: FLATTEN');
  },
  // strings
  byte_length: macro('__gg_byte_length'),
  octet_length: macro('__gg_byte_length'),
  initcap: macro('__gg_initcap'),
  code_points_to_string: macro('__gg_code_points_to_string'),
  code_points_to_bytes: macro('__gg_code_points_to_bytes'),
  to_code_points: macro('__gg_to_code_points'),
  __gg_instr: macro('__gg_instr'),
  // REPEAT refuses outputs over 1 MB (an unbounded one would exhaust the emulator's memory).
  repeat: macro('__gg_repeat'),
  format: (args) => expandFormat(args) ?? fn('printf', args),
  deterministic_encrypt: () => refuseEncryption('DETERMINISTIC_ENCRYPT'),
  deterministic_decrypt_bytes: () => refuseEncryption('DETERMINISTIC_DECRYPT_BYTES'),
  deterministic_decrypt_string: () => refuseEncryption('DETERMINISTIC_DECRYPT_STRING'),
  array_first: macro('__gg_array_first'),
  array_slice: (args) => (args.length === 3 ? fn('__gg_array_slice', args) : undefined),
  array_concat: (args) => (args.length ? args.reduce((left, right) => fn('__gg_array_concat', [left, right])) : undefined),
  array_to_string: (args) => (args.length === 2 || args.length === 3 ? fn(args.length === 2 ? '__gg_array_to_string' : '__gg_array_to_string_or', args) : undefined),
  nullif: (args) => (args.length === 2 ? fn('__gg_nullif', args) : undefined),
  // LEAST is NaN if any argument is; DuckDB's orders NaN last, so only GREATEST sees it.
  least: (args) => (args.length ? fn('__gg_min_nan', [fn('least', args), fn('greatest', structuredClone(args))]) : undefined),
  array_last: macro('__gg_array_last'),
  // math
  div: macro('__gg_intdiv'),
  ieee_divide: macro('__gg_ieee_divide'),
  is_nan: macro('isnan'),
  is_inf: macro('isinf'),
  safe_add: macro('__gg_safe_add'),
  safe_subtract: macro('__gg_safe_subtract'),
  safe_multiply: macro('__gg_safe_multiply'),
  safe_negate: macro('__gg_safe_negate'),
  safe_divide: (args) => arithmeticCall('__gg_safe_divide', args),
  range_bucket: macro('__gg_range_bucket'),
  // GENERATE_ARRAY with a zero step is an error in BigQuery (DuckDB: an empty list).
  // A FLOAT64 or NUMERIC literal argument: DuckDB's generate_series takes integers only (generate_array_steps).
  generate_array: (args) => fn(args.some(isFractionalLiteral) ? '__gg_generate_array_steps' : '__gg_generate_array', args),
  sign: macro('__gg_sign'),
  bit_count: (args) => (args.length === 1 ? fn('__gg_bit_count', args) : undefined),
  // JSON (the node forms json_value/json_query are handled in ast-fixes.ts)
  json_extract_scalar: (args) => fn('__gg_json_value', [args[0], checkedPath(args[1] ? legacyJsonPath(args[1]) : strLit('$'))]),
  json_extract: (args) => fn('__gg_json_query', [args[0], checkedPath(args[1] ? legacyJsonPath(args[1]) : strLit('$'))]),
  json_value_array: (args) => fn('__gg_json_value_array', [args[0], checkedPath(args[1] ?? strLit('$'))]),
  json_extract_string_array: (args) => fn('__gg_json_value_array', [args[0], checkedPath(args[1] ? legacyJsonPath(args[1]) : strLit('$'))]),
  json_query_array: (args) => jsonQueryArray(args[0], args[1] ?? strLit('$')),
  json_extract_array: (args) => jsonQueryArray(args[0], args[1] ? legacyJsonPath(args[1]) : strLit('$')),
  // hashes are BYTES
  md5: macro('__gg_md5'),
  sha1: macro('__gg_sha1'),
  sha512: macro('__gg_sha512'),
  safe_convert_bytes_to_string: (args) => (args.length === 1 ? fn('__gg_safe_convert_bytes_to_string', [fn('__gg_bytes_argument', [args[0], strLit('SAFE_CONVERT_BYTES_TO_STRING')])]) : undefined),
  // A dense vector (ARRAY<FLOAT64>) or a sparse one picks the macro's overload (macros-vectors.ts).
  euclidean_distance: (args) => (args.length === 2 ? typedCall('__gg_euclidean_distance', args, args.some(bindsLate)) : undefined),
  cosine_distance: (args) => (args.length === 2 ? typedCall('__gg_cosine_distance', args, args.some(bindsLate)) : undefined),
  to_base32: macro('__gg_to_base32'),
  from_base32: macro('__gg_from_base32'),
  farm_fingerprint: macro('__gg_farm_fingerprint'),
  // PARSE_NUMERIC is CAST AS NUMERIC of the number its looser text spells (conversion_functions#parse_numeric).
  parse_numeric: macro('__gg_parse_numeric'),
  parse_bignumeric: macro('__gg_parse_bignumeric'),
  // dates (kept here because polyglot's own rewrite of these is wrong)
  date_add: macro('__gg_date_add'),
  date_sub: macro('__gg_date_sub'),
};

/** SAFE.PARSE_NUMERIC / SAFE.PARSE_BIGNUMERIC: their safe macros, which keep the emulator's refusals raised. */
export function safeParseDecimal(call: Node): Node | undefined {
  const name = call?.function?.name;
  return name === '__gg_parse_numeric' || name === '__gg_parse_bignumeric' ? fn(name.replace('__gg_', '__gg_safe_'), call.function.args) : undefined;
}

const checkedPath = (path: Node): Node => {
  checkJsonPath(path);
  return path;
};

function jsonQueryArray(json: Node, path: Node): Node {
  checkJsonPath(path);
  // ARRAY<JSON> of a JSON value, ARRAY<STRING> of a STRING (json_functions#json_query_array): typed as [json] is.
  return fn('__gg_typed_like_list', [fn(stringValue(path) === undefined ? '__gg_json_query_array' : '__gg_json_query_array_at', [json, path]), structuredClone(json)]);
}

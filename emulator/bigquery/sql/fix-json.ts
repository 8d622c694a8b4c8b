/**
 * JSON functions whose DuckDB translation differs from BigQuery's: the JSON value converters (STRING, INT64, FLOAT64,
 * BOOL: DuckDB's casts would return '"test"' for STRING(JSON '"test"') and accept any shape), JSON_TYPE's names,
 * JSON_EXTRACT/JSON_EXTRACT_SCALAR (polyglot parses them into nodes our JSON_QUERY/JSON_VALUE macros never saw), TO_JSON's
 * type (polyglot made it a STRING), and the JSONPath modes (lax, recursive), which the local emulator refuses rather
 * than answer differently. The macros are in macros-json.ts; the JSON mutators and JSON_KEYS are in fix-json-edit.ts.
 */
import { invalidQuery, notSupported } from '../errors.ts';
import { castTo, fn, stringValue, strLit, type Node } from './ast-build.ts';
import { jsonEditFunctions } from './fix-json-edit.ts';
import { splitArguments } from './named-arguments.ts';
import { compareCodePoints } from '../native/json-canonical.ts';

type Handler = (args: Node[]) => Node | undefined;

/**
 * A literal JSONPath: the modes BigQuery has and DuckDB's JSON paths do not (DuckDB would read them as a member name)
 * are refused; a path not starting with `$`, or with `..` or `*` outside quotes, is an error ("An error is thrown if
 * you provide an invalid JSONPath"), where DuckDB answered NULL or searched recursively.
 */
export function checkJsonPath(path: Node | undefined): void {
  const text = stringValue(path);
  if (text === undefined) return;
  if (/^\s*(lax|strict|recursive)\b/i.test(text)) {
    throw invalidQuery(`The JSONPath mode in '${text}' is not supported by the local emulator (only plain '$...' paths are)`);
  }
  if (!text.startsWith('$')) throw invalidQuery(`Invalid JSONPath '${text}': JSONPath must start with '$'`);
  const unquoted = text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const operator = /\.\.|\*/.exec(unquoted)?.[0];
  if (operator) throw invalidQuery(`Invalid JSONPath '${text}': Unsupported operator in JSONPath: ${operator}`);
}

/**
 * A literal JSONPath of the legacy JSON_EXTRACT family, whose subscripts may name members (`$['a.b']`, `$["a.b"]`,
 * `$[a]`; https://cloud.google.com/bigquery/docs/reference/standard-sql/json_functions#JSONPath_format), written in
 * DuckDB's syntax (`$."a.b"`). A path it cannot rewrite (a member name holding `"`) is kept as it is.
 */
export function legacyJsonPath(path: Node): Node {
  const text = stringValue(path);
  if (text === undefined || !text.includes('[')) return path;
  const out = ['$'];
  const re = /\.([^.[]+)|\[\s*(\d+)\s*\]|\['([^']*)'\]|\["([^"]*)"\]|\[([^\]'"]*)\]/y;
  re.lastIndex = text.startsWith('$') ? 1 : 0;
  while (re.lastIndex < text.length) {
    const start = re.lastIndex;
    const m = re.exec(text);
    if (!m || m.index !== start) return path;
    const [, dotted, index, single, double, bare] = m;
    const member = dotted ?? single ?? double ?? bare;
    if (index !== undefined) out.push(`[${index}]`);
    else if (member.includes('"')) return path;
    else out.push(`."${member}"`);
  }
  return { literal: { literal_type: 'string', value: out.join('') } };
}

const jsonPathMacro =
  (name: string) =>
  (value: Node, path: Node): Node => {
    checkJsonPath(path);
    return fn(name, [value, path]);
  };
export const jsonQuery = jsonPathMacro('__gg_json_query');
export const jsonValue = jsonPathMacro('__gg_json_value');

/** TO_JSON_STRING(value, pretty_print): the local emulator writes compact JSON only. */
function toJsonString(args: Node[]): Node | undefined {
  if (args.length === 1) return fn('__gg_to_json_string', args);
  if (args.length === 2 && args[1]?.boolean?.value === false) return fn('__gg_to_json_string', [args[0]]);
  throw invalidQuery('TO_JSON_STRING with pretty_print is not supported by the local emulator');
}

export const jsonFunctions: Record<string, Handler> = {
  // STRING(timestamp, zone); STRING of one argument is JSON's or, for any other type, CAST AS STRING (__gg_json_to_string).
  string: (args) => (args.length === 1 ? fn('__gg_json_to_string', args) : args.length === 2 ? fn('__gg_ts_text_in_zone', args) : undefined),
  int64: (args) => (args.length === 1 ? fn('__gg_json_to_int64', args) : undefined),
  float64: (args) => {
    const { positional, named } = splitArguments('FLOAT64', args, ['wide_number_mode']);
    const mode = named.get('wide_number_mode');
    if (positional.length !== 1) return undefined;
    return mode ? fn('__gg_json_to_float64_in_mode', [positional[0], mode]) : fn('__gg_json_to_float64', positional);
  },
  bool: (args) => (args.length === 1 ? fn('__gg_json_to_bool', args) : undefined),
  to_json: (args) => (args.length === 1 ? fn('__gg_to_json', args) : undefined),
  parse_json: parseJsonWithMode,
  to_json_string: toJsonString,
  ...jsonEditFunctions,
};

/**
 * PARSE_JSON(text, wide_number_mode => 'exact'), the default mode written out (json_functions#parse_json); 'round'
 * (a number rounded to FLOAT64) is refused, as is a mode known only at run time or in another case (the modes are
 * case-sensitive: json_functions#float64's 'EXACT' example is an error).
 */
function parseJsonWithMode(args: Node[]): Node | undefined {
  const { positional, named } = splitArguments('PARSE_JSON', args, ['wide_number_mode']);
  const mode = named.get('wide_number_mode');
  if (positional.length !== 1 || !mode) return undefined;
  if (stringValue(mode) !== 'exact') throw notSupported("PARSE_JSON with a wide_number_mode other than a literal 'exact'");
  return castTo(fn('__gg_canonical_json', positional), 'JSON');
}

/** The node forms polyglot parses these functions into (walked arguments). */
export const jsonNodes: Record<string, (body: Node, walk: (n: Node) => Node) => Node> = {
  json_extract: (body, walk) => jsonQuery(walk(body.this), body.path ? legacyJsonPath(walk(body.path)) : { literal: { literal_type: 'string', value: '$' } }),
  json_extract_scalar: (body, walk) => jsonValue(walk(body.this), body.path ? legacyJsonPath(walk(body.path)) : { literal: { literal_type: 'string', value: '$' } }),
  json_type: (body, walk) => fn('__gg_json_type', [walk(body.this)]),
  // JSON 'text' and PARSE_JSON(text) in the default 'exact' number mode (native/json-canonical.ts): a repeated key keeps
  // its first value, a number past FLOAT64's and INT64's precision is an error. (PARSE_JSON with a wide_number_mode is
  // a plain function call, left to DuckDB.)
  parse_json: (body, walk) => castTo(fn('__gg_canonical_json', [walk(body.this)]), 'JSON'),
  to_json: (body, walk) => fn('__gg_to_json', [walk(body.this)]),
  json_keys: (body, walk) => jsonEditFunctions.json_keys([walk(body.this)])!,
  // A repeated key keeps its first value (DuckDB keeps every pair); keys known only at run time are left as they are.
  json_object: (body, walk) => {
    const seen = new Set<string>();
    const pairs = (body.pairs as Node[][]).filter(([k]) => {
      const key = stringValue(k);
      if (key === undefined) return true;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    // JSON_OBJECT(keys_array, values_array), one pair whose key is not a literal, keeps its arrays as they are.
    const twoArrays = pairs.length === 1 && stringValue(pairs[0][0]) === undefined;
    // Each value in TO_JSON's encoding (json_functions#json_encodings): DuckDB wrote its own text of a TIMESTAMP, BYTES,
    // NUMERIC, INTERVAL or NaN.
    const encoded = (v: Node) => (twoArrays ? walk(v) : fn('__gg_to_json', [walk(v)]));
    // Its members ordered by name, as BigQuery's JSON type holds them (the docs' JSON_OBJECT('foo', 10, 'bar', TRUE) is
    // {"bar":true,"foo":10}): literal keys sorted here (the values' own members are, by __gg_to_json), other keys by
    // __gg_canonical_json once the object is built.
    const literalKeys = pairs.every(([k]) => stringValue(k) !== undefined);
    if (literalKeys) pairs.sort(([a], [b]) => compareCodePoints(stringValue(a)!, stringValue(b)!));
    const object = { json_object: { ...body, pairs: pairs.map(([k, v]) => [walk(k), encoded(v)]) } };
    return literalKeys ? object : castTo(fn('__gg_canonical_json', [object]), 'JSON');
  },
  j_s_o_n_array: (body, walk) => ({ j_s_o_n_array: { ...body, expressions: (body.expressions as Node[]).map((e) => fn('__gg_to_json', [walk(e)])) } }),
};

const JSON_NODES = new Set(['parse_json', 'to_json', 'json_object', 'json_array', 'json_query', 'json_extract', 'json_set', 'json_remove']);

/** Whether a node's value is JSON for sure (a JSON literal or constructor, or a JSON member access `j['a']`). */
export function isJsonValued(node: Node): boolean {
  if (node?.paren) return isJsonValued(node.paren.this);
  if (node?.subscript) return stringValue(node.subscript.index) !== undefined || isJsonValued(node.subscript.this);
  if (node?.dot) return isJsonValued(node.dot.this);
  const kind = node && typeof node === 'object' ? Object.keys(node)[0] : undefined;
  if (kind && JSON_NODES.has(kind)) return true;
  return kind === 'function' && JSON_NODES.has(String(node.function.name).toLowerCase());
}

/**
 * `json[i]` is 0-based in BigQuery and in DuckDB, but polyglot adds 1 to a literal subscript (right for arrays, whose
 * DuckDB lists are 1-based); JSON bases go through json_extract instead.
 */
export function jsonElement(base: Node, index: Node): Node {
  return fn('__gg_json_at', [base, index]);
}

/**
 * `json['key']`: the member by an explicit path. DuckDB's own `json['key']` reads a digit key of an array as an index
 * (BigQuery: NULL, an array has no members), `*` as a wildcard, and fails on a key with a quote or backslash (its path
 * is `$."key"`): a key is read by JSON Pointer (RFC 6901, where only `~` and `/` are escaped and nothing is a
 * wildcard), except an array index's digits, which a pointer would take as one (`$."0"` is a member name).
 */
export function jsonMember(base: Node, key: string): Node {
  return fn('__gg_json_member', [base, strLit(/^(0|[1-9]\d*)$/.test(key) ? `$."${key}"` : pointer(key))]);
}

/** `json.key` by JSON Pointer where DuckDB's path cannot name the key (see jsonMember); undefined for other keys. */
export function jsonMemberByPointer(base: Node, key: string): Node | undefined {
  if (key !== '' && !/["\\*[\]]/.test(key)) return undefined;
  return fn('__gg_json_member', [base, strLit(pointer(key))]);
}

const pointer = (key: string) => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** SAFE.INT64(json) and friends: NULL where the converter raises (DuckDB's TRY cannot wrap error()). */
export function safeJsonConverter(call: Node): Node | undefined {
  const name = call?.function?.name;
  return typeof name === 'string' && /^__gg_json_to_(string|int64|float64|float64_in_mode|bool)$/.test(name) ? fn(name.replace('__gg_json_to_', '__gg_safe_json_to_'), call.function.args) : undefined;
}

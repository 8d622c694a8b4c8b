/**
 * One row of the JSON mutator and key functions as DuckDB hands it over (functions.ts): the JSON value as text, paths
 * and values as lists, options as BOOL. The order of checks is ZetaSQL's (reference_impl/functions/json.cc): every
 * non-NULL path is checked before a NULL JSON value makes the result NULL; a NULL option returns the value as it is.
 * The result is the JSON text BigQuery's JSON type holds (members sorted by name).
 */
import { parseJsonTree, writeJsonTree, isJsonNull, type JsonTree } from './json-canonical.ts';
import { jsonArrayAdd, jsonRemove, jsonSet, jsonStripNulls } from './json-edit.ts';
import { jsonFlatten, jsonKeys, keysMode } from './json-keys.ts';
import { JsonPathError, parseJsonPath, type JsonPathToken } from './json-path.ts';

export type EditFunction = 'JSON_SET' | 'JSON_REMOVE' | 'JSON_ARRAY_INSERT' | 'JSON_ARRAY_APPEND';

/**
 * A JSONPath of `fn`, or BigQuery's error: JSON_SET, JSON_REMOVE and JSON_STRIP_NULLS name themselves in it
 * (BuildStrictJSONPathIterator), JSON_ARRAY_INSERT/APPEND do not.
 */
export function checkedJsonPath(fn: string, path: string): JsonPathToken[] {
  try {
    return parseJsonPath(path);
  } catch (e) {
    if (!(e instanceof JsonPathError) || fn === 'JSON_ARRAY_INSERT' || fn === 'JSON_ARRAY_APPEND') throw e;
    throw new Error(`Invalid input to ${fn}: ${e.message}`, { cause: e });
  }
}

/** The first argument's DuckDB type (typeof) must be JSON, as BigQuery's signatures of these functions take only JSON. */
function checkJsonType(fn: string, duckType: string): void {
  if (duckType !== 'JSON' && duckType !== '"NULL"') throw new Error(`No matching signature for function ${fn}: its first argument must be JSON (got ${duckType})`);
}

const output = (tree: JsonTree): string => writeJsonTree(tree, true);

export interface EditCall {
  fn: EditFunction;
  json: string | null;
  jsonType: string;
  paths: Array<string | null>;
  /** Each value's JSON text (TO_JSON's), and whether it is a SQL ARRAY; empty for JSON_REMOVE. */
  values: Array<string | null>;
  valueIsArray: Array<boolean | null>;
  /** create_if_missing, insert_each_element or append_each_element (unused for JSON_REMOVE). */
  option: boolean | null;
}

export function editJson(call: EditCall): string | null {
  const { fn } = call;
  checkJsonType(fn, call.jsonType);
  const paths = call.paths.map((p) => (p === null ? null : checkedJsonPath(fn, p)));
  if (call.json === null) return null;
  let tree = parseJsonTree(call.json);
  if (fn !== 'JSON_REMOVE' && call.option === null) return output(tree);
  paths.forEach((path, k) => {
    if (path === null) return;
    if (fn === 'JSON_REMOVE') tree = jsonRemove(tree, path);
    else if (fn === 'JSON_SET') tree = withPrefix(fn, () => jsonSet(tree, path, parseJsonTree(valueText(call, k)), call.option!));
    else {
      const value = parseJsonTree(valueText(call, k));
      // Each element of a SQL ARRAY (a NULL ARRAY: nothing, the operation is ignored), or the value as one element.
      const each = call.option! && call.valueIsArray[k] === true;
      if (each && isJsonNull(value)) return;
      tree = jsonArrayAdd(tree, path, each ? (value as JsonTree[]) : [value], fn === 'JSON_ARRAY_INSERT');
    }
  });
  return output(tree);
}

const valueText = (call: EditCall, k: number): string => call.values[k] ?? 'null';

/** JSON_SET words its errors as "Invalid input to JSON_SET: ..." (JsonSetFunction::Eval). */
function withPrefix<T>(fn: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    throw new Error(`Invalid input to ${fn}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** JSON_STRIP_NULLS(json[, path][, include_arrays][, remove_empty]); a NULL path or option returns the value. */
export function stripNulls(json: string | null, jsonType: string, path: string | null, includeArrays: boolean | null, removeEmpty: boolean | null): string | null {
  checkJsonType('JSON_STRIP_NULLS', jsonType);
  const tokens = path === null ? null : checkedJsonPath('JSON_STRIP_NULLS', path);
  if (json === null) return null;
  const tree = parseJsonTree(json);
  if (tokens === null || includeArrays === null || removeEmpty === null) return output(tree);
  return output(jsonStripNulls(tree, tokens, includeArrays, removeEmpty));
}

/** JSON_KEYS(json[, max_depth][, mode]): a NULL max_depth is no limit; a NULL JSON value or mode, a NULL result. */
export function keys(json: string | null, jsonType: string, maxDepth: bigint | null, mode: string | null): string[] | null {
  checkJsonType('JSON_KEYS', jsonType);
  const depth = maxDepth === null ? Number.MAX_SAFE_INTEGER : Number(maxDepth);
  if (depth <= 0) throw new Error('max_depth must be positive.');
  const walk = keysMode(mode ?? 'strict');
  if (json === null || mode === null) return null;
  return jsonKeys(parseJsonTree(json), depth, walk);
}

/** JSON_FLATTEN(json): each value as JSON text. */
export function flatten(json: string | null, jsonType: string): string[] | null {
  checkJsonType('JSON_FLATTEN', jsonType);
  return json === null ? null : jsonFlatten(parseJsonTree(json)).map(output);
}

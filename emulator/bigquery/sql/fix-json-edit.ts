/**
 * JSON_SET, JSON_REMOVE, JSON_ARRAY_INSERT, JSON_ARRAY_APPEND, JSON_STRIP_NULLS, JSON_KEYS and JSON_FLATTEN
 * (json_functions): calls of the JavaScript functions that compute them (native/json-calls.ts). Values to insert go as
 * their TO_JSON text (json_functions#json_encodings) with whether each is a SQL ARRAY (spread element by element unless
 * insert_each_element/append_each_element => FALSE); path/value pairs go as two lists. A literal JSONPath is checked
 * here, so that an invalid one fails even on no rows; others when the row is computed.
 */
import { BigQueryError, invalidQuery } from '../errors.ts';
import { checkedJsonPath } from '../native/json-calls.ts';
import { castTo, fn, isNullLiteral, nullLit, passThroughFn, strLit, stringValue, type Node } from './ast-build.ts';
import { splitArguments } from './named-arguments.ts';

type Handler = (args: Node[]) => Node | undefined;

/** A BOOL option, which BigQuery requires to be a constant: TRUE, FALSE or NULL here (else refused). */
function boolOption(name: string, option: string, value: Node | undefined, byDefault: boolean): Node {
  if (value === undefined) return { boolean: { value: byDefault } };
  if (typeof value?.boolean?.value === 'boolean') return value;
  if (isNullLiteral(value)) return castTo(nullLit(), 'BOOL');
  throw new BigQueryError(400, 'invalidQuery', `${name}'s ${option} other than TRUE, FALSE or NULL is not supported by the local emulator`);
}

/** A literal path checked now (BigQuery's error, or a refusal); any path as a STRING argument. */
function pathArgument(name: string, path: Node): Node {
  const text = stringValue(path);
  if (text !== undefined) {
    try {
      checkedJsonPath(name, text);
    } catch (e) {
      throw invalidQuery(e instanceof Error ? e.message : String(e));
    }
  }
  return castTo(path, 'STRING');
}

const list = (items: Node[]): Node => passThroughFn('list_value', items);
const duckType = (value: Node): Node => passThroughFn('typeof', [structuredClone(value)]);
const jsonText = (value: Node): Node => castTo(fn('__gg_to_json', [value]), 'STRING');
const isSqlArray = (value: Node): Node => passThroughFn('ends_with', [duckType(value), strLit('[]')]);

/** JSON_SET / JSON_ARRAY_INSERT / JSON_ARRAY_APPEND(json, path, value[, path, value ...][, option => BOOL]). */
const pairsFunction =
  (name: string, option: string): Handler =>
  (args) => {
    const { positional, named } = splitArguments(name, args, [option]);
    const [json, ...pairs] = positional;
    if (!json || pairs.length < 2) throw invalidQuery(`No matching signature for function ${name}: it takes a JSON value and at least one path and value`);
    if (pairs.length % 2) throw invalidQuery(`Call to function ${name} is missing repeated arguments.`);
    const paths = pairs.filter((_, k) => k % 2 === 0).map((p) => pathArgument(name, p));
    const values = pairs.filter((_, k) => k % 2 === 1);
    const call = fn('__gg_json_edit', [
      strLit(name),
      json,
      duckType(json),
      list(paths),
      list(values.map((v) => jsonText(structuredClone(v)))),
      list(values.map(isSqlArray)),
      boolOption(name, option, named.get(option), true),
    ]);
    return castTo(call, 'JSON');
  };

function jsonRemove(args: Node[]): Node {
  const { positional } = splitArguments('JSON_REMOVE', args, []);
  const [json, ...paths] = positional;
  if (!json || !paths.length) throw invalidQuery('No matching signature for function JSON_REMOVE: it takes a JSON value and at least one path');
  const none = castTo(nullLit(), 'BOOL');
  const call = fn('__gg_json_edit', [
    strLit('JSON_REMOVE'),
    json,
    duckType(json),
    list(paths.map((p) => pathArgument('JSON_REMOVE', p))),
    list([castTo(nullLit(), 'STRING')]),
    list([none]),
    structuredClone(none),
  ]);
  return castTo(call, 'JSON');
}

function jsonStripNulls(args: Node[]): Node {
  const name = 'JSON_STRIP_NULLS';
  const { positional, named } = splitArguments(name, args, ['include_arrays', 'remove_empty']);
  const [json, path, ...rest] = positional;
  if (!json || rest.length) throw invalidQuery(`No matching signature for function ${name}: it takes a JSON value and an optional path`);
  const call = fn('__gg_json_strip_nulls', [
    json,
    duckType(json),
    pathArgument(name, path ?? strLit('$')),
    boolOption(name, 'include_arrays', named.get('include_arrays'), true),
    boolOption(name, 'remove_empty', named.get('remove_empty'), false),
  ]);
  return castTo(call, 'JSON');
}

/** JSON_KEYS(json[, max_depth][, mode => STRING]): ARRAY<STRING>. */
function jsonKeys(args: Node[]): Node {
  const { positional, named } = splitArguments('JSON_KEYS', args, ['mode']);
  const [json, depth, ...rest] = positional;
  if (!json || rest.length) throw invalidQuery('No matching signature for function JSON_KEYS: it takes a JSON value and an optional max_depth');
  const mode = named.get('mode');
  return fn('__gg_json_keys', [json, duckType(json), depth ? castTo(depth, 'INT64') : castTo(nullLit(), 'INT64'), mode ? castTo(mode, 'STRING') : strLit('strict')]);
}

/** JSON_FLATTEN(json): ARRAY<JSON>. */
function jsonFlatten(args: Node[]): Node {
  if (args.length !== 1 || args[0]?.named_argument) throw invalidQuery('No matching signature for function JSON_FLATTEN: it takes one JSON value');
  return castTo(fn('__gg_json_flatten', [args[0], duckType(args[0])]), 'ARRAY<JSON>');
}

export const jsonEditFunctions: Record<string, Handler> = {
  json_set: pairsFunction('JSON_SET', 'create_if_missing'),
  json_array_insert: pairsFunction('JSON_ARRAY_INSERT', 'insert_each_element'),
  json_array_append: pairsFunction('JSON_ARRAY_APPEND', 'append_each_element'),
  json_remove: jsonRemove,
  json_strip_nulls: jsonStripNulls,
  json_keys: jsonKeys,
  json_flatten: jsonFlatten,
};

/**
 * BigQuery's JSON mutator functions on a parsed JSON value (json-canonical.ts's tree): JSON_SET, JSON_REMOVE,
 * JSON_ARRAY_INSERT, JSON_ARRAY_APPEND, JSON_STRIP_NULLS (json_functions#json_set and the sections after it). Each
 * follows ZetaSQL's implementation step by step (zetasql/public/functions/json.cc: JsonSet, JsonRemove,
 * JsonAddArrayElement, JsonStripNulls), where the documentation is silent: which mismatch ignores an operation, when an
 * array grows, what an emptied container becomes. The tree is edited in place; a root that is replaced is returned.
 */
import { JsonScalar, JSON_NULL_TEXT, isJsonNull, type JsonObject, type JsonTree } from './json-canonical.ts';
import type { JsonPathToken } from './json-path.ts';

/** ZetaSQL's kJSONMaxArraySize: an array may not grow to this many elements. */
const MAX_ARRAY_SIZE = 1_000_000;
const arrayTooLarge = () => new Error(`Exceeded maximum array size of ${MAX_ARRAY_SIZE}`);

const jsonNull = () => new JsonScalar(JSON_NULL_TEXT);
const isObject = (t: JsonTree): t is JsonObject => t instanceof Map;

/** Where a value sits: an element of an array, a member of an object, or the root (held in a one-element array). */
interface Slot {
  parent: JsonTree[] | JsonObject;
  key: number | string;
}
const read = ({ parent, key }: Slot): JsonTree => (isObject(parent) ? parent.get(key as string)!.value : parent[key as number]);
function write({ parent, key }: Slot, value: JsonTree): void {
  if (!isObject(parent)) parent[key as number] = value;
  else if (parent.has(key as string)) parent.get(key as string)!.value = value;
  else parent.set(key as string, { token: JSON.stringify(key), value });
}

/** The slot a token names below `slot`, if its value has that member or element. */
function child(slot: Slot, token: JsonPathToken): Slot | undefined {
  const value = read(slot);
  if ('member' in token) return isObject(value) && value.has(token.member) ? { parent: value, key: token.member } : undefined;
  return Array.isArray(value) && token.index < value.length ? { parent: value, key: token.index } : undefined;
}

/**
 * JSON_SET of one path and value: replaces what the path names; a missing remainder of the path (below an object
 * without the member, an array too short, or a JSON null) is created if `createIfMissing`, an array padded with JSON
 * nulls; a path through a value of another type is ignored.
 */
export function jsonSet(root: JsonTree, path: JsonPathToken[], value: JsonTree, createIfMissing: boolean): JsonTree {
  const box = [root];
  let slot: Slot = { parent: box, key: 0 };
  let k = 0;
  for (; k < path.length; k++) {
    const next = child(slot, path[k]);
    if (next) {
      slot = next;
      continue;
    }
    const here = read(slot);
    const missing = 'member' in path[k] ? isObject(here) : Array.isArray(here);
    if (missing || isJsonNull(here)) break;
    return root; // a type mismatch: the operation is ignored
  }
  if (k < path.length) {
    if (!createIfMissing) return root;
    if (path.slice(k).some((t) => 'index' in t && t.index >= MAX_ARRAY_SIZE)) throw arrayTooLarge();
    for (; k < path.length; k++) slot = created(slot, path[k]);
  }
  write(slot, value);
  return box[0];
}

/** The slot for `token` below `slot`, made: a JSON null becomes an object or array, an array is padded with nulls. */
function created(slot: Slot, token: JsonPathToken): Slot {
  let here = read(slot);
  if ('member' in token) {
    if (!isObject(here)) write(slot, (here = new Map()));
    if (!(here as JsonObject).has(token.member)) write({ parent: here, key: token.member }, jsonNull());
    return { parent: here, key: token.member };
  }
  if (!Array.isArray(here)) write(slot, (here = []));
  const items = here as JsonTree[];
  while (items.length <= token.index) items.push(jsonNull());
  return { parent: items, key: token.index };
}

/** JSON_REMOVE of one path: the member or element it names goes; a path that does not exist is ignored. */
export function jsonRemove(root: JsonTree, path: JsonPathToken[]): JsonTree {
  if (!path.length) throw new Error("The JSONPath cannot be '$'");
  let slot: Slot = { parent: [root], key: 0 };
  for (const token of path.slice(0, -1)) {
    const next = child(slot, token);
    if (!next) return root;
    slot = next;
  }
  const last = path[path.length - 1];
  const target = read(slot);
  if ('member' in last && isObject(target)) target.delete(last.member);
  else if ('index' in last && Array.isArray(target) && last.index < target.length) target.splice(last.index, 1);
  return root;
}

/**
 * JSON_ARRAY_INSERT (`insert`) or JSON_ARRAY_APPEND of one path and its elements (one value, or each element of a SQL
 * array): an insert's path ends in the position to insert at, in the array the rest of the path names; an append's path
 * names the array. A JSON null there becomes an array (padded with nulls for an insert, even of no elements); a path
 * that does not exist or names another type is ignored.
 */
export function jsonArrayAdd(root: JsonTree, path: JsonPathToken[], elements: JsonTree[], insert: boolean): JsonTree {
  const box = [root];
  let slot: Slot = { parent: box, key: 0 };
  for (const token of insert ? path.slice(0, -1) : path) {
    const next = child(slot, token);
    if (!next) return root;
    slot = next;
  }
  const last = path[path.length - 1];
  const position = insert && last && 'index' in last ? last.index : undefined;
  let target = read(slot);
  if (!Array.isArray(target) && !isJsonNull(target)) return root;
  if (insert && position === undefined) return root;
  if (!Array.isArray(target)) write(slot, (target = []));
  const items = target as JsonTree[];
  const at = position ?? items.length;
  // JSONValueRef::InsertArrayElements' limits and padding (an append inserts at the end).
  if (!elements.length) {
    if (!insert || at < items.length) return box[0];
    if (at >= MAX_ARRAY_SIZE) throw arrayTooLarge();
    while (items.length <= at) items.push(jsonNull());
    return box[0];
  }
  if (elements.length >= MAX_ARRAY_SIZE || Math.max(at, items.length) >= MAX_ARRAY_SIZE + 1 - elements.length) throw arrayTooLarge();
  while (items.length < at) items.push(jsonNull());
  items.splice(at, 0, ...elements);
  return box[0];
}

/**
 * JSON_STRIP_NULLS below a path: JSON nulls go from objects (and from arrays if `includeArrays`), children before their
 * parent; with `removeEmpty`, so do emptied objects (and arrays if `includeArrays`) — an empty object stays inside an
 * array that is not cleaned. What the path names becomes a JSON null if it ends up empty so. A missing path is ignored.
 */
export function jsonStripNulls(root: JsonTree, path: JsonPathToken[], includeArrays: boolean, removeEmpty: boolean): JsonTree {
  const box = [root];
  let slot: Slot = { parent: box, key: 0 };
  for (const token of path) {
    const next = child(slot, token);
    if (!next) return root;
    slot = next;
  }
  const target = read(slot);
  if (!isObject(target) && !Array.isArray(target)) return root;
  const removable = (t: JsonTree) => isJsonNull(t) || (removeEmpty && isEmpty(t) && (isObject(t) || includeArrays));
  strip(target, includeArrays, removable);
  if (removeEmpty && isEmpty(target) && (isObject(target) || includeArrays)) write(slot, jsonNull());
  return box[0];
}

const isEmpty = (t: JsonTree) => (isObject(t) ? t.size === 0 : Array.isArray(t) && t.length === 0);

function strip(node: JsonTree, includeArrays: boolean, removable: (t: JsonTree) => boolean): void {
  if (isObject(node)) {
    for (const { value } of node.values()) strip(value, includeArrays, removable);
    for (const [name, { value }] of node) if (removable(value)) node.delete(name);
  } else if (Array.isArray(node)) {
    for (const item of node) strip(item, includeArrays, removable);
    if (includeArrays) node.splice(0, node.length, ...node.filter((t) => !removable(t)));
  }
}

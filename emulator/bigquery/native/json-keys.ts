/**
 * JSON_KEYS and JSON_FLATTEN on a parsed JSON value (json_functions#json_keys, #json_flatten), as ZetaSQL computes them
 * (zetasql/public/functions/json.cc: JsonKeysTreeWalker, JsonFlatten), where the documentation leaves details out: how
 * deep max_depth counts (objects only), which arrays each mode enters, how a key is escaped.
 */
import { compareCodePoints, type JsonTree } from './json-canonical.ts';

/** JSON_KEYS' `mode`: which arrays the walk enters. */
type KeysMode = 'strict' | 'lax' | 'lax recursive';

/** JSON_KEYS' mode argument (compared without regard to case, as ZetaSQL's CaseEqual), or BigQuery's error. */
export function keysMode(text: string): KeysMode {
  const mode = text.toLowerCase();
  if (mode === 'strict' || mode === 'lax' || mode === 'lax recursive') return mode;
  throw new Error('Invalid JSON mode specified');
}

/**
 * The distinct keys of a JSON value as dotted paths, sorted (by their bytes, a std::btree_set<std::string>). Each object
 * counts one level of `maxDepth`; 'strict' does not enter arrays, 'lax' enters an array's objects, 'lax recursive' its
 * nested arrays too. A key with a '.' or a character JSON escapes is written as a JSON string.
 */
export function jsonKeys(root: JsonTree, maxDepth: number, mode: KeysMode): string[] {
  if (maxDepth <= 0) throw new Error('max_depth must be positive.');
  const keys = new Set<string>();
  const stack: Array<{ tree: JsonTree; depth: number; prefix: string }> = [{ tree: root, depth: maxDepth, prefix: '' }];
  while (stack.length) {
    const { tree, depth, prefix } = stack.pop()!;
    if (tree instanceof Map) {
      for (const [name, { value }] of tree) {
        // As ZetaSQL: a prefix that is the empty key adds nothing ('{"": {"a": 1}}' has the keys "" and "a").
        const key = prefix === '' ? escapeKey(name) : `${prefix}.${escapeKey(name)}`;
        keys.add(key);
        if (depth - 1 > 0) stack.push({ tree: value, depth: depth - 1, prefix: key });
      }
    } else if (Array.isArray(tree) && mode !== 'strict') {
      for (const item of tree) {
        if (item instanceof Map || (Array.isArray(item) && mode === 'lax recursive')) stack.push({ tree: item, depth, prefix });
      }
    }
  }
  return [...keys].sort(compareCodePoints);
}

const LINE_SEPARATORS = /[\u2028\u2029]/;

/** zetasql::JsonStringNeedsEscaping / JsonEscapeString (common/json_util.cc), plus the '.' JSON_KEYS adds. */
function escapeKey(key: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\u0000-\u001f"\\.]/.test(key) && !LINE_SEPARATORS.test(key)) return key;
  const short: Record<string, string> = { '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '"': '\\"', '\\': '\\\\' };
  const escaped = [...key].map((c) => {
    const code = c.codePointAt(0)!;
    if (short[c]) return short[c];
    if (code < 0x20 || code === 0x2028 || code === 0x2029) return `\\u${code.toString(16).padStart(4, '0')}`;
    return c;
  });
  return `"${escaped.join('')}"`;
}

/** JSON_FLATTEN: the value itself if it is not an array, else every non-array value in it and its nested arrays. */
export function jsonFlatten(root: JsonTree): JsonTree[] {
  if (!Array.isArray(root)) return [root];
  return root.flatMap((item) => jsonFlatten(item));
}

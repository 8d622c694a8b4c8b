/**
 * Rewrites of subscripts (arr[OFFSET(i)], JSON member access) and of FROM items whose DuckDB shape differs from
 * BigQuery's (UNPIVOT's column order, UNNEST ... WITH OFFSET). Split from ast-fixes.ts, which hands in its `walk`.
 */
import { binary, fn, fromTemplate, numLit, stringValue, type Node } from './ast-build.ts';
import { arithmeticCall } from './fix-arithmetic.ts';
import { isJsonValued, jsonElement, jsonMember, jsonMemberByPointer } from './fix-json.ts';

/** `json.key` with a key DuckDB's member access cannot read (jsonMemberByPointer). */
export function fixJsonDot(body: Node, walk: (n: Node) => Node): Node | undefined {
  const key = body.field?.name;
  return typeof key === 'string' && isJsonValued(body.this) ? jsonMemberByPointer(walk(body.this), key) : undefined;
}

/** arr[OFFSET(i)], arr[ORDINAL(i)] and the SAFE_ forms, with BigQuery's bounds rules. */
export function fixSubscript(body: Node, walk: (n: Node) => Node): Node | undefined {
  const idx = body.index;
  const name = String(idx?.function?.name ?? '').toLowerCase();
  if (!idx?.function && stringValue(idx) === undefined && isJsonValued(body.this)) return jsonElement(walk(body.this), walk(idx));
  // `x[0]['name']`: a member name makes x[0] a JSON element too (BigQuery has no other value indexed by a name).
  const inner = body.this?.subscript;
  const key = idx?.function ? undefined : stringValue(idx);
  if (key !== undefined) {
    const elementOfJson = inner && !inner.index?.function && stringValue(inner.index) === undefined;
    return jsonMember(elementOfJson ? jsonElement(walk(inner.this), walk(inner.index)) : walk(body.this), key);
  }
  // `x[i]`, of a value whose type only DuckDB knows: a JSON array's element i (0-based) for JSON, else the array's
  // OFFSET(i) with its bounds check (__gg_index). polyglot shifted it to x[i + 1], right for an array only (and past
  // the end NULL, where BigQuery raises).
  if (idx && !idx.function && stringValue(idx) === undefined) return arithmeticCall('__gg_index', [walk(body.this), walk(idx)]);
  const arg = idx?.function?.args?.[0];
  if (!arg || !['offset', 'safe_offset', 'ordinal', 'safe_ordinal'].includes(name)) return undefined;
  const base = walk(body.this);
  const i = walk(arg);
  const offset = name.endsWith('ordinal') ? binary('sub', i, numLit('1')) : i;
  return fn(name.startsWith('safe_') ? '__gg_safe_offset' : '__gg_offset', [base, offset]);
}

const UNPIVOT_ORDER = 'SELECT * FROM (SELECT * EXCEPT (__gg_name), __gg_name FROM __gg_src) AS __gg_alias';
const UNPIVOT_ORDER_INT64 = 'SELECT * FROM (SELECT * EXCEPT (__gg_name), CAST(__gg_name AS INT64) AS __gg_name FROM __gg_src) AS __gg_alias';

/**
 * BigQuery's UNPIVOT puts the value column before the name column; DuckDB the other way round. INT64 aliases
 * (`Q1 AS 1`) make the name column INT64 ("a row_value_alias can be a string or an INT64 literal"); polyglot writes
 * them as names, which DuckDB's column holds as strings.
 */
export function fixUnpivot(body: Node, walk: (n: Node) => Node): Node | undefined {
  const name = body.name_column?.name;
  if (typeof name !== 'string' || typeof body.value_column?.name !== 'string') return undefined;
  const inner = { unpivot: { ...Object.fromEntries(Object.entries(body).map(([k, v]) => [k, walk(v as Node)])), alias: null } };
  const integerAliases = Array.isArray(body.columns) && body.columns.length > 0 && body.columns.every((c: Node) => c?.pivot_alias?.alias?.literal?.literal_type === 'number');
  const wrapped = fromTemplate(integerAliases ? UNPIVOT_ORDER_INT64 : UNPIVOT_ORDER, (n) => {
    if (n.table?.name?.name === '__gg_src') return inner;
    if (n.name === '__gg_name') return { ...n, name, quoted: body.name_column.quoted ?? false };
    return undefined;
  });
  return { subquery: { ...wrapped.subquery, alias: body.alias ?? null } };
}

const UNNEST_OFFSET = 'SELECT * FROM (SELECT __gg_unnest_values(__gg_arr) AS __gg_value, __gg_unnest_offsets(__gg_arr) AS __gg_off)';

/** `UNNEST(arr) AS x WITH OFFSET AS o` → a lateral subquery with 0-based offsets. */
export function unnestWithOffset(body: Node, walk: (n: Node) => Node): Node {
  const arr = walk(body.this);
  const value = body.alias?.name ?? 'f0_';
  const off = body.offset_alias?.name ?? 'offset';
  return fromTemplate(UNNEST_OFFSET, (n) => {
    if (n.column?.name?.name === '__gg_arr') return arr;
    if (n.name === '__gg_value') return { ...n, name: value, quoted: true };
    if (n.name === '__gg_off') return { ...n, name: off, quoted: true };
    return undefined;
  });
}

/**
 * NaN in ORDER BY. BigQuery sorts NaN after NULL and before -inf in ascending order (and the reverse in descending
 * order: +inf ... -inf, NaN, NULL): https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#floating_point_semantics
 * DuckDB sorts NaN above +inf. Each ordering item `x` becomes `__gg_nan_key(x), x`, the key sorting in x's direction
 * and with x's NULL placement (0 for NaN, 1 for any other value, NULL for NULL), so peers stay peers (the key is a
 * function of x) and non-FLOAT64 keys order as before. Where DuckDB needs a single key (a RANGE frame with an offset), the
 * key is negated instead; not done for the ORDER BY of a set operation (DuckDB orders a set operation by its output columns only).
 */
import { fn, ident, type Node } from './ast-build.ts';

/** The offsets (`n PRECEDING`, `n FOLLOWING`) of a RANGE frame; none for other frames. */
const rangeOffsets = (frame: Node): Node[] => {
  if (!frame || String(frame.kind).toLowerCase() !== 'range') return [];
  const offset = (b: Node) => (b && typeof b === 'object' && ('Preceding' in b || 'Following' in b) ? (b.Preceding ?? b.Following) : undefined);
  return [offset(frame.start), offset(frame.end)].filter((o) => o !== undefined && !isUnbounded(o));
};
const isUnbounded = (n: Node) => n === 'Unbounded' || n?.var?.this === 'UNBOUNDED' || n?.column?.name?.name?.toUpperCase?.() === 'UNBOUNDED';

/** `[key, item]` for one ordering item; `expr` is what the key reads (the item's own expression unless given). */
function withKey(item: Node, expr: Node = item.this): Node[] {
  const nullsFirst = typeof item.nulls_first === 'boolean' ? item.nulls_first : !item.desc;
  const key = { ...item, this: fn('__gg_nan_key', [structuredClone(expr)]), nulls_first: nullsFirst, explicit_asc: false };
  return [key, item];
}

const keyed = (items: Node[]): Node[] => items.flatMap((item) => (item?.this === undefined || item.this?.literal ? [item] : withKey(item)));

/** The macro a RANGE offset frame's ORDER BY key goes through (fix-windows.ts puts its offsets in the key's units). */
export const RANGE_KEY = '__gg_range_key';

const VOLATILE = new Set(['rand', 'generate_uuid']);

/** A subquery or a volatile call: DuckDB cannot read such a select-list item through its alias in another expression. */
function unsafeThroughAlias(n: Node): boolean {
  if (!n || typeof n !== 'object') return false;
  if (Array.isArray(n)) return n.some(unsafeThroughAlias);
  if (n.subquery || n.select || n.exists || n.rand) return true;
  if (n.function && VOLATILE.has(String(n.function.name).toLowerCase())) return true;
  return Object.values(n).some(unsafeThroughAlias);
}

/**
 * The expression a query-level ORDER BY item's key reads: an ordinal names a select-list item (by its alias); undefined
 * where the key cannot be added (DuckDB's GROUP BY ALL and grouping sets bind ORDER BY expressions differently).
 */
function queryKeyExpr(item: Node, select: Node): Node | undefined {
  if (select.group_by?.all) return undefined;
  const items: Node[] = Array.isArray(select.expressions) ? select.expressions : [];
  const lit = item.this?.literal;
  const named = (n: Node) => n?.alias?.alias?.name;
  let chosen: Node | undefined;
  if (lit) chosen = lit.literal_type === 'number' ? items[Number(lit.value) - 1] : undefined;
  else if (item.this?.column && !item.this.column.table) chosen = items.find((e) => String(named(e) ?? '').toLowerCase() === String(item.this.column.name?.name).toLowerCase());
  if (lit && !chosen) return undefined;
  if (!chosen) return unsafeThroughAlias(item.this) ? undefined : item.this;
  if (unsafeThroughAlias(chosen)) return undefined;
  // In a grouped query the item's own expression, which DuckDB matches to its group key or aggregate: the alias could
  // name a FROM column too, and DuckDB reads a name inside an expression as the column first.
  if (named(chosen) && select.group_by) return structuredClone(chosen.alias.this);
  if (named(chosen)) return { column: { name: ident(chosen.alias.alias.name, chosen.alias.alias.quoted), table: null, join_mark: false, trailing_comments: [] } };
  return chosen.column ? chosen : undefined;
}

/** Adds the NaN keys in place over a parsed statement (after the result columns are named). */
export function orderNaNLikeBigQuery(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) orderNaNLikeBigQuery(n);
    return;
  }
  if (node.select) {
    const select = node.select;
    const items: Node[] | undefined = select.order_by?.expressions;
    if (Array.isArray(items)) {
      select.order_by.expressions = items.flatMap((item) => {
        const expr = queryKeyExpr(item, select);
        return expr ? withKey(item, expr) : [item];
      });
    }
    // A named window whose frame is given where it is used may get a RANGE offset frame there: left alone.
    if (Array.isArray(select.windows)) {
      const framed = new Set<string>();
      collectFramedWindowNames(select.expressions, framed);
      for (const w of select.windows) {
        const name = String(w?.name?.name ?? '').toLowerCase();
        if (!w?.spec || !Array.isArray(w.spec.order_by) || framed.has(name)) continue;
        const offsets = rangeOffsets(w.spec.frame);
        w.spec.order_by = offsets.length ? rangeKeyed(w.spec.order_by, offsets) : keyed(w.spec.order_by);
      }
    }
  }
  if (node.window_function?.over) {
    const over = node.window_function.over;
    const offsets = rangeOffsets(over.frame);
    if (Array.isArray(over.order_by)) over.order_by = offsets.length ? rangeKeyed(over.order_by, offsets) : keyed(over.order_by);
  }
  for (const kind of ['array_agg', 'string_agg']) {
    if (Array.isArray(node[kind]?.order_by)) node[kind].order_by = keyed(node[kind].order_by);
  }
  for (const v of Object.values(node)) orderNaNLikeBigQuery(v);
}

/**
 * The ORDER BY of a RANGE offset frame, which adds the offset to the (numeric) key: as HUGEINT, INT64 keys near the
 * limits do not overflow; a FLOAT64 key that the widest offset takes past the FLOAT64 range is refused (BigQuery's frame
 * of such a row stops short of the ±inf rows, DuckDB's reaches them). The key is negated and the direction flipped (the same frames): DuckDB's NaN, above +inf,
 * then lands where BigQuery's is, below -inf. NULLs stay where the item puts them.
 */
function rangeKeyed(orderBy: Node[], offsets: Node[]): Node[] {
  const item = orderBy[0];
  if (orderBy.length !== 1 || !item?.this) return orderBy;
  const nullsFirst = typeof item.nulls_first === 'boolean' ? item.nulls_first : !item.desc;
  const widest =
    offsets.length === 1
      ? structuredClone(offsets[0])
      : fn(
          'greatest',
          offsets.map((o) => structuredClone(o)),
        );
  return [{ ...item, this: fn(RANGE_KEY, [item.this, widest]), desc: !item.desc, nulls_first: nullsFirst, explicit_asc: false }];
}

function collectFramedWindowNames(node: Node, out: Set<string>): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) collectFramedWindowNames(n, out);
    return;
  }
  const over = node.window_function?.over;
  if (over?.frame && typeof over.window_name?.name === 'string') out.add(over.window_name.name.toLowerCase());
  for (const v of Object.values(node)) collectFramedWindowNames(v, out);
}

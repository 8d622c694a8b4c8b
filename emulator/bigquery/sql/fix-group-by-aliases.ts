/**
 * A name in GROUP BY or HAVING that is a select-list alias means that item, even where the FROM clause has a column of
 * the same name ("those aliases override names in the corresponding FROM clause",
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#group_by_clause); DuckDB takes the column
 * (`SELECT UPPER(v) AS v ... GROUP BY v` grouped 'A' and 'a' apart). Such a GROUP BY item becomes the item's ordinal, a
 * HAVING reference outside an aggregate's arguments a copy of its expression, an ORDER BY reference the ordinal. In
 * place, over a parsed statement.
 * An item holding an aggregate or an analytic function is left alone (BigQuery does not group by those), and so is a
 * select list with a `*` (DuckDB counts its columns in ordinals).
 */
import { nodeShape, numLit, type Node } from './ast-build.ts';
import { holdsAggregate } from './fix-aggregates.ts';

const bareName = (n: Node): string | undefined => (n?.column && !n.column.table && typeof n.column.name?.name === 'string' ? n.column.name.name.toLowerCase() : undefined);

/** Select-list aliases (lower case) → the item's 1-based position and expression; a name given twice is left out. */
function aliasesOf(select: Node): Map<string, { position: number; expression: Node }> {
  const out = new Map<string, { position: number; expression: Node }>();
  const twice = new Set<string>();
  (select.expressions ?? []).forEach((item: Node, i: number) => {
    const name = item?.alias?.alias?.name;
    if (typeof name !== 'string') return;
    const key = name.toLowerCase();
    if (out.has(key)) twice.add(key);
    out.set(key, { position: i + 1, expression: item.alias.this });
  });
  for (const key of twice) out.delete(key);
  for (const [key, { expression }] of out) if (bareName(expression) === key || holdsAggregate(expression)) out.delete(key);
  return out;
}

/**
 * A HAVING condition (or a grouped query's ORDER BY or QUALIFY expression) with each bare alias name outside an
 * aggregate's arguments (and outside subqueries) replaced by the item's expression.
 */
function havingWithAliases(node: Node, aliases: Map<string, { expression: Node }>): Node {
  if (Array.isArray(node)) return node.map((n) => havingWithAliases(n, aliases));
  if (!node || typeof node !== 'object') return node;
  const name = bareName(node);
  if (name && aliases.has(name)) return { paren: { this: structuredClone(aliases.get(name)!.expression) } };
  if (holdsAggregate(node) && Object.keys(node).length === 1 && !holdsAggregate(Object.values(node)[0])) return node;
  if ('select' in node || 'subquery' in node) return node;
  const out: Node = {};
  for (const k of Object.keys(node)) out[k] = havingWithAliases(node[k], aliases);
  return out;
}

const ordinal = (position: number): Node => numLit(String(position));
const holdsStar = (items: Node[]): boolean => items.some((item) => Boolean(item?.star));

function fixSelect(select: Node): void {
  const items: Node[] | undefined = select.group_by?.expressions;
  if (!Array.isArray(items) && !select.having) return;
  // Ordinals count a `*` as one item where DuckDB counts its columns: a list with one is left as it is.
  if (holdsStar(select.expressions ?? [])) return;
  const aliases = aliasesOf(select);
  if (!aliases.size) return;
  const byShape = new Map([...aliases.values()].map((a) => [nodeShape(a.expression), a.position]));
  if (Array.isArray(items)) {
    // Also an expression written as an aliased item's: polyglot would write it as the alias's name (when the query has
    // an ORDER BY), which DuckDB reads as the FROM column.
    select.group_by.expressions = items.map((item) => {
      const name = bareName(item);
      const position = (name === undefined ? undefined : aliases.get(name)?.position) ?? byShape.get(nodeShape(item));
      return position === undefined ? item : ordinal(position);
    });
  }
  if (select.having) select.having = havingWithAliases(select.having, aliases);
  // Grouped by the ordinal, the query's ORDER BY must name the item by its ordinal too (DuckDB would read the column).
  const order: Node[] | undefined = select.order_by?.expressions;
  if (Array.isArray(items) && Array.isArray(order)) {
    select.order_by.expressions = order.map((o) => {
      const name = bareName(o?.this);
      const alias = name === undefined ? undefined : aliases.get(name);
      return alias ? { ...o, this: ordinal(alias.position) } : { ...o, this: havingWithAliases(o?.this, aliases) };
    });
  }
  if (Array.isArray(items) && select.qualify) select.qualify = havingWithAliases(select.qualify, aliases);
}

export function groupByAliasesFirst(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) groupByAliasesFirst(n);
    return;
  }
  if (node.select) fixSelect(node.select);
  for (const v of Object.values(node)) groupByAliasesFirst(v);
}

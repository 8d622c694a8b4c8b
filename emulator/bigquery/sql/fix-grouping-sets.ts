/**
 * GROUPING SETS, ROLLUP and CUBE where DuckDB's reading differs from BigQuery's:
 * - an ordinal inside them names a select-list item (DuckDB reads a bare integer there as a constant key);
 * - a select-list expression is computed from the grouped columns, even where it also matches a key expression:
 *   in `SELECT a, a+1 ... GROUP BY ROLLUP(a, a+1)` the set (a) gives a+1 = a+1, not NULL (DuckDB matches the
 *   expression to the key and gives NULL). A key expression whose columns are all keys themselves is therefore hidden
 *   from DuckDB's matching (`CASE WHEN TRUE THEN e END`); GROUPING(e) reads the hidden key.
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#group_by_grouping_sets
 */
import { parse, Dialect } from './polyglot.ts';
import type { Node } from './ast-build.ts';

const SET_FUNCTIONS = /^(ROLLUP|CUBE|GROUPING SETS)$/i;
const isSetFunction = (n: Node) => SET_FUNCTIONS.test(String(n?.function?.name ?? ''));

let hideTemplate: Node | undefined;
/** `CASE WHEN TRUE THEN e END`: the same value and type, but not the same expression for DuckDB's GROUP BY matching. */
function hidden(e: Node): Node {
  hideTemplate ??= (parse('SELECT CASE WHEN TRUE THEN __gg_x END', Dialect.BigQuery).ast as Node[])[0].select.expressions[0];
  const out = structuredClone(hideTemplate);
  out.case.whens[0][1] = structuredClone(e);
  return out;
}

// A source span has a numeric `column` too: a column reference's is an object. A subquery reads its own FROM's columns
// (or correlated ones, which BigQuery does not infer as keys either).
const readsAColumn = (n: Node): boolean =>
  !!n && typeof n === 'object' && (Array.isArray(n) ? n.some(readsAColumn) : !('select' in n) && (typeof n.column === 'object' || 'star' in n || Object.values(n).some(readsAColumn)));

/**
 * GROUP BY ALL groups by the select items that read a column outside an aggregate; with none (constants only), BigQuery
 * puts every row in one group, where DuckDB drops the grouping and returns a row per input row. Such a select list
 * groups by `()` instead (in place); one that reads any column is left to DuckDB's inference, which matches BigQuery's.
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#group_by_all
 */
function groupAllWithoutKeys(select: Node): void {
  if (!select.group_by?.all || readsAColumn(select.expressions)) return;
  select.group_by = { ...select.group_by, all: null, expressions: [{ tuple: { expressions: [] } }] };
}

/** Maps the keys of a GROUP BY (inside ROLLUP/CUBE/GROUPING SETS and their tuples), in place. */
function mapKeys(items: Node[], f: (key: Node) => Node): Node[] {
  return items.map((item) => {
    if (isSetFunction(item)) return { function: { ...item.function, args: mapKeys(item.function.args ?? [], f) } };
    if (item?.tuple) return { tuple: { ...item.tuple, expressions: mapKeys(item.tuple.expressions ?? [], f) } };
    if (item?.paren) return { paren: { ...item.paren, this: mapKeys([item.paren.this], f)[0] } };
    return f(item);
  });
}

const columnName = (n: Node): string | undefined => (n?.column && typeof n.column.name?.name === 'string' ? n.column.name.name.toLowerCase() : undefined);

/** The columns an expression reads; undefined if it reads something else too (a subquery, a parameter, an aggregate). */
function columnsOf(n: Node, out: Set<string>): boolean {
  if (!n || typeof n !== 'object') return true;
  if (Array.isArray(n)) return n.every((x) => columnsOf(x, out));
  if (n.subquery || n.select || n.window_function) return false;
  const name = columnName(n);
  if (name !== undefined) {
    if (name.startsWith('@')) return false;
    out.add(name);
    return true;
  }
  return Object.values(n).every((x) => columnsOf(x, out));
}

function fixSelect(select: Node): void {
  const groups: Node[] | undefined = select.group_by?.expressions;
  if (!Array.isArray(groups) || !groups.some(isSetFunction)) return;
  const items: Node[] = Array.isArray(select.expressions) ? select.expressions : [];
  const exprOf = (item: Node) => (item?.alias ? item.alias.this : item);
  const aliasIndex = new Map<string, number>();
  items.forEach((item, i) => typeof item?.alias?.alias?.name === 'string' && aliasIndex.set(item.alias.alias.name.toLowerCase(), i));
  /** The select-list item a key names: an ordinal, or an alias (a name no FROM column is known to have). */
  const named = (key: Node): number | undefined => {
    if (key?.literal?.literal_type === 'number' && /^\d+$/.test(key.literal.value)) return Number(key.literal.value) - 1;
    const name = columnName(key);
    if (name === undefined || key.column.table) return undefined;
    const i = aliasIndex.get(name);
    return i !== undefined && columnName(exprOf(items[i])) !== name ? i : undefined;
  };
  const plain = new Set<string>();
  mapKeys(groups, (key) => {
    const i = named(key);
    const name = columnName(i === undefined ? key : exprOf(items[i]));
    if (name !== undefined && !(i === undefined && key?.literal)) plain.add(name);
    return key;
  });
  const ofPlainKeys = (e: Node) => {
    const cols = new Set<string>();
    return columnsOf(e, cols) && cols.size > 0 && [...cols].every((c) => plain.has(c));
  };
  const hiddenKeys: string[] = [];
  const namedKeys = new Map<string, Node>();
  select.group_by.expressions = mapKeys(groups, (key) => {
    const i = named(key);
    if (i !== undefined) {
      // The key is that select-list item itself: hidden on both sides where DuckDB would compute it from other keys.
      const item = items[i];
      const expr = exprOf(item);
      if (!item || item.star || expr === undefined) return key;
      let used = expr;
      if (columnName(expr) === undefined && (expr?.literal || expr?.boolean || expr?.null || ofPlainKeys(expr))) {
        used = expr?.case?.whens?.[0]?.[0]?.boolean?.value === true && expr.case.whens.length === 1 ? expr : hidden(expr);
        items[i] = item.alias ? { alias: { ...item.alias, this: used } } : used;
      }
      // GROUPING(alias) reads the same key (DuckDB does not resolve an alias there).
      if (item.alias) namedKeys.set(String(item.alias.alias.name).toLowerCase(), used);
      return structuredClone(used);
    }
    // A written key expression whose columns are all keys: select-list expressions are computed from those columns.
    if (columnName(key) !== undefined || key?.literal || key?.tuple || !ofPlainKeys(key)) return key;
    hiddenKeys.push(JSON.stringify(key));
    return hidden(key);
  });
  if (hiddenKeys.length || namedKeys.size) hideGroupingArguments(select, new Set(hiddenKeys), namedKeys);
}

/** GROUPING(e) for a hidden key e, or GROUPING(alias) of a select-list item used as a key, reads that key (anywhere in the select but its FROM). */
function hideGroupingArguments(select: Node, keys: Set<string>, items: Map<string, Node>): void {
  const hide = (a: Node): Node => {
    const name = columnName(a);
    if (name !== undefined && !a.column.table && items.has(name)) return structuredClone(items.get(name));
    return keys.has(JSON.stringify(a)) ? hidden(a) : a;
  };
  const visit = (n: Node): Node => {
    if (!n || typeof n !== 'object') return n;
    if (Array.isArray(n)) return n.map(visit);
    if (String(n.function?.name ?? '').toUpperCase() === 'GROUPING' && Array.isArray(n.function.args)) {
      return { function: { ...n.function, args: n.function.args.map(hide) } };
    }
    if (n.select || n.subquery) return n;
    return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, visit(v)]));
  };
  for (const k of ['expressions', 'having', 'qualify', 'order_by']) if (select[k]) select[k] = visit(select[k]);
}

/** Applies the fixes in place over a parsed statement (before the AST fixes). */
export function fixGroupingSets(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) fixGroupingSets(n);
    return;
  }
  if (node.select) {
    fixSelect(node.select);
    groupAllWithoutKeys(node.select);
  }
  for (const v of Object.values(node)) fixGroupingSets(v);
}

/**
 * UNNEST as BigQuery's value table (https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#unnest_operator):
 * the fields of STRUCT elements are the table's columns, while an alias `e` still names the whole element.
 *
 * - exposeUnnestedFields: an UNNEST without an alias becomes a lateral subquery unnesting with max_depth 2, so that
 *   `SELECT name FROM t, UNNEST(t.participants)` finds `name`; its value column (a non-STRUCT element) is anonymous
 *   (result-names.ts). A lone literal array is only aliased (polyglot unnests it so, keeping a RANGE element whole);
 *   elsewhere a RANGE element would be spread into its parts, which result-rules.ts refuses. An aliased UNNEST's
 *   fields are not columns (`p.name` works, `name` alone does not): exposing them beside the element needs the
 *   table schemas to keep `*`, `UNNEST(tags) AS tags` and table aliases as BigQuery resolves them. Before the AST walk.
 * - spreadUnnestedStructs: "for STRUCT element types, SELECT * against the value table column returns multiple
 *   columns". Which elements are STRUCTs is only known when DuckDB binds, so a plain `*` over a FROM clause holding an
 *   aliased UNNEST becomes one star per FROM item, in FROM order, the value column written
 *   `UNNEST([u.e], max_depth := 2) AS e`: DuckDB expands a STRUCT element into its fields and leaves any other
 *   element as the one column `e` (a RANGE, a STRUCT here too, goes in wrapped so that it stays whole). Left as DuckDB
 *   has it: a star beside GROUP BY, HAVING or DISTINCT (an UNNEST in the select list does not mix with them), USING
 *   joins (their key columns come first, fix-using-star.ts) and FROM items without a name to star. After the walk,
 *   which wrote WITH OFFSET as a subquery (unnestWithOffset).
 */
import { aliased, fn, fromTemplate, ident, isPlainStar, type Node } from './ast-build.ts';
import { ANONYMOUS_UNNEST_PREFIX } from './result-names.ts';
import { quoteIdent, quoteLiteral } from './quote.ts';
import { RANGE_TYPEOF_PATTERN } from '../range-type.ts';

const UNNEST_TABLE_PREFIX = '__gg_unnest_';

interface Starred {
  /** The FROM item, possibly rewritten so that its columns can be named by `table`. */
  item: Node;
  /** What the star becomes for this item (placeholders are taken only once the whole star is rewritten). */
  columns: (placeholders: Map<string, string>) => Node[];
  expands: boolean;
}

const tableStar = (name: string): Node => ({ star: { table: ident(name), except: null, replace: null, rename: null } });
const qualified = (table: string, name: string): Node => ({ column: { name: ident(name), table: ident(table), join_mark: false, trailing_comments: [] } });

/**
 * The value column of one unnested element, its STRUCT fields spread out (the text goes in as a placeholder). A RANGE
 * goes in wrapped in a one-field STRUCT named like the column, so that spreading gives the range back whole.
 */
function spreadValue(table: string, value: string, placeholders: Map<string, string>): Node {
  const placeholder = `__gg_x_${placeholders.size}`;
  const v = `${quoteIdent(table)}.${quoteIdent(value)}`;
  const element = `struct_extract({'spread': ${v}, 'whole': {${quoteLiteral(value)}: ${v}}}, CASE WHEN typeof(${v}) LIKE ${quoteLiteral(RANGE_TYPEOF_PATTERN)} THEN 'whole' ELSE 'spread' END)`;
  placeholders.set(placeholder, `UNNEST([${element}], max_depth := 2)`);
  return {
    alias: {
      this: { column: { name: ident(placeholder, false), table: null, join_mark: false, trailing_comments: [] } },
      alias: ident(value),
      column_aliases: [],
      alias_explicit_as: true,
      pre_alias_comments: [],
      trailing_comments: [],
    },
  };
}

/** `UNNEST(x) AS e` (polyglot's own node, or wrapped in an alias by fix-paths / result-names): its value name. */
function unnestValueName(item: Node): string | undefined {
  if (item?.unnest && !item.unnest.with_ordinality && !item.unnest.offset_alias) return item.unnest.alias?.name;
  const a = item?.alias;
  if (a?.this?.unnest && !a.this.unnest.alias && !a.this.unnest.with_ordinality && !a.column_aliases?.length) return a.alias?.name;
  return undefined;
}

/**
 * Whether spreadSelect can write the select's stars out (else DuckDB expands them): plain stars only, and none beside
 * GROUP BY, HAVING, DISTINCT (an UNNEST in the select list does not mix with them) or a USING join.
 */
function spreadsStars(select: Node): boolean {
  const stars = (select.expressions ?? []).filter((e: Node) => e?.star && !e.star.table);
  if (!stars.every(isPlainStar) || select.group_by || select.having || select.distinct || select.lateral_views?.length) return false;
  return Boolean(select.from?.expressions?.length) && !(select.joins ?? []).some((j: Node) => j?.using?.length || !j?.this);
}

/**
 * The subquery unnestWithOffset wrote for `UNNEST(x) AS e WITH OFFSET AS o` (its value and offset names), or the
 * FILTERED_UNNEST of a LEFT JOIN around it or around an aliased UNNEST (its value name).
 */
function valueTableNames(item: Node): [string, string | undefined] | undefined {
  const select = item?.subquery?.this?.select;
  if (isFilteredUnnest(item)) {
    const inner = select.from.expressions[0];
    const value = unnestValueName(inner);
    return value !== undefined ? [value, undefined] : valueTableNames(inner);
  }
  const [v, o] = select?.expressions ?? [];
  if (!select || select.from || select.expressions?.length !== 2) return undefined;
  const called = (e: Node, name: string) => String(e?.alias?.this?.function?.name ?? '').toLowerCase() === name;
  return called(v, '__gg_unnest_values') && called(o, '__gg_unnest_offsets') ? [v.alias.alias.name, o.alias.alias.name] : undefined;
}

// A lateral subquery, like unnestWithOffset's, so that the value column has a table name to qualify it by.
const UNNEST_NAMED = 'SELECT * FROM (SELECT __gg_unnest_values(__gg_arr) AS __gg_value) AS __gg_table';

function starItem(item: Node, k: number): Starred | undefined {
  const table = `${UNNEST_TABLE_PREFIX}${k}`;
  const value = unnestValueName(item);
  if (value !== undefined) {
    const arr = (item.unnest ?? item.alias.this.unnest).this;
    const named = fromTemplate(UNNEST_NAMED, (n) => {
      if (n.column?.name?.name === '__gg_arr') return arr;
      if (n.name === '__gg_value') return { ...n, name: value, quoted: true };
      if (n.name === '__gg_table') return { ...n, name: table, quoted: true };
      return undefined;
    });
    return { item: named, columns: (placeholders) => [spreadValue(table, value, placeholders)], expands: true };
  }
  const names = valueTableNames(item);
  if (names) {
    const [element, offset] = names;
    const named = { subquery: { ...item.subquery, alias: ident(table) } };
    return { item: named, columns: (placeholders) => [spreadValue(table, element, placeholders), ...(offset ? [qualified(table, offset)] : [])], expands: true };
  }
  const name = item?.table ? (item.table.alias?.name ?? item.table.name?.name) : item?.subquery?.alias?.name;
  return typeof name === 'string' ? { item, columns: () => [tableStar(name)], expands: false } : undefined;
}

function spreadSelect(select: Node, placeholders: Map<string, string>): void {
  if (!select.expressions?.some(isPlainStar) || !spreadsStars(select)) return;
  const from: Node[] = select.from?.expressions ?? [];
  const joins: Node[] = select.joins ?? [];
  // A lone UNNEST of a literal array is expanded by polyglot itself.
  if (from.length + joins.length === 1 && (from[0]?.unnest ?? from[0]?.alias?.this?.unnest)?.this?.array_func) return;
  const starred: Starred[] = [];
  let k = 0;
  for (const item of [...from, ...joins.map((j) => j.this)]) {
    const s = starItem(item, k++);
    if (!s) return;
    starred.push(s);
  }
  if (!starred.some((s) => s.expands)) return;
  select.from.expressions = starred.slice(0, from.length).map((s) => s.item);
  joins.forEach((j, i) => (j.this = starred[from.length + i].item));
  const columns = starred.flatMap((s) => s.columns(placeholders));
  select.expressions = select.expressions.flatMap((e: Node) => (isPlainStar(e) ? columns : [e]));
}

/** Spreads the STRUCT elements of UNNESTs beside other FROM items under every plain `SELECT *` (in place). */
export function spreadUnnestedStructs(node: Node, placeholders: Map<string, string>): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((n) => spreadUnnestedStructs(n, placeholders));
  if (isFilteredUnnest(node)) {
    const inner = node.subquery.this.select;
    return spreadUnnestedStructs([inner.from, inner.where_clause], placeholders);
  }
  for (const value of Object.values(node)) if (value && typeof value === 'object') spreadUnnestedStructs(value, placeholders);
  if (node.select && Array.isArray(node.select.expressions)) spreadSelect(node.select, placeholders);
}

/** Whether an array literal's element is written as a STRUCT: `STRUCT(...)`, `STRUCT<...>(...)` or a tuple. */
const buildsStruct = (e: Node): boolean => Boolean(e?.tuple) || /^struct$/i.test(String(e?.function?.name ?? '')) || (Boolean(e?.cast) && /struct/i.test(JSON.stringify(e.cast.to)));

/** Whether `name` appears as an unqualified column anywhere under `node` (a value table's alias read whole). */
function readsWhole(node: Node, name: string | undefined): boolean {
  if (!name || !node || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some((n) => readsWhole(n, name));
  if (node.column && !node.column.table && String(node.column.name?.name).toLowerCase() === name.toLowerCase()) return true;
  return Object.values(node).some((v) => v && typeof v === 'object' && readsWhole(v, name));
}

const UNNEST_SPREAD = 'SELECT * FROM (SELECT UNNEST(__gg_arr, max_depth => 2) AS __gg_value) AS __gg_table';

/** The UNNEST of a FROM item: polyglot's own node, or wrapped in an alias. */
const unnestOf = (item: Node): Node | undefined => item?.unnest ?? item?.alias?.this?.unnest;

/** The nodes' bodies in the array of a FROM-clause UNNEST (markLateralNodes). */
const lateralBodies = new WeakSet<Node>();

/** Every node's body in the array, calls and polyglot's own function nodes alike (LOWER is a `lower` node). */
function markLateralNodes(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach(markLateralNodes);
  for (const v of Object.values(node)) {
    if (!v || typeof v !== 'object') continue;
    if (!Array.isArray(v)) lateralBodies.add(v);
    markLateralNodes(v);
  }
}

/**
 * Whether a node's body (before the walk) is in the array of a FROM-clause UNNEST. There DuckDB picks a typed macro
 * overload before a correlated column has a type, so `UNNEST(SPLIT(t.csv))` took the BYTES form of SPLIT: such calls
 * bind their operands first (ast-fixes.ts).
 */
export const inLateralUnnest = (body: Node): boolean => lateralBodies.has(body);

export function exposeUnnestedFields(node: Node, counter = { next: 0 }): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((n) => exposeUnnestedFields(n, counter));
  for (const value of Object.values(node)) if (value && typeof value === 'object') exposeUnnestedFields(value, counter);
  const select = node.select;
  if (!select) return;
  const from: Node[] = select.from?.expressions ?? [];
  const joins: Node[] = (select.joins ?? []).filter((j: Node) => j?.this);
  const lone = from.length + joins.length === 1;
  const starBesideGrouping = select.expressions?.some(isPlainStar) && (select.group_by || select.having || select.distinct);
  const starLeftToDuckDB = select.expressions?.some((e: Node) => e?.star && !e.star.table) && !spreadsStars(select);
  const exposed = (item: Node): Node => {
    const unnest = unnestOf(item);
    markLateralNodes(unnest?.this);
    const aliasedUnnest = item?.alias?.this?.unnest ?? (item?.unnest?.alias ? item.unnest : undefined);
    const alias = item?.alias?.alias?.name ?? item?.unnest?.alias?.name;
    // polyglot unnests an aliased literal array with max_depth 2: its fields are columns, but the alias alone reads a
    // NULL STRUCT element as a STRUCT of NULLs. Where the alias is read whole, the array goes in parentheses, so that
    // the alias names the element (spreadSelect spreads its fields under `*`).
    if (aliasedUnnest?.this?.array_func?.expressions?.some(buildsStruct) && !starBesideGrouping && readsWhole(node, alias)) {
      aliasedUnnest.this = { paren: { this: aliasedUnnest.this, trailing_comments: [] } };
    }
    const withOffset = (u: Node) => u?.with_ordinality || u?.offset_alias;
    if (starLeftToDuckDB && (aliasedUnnest || withOffset(unnest)) && !(lone && unnest.this?.array_func)) unnest.this = fn('__gg_unstarred_elements', [unnest.this]);
    if (!item?.unnest || item.unnest.alias || item.unnest.with_ordinality || item.unnest.offset_alias) return item;
    const name = `${ANONYMOUS_UNNEST_PREFIX}${counter.next++}`;
    // polyglot unnests a literal array with max_depth 2 itself, and keeps a RANGE element whole.
    if (lone && item.unnest.this?.array_func) return aliased(item, name, true);
    return fromTemplate(UNNEST_SPREAD, (n) => {
      if (n.column?.name?.name === '__gg_arr') return item.unnest.this;
      if (n.name === '__gg_value') return { ...n, name, quoted: true };
      if (n.name === '__gg_table') return { ...n, name: `${UNNEST_TABLE_PREFIX}${name}`, quoted: true };
      return undefined;
    });
  };
  if (from.length) select.from.expressions = from.map(exposed);
  for (const j of joins) {
    const item = j.this;
    const unnest = unnestOf(item);
    j.this = exposed(item);
    if (unnest && j.kind === 'Left' && j.on && readsColumn(unnest.this)) {
      // DuckDB joins a correlated (lateral) UNNEST on a comparison of both sides only ("Join condition for non-inner
      // LATERAL JOIN must be a comparison between the left and right side"). Per left row, LEFT JOIN ... ON c keeps the
      // elements where c holds, or one row of NULLs: the same rows as filtering the elements by c inside the lateral
      // subquery and joining ON TRUE.
      j.this = fromTemplate(FILTERED_UNNEST, (n) => {
        if (n.table?.name?.name === '__gg_item') return j.this;
        if (n.column?.name?.name === '__gg_condition') return j.on;
        if (n.name === '__gg_table') return { ...n, name: `${FILTERED_UNNEST_PREFIX}${counter.next++}`, quoted: true };
        return undefined;
      });
      j.on = { boolean: { value: true } };
    }
    // BigQuery's `LEFT JOIN UNNEST(...)` needs no ON; DuckDB's join of the subquery does (ast-fixes.ts adds it to an UNNEST).
    if (j.this !== item && ['Left', 'Right', 'Full', 'Inner'].includes(j.kind) && !j.on && !j.using?.length) j.on = { boolean: { value: true } };
  }
}

const FILTERED_UNNEST = 'SELECT * FROM (SELECT * FROM __gg_item WHERE __gg_condition) AS __gg_table';
/** The name of a FILTERED_UNNEST subquery: its `*` passes the value table's columns on, spread by the select above it. */
const FILTERED_UNNEST_PREFIX = '__gg_filtered_unnest_';

const isFilteredUnnest = (item: Node): boolean => String(item?.subquery?.alias?.name ?? '').startsWith(FILTERED_UNNEST_PREFIX) && item.subquery.this?.select?.from?.expressions?.length === 1;

/** Whether an UNNEST's array reads a column (may be correlated), not only literals and parameters. */
function readsColumn(node: Node): boolean {
  if (!node || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(readsColumn);
  return Boolean(node.column) || Object.values(node).some((v) => v && typeof v === 'object' && readsColumn(v));
}

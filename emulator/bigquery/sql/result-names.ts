/**
 * BigQuery's names for a query's result columns: a select-list item without an alias that is not a column or a
 * field path is named `f0_`, `f1_`, ... (counting only such items); a script variable keeps its own name. DuckDB
 * would name them after our translation (`__gg_format_ts(...)`), so the outermost select list gets these aliases
 * before translation (the first branch of a set operation names the columns, as in BigQuery). An anonymous column of
 * a derived table or a CTE body has no name in BigQuery either: `SELECT * FROM (SELECT COUNT(*) FROM t)` returns `f0_`,
 * where DuckDB would say `count_star()`; so does an UNNEST without an alias (DuckDB: `unnest`). Such columns get a
 * placeholder alias that the result renames.
 */
import { aliased, type Node } from './ast-build.ts';
import { parse, Dialect } from './polyglot.ts';
import { DUPLICATE_PREFIX, repeatedColumnName } from './repeated-names.ts';

/** How markReferences writes a script variable (`variableKey` in translate.ts). */
const VARIABLE_PREFIX = '@__var_';

/** The select list that names a query's columns: a set operation's first input names them. */
export function outermostSelect(node: Node): Node | undefined {
  if (!node || typeof node !== 'object') return undefined;
  if (node.select) return node.select;
  for (const op of ['union', 'intersect', 'except']) if (node[op]) return outermostSelect(node[op].left);
  if (node.subquery) return outermostSelect(node.subquery.this);
  return undefined;
}

/**
 * A query whose result is a value table of STRUCT rows (`SELECT AS STRUCT` at the top, in every branch of a set
 * operation) returns the struct's fields as its columns, as a table written from it has them; DuckDB would return one
 * STRUCT column named after its `struct_pack(...)` call, and a set operation of such rows would match the structs'
 * fields by name instead of by position. The top-level `AS STRUCT` is dropped (in place): the select list is then
 * the columns, and the set operation is positional.
 */
export function flattenStructValueTable(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (node.select) {
    if (node.select.kind === 'STRUCT') node.select.kind = null;
    return;
  }
  for (const op of ['union', 'intersect', 'except']) {
    if (!node[op]) continue;
    flattenStructValueTable(node[op].left);
    flattenStructValueTable(node[op].right);
    return;
  }
  if (node.subquery) flattenStructValueTable(node.subquery.this);
}

/**
 * Whether BigQuery SQL is a query whose result is a value table of STRUCT rows (its result, once translated, has the
 * struct's fields as columns): `EXECUTE IMMEDIATE ... INTO` a STRUCT variable takes the whole row as that struct.
 */
export function isStructValueTableQuery(sql: string): boolean {
  const parsed = parse(sql, Dialect.BigQuery);
  return parsed.success && outermostSelect((parsed.ast as Node[])[0])?.kind === 'STRUCT';
}

/** Adds BigQuery's implicit column names to the statement's outermost select list (in place). */
export function nameResultColumns(statement: Node): void {
  const select = outermostSelect(statement);
  if (!Array.isArray(select?.expressions)) return;
  let anonymous = 0;
  select.expressions = select.expressions.map((e: Node) => {
    // `@__var_x` stands for the script variable x (see markReferences), which names its column.
    if (isScriptVariable(e)) return aliased(e, e.column.name.name.slice(VARIABLE_PREFIX.length));
    // `@__var_s.a`, a field of a STRUCT variable (a FOR loop's row), is named after its field.
    if (String(e?.column?.table?.name ?? '').startsWith(VARIABLE_PREFIX) && typeof e.column.name?.name === 'string') return aliased(e, e.column.name.name);
    // A field access is named after its field (DuckDB would name `(subquery).b` after the whole expression).
    if (e?.dot) return typeof e.dot.field?.name === 'string' ? aliased(e, e.dot.field.name) : e;
    return isAnonymous(e) ? aliased(e, `f${anonymous++}_`) : e;
  });
}

/** A select-list item BigQuery gives no name: not aliased, not a column, field path or star (parameters count as anonymous). */
export function isAnonymous(e: Node): boolean {
  if (e?.alias || e?.star || e?.dot) return false;
  const col = e?.column;
  if (!col) return true;
  const name: string = col.name?.name ?? '';
  return !col.table && !col.name?.quoted && name.startsWith('@') && !name.startsWith(VARIABLE_PREFIX);
}

/** The alias of an anonymous column of a derived table, CTE body or UNNEST; a result column so named is renamed `f<k>_`. */
const DERIVED_ANONYMOUS_PREFIX = '__gg_anon_';
/** The value column of an UNNEST without an alias (unnest-value-tables.ts): anonymous too. */
export const ANONYMOUS_UNNEST_PREFIX = `${DERIVED_ANONYMOUS_PREFIX}unnest_`;

/** The name a select-list item gives its column (undefined for `*`). */
function itemName(e: Node): string | undefined {
  if (e?.alias) return e.alias.alias?.name;
  if (e?.column && typeof e.column === 'object') return e.column.name?.name;
  if (e?.dot && typeof e.dot.field?.name === 'string') return e.dot.field.name;
  return undefined;
}

/**
 * Aliases the anonymous select-list items of every derived table (a subquery in FROM or JOIN) and CTE body that feeds
 * the query (in place). Only queries: a table's columns (CREATE TABLE AS) keep what they had. Subqueries inside
 * expressions are left alone: their columns never become result columns (and ARRAY(SELECT AS STRUCT ...) would carry
 * the placeholder into its field names).
 */
export function nameDerivedAnonymousColumns(statement: Node): void {
  if (!outermostSelect(statement)) return;
  let next = 0;
  const query = (node: Node, feeds: boolean): void => {
    if (!node || typeof node !== 'object') return;
    if (node.subquery) return query(node.subquery.this, feeds);
    for (const op of ['union', 'intersect', 'except']) {
      if (!node[op]) continue;
      ctes(node[op].with);
      query(node[op].left, feeds);
      query(node[op].right, feeds);
      return;
    }
    const select = node.select;
    if (!select) return;
    ctes(select.with);
    // A derived table of STRUCT rows (`FROM (SELECT AS STRUCT ...)`) has the struct's fields as its columns.
    if (feeds && select.kind === 'STRUCT') select.kind = null;
    if (feeds && Array.isArray(select.expressions)) {
      select.expressions = select.expressions.map((e: Node) => (isAnonymous(e) && !isScriptVariable(e) ? aliased(e, `${DERIVED_ANONYMOUS_PREFIX}${next++}`) : e));
      // A name the list already holds: DuckDB would rename the column `x_1`; BigQuery keeps `x`.
      const seen = new Set<string>();
      select.expressions = select.expressions.map((e: Node) => {
        const name = itemName(e);
        if (name === undefined) return e;
        if (!seen.has(name.toLowerCase())) {
          seen.add(name.toLowerCase());
          return e;
        }
        return aliased(e.alias ? e.alias.this : e, `${DUPLICATE_PREFIX}${next++}_${name}`);
      });
    }
    if (Array.isArray(select.from?.expressions)) select.from.expressions = select.from.expressions.map(fromItem);
    for (const join of select.joins ?? []) if (join) join.this = fromItem(join.this);
  };
  const fromItem = (item: Node): Node => {
    // A column list after the alias names the columns itself.
    if (item?.subquery && !item.subquery.column_aliases?.length) query(item.subquery.this, true);
    // UNNEST of an array of non-STRUCTs without an alias yields one anonymous column (DuckDB: `unnest`); with an alias,
    // DuckDB still expands STRUCT elements into their fields, as BigQuery does. WITH OFFSET has its own naming.
    if (item?.unnest && !item.unnest.alias && !item.unnest.with_ordinality) return aliased(item, `${DERIVED_ANONYMOUS_PREFIX}${next++}`, true);
    return item;
  };
  const ctes = (withClause: Node): void => {
    for (const cte of withClause?.ctes ?? []) if (!cte?.columns?.length) query(cte.this, true);
  };
  query(statement, false);
}

const isScriptVariable = (e: Node): boolean => {
  const name: string = e?.column?.name?.name ?? '';
  return !e?.column?.table && !e?.column?.name?.quoted && name.startsWith(VARIABLE_PREFIX);
};

/**
 * The first select-list name a query gives twice (case-insensitive), if any: a table written from it cannot have both
 * ("CREATE TABLE has columns with duplicate name a"; DuckDB would rename the second a_1). Names a `*` brings are not
 * seen; a query polyglot cannot parse is not checked here.
 */
export function repeatedSelectName(query: string): string | undefined {
  const parsed = parse(query, Dialect.BigQuery);
  const select = parsed.success ? outermostSelect((parsed.ast as Node[])[0]) : undefined;
  const seen = new Set<string>();
  for (const e of select?.expressions ?? []) {
    const name = itemName(e)?.toLowerCase();
    if (name === undefined) continue;
    if (seen.has(name)) return itemName(e);
    seen.add(name);
  }
  return undefined;
}

/**
 * A result's column names as BigQuery gives them: a derived table's anonymous column takes the first `f<k>_` no
 * other result column holds, in column order (the outermost select list's own were named before translation).
 */
export function bigQueryResultNames(names: readonly string[]): string[] {
  if (!names.some((n) => n.startsWith(DERIVED_ANONYMOUS_PREFIX) || n.startsWith(DUPLICATE_PREFIX))) return [...names];
  const taken = new Set(names.map((n) => n.toLowerCase()));
  let k = 0;
  return names.map((n) => {
    if (n.startsWith(DUPLICATE_PREFIX)) return repeatedColumnName(n);
    if (!n.startsWith(DERIVED_ANONYMOUS_PREFIX)) return n;
    while (taken.has(`f${k}_`)) k++;
    taken.add(`f${k}_`);
    return `f${k}_`;
  });
}

/**
 * A query result's column names with the repeated ones renamed: "When a top-level SELECT list contains duplicate column
 * names and no destination table is specified, all duplicate columns, except for the first one, are automatically
 * renamed" (query-syntax#duplicate_aliases: `SELECT 1 AS a, 2 AS a` gives a and a_1). Names compare case-insensitively.
 */
export function uniqueResultNames(names: readonly string[]): string[] {
  const taken = new Set(names.map((n) => n.toLowerCase()));
  const seen = new Set<string>();
  return names.map((n) => {
    if (!seen.has(n.toLowerCase())) {
      seen.add(n.toLowerCase());
      return n;
    }
    let k = 1;
    while (taken.has(`${n}_${k}`.toLowerCase())) k++;
    taken.add(`${n}_${k}`.toLowerCase());
    return `${n}_${k}`;
  });
}

/**
 * Whether a derived table or CTE of the statement selects `*` over a join: if the joined inputs share a column name,
 * DuckDB renames the repeated one (`value` becomes `value_1`) where BigQuery keeps both names (see
 * renamedRepeatedColumn).
 */
export function selectsStarOverJoinBelowTop(statement: Node): boolean {
  const top = outermostSelect(statement);
  let found = false;
  const visit = (node: Node): void => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const select = node.select;
    if (select && select !== top && select.expressions?.some((e: Node) => e?.star) && (select.joins?.length || select.from?.expressions?.length > 1)) found = true;
    for (const v of Object.values(node)) visit(v);
  };
  visit(statement);
  return found;
}

/** A result column named like DuckDB's rename of a repeated name (`x_1` after an `x`), if any. */
export function renamedRepeatedColumn(names: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const n of names) {
    const base = /^(.+)_\d+$/.exec(n)?.[1];
    if (base && seen.has(base.toLowerCase())) return n;
    seen.add(n.toLowerCase());
  }
  return undefined;
}

/**
 * PIVOT output column names. BigQuery names a pivot column `<aggregate alias>_<value>` (or `<value>` when the
 * aggregate has no alias), where the value part is the IN value's alias, or for a literal without one: an INT64 n as
 * `_n` (`n` after an aggregate alias), a string as itself, NULL as `NULL` (`null` after an alias), a BOOL as TRUE
 * or FALSE (true/false after an alias, as ZetaSQL's pivot cases have it)
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#pivot_operator). DuckDB names
 * them `<value>_<alias>`. Each IN value gets its BigQuery name as an explicit alias; where the name cannot be told
 * (another kind of value without an alias), the local emulator refuses.
 */
import { invalidQuery } from '../errors.ts';
import { aliased, columnRef, fromTemplate, ident, nodeShape, type Node } from './ast-build.ts';

const unsupported = (what: string) => invalidQuery(`PIVOT ${what} is not supported by the local emulator (its column names would differ from BigQuery's)`);

/** The value part of a pivot column's name; `aliased` when the aggregate has an alias. */
function valueName(v: Node, aliased: boolean): string {
  const lit = v?.literal;
  if (lit?.literal_type === 'number' && /^\d+$/.test(lit.value)) return aliased ? lit.value : `_${lit.value}`;
  if (lit?.literal_type === 'string') return lit.value;
  if (v && typeof v === 'object' && 'null' in v && Object.keys(v).length === 1) return aliased ? 'null' : 'NULL';
  if (v?.boolean) return aliased ? String(v.boolean.value) : String(v.boolean.value).toUpperCase();
  throw unsupported('on a value other than an integer, string, BOOL or NULL literal without an alias');
}

/** The BigQuery name of each IN value's column part (its alias, or its literal's text). */
function valueParts(values: Node[], aliased: boolean): Array<{ value: Node; part: string }> {
  return values.map((v: Node) => {
    const given = v?.pivot_alias;
    const value = given ? given.this : v;
    const part = given ? String(given.alias?.column?.name?.name ?? given.alias?.name ?? '') : valueName(value, aliased);
    if (!part) throw unsupported('with this IN alias');
    return { value, part };
  });
}

const pivotAlias = (value: Node, name: string): Node => ({
  pivot_alias: { this: value, alias: { column: { name: ident(name), table: null, join_mark: false, trailing_comments: [] } } },
});

/** One aggregate: each IN value is aliased with its whole BigQuery column name, which DuckDB then uses as is. */
function nameSingleAggregate(pivot: Node, values: Node[]): void {
  const agg = pivot.expressions[0];
  const aggAlias: string | undefined = agg?.alias ? String(agg.alias.alias?.name) : undefined;
  pivot.fields[0].in.expressions = valueParts(values, aggAlias !== undefined).map(({ value, part }) => pivotAlias(value, aggAlias !== undefined ? `${aggAlias}_${part}` : part));
  if (agg?.alias) pivot.expressions = [agg.alias.this];
}

const RENAMED = 'SELECT * FROM (SELECT * FROM __gg_pivot_input) AS __gg_pivot_alias';

/**
 * Several aggregates, or an IN value listed twice (which BigQuery allows and DuckDB refuses): DuckDB pivots each distinct
 * value once, with internal aliases, naming a column `<value alias>_<aggregate alias>`; a subquery over it keeps the other
 * columns (`* EXCLUDE`) and then selects each pivot column in BigQuery's order (each value, then each aggregate) under its
 * BigQuery name, `<aggregate alias>_<value>` or the value alone for an aggregate without an alias.
 */
function renamedPivot(holder: Node, values: Node[]): void {
  const pivot = holder.pivot;
  const aggAliases: Array<string | undefined> = pivot.expressions.map((agg: Node) => (agg?.alias ? String(agg.alias.alias?.name) : undefined));
  if (aggAliases.length > 1 && aggAliases.some((a) => a === undefined)) throw unsupported('with more than one aggregate, one of them without an alias');
  const parts = valueParts(values, aggAliases[0] !== undefined);
  // Each distinct value once (by its shape), with its position among them.
  const distinct = new Map<string, { index: number; value: Node }>();
  for (const { value } of parts) if (!distinct.has(nodeShape(value))) distinct.set(nodeShape(value), { index: distinct.size, value });
  pivot.fields[0].in.expressions = [...distinct.values()].map(({ index, value }) => pivotAlias(value, `__gg_pv${index}`));
  pivot.expressions = pivot.expressions.map((agg: Node, j: number) => aliased(agg?.alias ? agg.alias.this : agg, `__gg_pa${j}`));
  const internal = (i: number, j: number) => ident(`__gg_pv${i}___gg_pa${j}`);
  const columns = parts.flatMap(({ value, part }) => aggAliases.map((a, j) => aliased(columnRef(internal(distinct.get(nodeShape(value))!.index, j)), a === undefined ? part : `${a}_${part}`)));
  const alias = pivot.alias;
  pivot.alias = null;
  const wrapped = fromTemplate(RENAMED, (n) => (n?.table?.name?.name === '__gg_pivot_input' ? { pivot } : undefined));
  const select = wrapped.subquery.this.select;
  select.expressions[0].star.except = [...distinct.values()].flatMap(({ index }) => aggAliases.map((_, j) => internal(index, j)));
  select.expressions.push(...columns);
  wrapped.subquery.alias = alias ?? null;
  delete holder.pivot;
  Object.assign(holder, wrapped);
}

function fixPivot(holder: Node): void {
  const pivot = holder.pivot;
  const aggs: Node[] = pivot.expressions ?? [];
  const fields: Node[] = pivot.fields ?? [];
  if (fields.length !== 1 || !Array.isArray(fields[0]?.in?.expressions)) {
    if (aggs.length !== 1) throw unsupported('with more than one aggregate');
    return;
  }
  const values: Node[] = fields[0].in.expressions;
  const repeated = new Set(values.map((v) => nodeShape(v?.pivot_alias ? v.pivot_alias.this : v))).size < values.length;
  if (aggs.length === 1 && !repeated) nameSingleAggregate(pivot, values);
  else renamedPivot(holder, values);
}

/** Applies the names in place over a parsed statement (before the AST fixes). */
export function namePivotColumns(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) namePivotColumns(n);
    return;
  }
  if (node.pivot && !node.pivot.unpivot) {
    // Only the input can hold another PIVOT; the renaming subquery holds this one, named already.
    const input = node.pivot.this;
    fixPivot(node);
    namePivotColumns(input);
    return;
  }
  for (const v of Object.values(node)) namePivotColumns(v);
}

/**
 * PIVOT output column names. BigQuery names a pivot column `<aggregate alias>_<value>` (or `<value>` when the
 * aggregate has no alias), where the value part is the IN value's alias, or for a literal without one: an INT64 n as
 * `_n` (`n` after an aggregate alias), a string as itself, NULL as `NULL` (`null` after an alias), a BOOL as
 * true/false (https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#pivot_operator). DuckDB names
 * them `<value>_<alias>`. Each IN value gets its BigQuery name as an explicit alias; where the name cannot be told
 * (another kind of value without an alias) or DuckDB cannot give it (several aggregates), the local emulator refuses.
 */
import { invalidQuery } from '../errors.ts';
import type { Node } from './ast-build.ts';

const unsupported = (what: string) => invalidQuery(`PIVOT ${what} is not supported by the local emulator (its column names would differ from BigQuery's)`);

/** The value part of a pivot column's name; `aliased` when the aggregate has an alias. */
function valueName(v: Node, aliased: boolean): string {
  const lit = v?.literal;
  if (lit?.literal_type === 'number' && /^\d+$/.test(lit.value)) return aliased ? lit.value : `_${lit.value}`;
  if (lit?.literal_type === 'string') return lit.value;
  if (v && typeof v === 'object' && 'null' in v && Object.keys(v).length === 1) return aliased ? 'null' : 'NULL';
  if (v?.boolean) return String(v.boolean.value);
  throw unsupported('on a value other than an integer, string, BOOL or NULL literal without an alias');
}

function fixPivot(pivot: Node): void {
  const aggs: Node[] = pivot.expressions ?? [];
  const fields: Node[] = pivot.fields ?? [];
  if (aggs.length !== 1) throw unsupported('with more than one aggregate');
  if (fields.length !== 1 || !Array.isArray(fields[0]?.in?.expressions)) return;
  const agg = aggs[0];
  const aggAlias: string | undefined = agg?.alias ? String(agg.alias.alias?.name) : undefined;
  fields[0].in.expressions = fields[0].in.expressions.map((v: Node) => {
    const given = v?.pivot_alias;
    const value = given ? given.this : v;
    const part = given ? String(given.alias?.column?.name?.name ?? given.alias?.name ?? '') : valueName(value, aggAlias !== undefined);
    if (!part) throw unsupported('with this IN alias');
    const name = aggAlias !== undefined ? `${aggAlias}_${part}` : part;
    return { pivot_alias: { this: value, alias: { column: { name: { name, quoted: true, trailing_comments: [] }, table: null, join_mark: false, trailing_comments: [] } } } };
  });
  if (agg?.alias) pivot.expressions = [agg.alias.this];
}

/** Applies the names in place over a parsed statement (before the AST fixes). */
export function namePivotColumns(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) namePivotColumns(n);
    return;
  }
  if (node.pivot && !node.pivot.unpivot) fixPivot(node.pivot);
  for (const v of Object.values(node)) namePivotColumns(v);
}

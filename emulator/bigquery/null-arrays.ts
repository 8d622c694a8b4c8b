/**
 * "When you write a NULL array to a table, it's converted to an empty array"
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#array_nulls): a REPEATED field is never
 * NULL, at the top level or in a STRUCT. DuckDB keeps the NULL, so after a write the table's NULL arrays become empty
 * ones (an UPDATE of the rows that hold one, in the writer's transaction where it has one). Without it `ARRAY_CONCAT(comments, [...])`
 * on a row inserted without `comments` stayed NULL, and `comments IS NULL` was true.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { duckTypeTree, type DuckTypeTree } from './native/duck-type-text.ts';
import { quoteIdent } from './engine.ts';
import { quoteLiteral } from './sql/quote.ts';

const holdsList = (t: DuckTypeTree): boolean => t.kind === 'list' || (t.kind === 'struct' && t.fields.some((f) => holdsList(f.type)));

/** `expr` of type `t` with every NULL array in it empty (`depth` names the lambda's parameter). */
function withEmptyArrays(expr: string, t: DuckTypeTree, depth: number): string {
  if (t.kind === 'list') {
    const e = `__gg_e${depth}`;
    const elements = holdsList(t.element) ? `list_transform(${expr}, lambda ${e}: ${withEmptyArrays(e, t.element, depth + 1)})` : expr;
    return `coalesce(${elements}, [])`;
  }
  if (t.kind === 'scalar' || !holdsList(t)) return expr;
  const fields = t.fields.map((f) => `${quoteIdent(f.name)} := ${withEmptyArrays(`struct_extract(${expr}, ${quoteLiteral(f.name)})`, f.type, depth)}`);
  return `CASE WHEN ${expr} IS NULL THEN NULL ELSE struct_pack(${fields.join(', ')}) END`;
}

/** Empties the NULL arrays of `table` (a quoted DuckDB name) on `conn`, inside the caller's transaction. */
export async function emptyNullArrays(conn: DuckDBConnection, table: string): Promise<void> {
  const columns = (await conn.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE ${table})`)).getRowObjects();
  const sets: string[] = [];
  const differs: string[] = [];
  for (const c of columns) {
    const type = duckTypeTree(String(c.column_type ?? ''));
    if (!holdsList(type)) continue;
    const column = quoteIdent(String(c.column_name));
    const emptied = withEmptyArrays(column, type, 0);
    sets.push(`${column} = ${emptied}`);
    differs.push(`${emptied} IS DISTINCT FROM ${column}`);
  }
  if (sets.length) await conn.run(`UPDATE ${table} SET ${sets.join(', ')} WHERE ${differs.join(' OR ')}`);
}

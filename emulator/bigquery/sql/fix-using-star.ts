/**
 * `SELECT * FROM a JOIN b USING (k)`: BigQuery lists the USING columns first, then a's other columns, then b's
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#using_clause); DuckDB keeps a's columns
 * in a's order, k wherever a has it. A wrong order is silent (and INSERT ... SELECT * writes by position), so the
 * star becomes `k, * EXCEPT (k)`, which DuckDB expands in BigQuery's order.
 *
 * Only a FROM of one join: DuckDB's EXCEPT drops every column of that name, and after a second join a table of its
 * own may hold a column named like the first join's key, which BigQuery keeps. Longer chains keep DuckDB's order.
 */
import { columnRef, isPlainStar, type Node } from './ast-build.ts';

function orderSelect(select: Node): void {
  const joins: Node[] = select.joins ?? [];
  if (joins.length !== 1 || !joins[0]?.using?.length || select.from?.expressions?.length !== 1 || select.lateral_views?.length) return;
  if (!select.expressions.some(isPlainStar)) return;
  const keys: Node[] = joins[0].using;
  select.expressions = select.expressions.flatMap((e: Node) => (isPlainStar(e) ? [...keys.map(columnRef), { star: { ...e.star, except: keys.map((k) => ({ ...k })) } }] : [e]));
}

/** Puts the USING columns first in every `SELECT *` over one USING join of the statement (in place). */
export function orderUsingColumnsFirst(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach(orderUsingColumnsFirst);
  if (node.select && Array.isArray(node.select.expressions)) orderSelect(node.select);
  for (const value of Object.values(node)) if (value && typeof value === 'object') orderUsingColumnsFirst(value);
}

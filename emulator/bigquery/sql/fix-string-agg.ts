/**
 * STRING_AGG, as an aggregate and as an analytic function (the OVER clause goes on each aggregate the rewrite uses):
 * - over BYTES BigQuery returns BYTES; DuckDB's STRING_AGG reads any argument as text and returns VARCHAR, and DuckDB
 *   SQL cannot pick a result type by its argument's type, so the local emulator refuses it (at run time: the
 *   argument's type is known only there);
 * - a NULL separator is an error (DuckDB would drop it): a NULL literal when the statement is read, a NULL parameter at
 *   run time (https://cloud.google.com/bigquery/docs/reference/standard-sql/aggregate_functions#string_agg);
 * - with LIMIT, NULLs are skipped before the limit (an ARRAY_AGG cut to the limit, then joined).
 * The macros are in macros-core.ts.
 */
import { invalidQuery } from '../errors.ts';
import { fn, strLit, type Node } from './ast-build.ts';

export function fixStringAgg(body: Node, over: Node | undefined, walk: (n: Node) => Node): Node {
  if (body.separator?.null !== undefined && Object.keys(body.separator).length === 1) throw invalidQuery('Argument 2 to STRING_AGG must be non-NULL');
  const sep = body.separator ? fn('__gg_agg_separator', [walk(body.separator)]) : undefined;
  if (body.limit && !over) {
    const agg = walk({ array_agg: { this: body.this, distinct: body.distinct ?? false, order_by: body.order_by ?? [], name: 'ARRAY_AGG', limit: null } });
    return fn('__gg_string_agg_limit', [agg, sep ?? strLit(','), walk(body.limit)]);
  }
  const x = walk(body.this);
  const windowed = (call: Node) => (over ? { window_function: { this: call, over } } : call);
  const agg = { string_agg: { ...body, this: x, separator: sep ?? null, order_by: body.order_by ? walk(body.order_by) : body.order_by, limit: body.limit ? walk(body.limit) : body.limit } };
  const probe = fn('any_value', [x]);
  return fn('__gg_string_agg_checked', [windowed(agg), windowed(probe)]);
}

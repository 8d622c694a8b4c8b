/**
 * STRING_AGG, as an aggregate and as an analytic function (the OVER clause goes on each aggregate the rewrite uses):
 * - over BYTES BigQuery returns BYTES; DuckDB's STRING_AGG reads any argument as text and returns VARCHAR, and DuckDB
 *   SQL cannot pick a result type by its argument's type: where the statement shows the type (a bytes separator, or a
 *   CAST to BYTES) the bytes are joined as hex; elsewhere the local emulator refuses it at run time, where the
 *   argument's type is known;
 * - a NULL separator is an error (DuckDB would drop it): a NULL literal when the statement is read, a NULL parameter at
 *   run time (https://cloud.google.com/bigquery/docs/reference/standard-sql/aggregate_functions#string_agg);
 * - with LIMIT, NULLs are skipped before the limit (an ARRAY_AGG cut to the limit, then joined).
 * The macros are in macros-core.ts.
 */
import { invalidQuery } from '../errors.ts';
import { castTypeName, fn, strLit, type Node } from './ast-build.ts';

/** A value the statement shows to be BYTES: a bytes literal (by now a FROM_HEX call), FROM_HEX or a CAST to BYTES. */
const isBytes = (n: Node) => String(n?.function?.name ?? '').toUpperCase() === 'FROM_HEX' || (Boolean(n?.cast?.to) && castTypeName(n.cast.to) === 'BYTES');

export function fixStringAgg(body: Node, over: Node | undefined, walk: (n: Node) => Node): Node {
  if (body.separator?.null !== undefined && Object.keys(body.separator).length === 1) throw invalidQuery('Argument 2 to STRING_AGG must be non-NULL');
  if (!body.limit && (body.separator ? isBytes(body.separator) : isBytes(body.this))) return bytesStringAgg(body, over, walk);
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

/**
 * STRING_AGG over values the statement shows to be BYTES: the values and the separator joined as hex text, which
 * DuckDB's STRING_AGG can do, then read back as BYTES (the same bytes in the same order, DISTINCT on the same values).
 */
function bytesStringAgg(body: Node, over: Node | undefined, walk: (n: Node) => Node): Node {
  const sep = fn('__gg_agg_separator', [fn('TO_HEX', [body.separator ? walk(body.separator) : fn('FROM_HEX', [strLit('2c')])])]);
  const agg = { string_agg: { ...body, this: fn('TO_HEX', [walk(body.this)]), separator: sep, order_by: body.order_by ? walk(body.order_by) : body.order_by } };
  return fn('FROM_HEX', [over ? { window_function: { this: agg, over } } : agg]);
}

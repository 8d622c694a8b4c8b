/**
 * STRING_AGG, as an aggregate and as an analytic function (the OVER clause goes on each aggregate the rewrite uses):
 * - over BYTES BigQuery returns BYTES; DuckDB's STRING_AGG reads any argument as text and returns VARCHAR: the bytes
 *   are joined as hex and read back as BYTES, where the statement shows the type (a bytes separator, or a CAST to
 *   BYTES) by the translation, elsewhere by a macro overload on the argument's type (typed-call.ts); with LIMIT and in
 *   an expression subquery (correlated-scopes.ts) the local emulator refuses it at run time;
 * - a NULL separator is an error (DuckDB would drop it): a NULL literal when the statement is read, a NULL parameter at
 *   run time (https://cloud.google.com/bigquery/docs/reference/standard-sql/aggregate_functions#string_agg);
 * - with LIMIT, NULLs are skipped before the limit (an ARRAY_AGG cut to the limit, then joined).
 * The macros are in macros-core.ts.
 */
import { invalidQuery } from '../errors.ts';
import { castTypeName, fn, isNullLiteral, nodeShape, strLit, type Node } from './ast-build.ts';
import { typedCallOfBoundOperands } from './typed-call.ts';
import { mayBeCorrelated } from './correlated-scopes.ts';

/** A value the statement shows to be BYTES: a bytes literal (by now a FROM_HEX call), FROM_HEX or a CAST to BYTES. */
const isBytes = (n: Node) => String(n?.function?.name ?? '').toUpperCase() === 'FROM_HEX' || (Boolean(n?.cast?.to) && castTypeName(n.cast.to) === 'BYTES');

export function fixStringAgg(body: Node, over: Node | undefined, walk: (n: Node) => Node): Node {
  if (body.separator?.null !== undefined && Object.keys(body.separator).length === 1) throw invalidQuery('Argument 2 to STRING_AGG must be non-NULL');
  // Outside an expression subquery, a BYTES separator beside a value of unknown type goes the general way below,
  // which checks that the two types agree.
  const bytesShown = body.separator ? isBytes(body.separator) : isBytes(body.this);
  if (!body.limit && bytesShown && (isBytes(body.this) || mayBeCorrelated(body))) return bytesStringAgg(body, over, walk);
  const sep = body.separator ? fn('__gg_agg_separator', [walk(body.separator)]) : undefined;
  if (body.limit && !over) {
    const agg = walk({ array_agg: { this: body.this, distinct: body.distinct ?? false, order_by: body.order_by ?? [], name: 'ARRAY_AGG', limit: null } });
    return fn('__gg_string_agg_checked', [fn('__gg_string_agg_limit', [agg, sep ?? strLit(','), walk(body.limit)]), fn('any_value', [walk(body.this)])]);
  }
  const x = walk(body.this);
  const windowed = (call: Node) => (over ? { window_function: { this: call, over } } : call);
  // In a subquery the bound form would hold a correlated column in a STRUCT, which DuckDB fails to bind: BYTES there
  // are refused at run time. (A NULL literal is STRING's, where the result overload would take it for BYTES.)
  if (body.limit || mayBeCorrelated(body) || isNullLiteral(body.this)) {
    const agg = { string_agg: { ...body, this: x, separator: sep ?? null, order_by: body.order_by ? walk(body.order_by) : body.order_by, limit: body.limit ? walk(body.limit) : body.limit } };
    return fn('__gg_string_agg_checked', [windowed(agg), windowed(fn('any_value', [x]))]);
  }
  // BYTES values and separator are joined as hex text, then read back as BYTES by the result macro's BLOB overload,
  // picked once the aggregate's probe is bound.
  const separator = fn('__gg_agg_separator', [body.separator ? fn('__gg_string_agg_separator_text', [walk(body.separator), x]) : fn('__gg_string_agg_default_separator', [x])]);
  // A DISTINCT aggregate's ORDER BY key must be its argument (in DuckDB as in BigQuery): it becomes its text too,
  // which orders as the value does (hex digits order as the bytes). The ordering's NaN key goes: a STRING or BYTES has none.
  const orderBy = body.order_by ? (walk(body.order_by) as Node[]) : body.order_by;
  const isArgument = (n: Node) => nodeShape(n) === nodeShape(x);
  const isNanKey = (n: Node) => /^__gg_nan_key$/i.test(String(n?.function?.name ?? '')) && isArgument(n.function.args[0]);
  const keys = body.distinct && orderBy ? orderBy.filter((o: Node) => !isNanKey(o.this)).map((o: Node) => (isArgument(o.this) ? { ...o, this: fn('__gg_string_agg_text', [o.this]) } : o)) : orderBy;
  const agg = { string_agg: { ...body, this: fn('__gg_string_agg_text', [x]), separator, order_by: keys } };
  return typedCallOfBoundOperands('__gg_string_agg_result', [windowed(agg), windowed(fn('any_value', [x]))]);
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

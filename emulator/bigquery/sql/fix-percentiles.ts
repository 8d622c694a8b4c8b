/**
 * PERCENTILE_CONT. BigQuery orders NaN below -inf (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#floating_point_semantics);
 * DuckDB's QUANTILE_CONT, above +inf. Negating the values reverses DuckDB's order and leaves NaN where it was, so
 * `-QUANTILE_CONT(-x, 1 - p)` is BigQuery's `PERCENTILE_CONT(x, p)` (linear interpolation reads the same two values
 * from the other end). Refused where the local emulator would answer differently: NUMERIC/BIGNUMERIC values (DuckDB
 * interpolates them as DOUBLE, losing digits) and RESPECT NULLS (DuckDB's quantiles skip NULLs). In place, over a
 * parsed statement, before the AST walk.
 */
import { BigQueryError } from '../errors.ts';
import { binary, castTo, fn, numLit, type Node } from './ast-build.ts';

const castDouble = (x: Node): Node => castTo(x, 'FLOAT64');
const neg = (x: Node): Node => ({ neg: { this: x } });

export function fixPercentileCont(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) fixPercentileCont(n);
    return;
  }
  for (const v of Object.values(node)) fixPercentileCont(v);
  const agg = node.window_function?.this?.aggregate_function;
  if (!agg || String(agg.name).toUpperCase() !== 'PERCENTILE_CONT' || agg.args?.length !== 2) return;
  if (agg.ignore_nulls === false) throw new BigQueryError(400, 'invalidQuery', 'PERCENTILE_CONT with RESPECT NULLS is not supported by the local emulator');
  const [x, p] = agg.args;
  const quantile = fn('quantile_cont', [neg(castDouble(x)), { paren: { this: binary('sub', numLit('1'), p) } }]);
  const over = node.window_function.over;
  delete node.window_function;
  Object.assign(node, fn('__gg_percentile_cont', [neg({ paren: { this: { window_function: { this: quantile, over } } } }), structuredClone(x)]));
}

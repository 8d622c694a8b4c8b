/**
 * PERCENTILE_CONT and PERCENTILE_DISC.
 *
 * PERCENTILE_CONT: BigQuery orders NaN below -inf (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#floating_point_semantics);
 * DuckDB's QUANTILE_CONT, above +inf. Negating the values reverses DuckDB's order and leaves NaN where it was, so
 * `-QUANTILE_CONT(-x, 1 - p)` is BigQuery's `PERCENTILE_CONT(x, p)` (linear interpolation reads the same two values
 * from the other end); where the values hold no NaN, the direct QUANTILE_CONT(x, p), which rounds as BigQuery does. Refused where the local emulator would answer differently: NUMERIC/BIGNUMERIC values (DuckDB
 * interpolates them as DOUBLE, losing digits) and RESPECT NULLS (DuckDB's quantiles skip NULLs). In place, over a
 * parsed statement, before the AST walk.
 *
 * PERCENTILE_DISC(x, p): the value at index ceil(n * p) - 1 of the n non-NULL values in order (0 for p = 0), with n * p
 * exact (ZetaSQL's PercentileEvaluator); DuckDB's QUANTILE_DISC computes the same index from n * p in floating point,
 * which is exact where p is a literal multiple of 2^-20 (0, 0.25, 0.5, 0.375, 1...). Any other p (0.1 is a little above
 * one tenth, and 10 * 0.1 rounds to 1 where the exact index is 1, not 0) is refused, as are NaN values in the partition
 * (DuckDB orders NaN last, BigQuery first) and RESPECT NULLS.
 */
import { BigQueryError } from '../errors.ts';
import { binary, castTo, fn, numLit, strLit, type Node } from './ast-build.ts';

const castDouble = (x: Node): Node => castTo(x, 'FLOAT64');
const neg = (x: Node): Node => ({ neg: { this: x } });

export function fixPercentiles(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) fixPercentiles(n);
    return;
  }
  for (const v of Object.values(node)) fixPercentiles(v);
  const agg = node.window_function?.this?.aggregate_function;
  if (!agg || agg.args?.length !== 2) return;
  const name = String(agg.name).toUpperCase();
  if (name === 'PERCENTILE_DISC') return fixPercentileDisc(node, agg);
  if (name !== 'PERCENTILE_CONT') return;
  if (agg.ignore_nulls === false) throw new BigQueryError(400, 'invalidQuery', 'PERCENTILE_CONT with RESPECT NULLS is not supported by the local emulator');
  const [x, p] = agg.args;
  const value = literalNumber(p);
  if (value !== undefined && !(value >= 0 && value <= 1)) throw new BigQueryError(400, 'invalidQuery', `Percentile argument must be in [0, 1]; got ${value}`);
  const over = node.window_function.over;
  const windowed = (f: Node): Node => ({ window_function: { this: f, over: structuredClone(over) } });
  // Without NaN, DuckDB's own order is BigQuery's: the direct form, whose interpolation rounds as BigQuery's does
  // (the mirrored one's 1 - p does not: 0.03000000000000025 for 0.03).
  const direct = windowed(fn('quantile_cont', [castDouble(x), structuredClone(p)]));
  const mirrored = neg({ paren: { this: windowed(fn('quantile_cont', [neg(castDouble(structuredClone(x))), { paren: { this: binary('sub', numLit('1'), p) } }])) } });
  const nanFree = windowed(fn('min', [fn('__gg_nan_key', [structuredClone(x)])]));
  delete node.window_function;
  Object.assign(node, fn('__gg_percentile_cont', [direct, mirrored, nanFree, structuredClone(x)]));
}

const refuseDisc = (why: string) => new BigQueryError(400, 'invalidQuery', `PERCENTILE_DISC ${why} is not supported by the local emulator`);

/** A number literal, possibly negated: its value as BigQuery (and DuckDB) read it, a double. */
function literalNumber(n: Node): number | undefined {
  if (n?.neg) {
    const v = literalNumber(n.neg.this);
    return v === undefined ? undefined : -v;
  }
  if (n?.paren) return literalNumber(n.paren.this);
  return n?.literal?.literal_type === 'number' ? Number(n.literal.value) : undefined;
}

function fixPercentileDisc(node: Node, agg: Node): void {
  if (agg.ignore_nulls === false) throw refuseDisc('with RESPECT NULLS');
  const [x, p] = agg.args;
  const value = literalNumber(p);
  if (value === undefined) throw refuseDisc('with a percentile that is not a FLOAT64 or INT64 literal');
  if (!(value >= 0 && value <= 1)) throw new BigQueryError(400, 'invalidQuery', `Percentile argument must be in [0, 1]; got ${value}`);
  if (!Number.isInteger(value * 2 ** 20)) throw refuseDisc(`with the percentile ${value}, which is not a multiple of 2^-20 (DuckDB rounds n * p in floating point)`);
  const over = node.window_function.over;
  const quantile = { window_function: { this: fn('quantile_disc', [x, numLit(String(Math.abs(value)))]), over } };
  const nanFree = { window_function: { this: fn('min', [fn('__gg_nan_key', [structuredClone(x)])]), over: structuredClone(over) } };
  delete node.window_function;
  Object.assign(node, fn('__gg_percentile_disc', [quantile, nanFree, strLit('PERCENTILE_DISC')]));
}

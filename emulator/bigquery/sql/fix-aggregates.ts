/**
 * Aggregates whose DuckDB result differs from BigQuery's, as plain aggregates and as analytic functions (the same
 * OVER clause goes on each aggregate the rewrite uses):
 * - AVG of NUMERIC/BIGNUMERIC is NUMERIC/BIGNUMERIC in BigQuery; DuckDB's is DOUBLE. The macro types the result by the
 *   argument's type when DuckDB binds it, and divides SUM by COUNT exactly for a decimal.
 * - SUM of NUMERIC past its 29 integer digits is an error in BigQuery (DuckDB's DECIMAL(38,9) sum does not check); so is
 *   a FLOAT64 sum of finite values that overflows (DuckDB: ±inf). Where DuckDB's sum stays finite and BigQuery's
 *   running sum would overflow on the way, the difference remains.
 * - VAR_POP/VAR_SAMP/VARIANCE/STDDEV*, COVAR_POP/COVAR_SAMP and CORR are NaN when an input (a complete pair, for the
 *   two-argument ones) is ±inf or NaN, given the one (_POP) or two inputs the function needs (DuckDB raises "out of
 *   range", so it sees only the finite values); CORR is NULL below two non-NULL pairs (DuckDB: NaN). DuckDB computes them on DOUBLE copies of
 *   NUMERIC/BIGNUMERIC values: where the copies' rounding is not negligible against the values' spread (digits beyond
 *   a DOUBLE's 15-16 that BigQuery's exact computation sees), the result is refused. Values past 2^500, whose squares
 *   overflow DuckDB's computation, are computed scaled (__gg_var_pick, __gg_corr_pick).
 * - MIN is NaN when an input is NaN (DuckDB's MIN skips NaN; its MAX, like BigQuery's, is NaN since NaN sorts last there):
 *   https://cloud.google.com/bigquery/docs/reference/standard-sql/aggregate_functions#min
 * The macros are in macros-core.ts.
 */
import { notSupported } from '../errors.ts';
import { expressionTemplate, fn, numLit, passThroughFn, PASS_THROUGH_PREFIX, strLit, type Node } from './ast-build.ts';
import { isIntervalValued } from './fix-intervals.ts';

/** The macros around AVG, MIN and SUM (macros-core.ts): CASEs over their aggregates, so each names its operands often. */
export const CHECKED_AGGREGATES = { avg: '__gg_avg_checked', min: '__gg_min_nan', sum: '__gg_sum_checked' } as const;

const VARIANCES = new Set(['var_pop', 'var_samp', 'variance', 'stddev', 'stddev_pop', 'stddev_samp']);
const COVARIANCES = new Set(['covar_pop', 'covar_samp', 'corr']);

/** The kind of a (plain, not yet walked) aggregate node this file rewrites, if it is one. */
export function rewrittenAggregate(node: Node): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const kind = Object.keys(node)[0];
  if (kind === 'avg' || kind === 'sum' || kind === 'min' || VARIANCES.has(kind)) return node[kind]?.filter ? undefined : kind;
  if (kind === 'bitwise_xor_agg' && node[kind]?.distinct && !node[kind].filter) return kind;
  if (kind === 'aggregate_function' && !node.aggregate_function.filter) {
    const name = String(node.aggregate_function.name).toLowerCase();
    return COVARIANCES.has(name) ? name : undefined;
  }
  return undefined;
}

/**
 * Aggregates and analytic calls: polyglot's node kinds for them, and the function names of aggregates (BigQuery's, and
 * DuckDB's that the fixes write). One list serves both: no scalar function shares these names.
 */
const AGGREGATES = new Set(
  (
    'aggregate_function window_function max min sum avg count count_if countif any_value array_agg string_agg group_concat list listagg ' +
    'logical_or logical_and bool_and bool_or approx_count_distinct approx_distinct bitwise_and_agg bitwise_or_agg bitwise_xor_agg ' +
    'bit_and bit_or bit_xor stddev stddev_pop stddev_samp variance var_pop var_samp array_concat_agg median mode first last arg_max ' +
    'arg_min max_by min_by quantile_disc quantile_cont grouping product'
  ).split(' '),
);

/**
 * Whether an expression computes an aggregate or an analytic function (not counting those inside a subquery): DuckDB
 * binds a macro's arguments before such calls have a type, so a macro with typed overloads picks the first one
 * (a BLOB overload for a STRING aggregate). Such arguments go through the macro's `_once` form (macros-bytes.ts).
 */
export function holdsAggregate(node: Node, windowsCount = true): boolean {
  if (!node || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some((n) => holdsAggregate(n, windowsCount));
  const kind = Object.keys(node)[0];
  if (Object.keys(node).length === 1 && (kind === 'select' || kind === 'subquery' || kind === 'exists')) return false;
  if (!windowsCount && kind === 'window_function') {
    const call = node.window_function.this;
    return holdsAggregate([call && typeof call === 'object' ? Object.values(call)[0] : undefined, node.window_function.over], false);
  }
  if (Object.keys(node).length === 1 && AGGREGATES.has(kind)) return true;
  if (node.function && AGGREGATES.has(String(node.function.name).toLowerCase())) return true;
  return Object.values(node).some((n) => holdsAggregate(n, windowsCount));
}

/** Whether an expression holds an aggregate of its query's groups (a window function's own call is not one). */
export const holdsGroupAggregate = (node: Node): boolean => holdsAggregate(node, false);

/** Rewrites an aggregate node (see rewrittenAggregate) with walked arguments; `over` is the walked OVER clause. */
export function fixAggregate(node: Node, over: Node | undefined, walk: (n: Node) => Node): Node {
  const kind = rewrittenAggregate(node)!;
  const body = node[Object.keys(node)[0]];
  const distinct = Boolean(body.distinct);
  const agg = (name: string, args: Node[]): Node => {
    const call = fn(name, args);
    call.function.distinct = distinct;
    return over ? { window_function: { this: call, over } } : call;
  };
  if (kind === 'avg') {
    // DuckDB has no SUM of INTERVAL values (an INTERVAL column is refused when DuckDB binds it: errors.ts).
    if (isIntervalValued(body.this)) throw notSupported('AVG of INTERVAL values');
    const x = walk(body.this);
    return fn(CHECKED_AGGREGATES.avg, [agg('avg', [x]), agg('sum', [x]), agg('count', [x]), agg('min', [x])]);
  }
  // polyglot writes BIT_XOR(DISTINCT x) without its DISTINCT.
  if (kind === 'bitwise_xor_agg') return agg(`${PASS_THROUGH_PREFIX}bit_xor`, [walk(body.this)]);
  if (kind === 'min') {
    const x = walk(body.this);
    return fn(CHECKED_AGGREGATES.min, [agg('min', [x]), agg('max', [x])]);
  }
  if (kind === 'sum') {
    const x = walk(body.this);
    return fn(CHECKED_AGGREGATES.sum, [agg('sum', [x]), agg('max', [x]), agg('min', [x])]);
  }
  // A decimal value's distance from its DOUBLE copy against the values' spread: the relative error DuckDB's result may have.
  const exact = (v: Node, x: Node) => fn('__gg_exact_in_double', [v, agg('max', [fn('__gg_double_error', [x])]), agg('max', [x]), agg('min', [x]), strLit(kind.toUpperCase())]);
  const least = numLit(kind.endsWith('_pop') ? '1' : '2');
  const finite = (x: Node) => fn('__gg_finite', [x]);
  if (VARIANCES.has(kind)) {
    const x = walk(body.this);
    // Under DISTINCT the scaled copies of tiny values could underflow to one value: no scaling there.
    // polyglot would write VAR_SAMP and VAR_POP calls without their DISTINCT.
    const value = distinct
      ? agg(`${PASS_THROUGH_PREFIX}${kind}`, [finite(x)])
      : fn('__gg_var_pick', [
          agg(kind, [fn('__gg_var_plain', [finite(x)])]),
          agg(kind, [fn('__gg_var_scaled', [finite(x)])]),
          agg('max', [fn('__gg_var_peak', [finite(x)])]),
          numLit(kind.startsWith('stddev') ? '1' : '2'),
        ]);
    return exact(fn('__gg_nonfinite_nan', [value, agg('max', [x]), agg('min', [x]), agg('count', [x]), least]), x);
  }
  // Only complete (y, x) pairs are inputs: a non-finite value beside a NULL does not make the result NaN.
  const [y, x] = (body.args as Node[]).map(walk);
  const pair = fn('__gg_pair', [y, x]);
  const [py, px] = [fn('__gg_null_if_null', [y, pair]), fn('__gg_null_if_null', [x, pair])];
  const hi = fn('greatest', [agg('max', [px]), agg('max', [py])]);
  const lo = fn('least', [agg('min', [px]), agg('min', [py])]);
  // CORR divides by both standard deviations, which overflow in DuckDB past 2^500 (COVAR's product does not raise).
  const computed =
    kind === 'corr' && !distinct
      ? fn('__gg_corr_pick', [
          ...(['__gg_var_plain', '__gg_var_scaled'] as const).flatMap((fy) => (['__gg_var_plain', '__gg_var_scaled'] as const).map((fx) => agg(kind, [fn(fy, [finite(y)]), fn(fx, [finite(x)])]))),
          agg('max', [fn('__gg_var_peak', [finite(py)])]),
          agg('max', [fn('__gg_var_peak', [finite(px)])]),
        ])
      : agg(kind, [finite(y), finite(x)]);
  const value = fn('__gg_nonfinite_nan', [computed, hi, lo, agg('count', [pair]), least]);
  const checked = exact(exact(value, x), y);
  return kind === 'corr' ? fn('__gg_corr_checked', [checked, agg('count', [pair])]) : checked;
}

/**
 * DuckDB's PIVOT takes exactly one aggregate per expression, so the aggregates of a PIVOT clause keep their plain
 * DuckDB form (as generic calls, which the rewrite above passes by): in place, over a parsed statement.
 */
export function keepPivotAggregatesPlain(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) keepPivotAggregatesPlain(n);
    return;
  }
  if (node.pivot && Array.isArray(node.pivot.expressions)) {
    node.pivot.expressions = node.pivot.expressions.map((e: Node) => {
      const inner = e?.alias ? e.alias.this : e;
      const kind = rewrittenAggregate(inner);
      if (!kind || kind === 'aggregate_function' || !inner[kind]?.this) return e;
      const call = fn(String(inner[kind].name ?? kind).toUpperCase(), [inner[kind].this]);
      call.function.distinct = Boolean(inner[kind].distinct);
      return e?.alias ? { alias: { ...e.alias, this: call } } : call;
    });
  }
  for (const v of Object.values(node)) keepPivotAggregatesPlain(v);
}

/**
 * APPROX_QUANTILES(x, n): exact quantiles (DuckDB's QUANTILE_DISC; its APPROX_QUANTILE's t-digest answers differ from
 * BigQuery's, which are exact on small inputs, and an exact answer is within any approximation's bounds), for any
 * orderable type. The points are computed from n in DuckDB, which also checks n as BigQuery does (positive, not NULL, at
 * most 100000). NaN values are refused (DuckDB orders NaN last, BigQuery first). With RESPECT NULLS the points are
 * picked from the sorted list of values, NULLs first. In place.
 */
export function fixApproxQuantiles(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) fixApproxQuantiles(n);
    return;
  }
  const over = node.window_function?.over;
  const agg = (over ? node.window_function.this : node)?.aggregate_function;
  const respectNulls = agg?.ignore_nulls === false;
  if (!agg || String(agg.name).toUpperCase() !== 'APPROX_QUANTILES' || agg.args?.length !== 2 || (agg.distinct && !respectNulls)) {
    for (const v of Object.values(node)) fixApproxQuantiles(v);
    return;
  }
  const windowed = (call: Node) => (over ? { window_function: { this: call, over: structuredClone(over) } } : call);
  // RESPECT NULLS: the NULLs are values too, ordered first; DuckDB's quantiles skip them, its list keeps them.
  const values = passThroughFn('list', [agg.args[0]]);
  values.function.distinct = Boolean(agg.distinct);
  const quantiles = respectNulls
    ? fn('__gg_quantiles_respecting_nulls', [windowed(values), agg.args[1], { boolean: { value: Boolean(agg.distinct) } }])
    : windowed(fn('quantile_disc', [agg.args[0], fn('__gg_quantile_points', [agg.args[1]])]));
  const call = fn('__gg_nan_free_quantiles', [quantiles, windowed(fn('max', [structuredClone(agg.args[0])]))]);
  for (const k of Object.keys(node)) delete node[k];
  Object.assign(node, call);
}

/**
 * ARRAY_CONCAT_AGG(x) OVER (...): polyglot writes FLATTEN(ARRAY_AGG(x) ...) OVER (...), which DuckDB refuses (FLATTEN is
 * not an aggregate), so the OVER goes on the inner aggregate. NULL arrays add nothing; with none but NULLs in the frame
 * the result is NULL (aggregate_functions#array_concat_agg), where DuckDB's FLATTEN gives [].
 */
export function windowedArrayConcatAgg(agg: Node, over: Node, walk: (n: Node) => Node): Node {
  const windowed = (call: Node) => ({ window_function: { this: call, over: structuredClone(over) } });
  const arrays = windowed(fn('count', [walk(structuredClone(agg.this))]));
  const flattened = passThroughFn('flatten', [windowed(passThroughFn('list', [walk(structuredClone(agg.this))]))]);
  return expressionTemplate('IF(__gg_arrays > 0, __gg_flattened, NULL)', (n) => {
    const name = n.column?.name?.name;
    return name === '__gg_arrays' ? arrays : name === '__gg_flattened' ? flattened : undefined;
  });
}

/**
 * APPROX_TOP_COUNT(x, n) and APPROX_TOP_SUM(x, weight, n)
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/approximate_aggregate_functions), which DuckDB lacks,
 * answered exactly: an exact answer is within any approximation's bounds, and BigQuery's are exact on small inputs.
 * The group's values are gathered with DuckDB's list() (which keeps NULLs: NULL is a value here) and counted or summed
 * per value in a subquery of the macro. Where the n-th and the (n+1)-th values tie, BigQuery's choice between them is
 * its own: the local emulator refuses rather than pick one. The window forms are left alone (DuckDB reports the
 * function as not found, which the emulator words as not supported).
 */
import { fn, substitute, type Node } from './ast-build.ts';
import { parse, Dialect } from './polyglot.ts';

const REFUSE_TIE = (f: string) => `__gg_refuse('${f} whose last place is shared by tied values is not supported by the local emulator (BigQuery returns one of them)')`;

/** `k`: the group rows ranked by `c` descending, `rn` their rank, `prev` the c ranked before; the list is the top k, ties refused. */
const topList = (f: string, field: string, grouped: string, k: string) => `(
  SELECT CASE WHEN bool_or(rn = k + 1 AND c IS NOT DISTINCT FROM prev) THEN cast_to_type(${REFUSE_TIE(f)}, list({'value': v, '${field}': c}))
    ELSE list({'value': v, '${field}': c} ORDER BY rn) FILTER (WHERE rn <= k) END
  FROM (SELECT v, c, row_number() OVER (ORDER BY c DESC NULLS LAST) AS rn, lag(c) OVER (ORDER BY c DESC NULLS LAST) AS prev, ${k} AS k FROM (${grouped})))`;

export const approxTopMacros = [
  `CREATE OR REPLACE MACRO __gg_top_n(n, f) AS CASE WHEN n IS NULL THEN __gg_raise('The second argument to ' || f || ' function must not be NULL')
     WHEN n <= 0 THEN __gg_raise('The second argument to ' || f || ' function must be positive')
     WHEN n > 100000 THEN __gg_raise('The second argument to ' || f || ' function cannot be greater than 100000') ELSE n END`,
  // INTERVAL values: BigQuery's equal intervals (1 month = 30 days) may be spelt either way, and which one it returns
  // for the group is its own.
  `CREATE OR REPLACE MACRO __gg_top_value(v, f) AS CASE WHEN typeof(v) = 'INTERVAL' THEN cast_to_type(__gg_refuse(f || ' of INTERVAL values is not supported by the local emulator'), v) ELSE v END`,
  `CREATE OR REPLACE MACRO __gg_top_weight(w) AS CASE WHEN w < 0 OR isnan(CAST(w AS DOUBLE))
     THEN cast_to_type(__gg_raise('APPROX_TOP_SUM does not support negative or NaN weights in the second argument; got ' || CAST(w AS VARCHAR)), w) ELSE w END`,
  `CREATE OR REPLACE MACRO __gg_top_count(l, n) AS CASE WHEN l IS NULL THEN NULL ELSE ${topList(
    'APPROX_TOP_COUNT',
    'count',
    `SELECT v, count(*) AS c FROM (SELECT __gg_top_value(unnest(l), 'APPROX_TOP_COUNT') AS v) GROUP BY v`,
    `__gg_top_n(n, 'APPROX_TOP_COUNT')`,
  )} END`,
  // The weights are checked here: a macro call inside the list()'s STRUCT failed to bind (DuckDB: "Need named argument
  // for struct pack"). The sum keeps the weight's type (DuckDB's sum of BIGINT is HUGEINT; past INT64 the cast fails, as BigQuery's sum does).
  `CREATE OR REPLACE MACRO __gg_top_sum(l, n) AS CASE WHEN l IS NULL THEN NULL ELSE ${topList(
    'APPROX_TOP_SUM',
    'sum',
    `SELECT __gg_top_value(e.v, 'APPROX_TOP_SUM') AS v, cast_to_type(sum(__gg_top_weight(e.w)), any_value(e.w)) AS c FROM (SELECT unnest(l) AS e) GROUP BY e.v`,
    `__gg_top_n(n, 'APPROX_TOP_SUM')`,
  )} END`,
];

/** Rewrites plain APPROX_TOP_COUNT / APPROX_TOP_SUM calls (not DISTINCT, not windows) to the macros above, in place. */
export function fixApproxTop(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) fixApproxTop(n);
    return;
  }
  if (node.window_function) return fixApproxTop(node.window_function.over);
  // polyglot parses APPROX_TOP_COUNT as an aggregate, APPROX_TOP_SUM as a plain function.
  const agg = node.aggregate_function ?? node.function;
  const name = String(agg?.name ?? '').toUpperCase();
  const arity = name === 'APPROX_TOP_COUNT' ? 2 : name === 'APPROX_TOP_SUM' ? 3 : 0;
  if (!arity || agg.args?.length !== arity || agg.distinct || agg.filter) {
    for (const v of Object.values(node)) fixApproxTop(v);
    return;
  }
  for (const a of agg.args) fixApproxTop(a);
  const [x, w] = agg.args;
  const call = arity === 2 ? fn('__gg_top_count', [fn('list', [x]), agg.args[1]]) : fn('__gg_top_sum', [fn('list', [valueWeight(x, w)]), agg.args[2]]);
  for (const k of Object.keys(node)) delete node[k];
  Object.assign(node, call);
}

let pairTemplate: Node | undefined;

/** `STRUCT(x AS v, w AS w)`, built from parsed SQL so it carries every field polyglot's generator expects. */
function valueWeight(x: Node, w: Node): Node {
  pairTemplate ??= (parse('SELECT STRUCT(__gg_x AS v, __gg_w AS w)', Dialect.BigQuery).ast as Node[])[0].select.expressions[0];
  return substitute(pairTemplate, (n) => {
    const name = n?.column?.name?.name;
    return name === '__gg_x' ? x : name === '__gg_w' ? w : undefined;
  });
}

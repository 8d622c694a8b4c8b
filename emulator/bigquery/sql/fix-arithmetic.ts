/**
 * Arithmetic with BigQuery's result types and errors: `/`, `*`, MOD and SAFE_DIVIDE go through the macros of
 * macros-numeric.ts (and macros-core.ts for MOD), INTERVAL division through __gg_interval_div.
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/operators#arithmetic_operators
 */
import { fn, type Node } from './ast-build.ts';
import { isIntervalValued } from './fix-intervals.ts';

/** The rewritten node of an arithmetic node (div, mul, mod_func, safe_divide), or undefined to keep DuckDB's. */
export function fixArithmetic(kind: string, body: Node, walk: (n: Node) => Node): Node | undefined {
  switch (kind) {
    case 'div':
      return fn(isIntervalValued(body.left) ? '__gg_interval_div' : '__gg_div', [walk(body.left), walk(body.right)]);
    case 'mul':
      // Only a product that can be NUMERIC × NUMERIC needs __gg_mul, which repeats its operands: an INT64 or FLOAT64
      // literal operand (`100 * SAFE_DIVIDE(...)`) and INTERVAL × INT64 keep DuckDB's product.
      if ([body.left, body.right].some((n) => n?.literal?.literal_type === 'number' || isIntervalValued(n))) return undefined;
      return fn('__gg_mul', [walk(body.left), walk(body.right)]);
    case 'mod_func':
      return fn('__gg_mod', [walk(body.this), walk(body.expression)]);
    case 'safe_divide':
      return fn('__gg_safe_divide', [walk(body.this), walk(body.expression)]);
    default:
      return undefined;
  }
}

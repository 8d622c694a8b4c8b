/**
 * Comparisons with NaN. In BigQuery `=`, `<`, `<=`, `>`, `>=` and BETWEEN are FALSE when an operand is NaN and the
 * other is not NULL, and `!=` is TRUE (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#floating_point_semantics);
 * DuckDB orders NaN above +inf and equal to itself. Each comparison keeps its DuckDB form and gains a conjunct (a
 * disjunct for `!=`) that reads the operands' NaN-ness: for operands that are not FLOAT64 it folds to TRUE (FALSE) when
 * DuckDB binds the statement, so filter pushdown and hash joins on other types are unchanged.
 */
import { binary, fn, type Node } from './ast-build.ts';

const ORDERED = new Set(['lt', 'lte', 'gt', 'gte', 'eq']);
const paren = (n: Node): Node => ({ paren: { this: n } });
const and = (left: Node, right: Node): Node => binary('and', left, right);
const or = (left: Node, right: Node): Node => binary('or', left, right);

/** Whether `kind` is a comparison node this file rewrites. */
export const isNanSensitiveComparison = (kind: string): boolean => ORDERED.has(kind) || kind === 'neq' || kind === 'between';

/** The comparison node `{[kind]: body}` with walked operands (`walk` walks one). */
export function nanSafeComparison(kind: string, body: Node, walk: (n: Node) => Node): Node {
  if (kind === 'between') {
    const [x, lo, hi] = [walk(body.this), walk(body.low), walk(body.high)];
    const inRange = and(and({ between: { ...body, this: x, low: lo, high: hi, not: false } }, fn('__gg_no_nan', [x, lo])), fn('__gg_no_nan', [x, hi]));
    return body.not ? { not: { this: paren(inRange) } } : paren(inRange);
  }
  const [left, right] = [walk(body.left), walk(body.right)];
  const plain = { [kind]: { ...body, left, right } };
  return paren(kind === 'neq' ? or(plain, fn('__gg_any_nan', [left, right])) : and(plain, fn('__gg_no_nan', [left, right])));
}

/**
 * `x IN (a, b, ...)` is `x = a OR x = b OR ...`: a NaN x is in no list (FALSE, or NULL beside a NULL element), where
 * DuckDB's IN finds NaN equal to NaN. A list of STRING literals cannot hold a NaN and keeps DuckDB's IN.
 */
export function inListNaN(body: Node, walk: (n: Node) => Node): Node | undefined {
  const items: Node[] = body.expressions ?? [];
  if (body.query || !items.length || items.every((e) => e?.literal?.literal_type === 'string')) return undefined;
  const x = walk(body.this);
  const elements = items.map(walk);
  const call = fn('__gg_nan_in', [{ in: { ...body, this: x, expressions: elements, not: false } }, structuredClone(x), fn('list_value', structuredClone(elements))]);
  return body.not ? { not: { this: call } } : call;
}

/**
 * A DATE or DATETIME compared with a TIMESTAMP has no signature in BigQuery ("No matching signature for operator =
 * for argument types: TIMESTAMP, DATE"): a DATE coerces to DATETIME only (conversion_rules#comparison_chart), and no
 * type to TIMESTAMP. DuckDB casts both sides to TIMESTAMPTZ and compares, so `ts_col >= DATE '2024-01-01'` passed here
 * and failed in production. Where one side of a comparison is written as a date or time (a literal, a CAST, a
 * function that returns one), the comparison becomes __gg_temporal_pair_checked(comparison, left, right, op), which
 * checks the two types when DuckDB binds the statement (typeof is a constant, the check folds away) and is the
 * comparison otherwise. Applied in place, before the fixes. Comparisons of two columns are not checked (neither side
 * is written).
 */
import { fn, strLit, type Node } from './ast-build.ts';
import { isWrittenTemporal } from './fix-arithmetic.ts';

const OPERATORS: Record<string, string> = { eq: '=', neq: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' };

function checked(node: Node): Node | undefined {
  const kind = Object.keys(node)[0];
  const body = node[kind];
  const [left, right, op] = kind === 'between' ? [body.this, isWrittenTemporal(body.low) ? body.low : body.high, 'BETWEEN'] : [body?.left, body?.right, OPERATORS[kind]];
  if (!op || left === undefined || !(isWrittenTemporal(left) || isWrittenTemporal(right))) return undefined;
  return fn('__gg_temporal_pair_checked', [node, structuredClone(left), structuredClone(right), strLit(op)]);
}

export function checkTemporalComparisons(node: Node): void {
  if (!node || typeof node !== 'object') return;
  // A MERGE's ON keys are read as they are written (fix-dml.ts); a PIVOT's IN list names columns.
  if (node.merge || node.pivot) return;
  for (const [k, v] of Object.entries(node as Record<string, Node>)) {
    if (!v || typeof v !== 'object') continue;
    checkTemporalComparisons(v);
    const keys = Array.isArray(v) ? [] : Object.keys(v);
    const replaced = keys.length === 1 && (keys[0] in OPERATORS || keys[0] === 'between') ? checked(v) : undefined;
    if (replaced) (node as Record<string, Node>)[k] = replaced;
  }
}

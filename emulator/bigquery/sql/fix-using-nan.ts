/**
 * `JOIN ... USING (k)` never matches a NaN key in BigQuery, where NaN = NaN is FALSE
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#floating_point_semantics); DuckDB's USING
 * matches NaN with NaN. A USING join has no condition to amend (fix-nan-comparisons.ts amends ON), so the input whose
 * unmatched rows the join drops loses its NaN-keyed rows before the join: the right input of an INNER or LEFT join,
 * the left of a RIGHT join (when it is the FROM's only table). Then no NaN key finds a partner, and every other row
 * joins as before. The filter folds to TRUE for keys that are not FLOAT64. A FULL join keeps both inputs' rows and
 * cannot drop either: it keeps DuckDB's matching (listed as a difference in docs/local-stack.md).
 */
import { binary, columnRef, fn, fromTemplate, numLit, type Node } from './ast-build.ts';

/** `(SELECT * FROM <side> WHERE NOT <k is NaN> ...) AS <side's name>`, or undefined for an input of another form. */
function withoutNanKeys(side: Node, keys: Node[]): Node | undefined {
  const alias = side?.table ? (side.table.alias ?? side.table.name) : side?.subquery?.alias;
  if (!alias || (!side.table && !side.subquery?.this?.select) || side.table?.column_aliases?.length) return undefined;
  const noNan = keys.map((k): Node => ({ not: { this: fn('__gg_nan_against', [columnRef(k), numLit('0')]) } })).reduce((l, r) => binary('and', l, r));
  return fromTemplate('SELECT * FROM (SELECT * FROM __gg_side WHERE __gg_no_nan) AS __gg_alias', (n) => {
    if (n.table?.name?.name === '__gg_side') return side;
    if (n.column?.name?.name === '__gg_no_nan') return noNan;
    if (n.name === '__gg_alias') return { ...alias };
    return undefined;
  });
}

function fixSelect(select: Node): void {
  const joins: Node[] = select.joins ?? [];
  joins.forEach((join, i) => {
    if (!join?.using?.length) return;
    if (join.kind === 'Inner' || join.kind === 'Left') join.this = withoutNanKeys(join.this, join.using) ?? join.this;
    else if (join.kind === 'Right' && i === 0 && select.from?.expressions?.length === 1) {
      select.from.expressions[0] = withoutNanKeys(select.from.expressions[0], join.using) ?? select.from.expressions[0];
    }
  });
}

/** Drops NaN-keyed rows from the input of every USING join that cannot keep them unmatched (in place). */
export function dropNanKeysBeforeUsingJoins(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach(dropNanKeysBeforeUsingJoins);
  if (node.select && Array.isArray(node.select.joins)) fixSelect(node.select);
  for (const value of Object.values(node)) if (value && typeof value === 'object') dropNanKeysBeforeUsingJoins(value);
}

/**
 * BigQuery's names for a query's result columns: a select-list item without an alias that is not a column or a
 * field path is named `f0_`, `f1_`, ... (counting only such items); a script variable keeps its own name. DuckDB
 * would name them after our translation (`__gg_format_ts(...)`), so the outermost select list gets these aliases
 * before translation (the first branch of a set operation names the columns, as in BigQuery).
 */
import { ident, type Node } from './ast-build.ts';

/** How markReferences writes a script variable (`variableKey` in translate.ts). */
const VARIABLE_PREFIX = '@__var_';

function outermostSelect(node: Node): Node | undefined {
  if (!node || typeof node !== 'object') return undefined;
  if (node.select) return node.select;
  for (const op of ['union', 'intersect', 'except']) if (node[op]) return outermostSelect(node[op].left);
  if (node.subquery) return outermostSelect(node.subquery.this);
  return undefined;
}

const aliased = (e: Node, name: string): Node => ({
  alias: { this: e, alias: ident(name, true), column_aliases: [], alias_explicit_as: true, pre_alias_comments: [], trailing_comments: [] },
});

/** Adds BigQuery's implicit column names to the statement's outermost select list (in place). */
export function nameResultColumns(statement: Node): void {
  const select = outermostSelect(statement);
  if (!Array.isArray(select?.expressions)) return;
  let anonymous = 0;
  select.expressions = select.expressions.map((e: Node) => {
    if (e?.alias || e?.star) return e;
    // A field access is named after its field (DuckDB would name `(subquery).b` after the whole expression).
    if (e?.dot) return typeof e.dot.field?.name === 'string' ? aliased(e, e.dot.field.name) : e;
    const col = e?.column;
    if (col) {
      const name: string = col.name?.name ?? '';
      if (col.table || col.name?.quoted || !name.startsWith('@')) return e;
      // `@__var_x` stands for the script variable x (see markReferences), which names its column.
      const variable = name.startsWith(VARIABLE_PREFIX) ? name.slice(VARIABLE_PREFIX.length) : undefined;
      if (variable) return aliased(e, variable);
    }
    return aliased(e, `f${anonymous++}_`);
  });
}

/**
 * BigQuery's names for a query's result columns: a select-list item without an alias that is not a column or a
 * field path is named `f0_`, `f1_`, ... (counting only such items); a script variable keeps its own name. DuckDB
 * would name them after our translation (`__gg_format_ts(...)`), so the outermost select list gets these aliases
 * before translation (the first branch of a set operation names the columns, as in BigQuery).
 */
import { ident, type Node } from './ast-build.ts';

/** How markReferences writes a script variable (`variableKey` in translate.ts). */
const VARIABLE_PREFIX = '@__var_';

/** The select list that names a query's columns: a set operation's first input names them. */
export function outermostSelect(node: Node): Node | undefined {
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
    // `@__var_x` stands for the script variable x (see markReferences), which names its column.
    const name: string = e?.column?.name?.name ?? '';
    if (!e?.column?.table && !e?.column?.name?.quoted && name.startsWith(VARIABLE_PREFIX)) return aliased(e, name.slice(VARIABLE_PREFIX.length));
    // A field access is named after its field (DuckDB would name `(subquery).b` after the whole expression).
    if (e?.dot) return typeof e.dot.field?.name === 'string' ? aliased(e, e.dot.field.name) : e;
    return isAnonymous(e) ? aliased(e, `f${anonymous++}_`) : e;
  });
}

/** A select-list item BigQuery gives no name: not aliased, not a column, field path or star (parameters count as anonymous). */
export function isAnonymous(e: Node): boolean {
  if (e?.alias || e?.star || e?.dot) return false;
  const col = e?.column;
  if (!col) return true;
  const name: string = col.name?.name ?? '';
  return !col.table && !col.name?.quoted && name.startsWith('@') && !name.startsWith(VARIABLE_PREFIX);
}

/**
 * An expression translated on its own, as `SELECT <expr>` through polyglot's transpiler, for the places where the
 * transpiler does not go (MERGE's clauses) or where the DuckDB SQL is assembled around it (fix-struct-sets.ts); the
 * text goes back into the AST as a placeholder column, replaced after transpiling.
 */
import { BigQueryError } from '../errors.ts';
import { generate, parse, Dialect } from './polyglot.ts';
import { ident, substitute, type Node } from './ast-build.ts';

const EXPR_TEMPLATE = 'SELECT __gg_x AS __gg_e';
let exprTemplate: Node | undefined;

/** `SELECT <e> AS __gg_e` as an AST. */
function selectOf(e: Node): Node {
  exprTemplate ??= (parse(EXPR_TEMPLATE, Dialect.BigQuery).ast as Node[])[0];
  return substitute(exprTemplate, (n) => (n.column?.name?.name === '__gg_x' ? e : undefined));
}

/** The DuckDB SQL of a (walked) expression. */
export function expressionSql(e: Node, translateSelect: (select: Node) => string): string {
  const select = selectOf(e);
  const duck = translateSelect(select);
  const m = /^SELECT\s+([\s\S]*?)\s+AS\s+"?__gg_e"?\s*$/i.exec(duck.trim());
  if (!m) throw new BigQueryError(400, 'invalidQuery', `Unsupported expression: ${duck}`);
  return m[1];
}

/** An (unwalked) expression as polyglot parses its BigQuery text: a node built by hand becomes the node polyglot makes. */
export function reparsedExpression(e: Node): Node {
  const text = generate([selectOf(e)], Dialect.BigQuery);
  const reparsed = text.success && text.sql ? parse(text.sql.join(''), Dialect.BigQuery) : undefined;
  const item = reparsed?.success ? (reparsed.ast as Node[])[0].select.expressions[0] : undefined;
  return item?.alias ? item.alias.this : e;
}

/** A placeholder column standing for `(sql)`. */
export function sqlPlaceholder(sql: string, placeholders: Map<string, string>): Node {
  const placeholder = `__gg_x_${placeholders.size}`;
  placeholders.set(placeholder, `(${sql})`);
  return { column: { name: ident(placeholder, false), table: null, join_mark: false, trailing_comments: [] } };
}

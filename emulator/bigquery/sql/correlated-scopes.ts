/**
 * Where a column may be a correlated one: in a subquery that sits in an expression of another SELECT (a scalar, EXISTS,
 * IN or ARRAY subquery), not in a FROM-clause subquery or a WITH clause, which BigQuery does not correlate. DuckDB
 * fails to bind a correlated column handed to a macro in some places (a lambda's list, a STRUCT: "Need named argument
 * for struct pack"; a macro's overload: "multiple overloads match"), so the fixes that use those forms ask here first.
 */
import type { Node } from './ast-build.ts';

/** A SELECT's (and a DML statement's) clauses that hold tables, not expressions. */
const TABLE_CLAUSES = new Set(['from', 'joins', 'with', 'this', 'using', 'table', 'tables']);
/** DML statements, whose SET, WHERE, ON and WHEN clauses are expressions over the target table's columns. */
const DML = ['update', 'delete', 'merge'];

const correlatable = new WeakSet<Node>();

/** Marks every node of a parsed statement that sits in a subquery of an expression (before the walk). */
export function markCorrelatableScopes(ast: Node): void {
  visit(ast, false, false);
}

function visit(node: Node, inExpression: boolean, inSubquery: boolean): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((n) => visit(n, inExpression, inSubquery));
  if (inSubquery) correlatable.add(node);
  if (node.select && typeof node.select === 'object') {
    const nested = inSubquery || inExpression;
    if (nested) correlatable.add(node.select);
    for (const [key, value] of Object.entries(node.select)) visit(value, !TABLE_CLAUSES.has(key), nested);
    for (const [key, value] of Object.entries(node)) if (key !== 'select') visit(value, inExpression, inSubquery);
    return;
  }
  const dml = DML.find((key) => node[key] && typeof node[key] === 'object');
  if (dml) {
    for (const [key, value] of Object.entries(node[dml])) visit(value, !TABLE_CLAUSES.has(key), inSubquery);
    return;
  }
  for (const value of Object.values(node)) visit(value, inExpression, inSubquery);
}

/** The alias of a SQL UDF's body, translated as `SELECT (body) AS <alias>` (script/udf.ts). */
export const UDF_BODY_ALIAS = '__gg_udf_body';

/**
 * A SQL UDF's body becomes a DuckDB macro, whose parameters DuckDB binds only when the function is called: a macro
 * with typed overloads called on them is refused when the UDF's macro is created.
 */
export function isUdfBody(ast: Node): boolean {
  const expressions = (Array.isArray(ast) ? ast[0] : ast)?.select?.expressions;
  return expressions?.length === 1 && expressions[0]?.alias?.alias?.name === UDF_BODY_ALIAS;
}

/** Whether a node of the statement sits where its columns may be correlated ones. */
export const mayBeCorrelated = (node: Node): boolean => correlatable.has(node);

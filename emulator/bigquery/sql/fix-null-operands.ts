/**
 * Where BigQuery refuses a NULL that DuckDB would accept: a literal NULL operand of NOT or of a binary or unary
 * operator (BigQuery types an operator's operands, and a bare NULL has no type; `x = NULL` is an error, not NULL), and
 * LIMIT/OFFSET given NULL.
 */
import { BigQueryError } from '../errors.ts';
import type { Node } from './ast-build.ts';
import type { AstContext } from './ast-fixes.ts';

const isNullLiteral = (node: Node): boolean => node != null && typeof node === 'object' && ('null' in node || (node.paren !== undefined && isNullLiteral(node.paren?.this)));

/**
 * `LIMIT @n` / `OFFSET @m` with a NULL parameter: BigQuery fails the query (DuckDB would read NULL as no limit and
 * return every row).
 */
export function refuseNullLimit(select: Node, ctx: Pick<AstContext, 'literalFor' | 'nonNullParams'>): void {
  for (const clause of [select?.limit?.this, select?.offset?.this]) {
    if (isNullLiteral(clause)) refuseNullLimitParameter('NULL');
    const name: string | undefined = clause?.column?.name?.name;
    if (!name?.startsWith('@') || clause.column.name.quoted) continue;
    ctx.nonNullParams?.add(name.slice(1));
    refuseNullLimitParameter(ctx.literalFor(name.slice(1)));
  }
}

/** A parameter's literal (types.ts: a NULL of any type is `CAST(NULL AS <type>)`) used as a LIMIT or OFFSET. */
export function refuseNullLimitParameter(literal: string | undefined): void {
  if (/^(NULL|CAST\(NULL AS [^()]*\))$/i.test(literal ?? '')) throw new BigQueryError(400, 'invalidQuery', 'Limit requires non-null count and offset');
}

// The operators BigQuery resolves as binary or unary expressions (IS and IS DISTINCT FROM excepted; AND, OR, BETWEEN
// and IN are expressions of their own and take NULL), with the operator as BigQuery's message writes it.
const OPERATORS: Record<string, string> = {
  add: '+',
  sub: '-',
  mul: '*',
  div: '/',
  concat: '||',
  eq: '=',
  neq: '!=',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
  like: 'LIKE',
  bitwise_and: '&',
  bitwise_or: '|',
  bitwise_xor: '^',
  bitwise_left_shift: '<<',
  bitwise_right_shift: '>>',
  neg: '-',
  bitwise_not: '~',
  not: 'NOT',
};

/**
 * `1 + NULL`, `x = NULL`, `-NULL` in the statement as written: BigQuery's error (DuckDB would answer NULL). A MERGE
 * clause's `UPDATE SET col = NULL` parses as `=` too: within a WHEN ... THEN, `=` assigns (`inThen`).
 */
export function refuseLiteralNullOperands(node: Node, inThen = false): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((n) => refuseLiteralNullOperands(n, inThen));
  for (const [kind, body] of Object.entries(node as Record<string, Node>)) {
    // LIKE ANY / ALL is an expression of its own, whose list takes NULL.
    const quantified = kind === 'like' && body?.quantifier;
    const assignment = kind === 'eq' && inThen;
    if (OPERATORS[kind] && !quantified && !assignment && body && typeof body === 'object' && [body.left, body.right, body.this].some(isNullLiteral)) {
      throw new BigQueryError(400, 'invalidQuery', `Operands of ${OPERATORS[kind]} cannot be literal NULL`);
    }
    if (body && typeof body === 'object') refuseLiteralNullOperands(body, inThen || kind === 'then');
  }
}

/**
 * Where BigQuery refuses a NULL that DuckDB would accept: NOT of a literal NULL (BigQuery types NOT's operand, and a
 * bare NULL has no type) and LIMIT/OFFSET given NULL.
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

/** `NOT NULL` / `NOT (NULL)`: DuckDB would answer NULL. */
export function refuseNotOfNull(not: Node): void {
  if (isNullLiteral(not?.this)) throw new BigQueryError(400, 'invalidQuery', 'Operands of NOT cannot be literal NULL');
}

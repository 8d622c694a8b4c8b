/**
 * Different set operations in one query without parentheses: BigQuery rejects them ("Invalid: query1 UNION ALL query2
 * UNION DISTINCT query3", https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#set_operators,
 * with ZetaSQL's message); DuckDB would answer, left to right.
 */
import { invalidQuery } from '../errors.ts';
import { significant, tokenize, type Token } from './tokenizer.ts';

const SET_OPERATIONS = new Set(['union', 'intersect', 'except']);

/** `UNION ALL`, `EXCEPT DISTINCT`, ... at token i (EXCEPT in `SELECT * EXCEPT (...)` is no set operation). */
function setOperationAt(ts: Token[], i: number): string | undefined {
  const op = ts[i];
  const kind = ts[i + 1];
  if (op.type !== 'word' || !SET_OPERATIONS.has(op.value) || kind?.type !== 'word' || (kind.value !== 'all' && kind.value !== 'distinct')) return undefined;
  return `${op.value} ${kind.value}`;
}

export function checkSetOperationSyntax(sql: string): void {
  if (!/\b(union|intersect|except)\b/i.test(sql)) return;
  const ts = significant(tokenize(sql));
  /** Per open parenthesis (and the statement): the set operation met at that level. */
  const levels: Array<string | undefined> = [undefined];
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    if (t.text === '(') levels.push(undefined);
    else if (t.text === ')') levels.pop();
    else if (t.text === ';' || t.text === '|>') levels[levels.length - 1] = undefined;
    const op = setOperationAt(ts, i);
    if (!op) continue;
    const seen = levels[levels.length - 1];
    if (seen && seen !== op) throw invalidQuery('Syntax error: Different set operations cannot be used in the same query without using parentheses for grouping');
    levels[levels.length - 1] = op;
  }
}

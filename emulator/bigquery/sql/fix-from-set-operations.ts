/**
 * `SELECT ... FROM (subquery) UNION ALL SELECT ...`: polyglot's parser takes the set operation into an unaliased FROM
 * subquery that it directly follows — FROM ((subquery) UNION ALL SELECT ...) — so the first SELECT's aggregates,
 * DISTINCT and WHERE would apply to both branches (`SELECT COUNT(*) FROM (SELECT 1) UNION ALL SELECT 5` answered one
 * row, 2, where BigQuery answers two, 1 and 5). Such a subquery gets an alias before parsing: BigQuery's meaning is
 * unchanged (an unaliased subquery cannot be referred to by name), and with it the statement parses as written.
 */
import { tokenize, type Token } from './tokenizer.ts';

const SET_OPERATIONS = new Set(['union', 'intersect', 'except']);
const QUERY_STARTS = new Set(['select', 'with', '(']);

const significant = (t: Token) => t.type !== 'ws' && t.type !== 'comment';
const keyword = (t: Token | undefined) => (t?.type === 'word' || t?.type === 'punct' ? t.value || t.text : undefined);

export function aliasFromSubqueriesBeforeSetOperations(sql: string): string {
  if (!/\b(union|intersect|except)\b/i.test(sql)) return sql;
  const tokens = tokenize(sql).filter(significant);
  const opened: Array<{ fromSubquery: boolean }> = [];
  const insertAt: number[] = [];
  tokens.forEach((t, i) => {
    if (t.text === '(') {
      const before = keyword(tokens[i - 1]);
      opened.push({ fromSubquery: (before === 'from' || before === 'join') && QUERY_STARTS.has(keyword(tokens[i + 1]) ?? '') });
    } else if (t.text === ')') {
      const paren = opened.pop();
      if (paren?.fromSubquery && SET_OPERATIONS.has(keyword(tokens[i + 1]) ?? '')) insertAt.push(t.start + 1);
    }
  });
  let out = sql;
  for (const [k, at] of insertAt.reverse().entries()) out = `${out.slice(0, at)} AS __gg_from_subquery_${k}${out.slice(at)}`;
  return out;
}

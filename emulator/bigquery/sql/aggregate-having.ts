/**
 * An aggregate call's `HAVING MAX | MIN` modifier
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/aggregate-function-calls#max_min_clause), which DuckDB
 * has no counterpart for, rewritten to what the documentation defines it as: the call aggregates only the group's rows
 * whose having-expression equals (SQL equality) `MAX | MIN` of it over the group, and the modifier applies before
 * IGNORE NULLS, DISTINCT, ORDER BY and LIMIT. So
 *
 *   F([DISTINCT] x, ... [IGNORE NULLS] HAVING MAX h [ORDER BY o] [LIMIT n])
 *
 * becomes a correlated subquery over the group's rows, packed into an array by an outer ARRAY_AGG:
 *
 *   (SELECT F([DISTINCT] r.__gg_a0, ... [IGNORE NULLS] [ORDER BY r.__gg_o0] [LIMIT n])
 *    FROM UNNEST(ARRAY_AGG(STRUCT(x AS __gg_a0, ..., h AS __gg_k))) AS r WHERE r.__gg_k = MAX(h))
 *
 * The rewritten text is GoogleSQL, so the inner call and the comparison get every translation an ordinary statement
 * gets. A call with OVER (a window) keeps its modifier, and refuse-unsupported.ts refuses it.
 */
import { opensCallArguments, significant, tokenize, type Token } from './tokenizer.ts';

const HINT = /\bhaving\s+(max|min)\b/i;
const ROW = '__gg_having_row';
const DIRECTION_WORDS = new Set(['asc', 'desc', 'nulls', 'first', 'last']);

/** `sql` with each aggregate call's HAVING MAX | MIN modifier (at any depth) rewritten; other text is kept verbatim. */
export function rewriteAggregateHaving(sql: string): string {
  if (!HINT.test(sql)) return sql;
  const ts = significant(tokenize(sql));
  const close = matchingParens(ts);
  let out = '';
  let copied = 0;
  for (let i = 0; i < ts.length; i++) {
    const end = close.get(i);
    // DuckDB's PIVOT takes no subquery: a PIVOT's aggregate keeps the modifier, and is refused.
    if (end !== undefined && ts[i - 1]?.value === 'pivot') {
      i = end;
      continue;
    }
    // A qualified name (SAFE.SUM) or a window keeps the modifier, for refuse-unsupported.ts to refuse.
    if (end === undefined || !opensCallArguments(ts, i) || ts[i - 2]?.text === '.' || ts[end + 1]?.value === 'over') continue;
    const call = splitCall(sql, ts, i + 1, end, close);
    if (!call) continue;
    out += sql.slice(copied, ts[i - 1].start) + callSubquery(ts[i - 1].text, call);
    copied = ts[end].start + 1;
    i = end;
  }
  return out + sql.slice(copied);
}

interface HavingCall {
  distinct: boolean;
  args: string[];
  nulls: string;
  extreme: 'MAX' | 'MIN';
  having: string;
  orderBy: { expr: string; direction: string }[];
  limit: string;
}

/** The parts of the call whose arguments are tokens [from, to), or undefined when it has no top-level HAVING MAX | MIN. */
function splitCall(sql: string, ts: Token[], from: number, to: number, close: Map<number, number>): HavingCall | undefined {
  const marks: { word: string; at: number }[] = [];
  const commas: number[] = [];
  for (let j = from; j < to; j++) {
    const t = ts[j];
    if (close.has(j)) {
      j = close.get(j)!;
      continue;
    }
    if (t.text === ',') commas.push(j);
    const next = ts[j + 1]?.value;
    if (t.value === 'having' && (next === 'max' || next === 'min')) marks.push({ word: 'having', at: j });
    else if ((t.value === 'ignore' || t.value === 'respect') && next === 'nulls') marks.push({ word: 'nulls', at: j });
    else if (t.value === 'order' && next === 'by') marks.push({ word: 'order', at: j });
    else if (t.value === 'limit') marks.push({ word: 'limit', at: j });
  }
  const having = marks.find((m) => m.word === 'having');
  if (!having) return undefined;
  const text = (a: number, b: number) => (a < b ? sql.slice(ts[a].start, ts[b - 1].start + ts[b - 1].text.length) : '');
  const endOf = (m: { at: number }) => marks.find((n) => n.at > m.at)?.at ?? to;
  const distinct = ts[from].value === 'distinct';
  const argsEnd = marks[0].at;
  const argsFrom = distinct ? from + 1 : from;
  const bounds = [argsFrom - 1, ...commas.filter((c) => c < argsEnd), argsEnd];
  const args = bounds.slice(1).map((b, k) => rewriteAggregateHaving(text(bounds[k] + 1, b)));
  const nulls = marks.find((m) => m.word === 'nulls');
  const order = marks.find((m) => m.word === 'order');
  const limit = marks.find((m) => m.word === 'limit');
  const orderEnd = order ? endOf(order) : to;
  const orderCommas = order ? [order.at + 1, ...commas.filter((c) => c > order.at && c < orderEnd), orderEnd] : [];
  return {
    distinct,
    args,
    nulls: nulls ? text(nulls.at, nulls.at + 2) : '',
    extreme: ts[having.at + 1].value === 'max' ? 'MAX' : 'MIN',
    having: rewriteAggregateHaving(text(having.at + 2, endOf(having))),
    orderBy: orderCommas.slice(1).map((b, k) => {
      let exprEnd = b;
      while (exprEnd > orderCommas[k] + 1 && DIRECTION_WORDS.has(ts[exprEnd - 1].value) && ts[exprEnd - 1].type === 'word') exprEnd--;
      return { expr: rewriteAggregateHaving(text(orderCommas[k] + 1, exprEnd)), direction: text(exprEnd, b) };
    }),
    limit: limit ? text(limit.at, endOf(limit)) : '',
  };
}

const CONSTANT = /^(?:-?\d[\d.e+-]*|'[^']*'|"[^"]*"|@\w+|true|false|null)$/i;

function callSubquery(name: string, call: HavingCall): string {
  const constantKey = CONSTANT.test(call.having.trim()) && call.having.trim().toLowerCase() !== 'null';
  const packed: string[] = [];
  const pack = (expr: string, field: string): string => {
    // `*` (COUNT(*)) and constant arguments (a separator, a quantile count) stay as they are; with a constant key
    // every row has the extreme value, and the call is left as it is (DuckDB cannot bind MAX(1) in a subquery).
    if (expr === '*' || constantKey || CONSTANT.test(expr.trim())) return expr;
    packed.push(`${expr} AS ${field}`);
    return `${ROW}.${field}`;
  };
  const args = call.args.map((a, k) => pack(a, `__gg_a${k}`));
  const same = (a: string, b: string) => a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();
  const orderBy = call.orderBy.map(({ expr, direction }, k) => {
    const arg = call.args.findIndex((a) => same(a, expr));
    return `${arg >= 0 ? args[arg] : pack(expr, `__gg_o${k}`)} ${direction}`.trim();
  });
  const inner = [call.distinct ? 'DISTINCT ' : '', args.join(', '), call.nulls ? ` ${call.nulls}` : '', orderBy.length ? ` ORDER BY ${orderBy.join(', ')}` : '', call.limit ? ` ${call.limit}` : ''].join('');
  if (constantKey) return `${name}(${inner})`;
  packed.push(`${call.having} AS __gg_k`);
  return `(SELECT ${name}(${inner}) FROM UNNEST(ARRAY_AGG(STRUCT(${packed.join(', ')}))) AS ${ROW} WHERE ${ROW}.__gg_k = ${call.extreme}(${call.having}))`;
}

function matchingParens(ts: Token[]): Map<number, number> {
  const close = new Map<number, number>();
  const open: number[] = [];
  ts.forEach((t, i) => {
    if (t.text === '(') open.push(i);
    else if (t.text === ')' && open.length) close.set(open.pop()!, i);
  });
  return close;
}

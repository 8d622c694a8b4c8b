/**
 * Pipe query syntax (`FROM t |> WHERE ... |> AGGREGATE ... GROUP BY ...`), desugared into standard GoogleSQL before
 * anything else reads the statement (https://cloud.google.com/bigquery/docs/reference/standard-sql/pipe-syntax).
 *
 * Each operator either folds into the query block being built, when standard SQL evaluates that clause at the same
 * point (a WHERE before any projection, an ORDER BY before a LIMIT), or wraps the block as a subquery and starts a new
 * one. Folding keeps the table aliases the pipe operator can still see; a wrapped block loses them, so a later operator
 * that names one fails with "not found" rather than reading another column. Window functions never fold past a LIMIT
 * or a QUALIFY, which would change the rows they see. Operators without a standard counterpart here (RENAME, PIVOT,
 * CALL, ASSERT, ...) are refused.
 */
import { quoteString, tokenize, type Token } from './tokenizer.ts';
import { notSupported } from '../errors.ts';

/** One top-level piece of a query: a token, or a parenthesised group already desugared. */
interface Item {
  /** The text, with the whitespace before it and comments blanked. */
  text: string;
  token?: Token;
}

interface Block {
  from: string;
  where: string[];
  qualify: string[];
  select?: string;
  groupBy?: string;
  window?: string;
  orderBy?: string;
  limit?: string;
  distinct: boolean;
  aggregated: boolean;
}

type Query = { block: Block } | { raw: string };

const PIPE_HINT = /\|>|(?:^|\(|\bas)\s*from\b|^\s*with\b[\s\S]*\)\s*from\b/i;

/** `sql` with every pipe query in it (at any depth) rewritten to standard syntax; other statements are returned as they are. */
export function desugarPipes(sql: string): string {
  if (!PIPE_HINT.test(sql)) return sql;
  const tokens = tokenize(sql);
  const blanked = tokens.map((t) => (t.type === 'comment' ? ' '.repeat(t.text.length) : t.text)).join('');
  const significant = tokens.filter((t) => t.type !== 'ws' && t.type !== 'comment');
  const { items, end } = readLevel(blanked, significant, 0, 0);
  // An unbalanced `)` is the parser's to report, on the text as written.
  return end < significant.length ? sql : rewriteLevel(items, true);
}

/** Items of one parenthesis level from token k; returns them and the index of the closing `)` (or the end). */
function readLevel(text: string, ts: Token[], k: number, from: number): { items: Item[]; end: number; offset: number } {
  const items: Item[] = [];
  let offset = from;
  while (k < ts.length && ts[k].text !== ')') {
    const t = ts[k];
    const lead = text.slice(offset, t.start);
    if (t.text === '(') {
      const inner = readLevel(text, ts, k + 1, t.start + 1);
      const close = ts[inner.end];
      const tail = text.slice(inner.offset, close ? close.start : text.length);
      items.push({ text: `${lead}(${rewriteLevel(inner.items, false)}${tail})` });
      k = inner.end + 1;
      offset = close ? close.start + 1 : text.length;
      continue;
    }
    items.push({ text: lead + t.text, token: t });
    offset = t.start + t.text.length;
    k++;
  }
  return { items, end: k, offset };
}

const join = (items: Item[]) => items.map((i) => i.text).join('');
const word = (i: Item | undefined) => (i?.token?.type === 'word' ? i.token.value : undefined);
const isPipe = (i: Item) => i.token?.text === '|>';

const QUERY_START = new Set(['from', 'select', 'with']);

function rewriteLevel(items: Item[], topLevel: boolean): string {
  const pipes = items.flatMap((it, k) => (isPipe(it) ? [k] : []));
  const start = queryStart(items, topLevel, pipes.length > 0);
  const end = pipes[0] ?? items.length;
  const leading = start < 0 ? undefined : splitWith(items.slice(start, end));
  const body = leading?.rest ?? items.slice(Math.max(start, 0), end);
  if (start < 0 || (!pipes.length && word(body[0]) !== 'from')) {
    if (pipes.length) throw notSupported('Pipe syntax in this statement');
    return join(items);
  }
  const head = join(items.slice(0, start));
  const ctes = leading ? [leading.ctes] : [];
  let query: Query = word(body[0]) === 'from' ? { block: fromBlock(join(body.slice(1))) } : { raw: join(body) };
  for (let p = 0; p < pipes.length; p++) {
    const op = items.slice(pipes[p] + 1, pipes[p + 1] ?? items.length);
    if (word(op[0]) === 'with') ctes.push(pipeWith(op, items.slice(0, pipes[p])));
    else query = applyOperator(query, op);
  }
  return `${head} ${ctes.length ? `WITH ${ctes.join(', ')} ` : ''}${emit(query)}`;
}

/**
 * Where the query of this level starts: at its first item (a query, or a parenthesised one), after the AS of a
 * statement that holds a query (CREATE TABLE/VIEW ... AS), or, for a pipe, at the first SELECT or WITH (INSERT ...).
 * -1 for none: `DELETE FROM t` is not a FROM query.
 */
function queryStart(items: Item[], topLevel: boolean, piped: boolean): number {
  if (!topLevel || !items[0]?.token || QUERY_START.has(word(items[0]) ?? '')) return 0;
  const afterAs = items.findIndex((it, k) => k > 0 && word(items[k - 1]) === 'as' && QUERY_START.has(word(it) ?? ''));
  if (afterAs >= 0 || !piped) return afterAs;
  return items.findIndex((it) => word(it) === 'select' || word(it) === 'with');
}

/** The end of a `name AS (...), ...` definition list starting at k (undefined if there is none). */
function definitionsEnd(items: Item[], k: number): number | undefined {
  for (;;) {
    if (word(items[k + 1]) !== 'as' || !items[k + 2] || items[k + 2].token) return undefined;
    k += 3;
    if (items[k]?.token?.text !== ',') return k;
    k++;
  }
}

/** `WITH a AS (...), b AS (...)` before a FROM query: the definitions and the query. */
function splitWith(items: Item[]): { ctes: string; rest: Item[] } | undefined {
  // Before a standard query the WITH clause is the query's own; only a FROM query needs it lifted.
  const end = word(items[0]) === 'with' && word(items[1]) !== 'recursive' ? definitionsEnd(items, 1) : undefined;
  return end !== undefined && word(items[end]) === 'from' ? { ctes: join(items.slice(1, end)).trim(), rest: items.slice(end) } : undefined;
}

/**
 * `|> WITH a AS (...)`: the definitions scope over the rest of the pipe, so they join the query's WITH clause. A name
 * that the query already used before this operator would then bind to the new definition: refused.
 */
function pipeWith(op: Item[], before: Item[]): string {
  if (definitionsEnd(op, 1) !== op.length) throw notSupported('This |> WITH');
  const used = new Set(before.flatMap((it) => (it.token ? [it.token.value] : (it.text.toLowerCase().match(/[a-z_]\w*/g) ?? []))));
  for (const name of commaList(op.slice(1)).map((d) => d[0]?.token?.value ?? '')) {
    if (used.has(name)) throw notSupported(`|> WITH redefining ${name}, a name the query uses before it,`);
  }
  return join(op.slice(1)).trim();
}

const fromBlock = (from: string): Block => ({ from, where: [], qualify: [], distinct: false, aggregated: false });

function emit(q: Query): string {
  if ('raw' in q) return q.raw.trim();
  const b = q.block;
  const parts = [`SELECT${b.distinct ? ' DISTINCT' : ''} ${b.select ?? '*'} FROM ${b.from.trim()}`];
  if (b.where.length || b.qualify.length) parts.push(`WHERE ${b.where.length ? b.where.map((c) => `(${c})`).join(' AND ') : 'TRUE'}`);
  if (b.groupBy) parts.push(`GROUP BY ${b.groupBy}`);
  if (b.qualify.length) parts.push(`QUALIFY ${b.qualify.map((c) => `(${c})`).join(' AND ')}`);
  if (b.window) parts.push(`WINDOW ${b.window}`);
  if (b.orderBy) parts.push(`ORDER BY ${b.orderBy}`);
  if (b.limit) parts.push(`LIMIT ${b.limit}`);
  return parts.join(' ');
}

/** The query as a block that can take more clauses: a raw query, or a block `canFold` rejects, becomes a subquery. */
function openBlock(q: Query, canFold: (b: Block) => boolean, alias = ''): Block {
  if ('block' in q && canFold(q.block)) return q.block;
  return fromBlock(`(${emit(q)})${alias}`);
}

const hasWindow = (text: string) => /\bover\b/i.test(text);
const projected = (b: Block) => b.select !== undefined || b.aggregated || b.distinct;
const beforeProjection = (b: Block) => !projected(b) && !b.orderBy && !b.limit;

function applyOperator(q: Query, op: Item[]): Query {
  const name = word(op[0]);
  const second = word(op[1]);
  const args = (n: number) => join(op.slice(n)).trim();
  switch (name) {
    case 'where': {
      const cond = args(1);
      const b = openBlock(q, (x) => beforeProjection(x) && (!x.qualify.length || hasWindow(cond)));
      (hasWindow(cond) ? b.qualify : b.where).push(cond);
      return { block: b };
    }
    case 'select':
    case 'extend':
    case 'window': {
      const { list, window } = splitWindowClause(op.slice(1));
      const windowed = hasWindow(list);
      const b = openBlock(q, (x) => !projected(x) && !x.window && !(windowed && (x.limit || x.qualify.length)) && !(name !== 'select' && x.orderBy));
      b.select = name === 'select' ? list : `*, ${list}`;
      b.window = window;
      return { block: b };
    }
    case 'set':
    case 'drop': {
      const b = openBlock(q, (x) => beforeProjection(x) && !x.qualify.length);
      b.select = name === 'set' ? `* REPLACE (${setAssignments(op.slice(1))})` : `* EXCEPT (${args(1)})`;
      return { block: b };
    }
    case 'distinct': {
      const b = openBlock(q, (x) => !x.distinct && !x.aggregated && !x.orderBy && !x.limit);
      b.distinct = true;
      return { block: b };
    }
    case 'order': {
      const keys = args(2);
      const b = openBlock(q, (x) => !x.orderBy && !x.limit && !x.aggregated && !(hasWindow(keys) && x.qualify.length));
      b.orderBy = keys;
      return { block: b };
    }
    case 'limit': {
      const b = openBlock(q, (x) => !x.limit);
      b.limit = args(1);
      return { block: b };
    }
    case 'assert': {
      // The check reads every input row in its own scalar subquery: a later WHERE, even pushed down, cannot hide a
      // failing row from it.
      const b = openBlock(q, (x) => beforeProjection(x) && !x.qualify.length);
      b.where.push(`(SELECT LOGICAL_AND(${assertion(op.slice(1))}) ${emit({ block: b }).replace(/^SELECT \* /, '')})`);
      return { block: b };
    }
    case 'aggregate':
      return {
        block: aggregate(
          openBlock(q, (x) => beforeProjection(x) && !x.qualify.length),
          op.slice(1),
        ),
      };
    case 'as':
      return { block: openBlock(q, () => false, ` AS ${args(1)}`) };
    case 'join':
    case 'inner':
    case 'left':
    case 'right':
    case 'full':
    case 'cross': {
      const b = openBlock(q, (x) => beforeProjection(x) && !x.where.length && !x.qualify.length);
      b.from = `${b.from.trim()} ${args(0)}`;
      return { block: b };
    }
    case 'union':
    case 'intersect':
    case 'except':
      return setOperation(q, op);
    default:
      throw notSupported(`The pipe operator |> ${(name ?? op[0]?.text.trim() ?? '').toUpperCase()}${second && ['join', 'by'].includes(second) ? ' ' + second.toUpperCase() : ''}`);
  }
}

/** Splits items at top-level commas. */
function commaList(items: Item[]): Item[][] {
  const out: Item[][] = [[]];
  for (const it of items) {
    if (it.token?.text === ',') out.push([]);
    else out[out.length - 1].push(it);
  }
  return out.filter((x) => x.some((it) => it.text.trim()));
}

/** `list WINDOW w AS (...)` of a SELECT/EXTEND operator. */
function splitWindowClause(items: Item[]): { list: string; window?: string } {
  const k = items.findIndex((it) => word(it) === 'window');
  if (k < 0) return { list: join(items).trim() };
  return { list: join(items.slice(0, k)).trim(), window: join(items.slice(k + 1)).trim() };
}

/** `a = x, b = y` as `x AS a, y AS b` for SELECT * REPLACE. */
function setAssignments(items: Item[]): string {
  return commaList(items)
    .map((a) => {
      const eq = a.findIndex((it) => it.token?.text === '=');
      if (eq !== 1 || !a[0].token || !['word', 'qident'].includes(a[0].token.type)) throw notSupported('This |> SET assignment');
      return `${join(a.slice(2)).trim()} AS ${a[0].text.trim()}`;
    })
    .join(', ');
}

interface AggregateItem {
  expr: string;
  alias?: string;
  order?: string;
}

const NOT_ALIASES = new Set([
  'asc',
  'desc',
  'first',
  'last',
  'null',
  'true',
  'false',
  'end',
  'day',
  'hour',
  'minute',
  'second',
  'week',
  'month',
  'quarter',
  'year',
  'millisecond',
  'microsecond',
  'isoweek',
  'isoyear',
  'date',
  'time',
  'datetime',
  'timestamp',
]);

/** One `expr [[AS] alias] [ASC|DESC] [NULLS FIRST|LAST]` of AGGREGATE or its GROUP BY. */
function aggregateItem(items: Item[]): AggregateItem {
  let end = items.length;
  const order: string[] = [];
  if (['first', 'last'].includes(word(items[end - 1]) ?? '') && word(items[end - 2]) === 'nulls') {
    order.unshift(join(items.slice(end - 2, end)).trim());
    end -= 2;
  }
  if (['asc', 'desc'].includes(word(items[end - 1]) ?? '')) {
    order.unshift(items[end - 1].text.trim());
    end--;
  }
  let alias: string | undefined;
  const last = items[end - 1]?.token;
  if (end >= 2 && last && (last.type === 'word' || last.type === 'qident') && !NOT_ALIASES.has(last.value)) {
    const before = items[end - 2];
    if (word(before) === 'as') {
      alias = last.text;
      end -= 2;
    } else if (!before.token || ['word', 'qident', 'string', 'number'].includes(before.token.type) || before.token.text === ']') {
      if (before.token?.type !== 'word' || !['interval', 'as', 'by', 'distinct', 'not', 'and', 'or', 'is', 'in', 'like'].includes(before.token.value)) {
        alias = last.text;
        end--;
      }
    }
  }
  return { expr: join(items.slice(0, end)).trim(), alias, order: order.length ? order.join(' ') : undefined };
}

/** `|> AGGREGATE aggs [GROUP [AND ORDER] BY keys]`: keys come first in the output, then the aggregates. */
function aggregate(b: Block, items: Item[]): Block {
  const g = items.findIndex((it, k) => word(it) === 'group' && (word(items[k + 1]) === 'by' || word(items[k + 1]) === 'and'));
  const andOrder = g >= 0 && word(items[g + 1]) === 'and';
  const aggs = commaList(g < 0 ? items : items.slice(0, g)).map(aggregateItem);
  const keys = g < 0 ? [] : commaList(items.slice(g + (andOrder ? 4 : 2))).map(aggregateItem);
  const column = (x: AggregateItem) => (x.alias ? `${x.expr} AS ${x.alias}` : x.expr);
  b.select = [...keys, ...aggs].map(column).join(', ');
  if (keys.length) b.groupBy = keys.map((k) => k.expr).join(', ');
  const ordered = [...keys.map((k, i) => ({ pos: i + 1, order: k.order ?? (andOrder ? 'ASC' : undefined) })), ...aggs.map((a, i) => ({ pos: keys.length + i + 1, order: a.order }))];
  const orderBy = ordered.filter((o) => o.order).map((o) => `${o.pos} ${o.order}`);
  if (orderBy.length) b.orderBy = orderBy.join(', ');
  b.aggregated = true;
  return b;
}

/** `|> UNION ALL (q1), (q2)`: the input is the first operand. */
function setOperation(q: Query, op: Item[]): Query {
  const first = op.findIndex((it) => !it.token);
  if (first < 0) throw notSupported(`This |> ${join(op).trim().toUpperCase()}`);
  const kind = join(op.slice(0, first)).trim().toUpperCase();
  const operands = commaList(op.slice(first)).map((o) => join(o).trim());
  return { raw: [`(${emit(q)})`, ...operands].join(` ${kind} `) };
}

/**
 * `|> ASSERT cond[, payload, ...]` as a filter that keeps every row or raises `Assert failed: ` followed by the
 * payloads (as STRING, NULL as `NULL`, joined by spaces), or by the condition's text when there is none.
 */
function assertion(items: Item[]): string {
  const [cond, ...payloads] = commaList(items).map((x) => join(x).trim());
  const message = payloads.length ? `CONCAT('Assert failed: ', ARRAY_TO_STRING([${payloads.map((p) => `COALESCE(CAST(${p} AS STRING), 'NULL')`).join(', ')}], ' '))` : quoteString(`Assert failed: ${cond}`);
  return `IF(${cond}, TRUE, ERROR(${message}))`;
}

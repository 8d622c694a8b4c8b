/**
 * A lexer for GoogleSQL that keeps every character, so statements can be split, inspected and
 * re-assembled verbatim. Used for script structure, DDL and name handling; expression
 * translation is polyglot's job.
 */
type TokenType = 'ws' | 'comment' | 'word' | 'qident' | 'string' | 'number' | 'param' | 'sysvar' | 'op' | 'punct';

export interface Token {
  type: TokenType;
  text: string;
  /** Lower-cased word, unquoted identifier or decoded string content. */
  value: string;
  start: number;
}

class SqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const wordStart = /[A-Za-z_]/;
const wordPart = /[A-Za-z0-9_]/;
const ops = ['>=', '<=', '<>', '!=', '||', '<<', '>>', '=>', '->', '|>'];

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const push = (type: TokenType, end: number, value?: string) => {
    const text = sql.slice(i, end);
    out.push({ type, text, value: value ?? text, start: i });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /\s/.test(sql[j])) j++;
      push('ws', j);
    } else if ((c === '-' && next === '-') || c === '#') {
      let j = sql.indexOf('\n', i);
      if (j < 0) j = sql.length;
      push('comment', j);
    } else if (c === '/' && next === '*') {
      const j = sql.indexOf('*/', i + 2);
      if (j < 0) throw new SqlSyntaxError('Unclosed comment', i);
      push('comment', j + 2);
    } else if (isStringStart(sql, i)) {
      const { end, value } = readString(sql, i);
      push('string', end, value);
    } else if (c === '`') {
      const j = sql.indexOf('`', i + 1);
      if (j < 0) throw new SqlSyntaxError('Unclosed identifier quote `', i);
      push('qident', j + 1, sql.slice(i + 1, j));
    } else if (c === '@' && next === '@') {
      let j = i + 2;
      while (j < sql.length && /[A-Za-z0-9_.]/.test(sql[j])) j++;
      push('sysvar', j, sql.slice(i + 2, j).toLowerCase());
    } else if (c === '@') {
      let j = i + 1;
      if (sql[j] === '`') {
        const k = sql.indexOf('`', j + 1);
        if (k < 0) throw new SqlSyntaxError('Unclosed identifier quote `', i);
        push('param', k + 1, sql.slice(j + 1, k));
      } else {
        while (j < sql.length && wordPart.test(sql[j])) j++;
        push('param', j, sql.slice(i + 1, j));
      }
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(next ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F]+|[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?\.?)/.exec(sql.slice(i))!;
      push('number', i + m[0].length);
    } else if (wordStart.test(c)) {
      let j = i + 1;
      while (j < sql.length && wordPart.test(sql[j])) j++;
      push('word', j, sql.slice(i, j).toLowerCase());
    } else if (c === '?') {
      push('param', i + 1, '?');
    } else {
      const two = sql.slice(i, i + 2);
      if (ops.includes(two)) push('op', i + 2);
      else push(/[(),;.[\]{}]/.test(c) ? 'punct' : 'op', i + 1);
    }
  }
  return out;
}

function isStringStart(sql: string, i: number): boolean {
  const c = sql[i];
  if (c === "'" || c === '"') return true;
  // Prefixes: r, b, rb, br (any case) directly followed by a quote.
  const m = /^(?:[rRbB]|[rR][bB]|[bB][rR])(['"])/.exec(sql.slice(i, i + 3));
  return m !== null && (i === 0 || !wordPart.test(sql[i - 1]));
}

function readString(sql: string, start: number): { end: number; value: string } {
  let i = start;
  let raw = false;
  while (/[rRbB]/.test(sql[i])) {
    if (/[rR]/.test(sql[i])) raw = true;
    i++;
  }
  const q = sql[i];
  const triple = sql.slice(i, i + 3) === q.repeat(3);
  const delim = triple ? q.repeat(3) : q;
  i += delim.length;
  let value = '';
  while (i < sql.length) {
    if (sql.startsWith(delim, i)) return { end: i + delim.length, value };
    const ch = sql[i];
    if (ch === '\\' && i + 1 < sql.length) {
      if (raw) {
        value += ch + sql[i + 1];
      } else {
        value += unescape(sql[i + 1]);
      }
      i += 2;
      continue;
    }
    if (!triple && ch === '\n') break;
    value += ch;
    i++;
  }
  throw new SqlSyntaxError('Unclosed string literal', start);
}

function unescape(c: string): string {
  switch (c) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case '0':
      return '\0';
    default:
      return c;
  }
}

/** Tokens without whitespace and comments. */
export function significant(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.type !== 'ws' && t.type !== 'comment');
}

const SUBQUERY_STARTS = new Set(['select', 'with']);
/** Words before a parenthesis that is not a call's (`IN (`, `FROM (`, `AS (`, ...). */
const CLAUSE_WORDS = new Set(['in', 'from', 'join', 'as', 'exists', 'on', 'using', 'and', 'or', 'not', 'when', 'then', 'else', 'where', 'having', 'select', 'by', 'over', 'values', 'unnest']);

/** Whether the `(` at significant token i holds a function call's arguments (not a subquery, not a grouping). */
export function opensCallArguments(ts: Token[], i: number): boolean {
  return ts[i].text === '(' && i > 0 && ts[i - 1].type === 'word' && !SUBQUERY_STARTS.has(ts[i + 1]?.value) && !CLAUSE_WORDS.has(ts[i - 1].value);
}

/** Quote a string as a GoogleSQL string literal. */
export function quoteString(s: string): string {
  return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r') + "'";
}

/**
 * ZetaSQL's text form of typed values, as the compliance files write expected results:
 * `ARRAY<STRUCT<a INT64, STRING>>[unknown order:{1, "x"}, ...]`, `STRUCT<...>{...}`, `NULL`, `b"..."`,
 * `2014-01-01 00:00:01+00`, JSON as raw JSON, and `ERROR: generic::<code>: <message>`.
 */

export interface ZType {
  /** Upper-case base name: INT64, DOUBLE, STRING, ARRAY, STRUCT, PROTO, RANGE, ... */
  name: string;
  /** ARRAY: the element type (undefined for `ARRAY<>`, whose elements carry their own types). */
  element?: ZType;
  /** STRUCT: fields (name '' when anonymous). */
  fields?: Array<{ name: string; type: ZType }>;
  /** Other parameterised types (PROTO<...>, ENUM<...>, RANGE<...>, MAP<...>): the raw parameter text. */
  param?: string;
}

export type ZValue = null | { kind: 'scalar'; text: string } | { kind: 'array'; type: ZType; ordered: boolean; items: ZValue[] } | { kind: 'struct'; items: ZValue[] };

export type Expected = { error: string } | { type: ZType; value: ZValue };

class Cursor {
  i = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }
  peek(t: string): boolean {
    this.ws();
    return this.s.startsWith(t, this.i);
  }
  eat(t: string): boolean {
    if (!this.peek(t)) return false;
    this.i += t.length;
    return true;
  }
  expect(t: string): void {
    if (!this.eat(t)) throw new Error(`expected "${t}" at ${this.i}: ${this.s.slice(this.i, this.i + 40)}`);
  }
  word(): string {
    this.ws();
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(this.s.slice(this.i));
    if (!m) throw new Error(`expected a name at ${this.i}: ${this.s.slice(this.i, this.i + 40)}`);
    this.i += m[0].length;
    return m[0];
  }
  /** Raw text up to a depth-0 `,`/`}`/`]` (or `stop`), skipping quoted strings and brackets. */
  raw(stop = ''): string {
    this.ws();
    const start = this.i;
    let depth = 0;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '"' || c === "'") {
        this.skipString(c);
        continue;
      }
      if (depth === 0 && (c === ',' || c === '}' || c === ']' || stop.includes(c))) break;
      if (c === '(' || c === '[' || c === '{') depth++;
      if (c === ')' || c === ']' || c === '}') depth--;
      this.i++;
    }
    return this.s.slice(start, this.i).trim();
  }
  skipString(q: string): void {
    this.i++;
    while (this.i < this.s.length && this.s[this.i] !== q) this.i += this.s[this.i] === '\\' ? 2 : 1;
    this.i++;
  }
}

function parseType(c: Cursor): ZType {
  const name = c.word().toUpperCase();
  if (!c.peek('<')) return { name };
  c.expect('<');
  if (name === 'ARRAY') {
    if (c.eat('>')) return { name };
    const element = parseType(c);
    c.expect('>');
    return { name, element };
  }
  if (name === 'STRUCT') {
    const fields: ZType['fields'] = [];
    while (!c.eat('>')) {
      // `name TYPE` or `TYPE`: a name is followed by another word or a backquoted name. ZetaSQL prints names
      // unquoted, so a name may hold spaces (`GROUPING SETS INT64`): the type is the last word before the delimiter.
      c.ws();
      const save = c.i;
      const words = [c.word()];
      const delimiter = () => [',', '>', '<', '('].includes(c.s[c.i]);
      c.ws();
      if (delimiter()) {
        c.i = save;
        fields.push({ name: '', type: parseType(c) });
      } else {
        let typeStart: number;
        for (;;) {
          typeStart = c.i;
          const w = c.word();
          c.ws();
          if (delimiter()) break;
          words.push(w);
        }
        c.i = typeStart;
        fields.push({ name: words.join(' '), type: parseType(c) });
      }
      c.eat(',');
    }
    return { name, fields };
  }
  // PROTO<...>, ENUM<...>, RANGE<...>, MAP<...>: keep the parameter text.
  const start = c.i;
  let depth = 1;
  while (depth > 0 && c.i < c.s.length) {
    if (c.s[c.i] === '<') depth++;
    if (c.s[c.i] === '>') depth--;
    c.i++;
  }
  return { name, param: c.s.slice(start, c.i - 1).trim() };
}

function parseValue(c: Cursor, type: ZType | undefined): ZValue {
  c.ws();
  if (c.s.startsWith('NULL', c.i) && !/[A-Za-z0-9_]/.test(c.s[c.i + 4] ?? '')) {
    c.i += 4;
    return null;
  }
  // An element of `ARRAY<>` or a field of an untyped struct carries its own type prefix.
  if (/^(ARRAY|STRUCT)</.test(c.s.slice(c.i))) {
    const own = parseType(c);
    if (c.eat('(NULL)')) return null;
    return parseValue(c, own);
  }
  if (type?.name === 'ARRAY' || (!type && c.peek('['))) {
    c.expect('[');
    let ordered = true;
    if (c.eat('unknown order:')) ordered = false;
    else c.eat('known order:');
    const items: ZValue[] = [];
    while (!c.eat(']')) {
      items.push(parseValue(c, type?.element));
      c.eat(',');
    }
    return { kind: 'array', type: type ?? { name: 'ARRAY' }, ordered, items };
  }
  if (type?.name === 'STRUCT' || (!type && c.peek('{'))) {
    c.expect('{');
    const items: ZValue[] = [];
    let k = 0;
    while (!c.eat('}')) {
      items.push(parseValue(c, type?.fields?.[k++]?.type));
      c.eat(',');
    }
    return { kind: 'struct', items };
  }
  if (type?.name === 'RANGE') {
    c.expect('[');
    const start = c.raw();
    c.expect(',');
    const end = c.raw(')');
    c.expect(')');
    return { kind: 'scalar', text: `[${start}, ${end})` };
  }
  return { kind: 'scalar', text: c.raw() };
}

export function parseExpected(text: string): Expected {
  const t = text.replace(/^\s*#.*$/gm, '').trim();
  if (t.startsWith('ERROR:')) return { error: t.slice(6).trim() };
  const c = new Cursor(t);
  const type = parseType(c);
  const value = parseValue(c, type);
  return { type, value };
}

/** Decodes a ZetaSQL string or bytes literal body (C escapes) into bytes. */
export function decodeQuoted(text: string): Buffer {
  const bytes = /^[bB]/.test(text);
  const q = text[bytes ? 1 : 0];
  const body = text.slice(bytes ? 2 : 1, -1);
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      out.push(...Buffer.from(String.fromCodePoint(body.codePointAt(i)!), 'utf8'));
      if (body.codePointAt(i)! > 0xffff) i++;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63, '`': 96 };
    if (e in simple) out.push(simple[e]);
    else if (e === 'x' || e === 'X') {
      out.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (/[0-7]/.test(e)) {
      out.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else if (e === 'u') {
      out.push(...Buffer.from(String.fromCodePoint(parseInt(body.slice(i + 1, i + 5), 16)), 'utf8'));
      i += 4;
    } else if (e === 'U') {
      out.push(...Buffer.from(String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16)), 'utf8'));
      i += 8;
    } else out.push(e.charCodeAt(0));
  }
  void q;
  return Buffer.from(out);
}

/** The type in GoogleSQL spelling, for messages and for the applicability check. */
export function typeText(t: ZType): string {
  if (t.name === 'ARRAY') return `ARRAY<${t.element ? typeText(t.element) : ''}>`;
  if (t.name === 'STRUCT') return `STRUCT<${(t.fields ?? []).map((f) => (f.name ? `${f.name} ${typeText(f.type)}` : typeText(f.type))).join(', ')}>`;
  return t.param !== undefined ? `${t.name}<${t.param}>` : t.name;
}

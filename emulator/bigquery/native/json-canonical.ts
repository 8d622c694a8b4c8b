/**
 * A JSON value as BigQuery stores one from JSON text (PARSE_JSON, JSON literals; data-types#json_type): an object's
 * repeated key keeps its first value, and a number that FLOAT64 or a 64-bit integer cannot hold exactly is an error
 * (PARSE_JSON's default wide_number_mode 'exact'). DuckDB kept every pair and rounded such numbers. Strings and numbers
 * keep their text; whitespace goes; an object's members are ordered by name, as BigQuery's JSON type holds them (the
 * docs' JSON_OBJECT('foo', 10, 'bar', TRUE) is {"bar":true,"foo":10}). The tree (parseJsonTree) is what the JSON mutator functions edit (json-edit.ts).
 */
class JsonParseError extends Error {}

/** A string, number, true, false or null, as its JSON text (a string's token as written, escapes unchanged). */
export class JsonScalar {
  constructor(readonly text: string) {}
}
/** An object's members by their (unescaped) names, each with its name's token as written; in the text's order. */
export type JsonObject = Map<string, { token: string; value: JsonTree }>;
export type JsonTree = JsonScalar | JsonTree[] | JsonObject;

export const JSON_NULL_TEXT = 'null';
export const isJsonNull = (t: JsonTree): boolean => t instanceof JsonScalar && t.text === JSON_NULL_TEXT;

const INT64_MIN = -(2n ** 63n);
/** A JSON string token; control characters (below U+0020) must be escaped in one. */
const JSON_STRING = new RegExp(`"(?:[^"\\\\${String.fromCharCode(0)}-${String.fromCharCode(31)}]|\\\\(?:["\\\\/bfnrt]|u[0-9a-fA-F]{4}))*"`, 'y');
const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const UINT64_MAX = 2n ** 64n - 1n;

export function canonicalJson(text: string): string {
  return writeJsonTree(parseJsonTree(text), true);
}

/** JSON text as a tree, by the rules above (an error names PARSE_JSON, whose input it checks). */
export function parseJsonTree(text: string): JsonTree {
  const parser = new Parser(text);
  parser.space();
  const out = parser.value(0);
  parser.space();
  if (parser.pos !== text.length) parser.fail('unexpected text after the value');
  return out;
}

/**
 * A tree's compact text; `sortKeys` orders each object's members by name, as BigQuery's JSON type holds them (ZetaSQL's
 * JSONValue keeps members in a std::map: by the names' UTF-8 bytes, which is their code points' order).
 */
export function writeJsonTree(tree: JsonTree, sortKeys: boolean): string {
  if (tree instanceof JsonScalar) return tree.text;
  if (Array.isArray(tree)) return `[${tree.map((t) => writeJsonTree(t, sortKeys)).join(',')}]`;
  const names = [...tree.keys()];
  if (sortKeys) names.sort(compareCodePoints);
  return `{${names.map((k) => `${tree.get(k)!.token}:${writeJsonTree(tree.get(k)!.value, sortKeys)}`).join(',')}}`;
}

/** Strings in their code points' order (their UTF-8 bytes'), not JavaScript's UTF-16 order. */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
}

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new JsonParseError(`Invalid input to PARSE_JSON: ${what} at offset ${this.pos}`);
  }

  space(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos])) this.pos++;
  }

  value(depth: number): JsonTree {
    if (depth > 500) this.fail('more than 500 levels of nesting');
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return new JsonScalar(this.string());
    if (c === '-' || (c >= '0' && c <= '9')) return new JsonScalar(this.number());
    for (const word of ['true', 'false', JSON_NULL_TEXT]) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return new JsonScalar(word);
      }
    }
    return this.fail('expected a JSON value');
  }

  private object(depth: number): JsonObject {
    this.pos++;
    const members: JsonObject = new Map();
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return members;
    }
    for (;;) {
      this.space();
      if (this.text[this.pos] !== '"') this.fail('expected a member name');
      const token = this.string();
      this.space();
      if (this.text[this.pos++] !== ':') this.fail("expected ':'");
      this.space();
      const value = this.value(depth + 1);
      // Names compare unescaped ("\u0061" is "a").
      const name = JSON.parse(token) as string;
      if (!members.has(name)) members.set(name, { token, value });
      this.space();
      const next = this.text[this.pos++];
      if (next === '}') return members;
      if (next !== ',') this.fail("expected ',' or '}'");
    }
  }

  private array(depth: number): JsonTree[] {
    this.pos++;
    const items: JsonTree[] = [];
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      this.space();
      items.push(this.value(depth + 1));
      this.space();
      const next = this.text[this.pos++];
      if (next === ']') return items;
      if (next !== ',') this.fail("expected ',' or ']'");
    }
  }

  /** A string token as written (escapes checked, not rewritten). */
  private string(): string {
    JSON_STRING.lastIndex = this.pos;
    const m = JSON_STRING.exec(this.text);
    if (!m) this.fail('invalid string');
    this.pos += m[0].length;
    return m[0];
  }

  private number(): string {
    JSON_NUMBER.lastIndex = this.pos;
    const m = JSON_NUMBER.exec(this.text);
    if (!m) this.fail('invalid number');
    this.pos += m[0].length;
    if (!exactNumber(m[0])) throw new JsonParseError(`Invalid input to PARSE_JSON: the number ${m[0]} cannot be stored without loss of precision`);
    return m[0];
  }
}

/** Whether a JSON number token is a 64-bit integer, or a FLOAT64 that reads back as the same decimal value. */
function exactNumber(token: string): boolean {
  if (/^-?\d+$/.test(token)) {
    const n = BigInt(token);
    if (n >= INT64_MIN && n <= UINT64_MAX) return true;
  }
  const d = Number(token);
  return Number.isFinite(d) && decimalValue(token) === decimalValue(String(d));
}

/** A decimal number's value as `digits e exponent`, digits without leading or trailing zeros: equal texts, equal values. */
function decimalValue(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return text;
  const [, sign, whole, fraction = '', exp = '0'] = m;
  let digits = (whole + fraction).replace(/^0+/, '');
  if (!digits) return '0';
  let exponent = Number(exp) - fraction.length;
  const trailing = /0*$/.exec(digits)![0].length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  return `${sign}${digits}e${exponent}`;
}

/**
 * A JSON value as BigQuery stores one from JSON text (PARSE_JSON, JSON literals; data-types#json_type): an object's
 * repeated key keeps its first value, and a number that FLOAT64 or a 64-bit integer cannot hold exactly is an error
 * (PARSE_JSON's default wide_number_mode 'exact'). DuckDB kept every pair and rounded such numbers. Strings and numbers
 * keep their text; whitespace goes.
 */
class JsonParseError extends Error {}

const INT64_MIN = -(2n ** 63n);
/** A JSON string token; control characters (below U+0020) must be escaped in one. */
const JSON_STRING = new RegExp(`"(?:[^"\\\\${String.fromCharCode(0)}-${String.fromCharCode(31)}]|\\\\(?:["\\\\/bfnrt]|u[0-9a-fA-F]{4}))*"`, 'y');
const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const UINT64_MAX = 2n ** 64n - 1n;

export function canonicalJson(text: string): string {
  const parser = new Parser(text);
  parser.space();
  const out = parser.value(0);
  parser.space();
  if (parser.pos !== text.length) parser.fail('unexpected text after the value');
  return out;
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

  value(depth: number): string {
    if (depth > 500) this.fail('more than 500 levels of nesting');
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return word;
      }
    }
    return this.fail('expected a JSON value');
  }

  private object(depth: number): string {
    this.pos++;
    const seen = new Set<string>();
    const members: string[] = [];
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return '{}';
    }
    for (;;) {
      this.space();
      if (this.text[this.pos] !== '"') this.fail('expected a member name');
      const key = this.string();
      this.space();
      if (this.text[this.pos++] !== ':') this.fail("expected ':'");
      this.space();
      const v = this.value(depth + 1);
      if (!seen.has(key)) members.push(`${key}:${v}`);
      seen.add(key);
      this.space();
      const next = this.text[this.pos++];
      if (next === '}') return `{${members.join(',')}}`;
      if (next !== ',') this.fail("expected ',' or '}'");
    }
  }

  private array(depth: number): string {
    this.pos++;
    const items: string[] = [];
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return '[]';
    }
    for (;;) {
      this.space();
      items.push(this.value(depth + 1));
      this.space();
      const next = this.text[this.pos++];
      if (next === ']') return `[${items.join(',')}]`;
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

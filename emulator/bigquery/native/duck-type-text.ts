/**
 * Reads DuckDB's type names as typeof() writes them (`STRUCT(a DECIMAL(38,9), "b c" JSON[])`), for JavaScript
 * functions that must know a value's full type: DuckDB hands them the values, but loses the JSON alias on the way.
 */
export type DuckTypeTree = { kind: 'struct'; fields: { name: string; type: DuckTypeTree }[] } | { kind: 'list'; element: DuckTypeTree } | { kind: 'scalar'; name: string };

const cache = new Map<string, DuckTypeTree>();
const KNOWN_MULTIWORD = ['TIMESTAMP WITH TIME ZONE', 'TIME WITH TIME ZONE'];

/** The tree of a typeof() text; parsed once per text. */
export function duckTypeTree(text: string): DuckTypeTree {
  let tree = cache.get(text);
  if (!tree) {
    const parser = new Parser(text);
    tree = parser.type();
    if (parser.pos !== text.length) throw new Error(`Unreadable DuckDB type ${text} at ${parser.pos}`);
    if (cache.size > 1000) cache.clear();
    cache.set(text, tree);
  }
  return tree;
}

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  type(): DuckTypeTree {
    let t = this.base();
    while (this.text[this.pos] === '[') {
      const close = this.text.indexOf(']', this.pos);
      if (close < 0) throw new Error(`Unreadable DuckDB type ${this.text}`);
      this.pos = close + 1;
      t = { kind: 'list', element: t };
    }
    return t;
  }

  private base(): DuckTypeTree {
    if (this.text.startsWith('STRUCT(', this.pos)) {
      this.pos += 'STRUCT('.length;
      const fields: { name: string; type: DuckTypeTree }[] = [];
      while (this.text[this.pos] !== ')') {
        // A tuple's fields have no names: STRUCT(INTEGER, VARCHAR).
        const name = this.unnamed() ? '' : this.name();
        if (name || this.text[this.pos] === ' ') this.expect(' ');
        fields.push({ name, type: this.type() });
        if (this.text[this.pos] === ',') {
          this.pos++;
          if (this.text[this.pos] === ' ') this.pos++;
        }
      }
      this.pos++;
      return { kind: 'struct', fields };
    }
    // A scalar: up to a comma, closing parenthesis or bracket outside its own parentheses (DECIMAL(38,9)).
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '(') depth++;
      else if (c === ')' && depth-- === 0) break;
      else if ((c === ',' || c === '[') && depth === 0) break;
      this.pos++;
    }
    return { kind: 'scalar', name: this.text.slice(start, this.pos) };
  }

  /** Whether the next field is a type alone: its first word ends at a comma or closing parenthesis, or starts a STRUCT. */
  private unnamed(): boolean {
    if (this.text.startsWith('STRUCT(', this.pos)) return true;
    if (this.text[this.pos] === '"') return false;
    const word = /^[^ ,()[\]]*/.exec(this.text.slice(this.pos))![0];
    const next = this.text[this.pos + word.length];
    return next === ',' || next === ')' || next === '[' || next === '(' || KNOWN_MULTIWORD.some((m) => this.text.startsWith(m, this.pos));
  }

  private name(): string {
    if (this.text[this.pos] !== '"') {
      const end = this.text.indexOf(' ', this.pos);
      const name = this.text.slice(this.pos, end);
      this.pos = end;
      return name;
    }
    let name = '';
    this.pos++;
    for (;;) {
      const c = this.text[this.pos++];
      if (c === undefined) throw new Error(`Unreadable DuckDB type ${this.text}`);
      if (c === '"') {
        if (this.text[this.pos] !== '"') return name;
        this.pos++;
      }
      name += c;
    }
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) throw new Error(`Unreadable DuckDB type ${this.text} at ${this.pos}`);
    this.pos++;
  }
}

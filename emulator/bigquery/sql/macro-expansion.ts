/**
 * What a call to one of our macros costs DuckDB to bind. DuckDB expands a macro where it is called, operands and all:
 * a body that names its operand ten times (CAST(x AS INT64)'s __gg_to_int64) copies the operand ten times, and
 * nested macros multiply, so CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(TO_JSON_STRING(x))), 1, 12)) AS INT64) bound as tens of
 * thousands of nodes: 0.85 s of binding for one row. This reads the macros' own text (macros.ts) once: for each macro
 * and arity, how many times the body repeats each operand (through the macros it calls too) and how big the body is
 * expanded; bind-operands-once.ts uses it to bind a big operand once.
 */
import { onceForm, onceFormMacro } from './macros-numeric.ts';

export interface MacroForm {
  /** How many copies of operand i the expanded body holds. */
  repeats: number[];
  /** The expanded body's size in tokens, operands counted as one. */
  size: number;
  /** The body may sit inside a lambda (no subquery, no aggregate): its `_once` form can exist. */
  lambdaSafe: boolean;
}

interface Definition {
  params: string[];
  body: string;
  /** A parameter has a type (an overload DuckDB picks by the operands' types). */
  typed?: boolean;
}

const HEAD = /^CREATE OR REPLACE MACRO (\w+)\s*/;
const TOKEN = /'(?:[^']|'')*'|"(?:[^"]|"")*"|[A-Za-z_]\w*|\d+(?:\.\d+)?|\S/g;
/** Calls a body cannot make inside a lambda: aggregates, subqueries, and struct_extract, whose key must fold at bind time (a lambda's operand does not). */
const LAMBDA_UNSAFE = /(?<![\w.])(select|sum|count|min|max|avg|string_agg|array_agg|list|arg_min|arg_max|any_value|first|last|median|mode|bit_and|bit_or|bool_and|bool_or|struct_extract)\s*\(/i;

/** A macro statement's forms: `name(a, b) AS body` and, overloaded, `, (a BLOB, b) AS body2`. Table macros are left out. */
function definitionsOf(statement: string): [string, Definition[]] | undefined {
  const head = HEAD.exec(statement);
  if (!head) return undefined;
  const rest = statement.slice(head[0].length);
  const starts: Array<{ at: number; params: string[]; bodyAt: number; typed: boolean }> = [];
  const form = /\(([^()]*)\)\s+AS\s+/g;
  for (let m = form.exec(rest); m; m = form.exec(rest)) {
    if (m.index === 0 || rest.slice(0, m.index).trimEnd().endsWith(',')) {
      starts.push({
        at: m.index,
        params: m[1]
          .split(',')
          .map((p) => p.trim().split(/\s+/)[0])
          .filter(Boolean),
        typed: m[1].split(',').some((p) => p.trim().split(/\s+/).length > 1),
        bodyAt: form.lastIndex,
      });
    }
  }
  const forms = starts
    .map((s, i) => ({ params: s.params, typed: s.typed, body: rest.slice(s.bodyAt, i + 1 < starts.length ? rest.lastIndexOf(',', starts[i + 1].at) : undefined) }))
    .filter((d) => !/^\s*TABLE\b/i.test(d.body));
  return forms.length ? [head[1].toLowerCase(), forms] : undefined;
}

/** The tokens of `tokens[from]`'s call: its arguments' token ranges (top-level commas), and where the call ends. */
function callArguments(tokens: string[], open: number): { args: Array<[number, number]>; end: number } {
  const args: Array<[number, number]> = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === '(' || t === '[' || t === '{') depth++;
    else if (t === ')' || t === ']' || t === '}') {
      depth--;
      if (depth === 0) {
        if (i > start) args.push([start, i]);
        return { args, end: i };
      }
    } else if (t === ',' && depth === 1) {
      args.push([start, i]);
      start = i + 1;
    }
  }
  return { args, end: tokens.length - 1 };
}

export class MacroCatalog {
  private readonly definitions = new Map<string, Definition[]>();
  private readonly forms = new Map<string, MacroForm>();

  constructor(statements: string[]) {
    for (const statement of statements) {
      const found = definitionsOf(statement);
      if (found) this.definitions.set(found[0], found[1]);
    }
  }

  /** The macro `name` called with `arity` operands (the widest of its overloads of that arity), if it is one of ours. */
  form(name: string, arity: number): MacroForm | undefined {
    const key = `${name.toLowerCase()}/${arity}`;
    if (!this.forms.has(key)) {
      const defs = this.definitions.get(name.toLowerCase())?.filter((d) => d.params.length === arity);
      if (!defs?.length) return undefined;
      this.forms.set(key, { repeats: Array<number>(arity).fill(1), size: 0, lambdaSafe: false }); // a macro naming itself: counted once
      const measured = defs.map((d) => this.measure(d));
      this.forms.set(key, {
        repeats: Array.from({ length: arity }, (_, i) => Math.max(...measured.map((m) => m.repeats[i]))),
        size: Math.max(...measured.map((m) => m.size)),
        lambdaSafe: measured.every((m) => m.lambdaSafe),
      });
    }
    return this.forms.get(key);
  }

  /** Whether `name` called with `arity` operands has a `_once` form made by onceForms() (the hand-made ones bind every operand: arithmeticCall chooses those). */
  hasMadeOnceForm(name: string, arity: number): boolean {
    return Boolean(this.repeatingMacros().get(name.toLowerCase())?.includes(arity));
  }

  /** A `_once` form (macros-numeric.ts onceFormMacro) for each macro that repeats an operand and has none of its own. */
  onceForms(): string[] {
    return [...this.repeatingMacros()].map(([name, arities]) => onceFormMacro(name, arities));
  }

  private repeating?: Map<string, number[]>;

  /** Macros (name → arities) that repeat an operand and may be bound inside a lambda, with no `_once` form of their own: those that get one made. */
  repeatingMacros(): Map<string, number[]> {
    if (this.repeating) return this.repeating;
    const out = (this.repeating = new Map<string, number[]>());
    for (const [name, defs] of this.definitions) {
      // A typed overload cannot be called on a lambda's parameters in a macro body (DuckDB refuses it when the macro is
      // made): typed-call.ts binds its operands first instead.
      if (name.endsWith(onceForm('')) || this.definitions.has(onceForm(name)) || defs.some((d) => d.typed)) continue;
      const arities = [...new Set(defs.map((d) => d.params.length))].filter((n) => {
        const f = this.form(name, n);
        return n > 0 && f && f.lambdaSafe && f.repeats.some((r) => r > 1);
      });
      if (arities.length) out.set(name, arities);
    }
    return out;
  }

  private measure(def: Definition): MacroForm {
    const tokens = def.body.match(TOKEN) ?? [];
    const counted = this.countRange(tokens, 0, tokens.length, def.params);
    // Safe in a lambda when the body and every macro it calls are.
    const callsSafe = tokens.every((t) => !this.definitions.has(t.toLowerCase()) || this.definitions.get(t.toLowerCase())!.every((d) => this.form(t, d.params.length)?.lambdaSafe !== false));
    return { repeats: counted.repeats, size: counted.size, lambdaSafe: callsSafe && !LAMBDA_UNSAFE.test(def.body.replace(/'(?:[^']|'')*'/g, "''")) };
  }

  /** Operand copies and expanded size of tokens[from, to): a nested macro call multiplies what its arguments hold. */
  private countRange(tokens: string[], from: number, to: number, params: string[]): { repeats: number[]; size: number } {
    const repeats = params.map(() => 0);
    let size = 0;
    for (let i = from; i < to; i++) {
      const t = tokens[i];
      const p = params.indexOf(t);
      // Not a struct key (`'a': a` has its key quoted, but `a: 1` may not) nor a field (`x.a`); `a::VARCHAR` is a use.
      if (p >= 0 && tokens[i - 1] !== '.' && (tokens[i + 1] !== ':' || tokens[i + 2] === ':')) {
        repeats[p]++;
        size++;
        continue;
      }
      const nested = /^__gg_\w+$/i.test(t) && tokens[i + 1] === '(' ? callArguments(tokens, i + 1) : undefined;
      const form = nested && this.form(t, nested.args.length);
      if (nested && form) {
        size += form.size;
        nested.args.forEach(([a, b], k) => {
          const inner = this.countRange(tokens, a, b, params);
          inner.repeats.forEach((r, j) => (repeats[j] += r * form.repeats[k]));
          size += inner.size * Math.max(form.repeats[k], 1);
        });
        i = nested.end;
        continue;
      }
      size++;
    }
    return { repeats, size };
  }
}

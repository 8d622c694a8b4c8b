/** Parses a BigQuery script into statements and control-flow blocks. */
import { significant, tokenize, type Token } from '../sql/tokenizer.ts';
import { readPath } from '../sql/statement-kind.ts';
import { invalidQuery, notSupported } from '../errors.ts';
import { parseCase, parseProcedure, parseTempFunction } from './parse-routines.ts';

export type ScriptNode =
  | { kind: 'sql'; text: string }
  | { kind: 'declare'; names: string[]; typeText?: string; defaultExpr?: string }
  | { kind: 'set'; names: string[]; expr: string }
  | { kind: 'if'; branches: Array<{ cond: string; body: ScriptNode[] }>; otherwise?: ScriptNode[] }
  | { kind: 'block'; body: ScriptNode[]; handler?: ScriptNode[]; label?: string }
  | { kind: 'while'; cond: string; body: ScriptNode[]; label?: string }
  | { kind: 'loop'; body: ScriptNode[]; label?: string }
  | { kind: 'repeat'; body: ScriptNode[]; until: string; label?: string }
  | { kind: 'for'; variable: string; query: string; body: ScriptNode[]; label?: string }
  | { kind: 'break'; label?: string }
  | { kind: 'continue'; label?: string }
  | { kind: 'return' }
  | { kind: 'raise'; message?: string }
  | { kind: 'begin_tx' }
  | { kind: 'commit' }
  | { kind: 'rollback' }
  | { kind: 'execute'; sqlExpr: string; into: string[]; using: Array<{ expr: string; name?: string }> }
  | { kind: 'procedure'; path: string[]; orReplace: boolean; ifNotExists: boolean; params: Array<{ mode: 'IN' | 'OUT' | 'INOUT'; name: string; typeText: string }>; body: ScriptNode[] }
  | { kind: 'call'; path: string[]; args: string[] }
  | { kind: 'function'; name: string; orReplace: boolean; ifNotExists: boolean; params: Array<{ name: string; typeText: string }>; returns?: string; body: string };

export function parseScript(sql: string): ScriptNode[] {
  return new ScriptParser(sql).parseAll();
}

export class ScriptParser {
  toks: Token[];
  i = 0;
  /** The blocks and loops being parsed, innermost last, with their labels (procedural-language#labels). */
  private scopes: Array<{ label?: string; loop: boolean }> = [];
  private pendingLabel: string | undefined;

  constructor(private sql: string) {
    this.toks = significant(tokenize(sql));
  }

  parseAll(): ScriptNode[] {
    const body = this.parseBody(() => false);
    if (this.i < this.toks.length) this.fail(`Unexpected "${this.toks[this.i].text}"`);
    return body;
  }

  w(k = 0): string {
    const t = this.toks[this.i + k];
    return t?.type === 'word' ? t.value : '';
  }

  fail(msg: string): never {
    const t = this.toks[Math.min(this.i, this.toks.length - 1)];
    const line = t ? this.sql.slice(0, t.start).split('\n').length : 1;
    throw invalidQuery(`Syntax error: ${msg} at [${line}:${t ? t.start - this.sql.lastIndexOf('\n', t.start - 1) : 1}]`);
  }

  expectWord(...words: string[]) {
    for (const word of words) {
      if (this.w() !== word) this.fail(`Expected keyword ${word.toUpperCase()} but got "${this.toks[this.i]?.text ?? 'end of script'}"`);
      this.i++;
    }
  }

  private skipSemicolons() {
    while (this.toks[this.i]?.text === ';') this.i++;
  }

  /** `label: BEGIN | LOOP | WHILE | REPEAT | FOR ... END ... [label]`: the statement with its label. */
  private labelled(): ScriptNode {
    const label = this.toks[this.i].value;
    if (this.scopes.some((s) => s.label === label)) this.fail(`Label ${label} is already defined in an enclosing block or loop`);
    this.i += 2;
    this.pendingLabel = label;
    const node = this.parseStatement();
    // A label before a statement that opens no scope (BEGIN TRANSACTION) must not pass on to the next loop.
    this.pendingLabel = undefined;
    const end = this.toks[this.i];
    if (end?.type === 'word' && (this.i + 1 >= this.toks.length || this.toks[this.i + 1].text === ';')) {
      if (end.value !== label) this.fail(`The end label ${end.text} does not match the label ${label}`);
      this.i++;
    }
    return { ...node, label } as ScriptNode;
  }

  /** Parses a block's or loop's body in its scope, taking the label written before it. */
  private scoped<T>(loop: boolean, parse: () => T): T {
    this.scopes.push({ label: this.pendingLabel, loop });
    this.pendingLabel = undefined;
    try {
      return parse();
    } finally {
      this.scopes.pop();
    }
  }

  /** BREAK/LEAVE or CONTINUE/ITERATE [label]: the label must enclose it, and CONTINUE's must be a loop's. */
  private jump(kind: 'break' | 'continue'): ScriptNode {
    const keyword = this.toks[this.i].text.toUpperCase();
    this.i++;
    const label = this.toks[this.i]?.type === 'word' ? this.toks[this.i++].value : undefined;
    const target = label === undefined ? [...this.scopes].reverse().find((s) => s.loop) : this.scopes.find((s) => s.label === label);
    if (!target) this.fail(label === undefined ? `${keyword} is only allowed inside a loop` : `Label ${label} is not defined in an enclosing block or loop`);
    if (kind === 'continue' && !target.loop) this.fail(`${keyword} cannot name ${label}, the label of a BEGIN block`);
    return { kind, label };
  }

  parseBody(stop: () => boolean): ScriptNode[] {
    const out: ScriptNode[] = [];
    for (;;) {
      this.skipSemicolons();
      if (this.i >= this.toks.length || stop()) return out;
      out.push(this.parseStatement());
    }
  }

  /** Text from the current token up to (not including) the first depth-0 token matching `end`. */
  textUntil(end: (t: Token) => boolean): string {
    const start = this.i;
    let depth = 0;
    let caseDepth = 0;
    while (this.i < this.toks.length) {
      const t = this.toks[this.i];
      if (depth === 0 && caseDepth === 0 && end(t)) break;
      if (t.text === '(' || t.text === '[') depth++;
      else if (t.text === ')' || t.text === ']') depth--;
      else if (t.type === 'word' && t.value === 'case') caseDepth++;
      else if (t.type === 'word' && t.value === 'end' && caseDepth > 0) caseDepth--;
      this.i++;
    }
    if (this.i === start) return '';
    const last = this.toks[this.i - 1];
    return this.sql.slice(this.toks[start].start, last.start + last.text.length);
  }

  untilSemicolon(): string {
    return this.textUntil((t) => t.text === ';');
  }

  isWord = (t: Token, ...ws: string[]) => t.type === 'word' && ws.includes(t.value);

  parseStatement(): ScriptNode {
    const w0 = this.w();
    if (this.toks[this.i]?.type === 'word' && this.toks[this.i + 1]?.text === ':' && ['begin', 'loop', 'while', 'repeat', 'for'].includes(this.w(2))) return this.labelled();
    switch (w0) {
      case 'begin': {
        if (this.w(1) === 'transaction' || this.toks[this.i + 1]?.text === ';' || this.i + 1 >= this.toks.length) {
          this.i += this.w(1) === 'transaction' ? 2 : 1;
          return { kind: 'begin_tx' };
        }
        this.i++;
        return this.scoped(false, () => {
          const body = this.parseBody(() => this.w() === 'exception' || this.w() === 'end');
          let handler: ScriptNode[] | undefined;
          if (this.w() === 'exception') {
            this.i++;
            this.expectWord('when', 'error', 'then');
            handler = this.parseBody(() => this.w() === 'end');
          }
          this.expectWord('end');
          return { kind: 'block', body, handler };
        });
      }
      case 'if': {
        this.i++;
        const branches: Array<{ cond: string; body: ScriptNode[] }> = [];
        let otherwise: ScriptNode[] | undefined;
        const stop = () => ['elseif', 'else', 'end'].includes(this.w());
        const cond = this.textUntil((t) => this.isWord(t, 'then'));
        this.expectWord('then');
        branches.push({ cond, body: this.parseBody(stop) });
        while (this.w() === 'elseif') {
          this.i++;
          const c = this.textUntil((t) => this.isWord(t, 'then'));
          this.expectWord('then');
          branches.push({ cond: c, body: this.parseBody(stop) });
        }
        if (this.w() === 'else') {
          this.i++;
          otherwise = this.parseBody(() => this.w() === 'end');
        }
        this.expectWord('end', 'if');
        return { kind: 'if', branches, otherwise };
      }
      case 'while': {
        this.i++;
        const cond = this.textUntil((t) => this.isWord(t, 'do'));
        this.expectWord('do');
        const body = this.scoped(true, () => this.parseBody(() => this.w() === 'end'));
        this.expectWord('end', 'while');
        return { kind: 'while', cond, body };
      }
      case 'loop': {
        this.i++;
        const body = this.scoped(true, () => this.parseBody(() => this.w() === 'end'));
        this.expectWord('end', 'loop');
        return { kind: 'loop', body };
      }
      case 'repeat': {
        this.i++;
        const body = this.scoped(true, () => this.parseBody(() => this.w() === 'until'));
        this.expectWord('until');
        const until = this.textUntil((t) => this.isWord(t, 'end'));
        this.expectWord('end', 'repeat');
        return { kind: 'repeat', body, until };
      }
      case 'for': {
        this.i++;
        const variable = this.toks[this.i++].value;
        this.expectWord('in');
        const query = this.textUntil((t) => this.isWord(t, 'do'));
        this.expectWord('do');
        const body = this.scoped(true, () => this.parseBody(() => this.w() === 'end'));
        this.expectWord('end', 'for');
        return { kind: 'for', variable, query, body };
      }
      case 'break':
      case 'leave':
      case 'continue':
      case 'iterate':
        return this.jump(w0 === 'break' || w0 === 'leave' ? 'break' : 'continue');
      case 'return':
        this.i++;
        return { kind: 'return' };
      case 'commit':
        this.i++;
        if (this.w() === 'transaction') this.i++;
        return { kind: 'commit' };
      case 'rollback':
        this.i++;
        if (this.w() === 'transaction') this.i++;
        return { kind: 'rollback' };
      case 'declare':
        return this.parseDeclare();
      case 'set':
        return this.parseSet();
      case 'raise': {
        this.i++;
        if (this.w() !== 'using') return { kind: 'raise' };
        this.expectWord('using', 'message');
        if (this.toks[this.i]?.text !== '=') this.fail('Expected = after RAISE USING MESSAGE');
        this.i++;
        return { kind: 'raise', message: this.untilSemicolon() };
      }
      case 'execute':
        return this.parseExecute();
      case 'call': {
        this.i++;
        const { parts, next } = readPath(this.toks, this.i);
        this.i = next;
        if (this.toks[this.i]?.text !== '(') this.fail('Expected ( after procedure name');
        this.i++;
        const args: string[] = [];
        while (this.toks[this.i] && this.toks[this.i].text !== ')') {
          const a = this.textUntil((t) => t.text === ',' || t.text === ')');
          if (a) args.push(a);
          if (this.toks[this.i]?.text === ',') this.i++;
        }
        this.i++;
        return { kind: 'call', path: parts, args };
      }
      case 'create': {
        let k = 1;
        let temp = false;
        while (['or', 'replace', 'temp', 'temporary'].includes(this.w(k))) {
          if (['temp', 'temporary'].includes(this.w(k))) temp = true;
          k++;
        }
        if (this.w(k) === 'procedure') return parseProcedure(this);
        if (this.w(k) === 'function' && temp) return parseTempFunction(this);
        return { kind: 'sql', text: this.untilSemicolon() };
      }
      case 'case':
        return parseCase(this);
      default:
        return { kind: 'sql', text: this.untilSemicolon() };
    }
  }

  private parseDeclare(): ScriptNode {
    this.i++;
    const names: string[] = [];
    for (;;) {
      names.push(this.toks[this.i++].value.toLowerCase());
      if (this.toks[this.i]?.text !== ',') break;
      this.i++;
    }
    const rest = this.untilSemicolon();
    const m = /^([\s\S]*?)\bdefault\b([\s\S]*)$/i.exec(rest);
    const typeText = (m ? m[1] : rest).trim() || undefined;
    return { kind: 'declare', names, typeText, defaultExpr: m ? m[2].trim() : undefined };
  }

  private parseSet(): ScriptNode {
    this.i++;
    const names: string[] = [];
    if (this.toks[this.i]?.text === '(') {
      this.i++;
      while (this.toks[this.i] && this.toks[this.i].text !== ')') {
        if (this.toks[this.i].text !== ',') names.push(this.toks[this.i].value.toLowerCase());
        this.i++;
      }
      this.i++;
    } else {
      const t = this.toks[this.i++];
      // SET @@time_zone, @@dataset_id, ...: the emulator reads system variables, it does not change them.
      if (t?.type === 'sysvar') throw notSupported(`SET of the system variable @@${t.value}`);
      names.push(t.value.toLowerCase());
    }
    if (this.toks[this.i]?.text !== '=') this.fail('Expected = in SET');
    this.i++;
    return { kind: 'set', names, expr: this.untilSemicolon() };
  }

  private parseExecute(): ScriptNode {
    this.i++;
    this.expectWord('immediate');
    const sqlExpr = this.textUntil((t) => this.isWord(t, 'into', 'using') || t.text === ';');
    const into: string[] = [];
    const using: Array<{ expr: string; name?: string }> = [];
    if (this.w() === 'into') {
      this.i++;
      while (this.toks[this.i] && this.toks[this.i].type === 'word' && this.w() !== 'using') {
        into.push(this.toks[this.i++].value);
        if (this.toks[this.i]?.text === ',') this.i++;
      }
    }
    if (this.w() === 'using') {
      this.i++;
      while (this.toks[this.i] && this.toks[this.i].text !== ';') {
        const expr = this.textUntil((t) => t.text === ',' || t.text === ';');
        const m = /^([\s\S]*?)\s+as\s+([A-Za-z_][A-Za-z0-9_]*)$/i.exec(expr);
        using.push(m ? { expr: m[1], name: m[2] } : { expr });
        if (this.toks[this.i]?.text === ',') this.i++;
      }
    }
    return { kind: 'execute', sqlExpr, into, using };
  }
}

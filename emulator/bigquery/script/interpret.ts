/**
 * Runs a parsed BigQuery script on a Session: variables are evaluated by DuckDB and substituted
 * into later statements as typed literals; control flow, exceptions and transactions are ours.
 */
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import type { Session, StatementResult } from '../session.ts';
import { parseScript, type ScriptNode } from './parse.ts';
import { assertNoNestedArrays, assertNoNullArrayElements, assertNoSpreadRange } from './result-rules.ts';
import { createTempFunction } from './udf.ts';
import { BigQueryError, invalidQuery } from '../errors.ts';
import { duckLiteral, bigQueryTypeToDuck } from '../types.ts';
import { positionalKey, systemKey, variableKey } from '../sql/translate.ts';
import { isStructValueTableQuery } from '../sql/result-names.ts';
import { quoteLiteral } from '../sql/quote.ts';

class BreakSignal {
  constructor(readonly label?: string) {}
}
class ContinueSignal {
  constructor(readonly label?: string) {}
}
class ReturnSignal {}

export interface ScriptResult {
  last?: StatementResult;
  statements: number;
  /** True when the job was more than one statement (BigQuery reports statementType SCRIPT). */
  isScript: boolean;
}

type Procedure = Extract<ScriptNode, { kind: 'procedure' }>;
const procedures = new WeakMap<object, Map<string, Procedure>>();

const MAX_ITERATIONS = 1_000_000;

export async function runScript(session: Session, sql: string): Promise<ScriptResult> {
  const nodes = parseScript(sql);
  const interp = new Interpreter(session);
  const isScript = nodes.length !== 1 || nodes[0].kind !== 'sql';
  try {
    await interp.runBody(nodes);
  } catch (e) {
    // A BREAK or CONTINUE the parser let through (one in a procedure's body, say) ends as an error, not a 500.
    if (e instanceof BreakSignal || e instanceof ContinueSignal) throw invalidQuery('BREAK, LEAVE, CONTINUE or ITERATE outside a loop (or with a label that does not enclose it)');
    if (!(e instanceof ReturnSignal)) throw e;
  }
  if (session.inTransaction) {
    await session.rollback();
    throw invalidQuery('Transaction was not committed: the script ended with an active transaction, which was rolled back');
  }
  if (interp.last?.statementType === 'SELECT') {
    assertNoNestedArrays(interp.last);
    assertNoSpreadRange(interp.last);
    assertNoNullArrayElements(interp.last);
  }
  return { last: interp.last, statements: interp.count, isScript };
}

class Interpreter {
  last?: StatementResult;
  count = 0;
  /** The SQL statement run last (@@error.statement_text when it fails). */
  private statementText: string | undefined;
  private currentError?: BigQueryError;

  constructor(private session: Session) {}

  private get procs(): Map<string, Procedure> {
    let m = procedures.get(this.session.engine);
    if (!m) procedures.set(this.session.engine, (m = new Map()));
    return m;
  }

  async runBody(nodes: ScriptNode[]): Promise<void> {
    for (const node of nodes) await this.run(node);
  }

  private setVar(name: string, literal: string) {
    this.session.variables.add(name);
    this.session.values.set(variableKey(name), literal);
  }

  private requireVar(name: string) {
    if (!this.session.variables.has(name)) throw invalidQuery(`Unrecognized name: ${name}; variable must be declared first`);
  }

  /** Evaluates an expression to a typed literal (and its value). */
  /** `castTo` is a GoogleSQL type (a variable's, a parameter's): the CAST is translated with the expression. */
  async evaluate(expr: string, castTo?: string): Promise<{ literal: string; value: any; type: DuckDBType }[]> {
    const body = castTo ? `CAST((${expr}) AS ${castTo})` : expr;
    const r = await this.session.execute(`SELECT ${body}`);
    const row = r.rows[0];
    if (!row) return [];
    return r.types.map((t, k) => ({ literal: duckLiteral(row[k], t), value: row[k], type: t }));
  }

  /** The values of a multi-variable SET: a tuple, a one-row query, or a STRUCT. */
  private async evaluateTuple(expr: string, n: number): Promise<string[]> {
    const inner = expr.trim().replace(/^\(([\s\S]*)\)$/, '$1');
    let cells: Array<{ literal: string; value: any; type: DuckDBType }>;
    if (/^\s*select\b/i.test(inner)) {
      const r = await this.session.execute(inner.replace(/^\s*select\s+as\s+struct\b/i, 'SELECT'));
      if (r.rows.length > 1) throw invalidQuery('Scalar subquery produced more than one element');
      cells = r.types.map((t, k) => ({ literal: duckLiteral(r.rows[0]?.[k] ?? null, t), value: r.rows[0]?.[k], type: t }));
    } else {
      cells = await this.evaluate(inner);
    }
    if (cells.length === 1 && n > 1 && cells[0].type.typeId === DuckDBTypeId.STRUCT) {
      const t = cells[0].type as any;
      const v = cells[0].value;
      return t.entryNames.map((name: string, k: number) => duckLiteral(v?.entries?.[name] ?? null, t.entryTypes[k]));
    }
    if (cells.length !== n) throw invalidQuery(`SET expects ${n} values but got ${cells.length}`);
    return cells.map((c) => c.literal);
  }

  private async truthy(cond: string): Promise<boolean> {
    const [v] = await this.evaluate(cond);
    return v?.value === true;
  }

  private async run(node: ScriptNode): Promise<void> {
    // The text of the statement that runs last, a SQL statement's; other statements (SET, IF, CALL, ...) have none here.
    this.statementText = node.kind === 'sql' ? node.text : undefined;
    switch (node.kind) {
      case 'sql': {
        this.count++;
        const r = await this.session.execute(node.text);
        this.last = r;
        this.session.values.set(systemKey('row_count'), r.affectedRows !== undefined ? `CAST(${r.affectedRows} AS BIGINT)` : 'CAST(NULL AS BIGINT)');
        return;
      }
      case 'declare': {
        for (const name of node.names) if (this.session.variables.has(name)) throw invalidQuery(`Variable ${name} is already declared`);
        const duckType = node.typeText ? bigQueryTypeToDuck(node.typeText) : undefined;
        let literal = duckType ? `CAST(NULL AS ${duckType})` : 'CAST(NULL AS BIGINT)';
        if (node.defaultExpr) literal = (await this.evaluate(node.defaultExpr, node.typeText))[0].literal;
        for (const name of node.names) this.setVar(name, literal);
        return;
      }
      case 'set': {
        node.names.forEach((n) => this.requireVar(n));
        if (node.names.length === 1) {
          this.setVar(node.names[0], (await this.evaluate(node.expr))[0].literal);
          return;
        }
        // SET (a, b) = (1, 2), = (SELECT AS STRUCT ...) or = STRUCT(...)
        const values = await this.evaluateTuple(node.expr, node.names.length);
        node.names.forEach((n, k) => this.setVar(n, values[k]));
        return;
      }
      case 'if': {
        for (const b of node.branches) {
          if (await this.truthy(b.cond)) return this.runBody(b.body);
        }
        if (node.otherwise) await this.runBody(node.otherwise);
        return;
      }
      case 'block': {
        // Variables declared in a block go out of scope at its END.
        const scoped = node.body.flatMap((n) => (n.kind === 'declare' ? n.names : []));
        try {
          await this.runBlock(node);
        } catch (e) {
          // BREAK label_1 (or LEAVE) of a labelled block ends the block.
          if (!(e instanceof BreakSignal && e.label !== undefined && e.label === node.label)) throw e;
        } finally {
          for (const name of scoped) {
            this.session.variables.delete(name);
            this.session.values.delete(variableKey(name));
          }
        }
        return;
      }
      case 'function':
        this.count++;
        this.last = await createTempFunction(this.session, node);
        return;
      case 'while': {
        let n = 0;
        while (await this.truthy(node.cond)) {
          if (++n > MAX_ITERATIONS) throw invalidQuery('WHILE loop exceeded the iteration limit');
          if (await this.iteration(node.body, node.label)) break;
        }
        return;
      }
      case 'loop': {
        for (let n = 0; ; n++) {
          if (n > MAX_ITERATIONS) throw invalidQuery('LOOP exceeded the iteration limit');
          if (await this.iteration(node.body, node.label)) break;
        }
        return;
      }
      case 'repeat': {
        for (let n = 0; ; n++) {
          if (n > MAX_ITERATIONS) throw invalidQuery('REPEAT exceeded the iteration limit');
          if (await this.iteration(node.body, node.label)) break;
          if (await this.truthy(node.until)) break;
        }
        return;
      }
      case 'for': {
        const r = await this.session.execute(node.query.trim().replace(/^\(([\s\S]*)\)$/, '$1'));
        for (const row of r.rows) {
          const fields = r.names.map((n, k) => `${JSON.stringify(n).replace(/^"|"$/g, '"')}: ${duckLiteral(row[k], r.types[k])}`);
          this.setVar(node.variable.toLowerCase(), `{${fields.map((f) => f.replace(/^"([^"]*)"/, "'$1'")).join(', ')}}`);
          if (await this.iteration(node.body, node.label)) break;
        }
        return;
      }
      case 'break':
        throw new BreakSignal(node.label);
      case 'continue':
        throw new ContinueSignal(node.label);
      case 'return':
        throw new ReturnSignal();
      case 'raise': {
        if (node.message === undefined) {
          if (this.currentError) throw this.currentError;
          throw invalidQuery('RAISE without a message is only allowed inside an exception handler');
        }
        const [m] = await this.evaluate(node.message);
        throw new BigQueryError(400, 'invalidQuery', String(m?.value ?? 'NULL'));
      }
      case 'begin_tx':
        return this.session.begin();
      case 'commit':
        return this.session.commit();
      case 'rollback':
        return this.session.rollback();
      case 'execute':
        return this.execute(node);
      case 'procedure': {
        const key = node.path.slice(-2).join('.').toLowerCase();
        if (this.procs.has(key) && !node.orReplace) {
          if (node.ifNotExists) return;
          throw new BigQueryError(409, 'duplicate', `Already Exists: Procedure ${key}`);
        }
        this.procs.set(key, node);
        this.last = { statementType: 'CREATE_FUNCTION', names: [], types: [], rows: [], referenced: [] };
        return;
      }
      case 'call':
        return this.call(node);
    }
  }

  private async runBlock(node: Extract<ScriptNode, { kind: 'block' }>): Promise<void> {
    if (!node.handler) return this.runBody(node.body);
    try {
      await this.runBody(node.body);
    } catch (e) {
      if (e instanceof BreakSignal || e instanceof ContinueSignal || e instanceof ReturnSignal) throw e;
      const err = e instanceof BigQueryError ? e : new BigQueryError(400, 'invalidQuery', e instanceof Error ? e.message : String(e));
      const previous = this.currentError;
      this.currentError = err;
      this.session.values.set(systemKey('error.message'), quoteLiteral(err.message));
      this.session.values.set(systemKey('error.statement_text'), this.statementText === undefined ? 'CAST(NULL AS VARCHAR)' : quoteLiteral(this.statementText));
      try {
        await this.runBody(node.handler);
      } finally {
        this.currentError = previous;
      }
    }
  }

  /** Runs one loop iteration; true when the loop must stop. */
  private async iteration(body: ScriptNode[], label?: string): Promise<boolean> {
    try {
      await this.runBody(body);
    } catch (e) {
      // An unlabelled BREAK or CONTINUE is the innermost loop's; a labelled one passes on to its loop or block.
      const ours = (e instanceof BreakSignal || e instanceof ContinueSignal) && (e.label === undefined || e.label === label);
      if (ours && e instanceof BreakSignal) return true;
      if (ours) return false;
      throw e;
    }
    return false;
  }

  private async execute(node: Extract<ScriptNode, { kind: 'execute' }>): Promise<void> {
    const [sqlValue] = await this.evaluate(node.sqlExpr);
    const text = String(sqlValue?.value ?? '');
    const saved = new Map(this.session.values);
    let positional = 0;
    for (const u of node.using) {
      const [v] = await this.evaluate(u.expr);
      this.session.values.set(u.name ? u.name : positionalKey(positional++), v.literal);
    }
    try {
      this.count++;
      const r = await this.session.execute(text);
      this.last = r;
      if (node.into.length === 1 && r.names.length > 1 && isStructValueTableQuery(text)) {
        // A SELECT AS STRUCT query's result is one value, the struct; its translation returns the fields as columns.
        const row = r.rows[0];
        const name = node.into[0].toLowerCase();
        this.requireVar(name);
        this.setVar(name, row ? `{${r.names.map((field, k) => `${quoteLiteral(field)}: ${duckLiteral(row[k], r.types[k])}`).join(', ')}}` : 'NULL');
      } else if (node.into.length) {
        const row = r.rows[0];
        node.into.forEach((name, k) => {
          this.requireVar(name.toLowerCase());
          this.setVar(name.toLowerCase(), row ? duckLiteral(row[k], r.types[k]) : 'NULL');
        });
      }
    } finally {
      for (const [k, v] of saved) if (k.startsWith('__var_')) saved.set(k, this.session.values.get(k) ?? v);
      this.session.values.clear();
      for (const [k, v] of saved) this.session.values.set(k, v);
    }
  }

  private async call(node: Extract<ScriptNode, { kind: 'call' }>): Promise<void> {
    const key = node.path.slice(-2).join('.').toLowerCase();
    const proc = this.procs.get(key);
    if (!proc) throw new BigQueryError(404, 'notFound', `Not found: Procedure ${node.path.join('.')}`);
    if (proc.params.length !== node.args.length) {
      throw invalidQuery(`Procedure ${key} expects ${proc.params.length} arguments but got ${node.args.length}`);
    }
    const args = await Promise.all(node.args.map(async (a, k) => (proc.params[k].mode === 'OUT' ? undefined : (await this.evaluate(a, proc.params[k].typeText))[0].literal)));
    const savedValues = new Map(this.session.values);
    const savedVars = new Set(this.session.variables);
    this.session.variables.clear();
    proc.params.forEach((p, k) => this.setVar(p.name, args[k] ?? `CAST(NULL AS ${bigQueryTypeToDuck(p.typeText)})`));
    const outs: Array<{ target: string; literal: string }> = [];
    try {
      await this.runBody(proc.body).catch((e) => {
        if (!(e instanceof ReturnSignal)) throw e;
      });
      proc.params.forEach((p, k) => {
        if (p.mode !== 'IN') outs.push({ target: node.args[k].trim().toLowerCase(), literal: this.session.values.get(variableKey(p.name))! });
      });
    } finally {
      this.session.values.clear();
      for (const [k, v] of savedValues) this.session.values.set(k, v);
      this.session.variables.clear();
      for (const v of savedVars) this.session.variables.add(v);
    }
    for (const o of outs) {
      this.requireVar(o.target);
      this.setVar(o.target, o.literal);
    }
  }
}

/**
 * DML rules BigQuery enforces and DuckDB does not: UPDATE/DELETE need a WHERE clause, MERGE's
 * `INSERT ROW`, and a MERGE whose matched target row has two source rows must fail; and MERGE's own expressions,
 * which polyglot's transpiler leaves untranslated.
 */
import { invalidQuery } from '../errors.ts';
import { parse, Dialect } from './polyglot.ts';
import { fromTemplate, substitute, type Node } from './ast-build.ts';
import { expressionSql, sqlPlaceholder } from './expression-sql.ts';
import type { AstContext } from './ast-fixes.ts';

export function checkWhere(kind: 'update' | 'delete', body: Node): void {
  if (!body.where_clause) throw invalidQuery(`${kind.toUpperCase()} must have a WHERE clause`);
}

const UPDATE_GUARD = 'SELECT 1 WHERE __gg_merge_guard((SELECT COUNT(*) FROM __gg_src WHERE TRUE))';
let updateGuard: Node | undefined;

/**
 * `UPDATE t ... FROM s WHERE c`: BigQuery fails when a target row matches more than one joined row (DuckDB updates it
 * from one of them). The WHERE clause gains a guard counting the joined rows each target row matches. In place.
 */
export function guardUpdateJoin(statement: Node): void {
  const body = statement?.update;
  const from: Node[] | undefined = body?.from_clause?.expressions;
  const cond = body?.where_clause?.this;
  if (!from?.length || !cond) return;
  updateGuard ??= (parse(UPDATE_GUARD, Dialect.BigQuery).ast as Node[])[0].select.where_clause.this;
  const guard = structuredClone(updateGuard);
  const count = guard.function?.args?.[0]?.subquery?.this?.select ?? guard.function?.args?.[0]?.select;
  if (!count) return;
  count.from = { ...count.from, expressions: structuredClone(from) };
  count.where_clause = { ...count.where_clause, this: structuredClone(cond) };
  body.where_clause = { ...body.where_clause, this: { and: { left: { paren: { this: cond } }, right: guard, left_comments: [], operator_comments: [], trailing_comments: [] } } };
}

// The source of a MERGE with a WHEN MATCHED ... UPDATE clause is wrapped so that a source key that occurs twice and
// matches a target row raises BigQuery's error (duplicates that match nothing are fine, and so are they when the
// matched clauses only DELETE: "If there is at least one matched_clause performing an UPDATE operation, a runtime
// error is returned", dml-syntax#merge_statement).
const GUARD_TEMPLATE = `SELECT * FROM (SELECT * FROM __gg_src AS __gg_s QUALIFY __gg_merge_guard(CASE WHEN COUNT(*) OVER (PARTITION BY __gg_key) > 1
  AND EXISTS (SELECT 1 FROM __gg_tgt AS __gg_t WHERE __gg_on) THEN 2 ELSE 1 END)) AS __gg_s`;

/** The action of a MERGE WHEN clause: INSERT, UPDATE or DELETE. */
const actionOf = (w: Node): string => String(w.when?.then?.var?.this ?? w.when?.then?.tuple?.expressions?.[0]?.var?.this ?? '').toUpperCase();

/**
 * MERGE's grammar (dml-syntax#merge_statement): at least one WHEN clause, and INSERT under WHEN NOT MATCHED [BY TARGET]
 * only (DuckDB ran `WHEN MATCHED THEN INSERT` and `WHEN NOT MATCHED BY SOURCE THEN INSERT`, adding rows).
 */
export function checkMergeClauses(body: Node): void {
  const whens: Node[] = body.whens?.whens?.expressions ?? [];
  if (!whens.length) throw invalidQuery('Syntax error: MERGE needs at least one WHEN clause');
  for (const w of whens) {
    const clause = w.when?.matched?.boolean?.value ? 'WHEN MATCHED' : w.when?.source?.boolean?.value ? 'WHEN NOT MATCHED BY SOURCE' : undefined;
    if (clause && actionOf(w) === 'INSERT') throw invalidQuery(`Syntax error: ${clause} cannot INSERT (only UPDATE or DELETE)`);
  }
}

/** Rewrites an already-walked MERGE body. */
export function fixMerge(body: Node): Node {
  const whens: Node[] = body.whens?.whens?.expressions ?? [];
  const out = { ...body, whens: { ...body.whens, whens: { ...body.whens.whens, expressions: whens.map(fixInsertRow) } } };
  const updates = (w: Node) => actionOf(w) === 'UPDATE';
  if (!whens.some((w) => w.when?.matched?.boolean?.value === true && updates(w))) return out;
  const sourceName = relationName(body.using);
  const targetName = relationName(body.this);
  if (!sourceName || !targetName) return out;
  const keys = sourceKeys(body.on, sourceName.toLowerCase(), targetName.toLowerCase());
  if (!keys.length) return out;
  const wrapped = fromTemplate(GUARD_TEMPLATE, (n) => {
    if (n.table?.name?.name === '__gg_src') return body.using;
    if (n.table?.name?.name === '__gg_tgt') return body.this;
    if (n.column?.name?.name === '__gg_on') return body.on;
    if (Array.isArray(n.partition_by)) return { ...n, partition_by: keys };
    if (n.name === '__gg_s') return { ...n, name: sourceName };
    return undefined;
  });
  return { ...out, using: wrapped };
}

/** `WHEN NOT MATCHED THEN INSERT ROW` → DuckDB's positional `INSERT` with no column list. */
function fixInsertRow(w: Node): Node {
  const parts: Node[] | undefined = w.when?.then?.tuple?.expressions;
  if (parts?.length === 2 && parts[0]?.var?.this === 'INSERT' && parts[1]?.var?.this === 'ROW') {
    return { when: { ...w.when, then: { var: { this: 'INSERT' } } } };
  }
  return w;
}

/** The name a MERGE relation is referred to by: its alias, else its table name. */
function relationName(rel: Node): string | undefined {
  if (rel?.alias) return rel.alias.alias?.name;
  if (rel?.subquery) return rel.subquery.alias?.name;
  if (rel?.table) return rel.table.alias?.name ?? rel.table.name?.name;
  return undefined;
}

/** Source-side expressions of `target.x = source.y` conjuncts of the ON condition. */
function sourceKeys(on: Node, source: string, target: string): Node[] {
  const keys: Node[] = [];
  const visit = (n: Node) => {
    if (n?.and) {
      visit(n.and.left);
      visit(n.and.right);
      return;
    }
    if (n?.paren) {
      visit(n.paren.this);
      return;
    }
    // NULL-safe equality `a = b OR (a IS NULL AND b IS NULL)`: a key like `a = b` (PARTITION BY groups NULLs too).
    if (isNullSafeEquality(n)) {
      visit(unwrap(n).or.left);
      return;
    }
    if (!n?.eq) return;
    const side = (x: Node) => {
      const tables = new Set<string>();
      let unqualified = false;
      substitute(x, (c) => {
        // (`span` objects also have a numeric `column` field)
        if (c.column && typeof c.column === 'object') {
          if (c.column.table?.name) tables.add(String(c.column.table.name).toLowerCase());
          else unqualified = true;
        }
        return undefined;
      });
      if (unqualified || tables.size !== 1) return undefined;
      return [...tables][0];
    };
    const l = side(n.eq.left);
    const r = side(n.eq.right);
    if (l === source && r === target) keys.push(n.eq.left);
    else if (r === source && l === target) keys.push(n.eq.right);
  };
  visit(on);
  return keys;
}

const unwrap = (x: Node): Node => (x?.paren ? unwrap(x.paren.this) : x);

/** `a = b OR (a IS NULL AND b IS NULL)` over two columns, possibly parenthesised. */
function isNullSafeEquality(n: Node): boolean {
  const or = unwrap(n)?.or;
  const eq = or && unwrap(or.left)?.eq;
  const both = or && unwrap(or.right)?.and;
  const isNull = (x: Node) => Boolean(unwrap(x)?.is_null && !unwrap(x).is_null.not && unwrap(x).is_null.this?.column);
  return Boolean(eq?.left?.column && eq?.right?.column && both && isNull(both.left) && isNull(both.right));
}

/**
 * polyglot's BigQuery→DuckDB transpiler leaves MERGE's ON, WHEN conditions, SET values and INSERT
 * values untouched (CURRENT_TIMESTAMP(), IF, SAFE_CAST... would reach DuckDB verbatim): each such
 * expression is translated on its own as `SELECT <expr>` and spliced back in as a placeholder.
 */
export function translateMergeExpressions(body: Node, ctx: Pick<AstContext, 'translateSelect' | 'placeholders'>): Node {
  const expr = (e: Node): Node => (!e || e.column || e.literal || (e.null !== undefined && Object.keys(e).length === 1) ? e : sqlPlaceholder(expressionSql(e, ctx.translateSelect), ctx.placeholders));
  // Keep `target.k = source.k` conjuncts (also NULL-safe: `OR (both IS NULL)`) as they are: fixMerge reads the keys from them.
  const on = (n: Node): Node => {
    if (n?.and) return { and: { ...n.and, left: on(n.and.left), right: on(n.and.right) } };
    if (n?.eq && n.eq.left?.column && n.eq.right?.column) return n;
    if (isNullSafeEquality(n)) return n;
    return expr(n);
  };
  const whens: Node[] = body.whens?.whens?.expressions ?? [];
  const fixed = whens.map((w) => {
    const when = w.when;
    if (!when) return w;
    const parts: Node[] | undefined = when.then?.tuple?.expressions;
    let then = when.then;
    if (parts && parts[0]?.var?.this === 'UPDATE' && parts[1]?.tuple) {
      const sets = parts[1].tuple.expressions.map((s: Node) => (s.eq ? { eq: { ...s.eq, right: expr(s.eq.right) } } : s));
      then = { tuple: { ...when.then.tuple, expressions: [parts[0], { tuple: { ...parts[1].tuple, expressions: sets } }, ...parts.slice(2)] } };
    } else if (parts && parts[0]?.var?.this === 'INSERT' && parts.length >= 2 && parts[parts.length - 1]?.tuple) {
      const values = parts[parts.length - 1];
      then = { tuple: { ...when.then.tuple, expressions: [...parts.slice(0, -1), { tuple: { ...values.tuple, expressions: values.tuple.expressions.map(expr) } }] } };
    }
    return { when: { ...when, condition: when.condition ? expr(when.condition) : when.condition, then } };
  });
  return { ...body, on: body.on ? on(body.on) : body.on, whens: { ...body.whens, whens: { ...body.whens.whens, expressions: fixed } } };
}

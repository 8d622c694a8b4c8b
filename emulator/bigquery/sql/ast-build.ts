/** Constructors and readers for polyglot's BigQuery AST nodes (shapes as `parse` produces them). */
import { parse, Dialect } from './polyglot.ts';

// polyglot's AST is untyped JSON; we only build and inspect a few node shapes.
export type Node = any;

export const ident = (name: string, quoted = true) => ({ name, quoted, trailing_comments: [] });

/** A node's shape without source positions and comments: equal for two expressions written the same. */
export const nodeShape = (n: Node): string => JSON.stringify(n, (k, v) => (k === 'span' || k === 'trailing_comments' ? undefined : v));

export const fn = (name: string, args: Node[]): Node => ({
  function: { name, args, distinct: false, use_bracket_syntax: false, no_parens: false, quoted: false },
});

/**
 * A call of DuckDB's function `name` that polyglot passes through as written: it rewrites some calls of DuckDB's names
 * (VAR_POP(DISTINCT x) loses its DISTINCT); translate.ts restores the name in the DuckDB text.
 */
export const PASS_THROUGH_PREFIX = '__gg_fn_';
export const passThroughFn = (name: string, args: Node[]): Node => fn(`${PASS_THROUGH_PREFIX}${name}`, args);

export const strLit = (value: string): Node => ({ literal: { literal_type: 'string', value } });
export const numLit = (value: string): Node => ({ literal: { literal_type: 'number', value } });
export const nullLit = (): Node => ({ null: {} });
/** `CAST(x AS type)`, type a BigQuery type name. */
export const castTo = (x: Node, type: string): Node => ({ cast: { this: x, to: { data_type: 'custom', name: type }, trailing_comments: [], double_colon_syntax: false } });
export const isNullLiteral = (n: Node): boolean => Boolean(n) && typeof n === 'object' && 'null' in n;
/** A number literal written with a point or an exponent (1.5, 2e3): a FLOAT64 literal in GoogleSQL. */
export const isFloatLiteral = (n: Node): boolean => n?.literal?.literal_type === 'number' && /[.eE]/.test(n.literal.value);
/** An unqualified column reference to `name` (an identifier node, as a USING list holds). */
/** `*` alone: no table, EXCEPT, REPLACE or RENAME. */
export const isPlainStar = (e: Node): boolean => Boolean(e?.star) && !e.star.table && !e.star.except && !e.star.replace && !e.star.rename;

export const columnRef = (name: Node): Node => ({ column: { name: { ...name }, table: null, join_mark: false, trailing_comments: [] } });

/** `e AS name`: polyglot's alias node (`name` an identifier node, or a name written quoted); `AS` written out if asked. */
export const aliased = (e: Node, name: string | Node, writeAs = false): Node => ({
  alias: {
    this: e,
    alias: typeof name === 'string' ? ident(name, true) : name,
    column_aliases: [],
    alias_explicit_as: true,
    ...(writeAs ? { alias_keyword: 'AS' } : {}),
    pre_alias_comments: [],
    trailing_comments: [],
  },
});

/** Calls `visit` on every object node of a parsed statement, children before their parent (for fixes made in place). */
export function eachNodeBottomUp(node: Node, visit: (n: Node) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) eachNodeBottomUp(n, visit);
    return;
  }
  for (const v of Object.values(node)) eachNodeBottomUp(v, visit);
  visit(node);
}

export const binary = (op: string, left: Node, right: Node): Node => ({
  [op]: { left, right, left_comments: [], operator_comments: [], trailing_comments: [] },
});

/** The upper-case name of a date part argument (`DAY`, `WEEK(MONDAY)` → `WEEK(MONDAY)`), if it is one. */
export function unitOf(arg: Node): string | undefined {
  if (arg?.var?.this) return String(arg.var.this).toUpperCase();
  if (arg?.column && !arg.column.table && !arg.column.name.quoted) return String(arg.column.name.name).toUpperCase();
  if (arg?.function && String(arg.function.name).toUpperCase() === 'WEEK' && arg.function.args?.length === 1) {
    const day = unitOf(arg.function.args[0]);
    return day ? `WEEK(${day})` : undefined;
  }
  return undefined;
}

/** BigQuery type name of a CAST target node (`{data_type: 'custom', name: 'INT64'}`, `{data_type: 'timestamp'}`). */
export function castTypeName(to: Node): string {
  if (!to) return '';
  if (to.data_type === 'custom') return String(to.name ?? '').toUpperCase();
  return String(to.data_type ?? to.name ?? '').toUpperCase();
}

export const stringValue = (n: Node): string | undefined => (n?.literal?.literal_type === 'string' && typeof n.literal.value === 'string' ? n.literal.value : undefined);

/** Deep copy with replacements; `f` returning a node stops descent there. */
export function substitute(node: Node, f: (n: Node) => Node | undefined): Node {
  if (Array.isArray(node)) return node.map((n) => substitute(n, f));
  if (node === null || typeof node !== 'object') return node;
  const r = f(node);
  if (r !== undefined) return r;
  const out: Node = {};
  for (const k of Object.keys(node)) out[k] = substitute(node[k], f);
  return out;
}

const templates = new Map<string, Node>();

const expressionTemplates = new Map<string, Node>();

/** The expression of `SELECT <expr>` parsed once, with placeholders substituted (see fromTemplate). */
export function expressionTemplate(expr: string, f: (n: Node) => Node | undefined): Node {
  let t = expressionTemplates.get(expr);
  if (!t) {
    t = (parse(`SELECT ${expr}`, Dialect.BigQuery).ast as Node[])[0].select.expressions[0];
    expressionTemplates.set(expr, t);
  }
  return substitute(t, f);
}

/**
 * The first FROM item of `SELECT * FROM <item>` parsed once, with placeholders substituted: complex
 * nodes are built from SQL so they carry every field polyglot's generator expects.
 */
export function fromTemplate(sql: string, f: (n: Node) => Node | undefined): Node {
  let t = templates.get(sql);
  if (!t) {
    t = (parse(sql, Dialect.BigQuery).ast as Node[])[0].select.from.expressions[0];
    templates.set(sql, t);
  }
  return substitute(t, f);
}

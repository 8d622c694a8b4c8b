/**
 * Literal coercion where the statement shows the other side's type. A FLOAT64 literal beside a NUMERIC or BIGNUMERIC
 * expression in the same column of a set operation, or among the elements of an array literal, is coerced to that type
 * in BigQuery (literals coerce: https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_rules#literal_coercion),
 * so `SELECT CAST(x AS NUMERIC) UNION ALL SELECT 3.5` is NUMERIC. DuckDB would make it DOUBLE, DECIMAL beside DOUBLE.
 * Those coercions see only types written in the statement (a CAST or a typed literal); a literal beside an expression
 * whose type only DuckDB knows (a NUMERIC column, SUM of one) is typed when DuckDB binds it: coerceFloatLiteralsBeside.
 */
import { bigNumericTooWide } from '../errors.ts';
import { beyondBigNumeric, beyondNumeric, decimalDigits } from '../decimal-digits.ts';
import { castTo, eachNodeBottomUp, fn, isFloatLiteral, numLit, strLit, type Node } from './ast-build.ts';
import { isCostlyToRepeat } from './fix-arithmetic.ts';
import { FLOAT_LITERAL_LIKE } from './macros-numeric.ts';
import { STRING_LITERAL_LIKE } from './macros-casts.ts';

const SET_OPS = ['union', 'intersect', 'except'];

/** NUMERIC or BIGNUMERIC when the expression is written as one (a CAST or a typed literal), else undefined. */
function decimalType(e: Node): string | undefined {
  const body = e?.alias ? e.alias.this : e;
  const cast = body?.cast ?? body?.safe_cast;
  if (!cast) return undefined;
  const to = cast.to;
  if (to?.data_type === 'decimal') return 'NUMERIC';
  const name = String(to?.name ?? '').toUpperCase();
  if (name === 'NUMERIC' || name === 'DECIMAL') return 'NUMERIC';
  if (name === 'BIGNUMERIC' || name === 'BIGDECIMAL') return 'BIGNUMERIC';
  return undefined;
}

/** The float literal (possibly negated) as a typed decimal literal, keeping its alias; undefined if it is not one. */
function coerced(e: Node, type: string): Node | undefined {
  if (e?.alias) {
    const inner = coerced(e.alias.this, type);
    return inner && { alias: { ...e.alias, this: inner } };
  }
  const negated = e?.neg && isFloatLiteral(e.neg.this);
  if (!negated && !isFloatLiteral(e)) return undefined;
  const text = negated ? `-${e.neg.this.literal.value}` : e.literal.value;
  const digits = decimalDigits(text);
  if (type === 'BIGNUMERIC' && (!digits || beyondBigNumeric(digits))) {
    throw bigNumericTooWide(`The BIGNUMERIC value ${text}`);
  }
  if (!digits || (type === 'NUMERIC' && beyondNumeric(digits))) return undefined;
  return castTo(strLit(text), type);
}

/** Rewrites a column of sibling expressions in place (set-operation branches, array elements). */
function coerceColumn(items: Node[], set: (i: number, n: Node) => void): void {
  const types = items.map(decimalType);
  const type = types.includes('BIGNUMERIC') ? 'BIGNUMERIC' : types.includes('NUMERIC') ? 'NUMERIC' : undefined;
  if (!type) return;
  items.forEach((e, i) => {
    const c = coerced(e, type);
    if (c) set(i, c);
  });
}

/** The select lists of a set operation's branches (a branch in parentheses is a subquery node). */
function branches(n: Node, out: Node[][]): void {
  const op = SET_OPS.find((k) => n?.[k]);
  if (op) {
    branches(n[op].left, out);
    branches(n[op].right, out);
    return;
  }
  const select = n?.select ?? (n?.subquery && !n.subquery.alias ? n.subquery.this?.select : undefined);
  out.push(Array.isArray(select?.expressions) ? select.expressions : []);
}

/** Applies the coercions in place over a parsed statement (before the AST fixes). */
export function coerceDecimalLiterals(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) coerceDecimalLiterals(n);
    return;
  }
  const op = SET_OPS.find((k) => node[k]);
  if (op) {
    const lists: Node[][] = [];
    branches(node, lists);
    const width = lists.some((l) => l.some((e) => e?.star)) ? 0 : Math.min(...lists.map((l) => l.length));
    for (let c = 0; c < width; c++)
      coerceColumn(
        lists.map((l) => l[c]),
        (i, v) => (lists[i][c] = v),
      );
  }
  const elements = node.array_func?.expressions;
  if (Array.isArray(elements)) coerceColumn(elements, (i, v) => (elements[i] = v));
  // `CAST(1.5 AS NUMERIC)`: a literal converts exactly (not through FLOAT64).
  const cast = node.cast ?? node.safe_cast;
  const castType = cast ? decimalType({ cast }) : undefined;
  if (castType) {
    const exact = coerced(cast.this, castType);
    if (exact) cast.this = exact.cast.this;
  }
  // `ARRAY<NUMERIC>[1.5, ...]`: the elements coerce to the element type.
  const typed = (node.cast?.this?.array ?? node.cast?.this?.array_func)?.expressions;
  const elementType = node.cast?.to?.data_type === 'array' ? decimalType({ cast: { to: node.cast.to.element_type } }) : undefined;
  if (Array.isArray(typed) && elementType) typed.forEach((e: Node, i: number) => (typed[i] = coerced(e, elementType) ?? e));
  for (const v of Object.values(node)) coerceDecimalLiterals(v);
}

/** The text of a float literal (possibly negated, possibly in parentheses) that NUMERIC holds exactly; else undefined. */
function numericFloatText(e: Node): string | undefined {
  if (e?.paren) return numericFloatText(e.paren.this);
  const negated = e?.neg && isFloatLiteral(e.neg.this);
  if (!negated && !isFloatLiteral(e)) return undefined;
  const digits = decimalDigits(negated ? `-${e.neg.this.literal.value}` : e.literal.value);
  return digits && !beyondNumeric(digits) ? digits.plain : undefined;
}

/** An expression whose type DuckDB settles (not a literal or NULL), cheap to bind twice. */
function typeSource(e: Node): boolean {
  const body = e?.paren ? e.paren.this : e;
  if (!body || typeof body !== 'object' || 'literal' in body || 'null' in body || 'boolean' in body) return false;
  if (body.neg) return typeSource(body.neg.this);
  return !isCostlyToRepeat(body);
}

/** The operands of one BigQuery supertype: an arithmetic operator's, COALESCE's and IFNULL's, IF's and CASE's results, GREATEST's. */
function siblingSlots(node: Node): Array<[Node, string | number]> {
  for (const op of ['add', 'sub', 'mul', 'div']) {
    if (node[op]?.left !== undefined)
      return [
        [node[op], 'left'],
        [node[op], 'right'],
      ];
  }
  if (Array.isArray(node.coalesce?.expressions)) return node.coalesce.expressions.map((_: Node, i: number) => [node.coalesce.expressions, i]);
  if (node.if_func)
    return [
      [node.if_func, 'true_value'],
      [node.if_func, 'false_value'],
    ];
  if (Array.isArray(node.case?.whens)) return [...node.case.whens.map((w: Node[]) => [w, 1] as [Node, number]), ...(node.case.else_ ? [[node.case, 'else_'] as [Node, string]] : [])];
  const name = String(node.function?.name ?? '').toUpperCase();
  if ((name === 'GREATEST' || name === 'LEAST') && Array.isArray(node.function.args)) return node.function.args.map((_: Node, i: number) => [node.function.args, i]);
  return [];
}

/**
 * A FLOAT64 literal beside an expression of another type: BigQuery coerces the literal to the expression's type where
 * it can, so `numeric_col * 1.5` and `COALESCE(numeric_col, 0.0)` are NUMERIC (INT64 beside it: FLOAT64). The
 * translation does not know a column's type, so the literal becomes __gg_float_literal_like(expression, text), which
 * DuckDB types from the expression when it binds (macros-numeric.ts) and folds to a constant. Applied in place, before
 * the AST fixes; an expression that is costly to bind twice (a window, a subquery) leaves the literal FLOAT64.
 */
export function coerceFloatLiteralsBeside(root: Node): void {
  eachNodeBottomUp(root, coerceBeside);
}

function coerceBeside(node: Node): void {
  const slots = siblingSlots(node);
  const source = slots.map(([holder, key]) => holder[key]).find(typeSource);
  if (!source) return;
  const probe = typeProbe(source);
  for (const [holder, key] of slots) {
    const text = numericFloatText(holder[key]);
    if (text !== undefined) holder[key] = fn(FLOAT_LITERAL_LIKE, [structuredClone(probe), strLit(text), numLit(String(fractionDigits(text)))]);
  }
}

const fractionDigits = (text: string) => (text.split('.')[1] ?? '').length;

/**
 * The expression whose type a literal takes: `x + 0.1` has x's decimal type (or FLOAT64 beside an integer, as x's own
 * literal does), so a literal beside it takes x as its probe, not a copy of `x + 0.1`: copies of copies doubled the
 * statement at each term of `x + 0.1 + 0.2 + ...`.
 */
function typeProbe(source: Node): Node {
  const body = source?.paren ? source.paren.this : source;
  for (const op of ['add', 'sub', 'mul', 'div']) {
    const operands = body?.[op] ? [body[op].left, body[op].right] : [];
    const typed = operands.find((o: Node) => o?.function?.name === FLOAT_LITERAL_LIKE);
    if (typed) return typed.function.args[0];
  }
  return source;
}

/**
 * The temporal type a STRING literal among a function's leading arguments coerces to (the type of the function's
 * first signature: TIMESTAMP_TRUNC('2000-02-03 04:05:06', DAY) is a TIMESTAMP, ZetaSQL's timestamp_trunc case), and
 * how many leading arguments take it.
 */
const TEMPORAL_LEADING_ARGUMENTS: Record<string, [type: string, count: number]> = {
  DATE_ADD: ['date', 1],
  DATE_SUB: ['date', 1],
  DATE_TRUNC: ['date', 1],
  DATE_DIFF: ['date', 2],
  DATETIME_ADD: ['datetime', 1],
  DATETIME_SUB: ['datetime', 1],
  DATETIME_TRUNC: ['datetime', 1],
  DATETIME_DIFF: ['datetime', 2],
  TIMESTAMP_ADD: ['timestamp', 1],
  TIMESTAMP_SUB: ['timestamp', 1],
  TIMESTAMP_TRUNC: ['timestamp', 1],
  TIMESTAMP_DIFF: ['timestamp', 2],
  TIME_ADD: ['time', 1],
  TIME_SUB: ['time', 1],
  TIME_TRUNC: ['time', 1],
  TIME_DIFF: ['time', 2],
};

/**
 * `DATE_SUB('2024-01-08', INTERVAL 7 DAY)`: a STRING literal coerces to the function's DATE (DATETIME, TIMESTAMP, TIME)
 * argument, as in BigQuery; DuckDB could not pick an overload for the untyped literal (a binder error). The literal
 * becomes a typed one, checked and translated as if written `DATE '2024-01-08'`. Applied in place, before the fixes.
 */
export function coerceTemporalStringLiterals(root: Node): void {
  eachNodeBottomUp(root, (node) => {
    const name = String(node.function?.name ?? '').toUpperCase();
    const [type, count] = (node.function && TEMPORAL_LEADING_ARGUMENTS[name]) || ['', 0];
    const args: Node[] = node.function?.args ?? [];
    // A DIFF function "follows the type of its arguments": beside a value of another type, a STRING literal takes that
    // value's type (TIMESTAMP_DIFF(datetime_col, '2024-01-01 23:00:00', DAY) counts DATETIME boundaries).
    const string = count === 2 ? [0, 1].filter((k) => isStringLiteral(args[k])) : [];
    if (string.length === 1) {
      const k = string[0];
      args[k] = fn(STRING_LITERAL_LIKE, [structuredClone(args[1 - k]), strLit(args[k].literal.value), strLit(name)]);
      return;
    }
    for (const arg of args.slice(0, count)) {
      if (arg?.literal?.literal_type === 'string') arg.literal = { ...arg.literal, literal_type: type };
    }
  });
}

const COMPARISONS: Record<string, string> = { eq: '=', neq: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' };
const isStringLiteral = (e: Node): boolean => e?.literal?.literal_type === 'string';

/**
 * A STRING literal compared with an expression (`=`, `!=`, `<`, ..., BETWEEN): BigQuery coerces it to DATE, DATETIME,
 * TIME or TIMESTAMP only, and finds no signature beside an INT64, a FLOAT64, a BOOL or BYTES (`int_col = '1'` is an
 * error there; DuckDB cast the literal and answered). The literal becomes __gg_string_literal_like(expression, text,
 * op), typed from the expression when DuckDB binds it (macros-casts.ts); in an IN list, the first STRING literal. A
 * MERGE's `SET col = ...` (inside WHEN ... THEN) is an assignment, left alone; so are comparisons of two literals.
 */
export function typeStringLiteralComparisons(node: Node, inThen = false): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) typeStringLiteralComparisons(n, inThen);
    return;
  }
  // A PIVOT's `FOR col IN ('a', 'b')` names its columns after the literals: not a comparison to rewrite.
  if (node.pivot) {
    typeStringLiteralComparisons(node.pivot.this, inThen);
    typeStringLiteralComparisons(node.pivot.expressions, inThen);
    return;
  }
  for (const [k, v] of Object.entries(node as Record<string, Node>)) typeStringLiteralComparisons(v, inThen || k === 'then');
  const typed = (source: Node, literal: Node, op: string) => fn(STRING_LITERAL_LIKE, [structuredClone(source), strLit(literal.literal.value), strLit(op)]);
  for (const [kind, op] of Object.entries(COMPARISONS)) {
    const body = node[kind];
    if (!body || body.left === undefined || (kind === 'eq' && inThen)) continue;
    if (isStringLiteral(body.left) && typeSource(body.right)) body.left = typed(body.right, body.left, op);
    else if (isStringLiteral(body.right) && typeSource(body.left)) body.right = typed(body.left, body.right, op);
  }
  const between = node.between;
  if (between && typeSource(between.this)) {
    for (const bound of ['low', 'high']) if (isStringLiteral(between[bound])) between[bound] = typed(between.this, between[bound], 'BETWEEN');
  }
  // `x IN ('a', 'b', ...)`: the first STRING literal is enough to type the check (the others still cast as DuckDB
  // casts them beside a DATE), so a long list costs one call, not one per element.
  const list: Node[] | undefined = node.in?.expressions;
  const first = Array.isArray(list) && typeSource(node.in.this) ? list.findIndex(isStringLiteral) : -1;
  if (first >= 0) list![first] = typed(node.in.this, list![first], node.in.not ? 'NOT IN' : 'IN');
}

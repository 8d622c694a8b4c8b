/**
 * Literal coercion where the statement shows the other side's type. A FLOAT64 literal beside a NUMERIC or BIGNUMERIC
 * expression in the same column of a set operation, or among the elements of an array literal, is coerced to that type
 * in BigQuery (literals coerce: https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_rules#literal_coercion),
 * so `SELECT CAST(x AS NUMERIC) UNION ALL SELECT 3.5` is NUMERIC. DuckDB would make it DOUBLE, DECIMAL beside DOUBLE.
 * Only types written in the statement (a CAST or a typed literal) are seen: a NUMERIC column read from a table is not.
 */
import { bigNumericTooWide } from '../errors.ts';
import { beyondBigNumeric, beyondNumeric, decimalDigits } from '../decimal-digits.ts';
import { isFloatLiteral, strLit, type Node } from './ast-build.ts';

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
  return { cast: { this: strLit(text), to: { data_type: 'custom', name: type }, double_colon_syntax: false, trailing_comments: [] } };
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

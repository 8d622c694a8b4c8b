/**
 * BigQuery's LIKE: the backslash escapes `%`, `_` and itself (DuckDB's LIKE has no escape character unless one is
 * named), and the quantified forms `LIKE ANY|SOME|ALL (p1, p2, ...)`, `(subquery)` and `UNNEST(array)`, which
 * DuckDB does not have (polyglot passed them through as a LIKE of a tuple).
 *
 * `x NOT LIKE ALL ps` is "x matches none of ps" in BigQuery, but polyglot parses it as NOT (x LIKE ALL ps); the
 * token pass (swapNotLikeQuantifier) turns it into `x NOT LIKE ANY ps`, which parses as NOT (x LIKE ANY ps) — the
 * same three-valued answer by De Morgan — and the other way round for NOT LIKE ANY.
 */
import { parse, Dialect } from './polyglot.ts';
import { fn, strLit, substitute, type Node } from './ast-build.ts';
import { holdsAggregate } from './fix-aggregates.ts';
import { onceForm } from './macros-numeric.ts';

/** A STRING pattern literal makes both sides STRING; otherwise either may be BYTES, which the macro's overload handles. */
const plainLike = (left: Node, right: Node): Node =>
  right?.literal?.literal_type === 'string' ? { like: { left, right, escape: strLit('\\'), quantifier: null } } : fn(holdsAggregate([left, right]) ? onceForm('__gg_b_like') : '__gg_b_like', [left, right]);

/**
 * Over an array: ANY is TRUE if a pattern matches, else NULL if a match is unknown (a NULL pattern or value), else
 * FALSE (also for an empty or NULL array); ALL is FALSE if a pattern does not match, else NULL if unknown, else TRUE.
 */
const ARRAY_TEMPLATES = {
  ANY: 'SELECT (SELECT CASE WHEN LOGICAL_OR(__gg_m) THEN TRUE WHEN LOGICAL_OR(__gg_m IS NULL) THEN NULL ELSE FALSE END FROM UNNEST(__gg_arr) AS __gg_pattern)',
  ALL: 'SELECT (SELECT CASE WHEN LOGICAL_OR(NOT __gg_m) THEN FALSE WHEN LOGICAL_OR(__gg_m IS NULL) THEN NULL ELSE TRUE END FROM UNNEST(__gg_arr) AS __gg_pattern)',
};
const parsedTemplates = new Map<string, Node>();

function template(kind: 'ANY' | 'ALL'): Node {
  let t = parsedTemplates.get(kind);
  if (!t) {
    t = (parse(ARRAY_TEMPLATES[kind], Dialect.BigQuery).ast as Node[])[0].select.expressions[0];
    parsedTemplates.set(kind, t);
  }
  return t;
}

/** The DuckDB-ready form of a (walked) LIKE node's parts. */
export function fixLike(left: Node, right: Node, quantifier: string | null | undefined): Node {
  if (!quantifier) return plainLike(left, right);
  const kind = quantifier.toUpperCase() === 'ALL' ? 'ALL' : 'ANY';
  const fnName = String(right?.function?.name ?? '').toUpperCase();
  // `LIKE ANY (SELECT ...)`: the subquery's rows are the patterns (`LIKE ANY ((SELECT ...))` is one scalar pattern).
  const array = fnName === 'UNNEST' && right.function.args?.length === 1 ? right.function.args[0] : right?.subquery?.this ? fn('ARRAY', [right.subquery.this]) : undefined;
  if (array) {
    const pattern = { column: { name: { name: '__gg_pattern', quoted: false, trailing_comments: [] }, table: null, join_mark: false, trailing_comments: [] } };
    return substitute(template(kind), (n) => {
      if (n.column?.name?.name === '__gg_m') return { paren: { this: plainLike(left, pattern) } };
      if (n.column?.name?.name === '__gg_arr') return array;
      return undefined;
    });
  }
  const patterns: Node[] = right?.tuple ? right.tuple.expressions : [right?.paren ? right.paren.this : right];
  const op = kind === 'ALL' ? 'and' : 'or';
  const chained = patterns.map((p) => plainLike(left, p)).reduce((acc, cur) => ({ [op]: { left: acc, right: cur, left_comments: [], operator_comments: [], trailing_comments: [] } }));
  return { paren: { this: chained } };
}

/** Token pass: `NOT LIKE ALL` ↔ `NOT LIKE ANY` (see the file comment); `SOME` is `ANY`. */
export function swapNotLikeQuantifier(word: string, prev1: string | undefined, prev2: string | undefined): string | undefined {
  if (prev1 !== 'like' || prev2 !== 'not') return undefined;
  if (word === 'all') return 'ANY';
  if (word === 'any' || word === 'some') return 'ALL';
  return undefined;
}

/**
 * polyglot reads `x [NOT] LIKE ANY ('a', 'b') AS e` with the column alias inside the pattern list; moves it back out
 * to the select-list item (in place, before the result columns are named).
 */
export function hoistLikeAliases(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      const negated = Boolean(item?.not?.this?.like);
      const like = negated ? item.not.this.like : item?.like;
      if (!like?.quantifier || !like.right?.alias?.this) return;
      const { this: patterns, ...alias } = like.right.alias;
      const fixed = { like: { ...like, right: patterns } };
      node[i] = { alias: { ...alias, this: negated ? { not: { ...item.not, this: fixed } } : fixed, alias_explicit_as: true } };
    });
  }
  for (const v of Object.values(node)) hoistLikeAliases(v);
}

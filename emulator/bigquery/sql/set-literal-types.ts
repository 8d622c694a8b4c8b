/**
 * A string literal in a column of a set operation whose other inputs give that column a DATE, DATETIME, TIME or
 * TIMESTAMP type is coerced to that type in BigQuery (literal coercion:
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_rules#literal_coercion), so
 * `SELECT date_col FROM t UNION ALL SELECT '2015-01-17'` is a DATE column. DuckDB makes such a column VARCHAR. The
 * other inputs' types come from the engine (`probe`: the input's query, with the CTEs it sees, prepared but not run);
 * each such literal is then written as a CAST to that type, before translation.
 */
import { parse, Dialect } from './polyglot.ts';
import { findSetChain, generated, unwrap, withCtes, type Found } from './set-by-name.ts';
import { outermostSelect } from './result-names.ts';
import type { Node } from './ast-build.ts';

/** Each column's type as GoogleSQL names it (undefined for a type no string literal coerces to). */
type TypeProbe = (googleSql: string) => Promise<Array<string | undefined>>;

/** A cheap test on the text: statements without a set operation and a quoted literal never pay for the AST pass. */
export const mayCoerceSetLiterals = (sql: string): boolean => /\b(union|intersect|except)\b/i.test(sql) && /['"]/.test(sql);

const body = (e: Node): Node => (e?.alias ? e.alias.this : e);
const isStringLiteral = (e: Node) => body(e)?.literal?.literal_type === 'string';
const isNullLiteral = (e: Node) => body(e)?.null !== undefined;

/** `marked` is the statement after markReferences; returns it with its literals coerced, or undefined if none are. */
export async function coerceSetLiterals(marked: string, probe: TypeProbe): Promise<string | undefined> {
  const parsed = parse(marked, Dialect.BigQuery);
  if (!parsed.success) return undefined;
  const seen = new Set<Node>();
  let changed = false;
  for (let found = findSetChain(parsed.ast, (b) => !seen.has(b)); found; found = findSetChain(parsed.ast, (b) => !seen.has(b))) {
    found.bodies.forEach((b) => seen.add(b));
    if (await coerceChain(found, probe)) changed = true;
  }
  return changed ? generated(parsed.ast, 'This set operation with a string literal beside a date or time column') : undefined;
}

async function coerceChain(found: Found, probe: TypeProbe): Promise<boolean> {
  const inputs = found.inputs.map((slot) => unwrap(slot.body[slot.side]));
  // An input that is a plain SELECT shows its columns; any other (a nested set operation, a subquery) is probed only.
  const items: Array<Node[] | undefined> = inputs.map((q) => (q?.select ? (q.select.expressions as Node[]) : undefined));
  const width = items.find((x) => x)?.length ?? 0;
  const probed = new Map<number, Promise<Array<string | undefined>>>();
  const typesOf = (i: number) => {
    if (!probed.has(i)) probed.set(i, probe(generated([withCtes(inputs[i], found.ctes, found.withShape)], 'This input of a set operation')));
    return probed.get(i)!;
  };
  let changed = false;
  for (let col = 0; col < width; col++) {
    const literals = items.flatMap((x) => (x && x.length === width && isStringLiteral(x[col]) ? [x] : []));
    if (!literals.length) continue;
    // The first input whose column is neither a string literal nor NULL decides; none: the column is a STRING.
    const typed = inputs.findIndex((q, i) => outermostSelect(q) && !(items[i] && (isStringLiteral(items[i]![col]) || isNullLiteral(items[i]![col]))));
    if (typed < 0) continue;
    let type: string | undefined;
    try {
      type = (await typesOf(typed))[col];
    } catch {
      // A correlated input cannot be prepared on its own: the column stays as DuckDB types it.
      continue;
    }
    if (!type) continue;
    for (const x of literals) {
      const e = x[col];
      const cast = { cast: { this: body(e), to: { data_type: 'custom', name: type }, trailing_comments: [], double_colon_syntax: false } };
      x[col] = e?.alias ? { alias: { ...e.alias, this: cast } } : cast;
    }
    changed = true;
  }
  return changed;
}

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
import { notSupported } from '../errors.ts';

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
    if (await coerceChain(found, probe, cteNames(parsed.ast))) changed = true;
  }
  return changed ? generated(parsed.ast, 'This set operation with a string literal beside a date or time column') : undefined;
}

async function coerceChain(found: Found, probe: TypeProbe, cteNames: Set<string>): Promise<boolean> {
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
    // The inputs whose column is neither a string literal nor NULL decide (none: the column is a STRING). DATE beside
    // DATETIME is a DATETIME; other mixes of these types are BigQuery's errors, not this pass's to answer.
    const typed = inputs.flatMap((q, i) => (outermostSelect(q) && !(items[i] && (isStringLiteral(items[i]![col]) || isNullLiteral(items[i]![col]))) ? [i] : []));
    if (!typed.length) continue;
    const types = new Set<string | undefined>();
    let unprepared: unknown;
    for (const i of typed) {
      try {
        types.add((await typesOf(i))[col]);
      } catch (e) {
        // A correlated input, or the recursive input of a WITH RECURSIVE (it reads the CTE being defined), cannot be
        // prepared on its own; the others decide (a recursive input has its base's types).
        unprepared = e;
      }
    }
    if (!types.size) {
      const why = unprepared instanceof Error ? unprepared.message : String(unprepared);
      // Only the recursive input of a WITH RECURSIVE is typed: the literals are its base, whose types it takes.
      if (readsOwnCte(why, cteNames)) continue;
      throw notSupported(`A string literal in a set operation beside an input the emulator cannot type on its own (${why})`);
    }
    if (types.has(undefined)) continue;
    const type = types.size === 1 ? [...types][0] : types.size === 2 && types.has('DATE') && types.has('DATETIME') ? 'DATETIME' : undefined;
    if (!type) throw notSupported(`A string literal in a set operation beside columns of types ${[...types].join(' and ')}`);
    for (const x of literals) {
      const e = x[col];
      const cast = { cast: { this: body(e), to: { data_type: 'custom', name: type }, trailing_comments: [], double_colon_syntax: false } };
      x[col] = e?.alias ? { alias: { ...e.alias, this: cast } } : cast;
    }
    changed = true;
  }
  return changed;
}

/** The names of the statement's CTEs (lower case). */
function cteNames(node: Node, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => cteNames(n, out));
  else if (node && typeof node === 'object') {
    for (const cte of node.with?.ctes ?? []) if (typeof cte?.alias?.name === 'string') out.add(cte.alias.name.toLowerCase());
    for (const v of Object.values(node)) cteNames(v, out);
  }
  return out;
}

/** DuckDB's error for an input that reads a CTE it cannot see: the CTE it belongs to, read recursively. */
const readsOwnCte = (error: string, names: Set<string>) => names.has((/Table with name (\w+) does not exist/.exec(error)?.[1] ?? '').toLowerCase());

/**
 * Anonymous STRUCT values, which DuckDB gets wrong two ways:
 * - `(2, 'y')` (tuple syntax, https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#tuple_syntax) is a
 *   DuckDB row whose fields are all named "", which its client returns keyed by name: every field read as the last one
 *   (`(2, 'y')` came back as {'y', 'y'}, ARRAY_AGG((a, b)) too). Where such a tuple names the type (a plain select
 *   list or a set operation's first input, an array's first element, a STRUCT field, the first value of IF or
 *   COALESCE beside NULLs, the value argument of ARRAY_AGG, ANY_VALUE or a navigation function) it becomes
 *   `STRUCT(2, 'y')`.
 * - BigQuery gives a set operation's column, or an array's elements, the STRUCT field names of the first input or
 *   element and pairs the others' fields by position; DuckDB pairs named fields by name (`STRUCT(1 AS a) UNION ALL
 *   SELECT STRUCT(2 AS b)` came back as {a, b} with NULLs). In the later inputs and elements, an untyped STRUCT whose
 *   field names are not the first's becomes a row (ROW(x) for one field), which DuckDB pairs by position. Tuples elsewhere (`(a, b) IN ...`) stay rows.
 * - The same holds for the results of CASE, IF and COALESCE / IFNULL: DuckDB merged `CASE WHEN c THEN s ELSE
 *   STRUCT(0, '') END` into one STRUCT holding both branches' fields by name, each branch's values NULL in the other's.
 * - And for the elements of array literals in all these places and in ARRAY_CONCAT and ||: `[STRUCT(1 AS a, 2 AS b)]
 *   UNION ALL SELECT [STRUCT(3 AS b, 4 AS a)]` gave {a: 4, b: 3} in the second row; BigQuery's is {a: 3, b: 4}.
 */
import { aliased, fn, isNullLiteral, type Node } from './ast-build.ts';

/** Array literals whose elements were coerced to an earlier value's type: their first element names nothing. */
const coercedArrays = new WeakSet<object>();

const isStructCall = (e: Node) => Boolean(e?.function) && String(e.function.name).toUpperCase() === 'STRUCT' && Array.isArray(e.function.args);
const unaliased = (e: Node) => (e?.alias && !e.alias.column_aliases?.length ? e.alias.this : e);

/** The node kinds (`{kind: {this: value}}`) and the function names whose tuple argument is a value of the result. */
// (TO_JSON_STRING of a row writes its fields with the key "", as BigQuery writes anonymous fields: it stays a row.)
const TUPLE_VALUE_ARGUMENTS = ['any_value', 'array_agg', 'first_value', 'last_value', 'nth_value', 'lag', 'lead'];
const TUPLE_VALUE_FUNCTIONS = new Set(['ANY_VALUE', 'ARRAY_AGG']);

/** A tuple's fields have no names, even a column's (STRUCT(a, b) names its fields a and b; (a, b) does not). */
const asStruct = (tuple: Node): Node => ({
  function: {
    name: 'STRUCT',
    args: tuple.tuple.expressions.map((e: Node, k: number) => aliased(namingValue(e), anonymousFieldName(k))),
    distinct: false,
    use_bracket_syntax: false,
    no_parens: false,
    quoted: false,
  },
});

/**
 * BigQuery's name of the k-th (0-based) field of a STRUCT that has none: `_field_1`, `_field_2`, ... in a result's and
 * a table's schema (a dry run of `[STRUCT(3, "allo" AS g)]` gives fields _field_1 and g). DuckDB needs a name, and
 * polyglot's would be `_0`, `_1`.
 */
export const anonymousFieldName = (k: number) => `_field_${k + 1}`;

/**
 * A STRUCT(...) argument with the name BigQuery gives it: its alias; a column's name (polyglot writes it); a path's
 * last name (`s.a.b` names the field b, as a select list's implicit alias does); `_field_N` for any other value.
 */
function namedField(e: Node, k: number): Node {
  if (e?.alias || e?.column) return e;
  const name = typeof e?.dot?.field?.name === 'string' ? e.dot.field.name : anonymousFieldName(k);
  return aliased(e, name);
}

/** A value that names its type: a tuple becomes an anonymous STRUCT (its own tuples too). */
function namingValue(e: Node): Node {
  if (e?.tuple && Array.isArray(e.tuple.expressions)) return asStruct(e);
  if (e?.alias?.this?.tuple) return { ...e, alias: { ...e.alias, this: asStruct(e.alias.this) } };
  return e;
}

/** The field names an untyped STRUCT(...) call gives (undefined for a field without an alias, or not such a call). */
function fieldNames(e: Node): Array<string | undefined> | undefined {
  const inner = unaliased(e);
  if (!isStructCall(inner)) return undefined;
  return inner.function.args.map((a: Node) => (a?.alias ? String(a.alias.alias?.name ?? '').toLowerCase() : undefined));
}

/**
 * A value coerced to a type named before it (`first`: the naming value, when known): an untyped STRUCT whose field
 * names are not the first's becomes a positional row. Same names are left as they are (later fixes,
 * such as JSON_OBJECT's, read the field names).
 */
function coercedValue(e: Node, first?: Node): Node {
  const inner = unaliased(e);
  if (Array.isArray(inner?.tuple?.expressions)) inner.tuple.expressions = inner.tuple.expressions.map(rowField);
  // An array literal's elements are coerced to the first value's element type, its own first element too.
  if (Array.isArray(inner?.array_func?.expressions)) {
    const firstElement = unaliased(first)?.array_func?.expressions?.[0];
    inner.array_func.expressions = inner.array_func.expressions.map((x: Node) => coercedValue(x, firstElement));
    coercedArrays.add(inner.array_func);
    return e;
  }
  if (!isStructCall(inner) || inner.function.args.length < 1) return e;
  const names = fieldNames(inner)!;
  const firstNames = first === undefined ? undefined : fieldNames(first);
  if (firstNames && firstNames.length === names.length && names.every((n, k) => n !== undefined && n === firstNames[k])) return e;
  // One field: `(x)` is no row in DuckDB, ROW(x) is.
  const fields = inner.function.args.map((a: Node) => rowField(unaliased(a)));
  const row = fields.length === 1 ? fn('ROW', fields) : { tuple: { expressions: fields } };
  return inner === e ? row : { ...e, alias: { ...e.alias, this: row } };
}

/**
 * A field of a positional row: a NULL cast to a STRUCT type is a plain NULL, typed by the field it pairs with (DuckDB
 * would merge the two STRUCT types by field name), and an untyped STRUCT is a row itself.
 */
function rowField(e: Node): Node {
  if (e?.cast?.to?.data_type === 'struct' && isNullLiteral(e.cast.this)) return e.cast.this;
  return coercedValue(e);
}

/**
 * The select lists of a query (each once): the first names the columns (`naming` undefined), the others are coerced to
 * it (`naming`: its items). Returns the naming list's items.
 */
function selectLists(query: Node, naming: Node[] | undefined, done: WeakSet<object>): Node[] | undefined {
  if (!query || typeof query !== 'object') return undefined;
  if (query.subquery) return selectLists(query.subquery.this, naming, done);
  for (const op of ['union', 'intersect', 'except']) {
    if (!query[op]) continue;
    const first = selectLists(query[op].left, naming, done);
    selectLists(query[op].right, first ?? [], done);
    return first;
  }
  if (!Array.isArray(query.select?.expressions) || done.has(query.select)) return undefined;
  done.add(query.select);
  query.select.expressions = query.select.expressions.map((e: Node, k: number) => (naming ? coercedValue(e, naming[k]) : namingValue(e)));
  return query.select.expressions;
}

/**
 * The result values of CASE, IF and COALESCE / IFNULL (`values`, first to last) with BigQuery's types: the later ones
 * are coerced to the first's. A first value that is a STRUCT of unnamed fields, beside a value whose type the
 * emulator cannot see (a column), is a literal that BigQuery coerces to that type: a row too, which DuckDB pairs with
 * it by position. (Rows only, with no named value, would reach the client with fields all named "".)
 */
function coercedBranches(values: Node[]): Node[] {
  // A NULL literal has no type of its own: the first other value names the type.
  const at = values.findIndex((e) => !isNullLiteral(e));
  if (at < 0) return values;
  const [first, rest] = [values[at], values.slice(at + 1)];
  const besideColumn = rest.some((e) => !isStructCall(unaliased(e)) && !unaliased(e)?.tuple && !isNullLiteral(e));
  const anonymousFirst = fieldNames(first)?.every((n) => n === undefined) && besideColumn;
  // A first tuple beside NULLs, tuples and STRUCT values names the type: a STRUCT, whose fields the client can tell
  // apart.
  const named = !besideColumn && unaliased(first)?.tuple ? namingValue(first) : first;
  return [...values.slice(0, at), anonymousFirst ? coercedValue(first) : named, ...rest.map((e) => coercedValue(e, named))];
}

function coerceBranches(node: Node): void {
  const { case: c, if_func: f, coalesce } = node;
  if (Array.isArray(c?.whens) && c.whens.length) {
    const values = coercedBranches([...c.whens.map((w: Node[]) => w[1]), ...(c.else_ ? [c.else_] : [])]);
    c.whens = c.whens.map((w: Node[], k: number) => [w[0], values[k]]);
    if (c.else_) c.else_ = values[values.length - 1];
  }
  if (f?.true_value && f.false_value) [f.true_value, f.false_value] = coercedBranches([f.true_value, f.false_value]);
  if (Array.isArray(coalesce?.expressions) && coalesce.expressions.length > 1) coalesce.expressions = coercedBranches(coalesce.expressions);
}

/** Rewrites, in place, the anonymous STRUCT values of the statement (see above). */
export function fixAnonymousStructs(node: Node, done = new WeakSet<object>()): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((n) => fixAnonymousStructs(n, done));
  if (node.select || node.union || node.intersect || node.except) selectLists(node, undefined, done);
  if (Array.isArray(node.array_func?.expressions) && !coercedArrays.has(node.array_func)) {
    const [first, ...rest] = node.array_func.expressions;
    if (first !== undefined) node.array_func.expressions = [namingValue(first), ...rest.map((e: Node) => coercedValue(e, first))];
  }
  // Named only now, after the coercions above compared names: a field without one is still undefined there.
  if (isStructCall(node)) node.function.args = node.function.args.map((a: Node, k: number) => namedField(namingValue(a), k));
  // A nested SELECT AS STRUCT's row is a STRUCT too (the statement's own was made a plain select before this).
  if (node.select?.kind === 'STRUCT') node.select.expressions = node.select.expressions.map((e: Node, k: number) => (e?.star ? e : namedField(e, k)));
  // A STRUCT type's unnamed field (`STRUCT<INT64, STRING>`) takes the name its values get (DuckDB needs one).
  if (node.data_type === 'struct' && Array.isArray(node.fields)) node.fields.forEach((f: Node, k: number) => f && f.name === '' && (f.name = anonymousFieldName(k)));
  // A tuple an aggregate or a navigation function returns names its type too.
  for (const kind of TUPLE_VALUE_ARGUMENTS) if (node[kind]?.this?.tuple) node[kind].this = namingValue(node[kind].this);
  if (node.function && TUPLE_VALUE_FUNCTIONS.has(String(node.function.name).toUpperCase()) && Array.isArray(node.function.args)) node.function.args = node.function.args.map(namingValue);
  coerceBranches(node);
  // ARRAY_CONCAT's and ||'s later arrays take the first one's element type.
  if (String(node.function?.name ?? '').toUpperCase() === 'ARRAY_CONCAT' && node.function.args?.length > 1) {
    const [first, ...rest] = node.function.args;
    node.function.args = [first, ...rest.map((e: Node) => coercedValue(e, first))];
  }
  if (node.concat?.right) {
    let first = node.concat.left;
    while (first?.concat) first = first.concat.left;
    node.concat.right = coercedValue(node.concat.right, first);
  }
  for (const value of Object.values(node)) if (value && typeof value === 'object') fixAnonymousStructs(value, done);
}

/**
 * Comparisons of STRUCT values. BigQuery compares STRUCTs field by field in order, whatever the field names, and a
 * NULL field makes `=` NULL unless another field differs
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/operators#comparison_operators); DuckDB matches
 * named STRUCT fields by name and treats NULL fields as equal. Without types at translation time a STRUCT operand is
 * only known when one side is a constructor (`STRUCT(...)`, `STRUCT<...>(...)`, `(a, b)`): such a comparison becomes
 * the conjunction of its fields' comparisons, the other side's fields read by position (struct_extract_at), and each
 * field comparison is translated again (nested STRUCTs, NaN).
 */
import { BigQueryError } from '../errors.ts';
import { binary, fn, numLit, type Node } from './ast-build.ts';

const EXPANDED = new Set(['eq', 'neq', 'null_safe_eq', 'null_safe_neq']);

const unaliased = (e: Node): Node => (e?.alias ? e.alias.this : e);

/** The field expressions of a STRUCT constructor, or undefined when `n` is not one. */
function constructorFields(n: Node): Node[] | undefined {
  if (n?.paren) return constructorFields(n.paren.this);
  if (n?.tuple) return n.tuple.expressions;
  if (n?.function && String(n.function.name).toUpperCase() === 'STRUCT') return n.function.args.map(unaliased);
  if (n?.struct) return n.struct.fields.map(([, e]: [unknown, Node]) => unaliased(e));
  const to = n?.cast?.to;
  if (to?.data_type === 'struct' && n.cast.this?.struct) {
    const fields: Node[] = n.cast.this.struct.fields.map(([, e]: [unknown, Node]) => unaliased(e));
    if (fields.length !== to.fields.length) return undefined;
    return fields.map((e, i) => ({ cast: { ...n.cast, this: e, to: to.fields[i].data_type } }));
  }
  return undefined;
}

const isConstructor = (n: Node): boolean => constructorFields(n) !== undefined;

const refused = (what: string) => new BigQueryError(400, 'invalidQuery', `${what} on STRUCT values is not supported by the local emulator`);

/** The `i`-th field (from 0) of each operand, `arity` being the constructor's. */
function fieldsOf(n: Node, arity: number): Node[] {
  if (n?.null !== undefined && Object.keys(n).length === 1) return Array.from({ length: arity }, () => ({ null: null }));
  return constructorFields(n) ?? Array.from({ length: arity }, (_, i) => fn('struct_extract_at', [n, numLit(String(i + 1))]));
}

function fold(op: 'and' | 'or', items: Node[]): Node {
  return { paren: { this: items.reduce((acc, x) => binary(op, acc, x)) } };
}

/**
 * `{[kind]: body}` (a comparison) as field comparisons when an operand is a STRUCT constructor, unwalked; undefined
 * when it is not such a comparison.
 */
export function structComparison(kind: string, body: Node): Node | undefined {
  if (!EXPANDED.has(kind) || !(isConstructor(body.left) || isConstructor(body.right))) return undefined;
  const arity = (constructorFields(body.left) ?? constructorFields(body.right))!.length;
  const [left, right] = [fieldsOf(body.left, arity), fieldsOf(body.right, arity)];
  if (left.length !== right.length) throw new BigQueryError(400, 'invalidQuery', `STRUCTs with ${left.length} and ${right.length} fields cannot be compared`);
  if (arity === 0) throw refused('Comparison');
  const fields = left.map((l, i) => binary(kind, l, right[i]));
  if (kind === 'eq' || kind === 'null_safe_eq') {
    const all = fold('and', fields);
    // IS NOT DISTINCT FROM: a NULL STRUCT is distinct from every constructed one, even one of NULL fields.
    if (kind === 'eq') return all;
    const operand = isConstructor(body.left) ? body.right : body.left;
    return isConstructor(operand) ? all : fold('and', [{ is_null: { this: operand, not: true, postfix_form: false } }, all]);
  }
  const any = fold('or', fields);
  if (kind === 'neq') return any;
  const operand = isConstructor(body.left) ? body.right : body.left;
  return isConstructor(operand) ? any : fold('or', [{ is_null: { this: operand, not: false, postfix_form: false } }, any]);
}

/**
 * `x [NOT] IN (a, b, ...)` and `x [NOT] IN UNNEST([a, b, ...])` with a STRUCT constructor among them as
 * `x = a OR x = b ...` (three-valued: NULL when nothing matches and a comparison is NULL), unwalked. IN UNNEST of any
 * other array of STRUCTs is refused.
 */
export function structInList(body: Node): Node | undefined {
  const array = body.unnest?.array_func;
  const list: Node[] | undefined = body.unnest ? (array?.bracket_notation ? array.expressions : undefined) : body.expressions;
  if (body.query || !(isConstructor(body.this) || list?.some(isConstructor))) return undefined;
  if (!list) throw refused('IN UNNEST of a non-literal array');
  const any = list.length
    ? fold(
        'or',
        list.map((e) => binary('eq', body.this, e)),
      )
    : { boolean: { value: false } };
  return body.not ? { not: { this: any } } : any;
}

/** `CASE x WHEN a THEN ...` with STRUCT constructors as `CASE WHEN x = a THEN ...`, unwalked. */
export function structCase(body: Node): Node | undefined {
  const whens: Array<[Node, Node]> = body.whens ?? [];
  if (!body.operand || !(isConstructor(body.operand) || whens.some(([w]) => isConstructor(w)))) return undefined;
  return { case: { ...body, operand: null, whens: whens.map(([w, then]) => [binary('eq', body.operand, w), then]) } };
}

/** `NULLIF(a, b)` with a STRUCT constructor as `CASE WHEN a = b THEN NULL ELSE a END`, unwalked. */
export function structNullif(args: Node[]): Node | undefined {
  if (args.length !== 2 || !args.some(isConstructor)) return undefined;
  return { case: { operand: null, whens: [[binary('eq', args[0], args[1]), { null: null }]], else_: args[0] } };
}

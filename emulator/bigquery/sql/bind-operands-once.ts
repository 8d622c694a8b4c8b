/**
 * Binds a big operand of a repeating macro once. A macro's body is copied where it is called, and each copy of an
 * operand is bound again (macro-expansion.ts): a call whose copies would add more than BIND_BUDGET tokens goes through
 * the macro's `_once` form instead, whose one-element lambda binds each operand once. The lambda costs every row a
 * little, so small operands (a column, a literal, a short expression) keep the plain call. Bottom-up: an inner call
 * made `_once` is small for the call around it.
 */
import { eachNodeBottomUp, type Node } from './ast-build.ts';
import { macroCatalog } from './macros.ts';
import { onceForm } from './macros-numeric.ts';
import { isVolatileCall } from './fix-arithmetic.ts';

/** Tokens of repeated operands a call may add before it binds them once (the perDate checksum query bound 40k+). */
const BIND_BUDGET = 400;
/** Nodes that bind as one token (a column's name, a literal). */
const LEAVES = ['column', 'literal', 'null', 'boolean', 'identifier', 'var', 'parameter'];

export function bindOperandsOnce(root: Node): void {
  inPredicates = new WeakSet();
  eachNodeBottomUp(root, (n) => {
    for (const clause of [n.where_clause, n.having, n.on]) eachNodeBottomUp(clause, (m) => isStructConstructor(m) && inPredicates.add(m));
  });
  expandedSize(root);
}

/** STRUCT constructors in a WHERE, HAVING or ON clause of the statement being rewritten. */
let inPredicates = new WeakSet<Node>();

/** The node's size once DuckDB has expanded its macros; calls that would grow too much are made `_once` on the way. */
function expandedSize(node: Node): number {
  if (!node || typeof node !== 'object') return 0;
  if (Array.isArray(node)) return node.reduce((sum: number, n: Node) => sum + expandedSize(n), 0);
  if (isVolatileCall(node)) return Infinity;
  if (LEAVES.some((k) => k in node)) return 1;
  const call = node.function;
  if (!call || typeof call.name !== 'string' || !Array.isArray(call.args)) return 1 + Object.values(node).reduce((sum: number, v) => sum + expandedSize(v), 0);
  const sizes = call.args.map(expandedSize);
  const form = macroCatalog.form(call.name, call.args.length);
  if (!form) return 1 + sizes.reduce((a: number, b: number) => a + b, 0);
  const copied = sizes.reduce((sum: number, size: number, i: number) => sum + (form.repeats[i] > 1 ? (form.repeats[i] - 1) * size : 0), 0);
  const plain = sizes.reduce((sum: number, size: number, i: number) => sum + Math.max(form.repeats[i], 1) * size, form.size);
  // Every operand goes into the lambda's struct, where a constant would no longer be one (DuckDB needs a format, a
  // pattern or a path constant): a call with a constant operand keeps the plain form.
  // So does one in a predicate whose operand holds a STRUCT of qualified columns built inside another call: DuckDB
  // fails to bind one of correlated columns nested so in a lambda's list when it decorrelates a WHERE ("Need named
  // argument for struct pack"; the toolkit's NOT EXISTS comparing TO_JSON_STRING(STRUCT(b.run_id, ...))). A STRUCT
  // operand itself binds, and correlated columns are qualified.
  if (copied <= BIND_BUDGET || !macroCatalog.hasMadeOnceForm(call.name, call.args.length) || call.args.some(isConstant) || call.args.some(holdsNestedStruct)) return plain;
  call.name = onceForm(call.name);
  return form.size + sizes.reduce((a: number, b: number) => a + (Number.isFinite(b) ? b : 1), 0) + 4;
}

/**
 * An operand without a column, subquery, window or volatile call: DuckDB may need it constant (a format, a pattern, a
 * path), which a lambda's operand is not. A query parameter is a
 * constant too (translate.ts substitutes its value as a literal for its `__gg_p_N` placeholder after this pass); an
 * `__gg_x_N` placeholder holds any SQL and is taken as varying.
 */
function isConstant(n: Node): boolean {
  let varies = false;
  eachNodeBottomUp(n, (node) => {
    if ('column' in node) varies ||= !PARAMETER.test(String(node.column?.name?.name ?? ''));
    else if ('window_function' in node || 'select' in node || isVolatileCall(node)) varies = true;
  });
  return !varies;
}

const PARAMETER = /^__gg_p_\d+$/i;

const isStructConstructor = (n: Node): boolean => Boolean(n?.struct || n?.tuple || (n?.function && String(n.function.name).toUpperCase() === 'STRUCT'));

/** A STRUCT constructor of qualified columns in a predicate below the operand, not the operand itself. */
function holdsNestedStruct(n: Node): boolean {
  if (isStructConstructor(n)) return false;
  let found = false;
  eachNodeBottomUp(n, (node) => {
    if (!found && inPredicates.has(node)) eachNodeBottomUp(node, (m) => (found ||= Boolean(m.column?.table)));
  });
  return found;
}

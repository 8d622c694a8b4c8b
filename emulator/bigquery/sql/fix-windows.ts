/**
 * Analytic function arguments BigQuery rejects and DuckDB accepts: a window frame on a navigation or numbering function
 * (LAG, LEAD, ROW_NUMBER, RANK, ...), a missing window ORDER BY where the function needs one (RANK, LAG, FIRST_VALUE,
 * ...) or one where it takes none (PERCENTILE_CONT, a DISTINCT aggregate), a LAG/LEAD default that is not constant (checked on the statement), and a NULL or
 * negative offset, N or bucket count, or frame offset (checked at run time: parameters arrive after translation, and
 * translations are cached). The run-time checks fail through __gg_raise (macros-raise.ts).
 */
import { RANGE_KEY } from './fix-ordering.ts';
import { invalidQuery } from '../errors.ts';
import { fn, strLit, type Node } from './ast-build.ts';

/** ZetaSQL's ORDER_REQUIRED analytic functions (builtin_function_internal_2.cc); ROW_NUMBER's ORDER BY is optional. */
const ORDER_REQUIRED = new Set(['rank', 'dense_rank', 'percent_rank', 'cume_dist', 'n_tile', 'ntile', 'lead', 'lag', 'first_value', 'last_value', 'nth_value']);
const NO_FRAME = new Set(['lag', 'lead', 'row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'n_tile', 'ntile']);

const kindOf = (n: Node): string | undefined => (n && typeof n === 'object' ? Object.keys(n)[0] : undefined);
const nameOf = (kind: string) => (kind === 'n_tile' ? 'ntile' : kind);

/** Static checks over a parsed statement (before any rewrite): throws BigQuery's error. */
export function checkAnalyticFunctions(node: Node, windows: Map<string, Node> = new Map()): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) checkAnalyticFunctions(n, windows);
    return;
  }
  let scope = windows;
  if (node.select && Array.isArray(node.select.windows)) {
    scope = new Map(windows);
    for (const w of node.select.windows) if (typeof w?.name?.name === 'string') scope.set(w.name.name.toLowerCase(), w.spec);
  }
  const wf = node.window_function;
  if (wf) {
    const kind = kindOf(wf.this);
    const named = typeof wf.over?.window_name?.name === 'string' ? scope.get(wf.over.window_name.name.toLowerCase()) : undefined;
    if (kind && NO_FRAME.has(kind) && (wf.over?.frame || named?.frame)) {
      throw invalidQuery(`Window framing clause is not allowed for analytic function ${nameOf(kind)}`);
    }
    const ordered = Boolean(wf.over?.order_by?.length || named?.order_by?.length);
    const call = kind ? wf.this[kind] : undefined;
    const fname = kind === 'aggregate_function' ? String(call?.name).toLowerCase() : kind && nameOf(kind);
    if (!ordered && kind && ORDER_REQUIRED.has(kind)) throw invalidQuery(`Window ORDER BY is required for analytic function ${fname}`);
    if (ordered && (fname === 'percentile_cont' || fname === 'percentile_disc')) throw invalidQuery(`Window ORDER BY is not allowed for analytic function ${fname}`);
    if (ordered && call?.distinct === true) throw invalidQuery('Window ORDER BY is not allowed if DISTINCT is specified');
    const dflt = (kind === 'lag' || kind === 'lead') && wf.this[kind]?.default;
    if (dflt && !isConstant(dflt)) throw invalidQuery(`The third argument (the default expression) to ${kind.toUpperCase()} must be constant`);
  }
  for (const v of Object.values(node)) checkAnalyticFunctions(v, scope);
}

/** Constant: no column references (parameters are `@name` columns here) and no subqueries. */
function isConstant(n: Node): boolean {
  if (!n || typeof n !== 'object') return true;
  if (Array.isArray(n)) return n.every(isConstant);
  if (n.subquery || n.select) return false;
  if (n.column) return !n.column.table && String(n.column.name?.name ?? '').startsWith('@');
  return Object.values(n).every(isConstant);
}

const isNonNegativeLiteral = (n: Node) => n?.literal?.literal_type === 'number';
/** `value` checked at run time by `macro`, unless it is a literal the function takes (`positive`: not 0 either). */
const guard = (macro: string, value: Node, what: string, positive = false) => (isNonNegativeLiteral(value) && !(positive && Number(value.literal.value) === 0) ? value : fn(macro, [value, strLit(what)]));

/** The analytic function body (unwalked) with its offsets and counts guarded at run time. */
export function guardAnalyticArguments(body: Node): Node {
  const kind = kindOf(body.this);
  let fnNode = body.this;
  if (kind === 'lag' || kind === 'lead') {
    const inner = fnNode[kind];
    if (inner?.offset) fnNode = { [kind]: { ...inner, offset: guard('__gg_nav_offset', inner.offset, kind.toUpperCase()) } };
    // The value and the default take their common supertype (ZetaSQL's signature: ANY_1, INT64, ANY_1): LEAD(x, 1, 2.5)
    // of an INT64 x is a FLOAT64; DuckDB cast the default to x's type.
    if (inner?.default) fnNode = { [kind]: { ...fnNode[kind], this: fn('__gg_with_type_of', [inner.this, structuredClone(inner.default)]) } };
  } else if (kind === 'nth_value' && fnNode.nth_value?.offset) {
    fnNode = { nth_value: { ...fnNode.nth_value, offset: guard('__gg_nth_value_n', fnNode.nth_value.offset, 'NthValue', true) } };
  } else if (kind === 'n_tile' && fnNode.n_tile?.num_buckets) {
    fnNode = { n_tile: { ...fnNode.n_tile, num_buckets: guard('__gg_ntile_n', fnNode.n_tile.num_buckets, 'NTILE', true) } };
  }
  return { ...body, this: fnNode };
}

/** Frame offsets, in an OVER clause or a WINDOW definition. */
export function guardFrame(spec: Node): Node {
  const frame = spec?.frame;
  if (!frame) return spec;
  const bound = (b: Node) => {
    for (const side of ['Preceding', 'Following']) {
      if (b?.[side] !== undefined && b[side] !== null && typeof b[side] === 'object') return { [side]: guard('__gg_frame_offset', b[side], side) };
    }
    return b;
  };
  const start = bound(frame.start);
  let end = bound(frame.end);
  // A RANGE frame whose start lies after its end (`1 PRECEDING AND 2 PRECEDING`) is empty in BigQuery; with offsets near
  // the INT64 limits DuckDB's counts over it go negative, so the local emulator refuses those (checked at run time:
  // offsets may be parameters).
  const side = ['Preceding', 'Following'].find((k) => start?.[k] && typeof start[k] === 'object' && end?.[k] && typeof end[k] === 'object');
  if (side && String(frame.kind).toLowerCase() === 'range') end = { [side]: fn('__gg_range_frame_end', [end[side], start[side], strLit(side)]) };
  // A RANGE key fix-ordering.ts made: the offsets in the key's units.
  const key = spec.order_by?.length === 1 && spec.order_by[0].this?.function?.name === RANGE_KEY ? spec.order_by[0].this.function.args[0] : undefined;
  const inUnits = (b: Node) => {
    const s = ['Preceding', 'Following'].find((k) => key && b?.[k] && typeof b[k] === 'object');
    return s ? { [s]: fn('__gg_range_offset', [structuredClone(key), b[s]]) } : b;
  };
  return { ...spec, frame: { ...frame, start: inUnits(start), end: inUnits(end) } };
}

/**
 * A window frame's offsets (walked) as DuckDB SQL (`placeholder` stands one in for its translation): polyglot's
 * transpiler leaves a frame bound untouched, so BigQuery functions it translates elsewhere (UNIX_DATE, DATE_DIFF in the
 * copy of a RANGE key guardFrame puts there) reached DuckDB as they were written.
 */
export function transpiledFrameBounds(frame: Node, placeholder: (expression: Node) => Node): Node {
  const bound = (b: Node): Node => {
    const side = ['Preceding', 'Following'].find((k) => b?.[k] && typeof b[k] === 'object' && !b[k].literal);
    return side ? { [side]: placeholder(b[side]) } : b;
  };
  return { ...frame, start: bound(frame.start), end: bound(frame.end) };
}

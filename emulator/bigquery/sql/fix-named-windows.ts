/**
 * Named windows, written out. BigQuery lets a named window build on another (`b AS (a ORDER BY x)`, `c AS (b)`) and
 * an OVER clause add to one (`OVER (c ROWS ...)`): the referenced window's PARTITION BY, ORDER BY and frame carry over
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/window-function-calls#ref_named_window). DuckDB
 * drops what a window two references away holds: `c AS (b)` lost a's PARTITION BY, a silent wrong answer. So every
 * OVER that names a window gets the whole specification, and the WINDOW clause goes.
 */
import type { Node } from './ast-build.ts';
import { BigQueryError } from '../errors.ts';

const clone = (n: Node): Node => (n == null ? n : JSON.parse(JSON.stringify(n)));
const key = (name: Node): string => String(name?.name ?? '').toLowerCase();

/** `spec` with the window it names folded in (recursively), from the windows defined so far. */
function resolve(spec: Node, defined: Map<string, Node>): Node {
  if (!spec?.window_name) return spec;
  const base = defined.get(key(spec.window_name));
  if (!base) throw new BigQueryError(400, 'invalidQuery', `Unrecognized window alias ${spec.window_name.name}`);
  return {
    ...spec,
    window_name: null,
    partition_by: spec.partition_by?.length ? spec.partition_by : clone(base.partition_by ?? []),
    order_by: spec.order_by?.length ? spec.order_by : clone(base.order_by ?? []),
    frame: spec.frame ?? clone(base.frame ?? null),
  };
}

/** Replaces, in place, the named OVER clauses of one SELECT's own clauses (not those of queries nested in it). */
function resolveOvers(node: Node, defined: Map<string, Node>): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((n) => resolveOvers(n, defined));
  if (node.select) return;
  if (node.window_function?.over?.window_name) node.window_function.over = resolve(node.window_function.over, defined);
  for (const value of Object.values(node)) resolveOvers(value, defined);
}

function resolveSelect(select: Node): void {
  const windows: Node[] = select.windows ?? [];
  if (!windows.length) return;
  const defined = new Map<string, Node>();
  // A window may only name one defined before it.
  for (const w of windows) defined.set(key(w.name), resolve(w.spec, defined));
  for (const [k, value] of Object.entries(select)) if (k !== 'windows' && k !== 'from' && k !== 'joins' && k !== 'with') resolveOvers(value, defined);
  select.windows = null;
}

/** Writes out every reference to a named window in the statement (in place). */
export function inlineNamedWindows(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach(inlineNamedWindows);
  for (const value of Object.values(node)) if (value && typeof value === 'object') inlineNamedWindows(value);
  if (node.select?.windows) resolveSelect(node.select);
}

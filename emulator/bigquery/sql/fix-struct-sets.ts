/**
 * `UPDATE t SET s.a = x, s.b.c = y`: BigQuery sets fields of a STRUCT column (and fails on a NULL STRUCT: "Cannot set
 * field of NULL STRUCT"); DuckDB has no qualified names in SET. Each such column gets one assignment that rebuilds it
 * with struct_update, field by field. Two items that set the same field (or a field and its parent) fail as BigQuery's
 * overlapping update items do.
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/dml-syntax#update_statement
 */
import { invalidQuery } from '../errors.ts';
import { ident, type Node } from './ast-build.ts';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function setField(base: string, path: string[], value: string): string {
  const [field, ...rest] = path;
  const inner = rest.length ? setField(`(${base}).${quote(field)}`, rest, value) : value;
  return `CASE WHEN ${base} IS NULL THEN error('Cannot set field of NULL STRUCT') ELSE struct_update(${base}, ${quote(field)} := ${inner}) END`;
}

/**
 * Rewrites the SET items of a walked UPDATE body whose names are field paths. `qualifiers` are the target's name and
 * alias (lower case: `SET t.col = ...` names a column, not a field); `sqlOf` gives an expression's DuckDB SQL as a
 * placeholder column. Returns undefined when no item sets a field or names a qualified column.
 */
export function structFieldSets(body: Node, qualifiers: Set<string>, sqlOf: (e: Node) => string, placeholder: (sql: string) => Node): Node | undefined {
  const items: Array<[Node, Node]> = body.set ?? [];
  const names = items.map(([id]) => (id?.quoted ? [String(id.name)] : String(id?.name ?? '').split('.')));
  const paths = names.map((parts) => (parts.length > 1 && qualifiers.has(parts[0].toLowerCase()) ? parts.slice(1) : parts));
  if (paths.every((p, i) => p.length === 1 && names[i].length === 1)) return undefined;
  const lower = paths.map((p) => p.map((x) => x.toLowerCase()));
  lower.forEach((p, i) =>
    lower.forEach((q, j) => {
      if (i < j && p.slice(0, q.length).join('.') === q.slice(0, p.length).join('.')) throw invalidQuery(`Update item ${paths[i].join('.')} overlaps with ${paths[j].join('.')}`);
    }),
  );
  const rebuilt = new Map<string, { name: string; sql: string }>();
  const out: Array<[Node, Node]> = [];
  items.forEach(([id, value], i) => {
    const path = paths[i];
    if (path.length === 1) return out.push([names[i].length === 1 ? id : ident(path[0], false), value]);
    const key = lower[i][0];
    const current = rebuilt.get(key) ?? { name: path[0], sql: quote(path[0]) };
    rebuilt.set(key, { name: current.name, sql: setField(current.sql, path.slice(1), `(${sqlOf(value)})`) });
  });
  for (const { name, sql } of rebuilt.values()) out.push([ident(name, false), placeholder(sql)]);
  return { ...body, set: out };
}

/**
 * Correlated array paths in FROM: `FROM t.arr [AS x]`, where `t` is a range variable of the statement (a table alias,
 * an unaliased table's name, an UNNEST or subquery alias), reads the array `t.arr` of the current row of `t`, as
 * `UNNEST(t.arr) AS x` does (the element's name defaults to the path's last name).
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#correlated_join
 * polyglot reads such a path as a `dataset.table` name, which would fail as a table that does not exist.
 */
import { parse, Dialect } from './polyglot.ts';
import { aliased, ident, type Node } from './ast-build.ts';

/** The names a FROM clause of the statement can refer to (lower case). */
export function rangeVariables(root: Node): Set<string> {
  const names = new Set<string>();
  const visit = (n: Node): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object') return;
    // A table's alias, or the name of a one-part table reference (`FROM ds.t` unaliased is never taken for a path root,
    // so that `FROM ds.t1 JOIN ds.ds` keeps reading tables).
    if (n.table && typeof n.table === 'object' && 'hints' in n.table) {
      const name = n.table.alias?.name ?? (n.table.schema ? undefined : n.table.name?.name);
      if (typeof name === 'string') names.add(name.toLowerCase());
    }
    if (n.alias && typeof n.alias === 'object' && typeof n.alias.alias?.name === 'string') names.add(n.alias.alias.name.toLowerCase());
    if (n.subquery && typeof n.subquery.alias?.name === 'string') names.add(n.subquery.alias.name.toLowerCase());
    for (const [k, v] of Object.entries(n as Record<string, Node>)) {
      // A select list's column alias (`SELECT x AS ds FROM ds.t`) names a column, not something FROM can refer to.
      if (k === 'select' && Array.isArray(v?.expressions)) {
        visit({ ...v, expressions: v.expressions.map((e: Node) => (e?.alias ? e.alias.this : e)) });
      } else visit(v);
    }
  };
  visit(root);
  return names;
}

/** `UNNEST(<path>) AS <alias>` for a table node whose first name is a range variable; undefined otherwise. */
export function arrayPath(table: Node, variables: Set<string> | undefined, walk: (n: Node) => Node): Node | undefined {
  if (!variables?.size || !table?.schema) return undefined;
  const parts: Node[] = [table.catalog, table.schema, table.name].filter(Boolean);
  if (parts.some((p) => p.quoted && String(p.name).includes('.')) || !variables.has(String(parts[0].name).toLowerCase())) return undefined;
  const path = parts.map((p) => `\`${String(p.name).replace(/`/g, '')}\``).join('.');
  const select = (parse(`SELECT ${path}`, Dialect.BigQuery).ast as Node[])[0];
  const alias = table.alias ?? ident(String(table.name.name), Boolean(table.name.quoted));
  return aliased({ unnest: { this: walk(select.select.expressions[0]), with_ordinality: false, alias: null } }, alias, true);
}

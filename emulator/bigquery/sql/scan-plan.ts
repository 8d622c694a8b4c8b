/**
 * What a statement reads, for totalBytesProcessed: every table it scans, the columns it references and the
 * conjuncts of its WHERE / JOIN ON / MERGE ON that compare one column with constants or parameters (the
 * candidates for partition pruning; bytes.ts keeps those on the table's partitioning column). Read from
 * polyglot's BigQuery AST before our rewrites, so `@param` references are still columns named `@...`.
 */
import { generate, parse, Dialect } from './polyglot.ts';
import { substitute, type Node } from './ast-build.ts';

interface TableScan {
  /** The table path as written, e.g. ['proj', 'ds', 't']. */
  parts: string[];
  /** Column names (lower case) read from it, or 'all' (SELECT *, a DML target). */
  columns: Set<string> | 'all';
  /** Single-column constant conjuncts (AST), by that column (lower case). */
  filters: Map<string, Node[]>;
}

export interface ScanPlan {
  scans: TableScan[];
  /** Every column name the statement mentions (lower case). */
  names: Set<string>;
}

interface Scope {
  tables: Array<{ scan: TableScan; alias?: string; name: string }>;
  conjuncts: Node[];
  stars: Array<string | undefined>;
}

const isTableBody = (b: Node) => b && typeof b === 'object' && 'catalog' in b && 'schema' in b && 'name' in b && 'hints' in b;

function pathOf(body: Node): string[] {
  const parts: string[] = [];
  for (const k of ['catalog', 'schema', 'name']) {
    const id = body[k];
    if (!id?.name) continue;
    parts.push(...(id.quoted ? String(id.name).split('.') : [String(id.name)]));
  }
  return parts;
}

function splitAnd(n: Node, out: Node[] = []): Node[] {
  if (n?.and) {
    splitAnd(n.and.left, out);
    splitAnd(n.and.right, out);
  } else if (n?.paren && n.paren.this?.and) {
    splitAnd(n.paren.this, out);
  } else if (n) {
    out.push(n);
  }
  return out;
}

/** The single real column a conjunct compares with constants/parameters, or undefined. */
function singleColumn(n: Node): { name: string; qualifier?: string } | undefined {
  let found: { name: string; qualifier?: string } | undefined;
  let ok = true;
  substitute(n, (x) => {
    if (!ok) return x;
    if (x.select || x.subquery || x.exists || x.union || x.query) {
      ok = false;
      return x;
    }
    if (x.column && typeof x.column === 'object' && x.column.name) {
      const name = String(x.column.name.name);
      if (name.startsWith('@')) return x;
      const col = { name: name.toLowerCase(), qualifier: x.column.table?.name ? String(x.column.table.name).toLowerCase() : undefined };
      if (found && (found.name !== col.name || found.qualifier !== col.qualifier)) ok = false;
      found = col;
      return x;
    }
    return undefined;
  });
  return ok ? found : undefined;
}

const EXPR_TEMPLATE = 'SELECT __gg_x';
let exprTemplate: Node | undefined;

/** BigQuery SQL of an expression, with column qualifiers dropped. */
export function expressionSql(e: Node): string | undefined {
  exprTemplate ??= (parse(EXPR_TEMPLATE, Dialect.BigQuery).ast as Node[])[0];
  const stripped = substitute(e, (x) => (x.column && typeof x.column === 'object' && x.column.table ? { column: { ...x.column, table: null } } : undefined));
  const select = substitute(exprTemplate, (n) => (n.column?.name?.name === '__gg_x' ? stripped : undefined));
  const out = generate([select], Dialect.BigQuery);
  const sql = out.success && out.sql ? out.sql.join('') : undefined;
  const m = sql ? /^SELECT\s+([\s\S]+)$/i.exec(sql.trim()) : null;
  return m?.[1];
}

/**
 * Plans by AST: a repeated statement's translation comes from the translation cache with the AST it was parsed to,
 * so its plan is made once (and from that AST as parsed, before the rewrites that change it in place). Read-only.
 */
const plans = new WeakMap<object, ScanPlan>();

export function planScans(ast: Node): ScanPlan {
  if (!ast || typeof ast !== 'object') return plan(ast);
  let p = plans.get(ast);
  if (!p) plans.set(ast, (p = plan(ast)));
  return p;
}

function plan(ast: Node): ScanPlan {
  const scans: TableScan[] = [];
  const names = new Set<string>();
  const newScan = (body: Node, columns: TableScan['columns'] = new Set()): TableScan => {
    const scan = { parts: pathOf(body), columns, filters: new Map<string, Node[]>() };
    scans.push(scan);
    return scan;
  };

  const visit = (node: Node, scope: Scope | undefined): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n, scope);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === 'table' && isTableBody(node.table)) {
      if (scope) scope.tables.push({ scan: newScan(node.table), alias: node.table.alias?.name?.toLowerCase(), name: pathOf(node.table).pop()!.toLowerCase() });
      return;
    }
    if (keys.length === 1 && keys[0] === 'alias' && node.alias?.this?.table && isTableBody(node.alias.this.table)) {
      const body = node.alias.this.table;
      if (scope) scope.tables.push({ scan: newScan(body), alias: node.alias.alias?.name?.toLowerCase(), name: pathOf(body).pop()!.toLowerCase() });
      return;
    }
    if (node.column && typeof node.column === 'object' && node.column.name?.name && !String(node.column.name.name).startsWith('@')) {
      names.add(String(node.column.name.name).toLowerCase());
    }
    if (node.star && typeof node.star === 'object' && scope) scope.stars.push(node.star.table?.name?.toLowerCase());
    const kind = keys.length === 1 ? keys[0] : undefined;
    if (kind === 'select' || kind === 'update' || kind === 'delete' || kind === 'merge' || kind === 'insert') {
      const body = node[kind];
      const inner: Scope = { tables: [], conjuncts: [], stars: [] };
      if (kind === 'select') {
        splitAnd(body.where_clause?.this, inner.conjuncts);
        for (const j of body.joins ?? []) splitAnd(j.on, inner.conjuncts);
      } else if (kind === 'update' || kind === 'delete') {
        splitAnd(body.where_clause?.this, inner.conjuncts);
        // The modified table is scanned whole (all columns) in the partitions the WHERE keeps.
        if (isTableBody(body.table))
          inner.tables.push({ scan: newScan(body.table, 'all'), alias: body.alias?.name?.toLowerCase() ?? body.table.alias?.name?.toLowerCase(), name: pathOf(body.table).pop()!.toLowerCase() });
      } else if (kind === 'merge') {
        splitAnd(body.on, inner.conjuncts);
      }
      for (const k of Object.keys(body)) {
        if ((kind === 'insert' || kind === 'update' || kind === 'delete') && k === 'table') continue;
        if (kind === 'merge' && k === 'this') {
          markAll(body.this, inner);
          continue;
        }
        visit(body[k], inner);
      }
      close(inner);
      return;
    }
    for (const k of keys) visit(node[k], scope);
  };

  /** A MERGE target: every column, in the partitions its ON keeps. */
  const markAll = (rel: Node, scope: Scope) => {
    const body = rel?.table ?? rel?.alias?.this?.table;
    if (!isTableBody(body)) return;
    const alias = (rel.alias?.alias?.name ?? body.alias?.name)?.toLowerCase();
    scope.tables.push({ scan: newScan(body, 'all'), alias, name: pathOf(body).pop()!.toLowerCase() });
  };

  const close = (scope: Scope) => {
    for (const star of scope.stars) {
      for (const t of scope.tables) if (star === undefined || star === t.alias || star === t.name) t.scan.columns = 'all';
    }
    for (const c of scope.conjuncts) {
      const col = singleColumn(c);
      if (!col) continue;
      const targets = scope.tables.filter((t) => !col.qualifier || col.qualifier === t.alias || col.qualifier === t.name);
      if (!targets.length) continue;
      for (const t of targets) t.scan.filters.set(col.name, [...(t.scan.filters.get(col.name) ?? []), c]);
    }
  };

  visit(ast, undefined);
  for (const s of scans) if (s.columns !== 'all') s.columns = names;
  return { scans, names };
}

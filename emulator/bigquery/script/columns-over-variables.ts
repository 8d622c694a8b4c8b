/**
 * "If a variable and column share the same name, the column takes precedence"
 * (https://cloud.google.com/bigquery/docs/multi-statement-queries#reference_a_user-created_variable). The translation
 * writes a script variable's value where its name stands; which names are columns is known only once DuckDB binds the
 * statement. So each variable named in the statement is first taken as a column, and one whose binding fails for
 * want of such a column is a variable again. Per statement, not per scope: a name that is a column in one subquery and
 * a variable elsewhere in the same statement is read as a variable everywhere.
 */
import { significant, tokenize } from '../sql/tokenizer.ts';
import { readsAsVariable } from '../sql/translate.ts';
import { parse, Dialect } from '../sql/polyglot.ts';
import type { Node } from '../sql/ast-build.ts';

/** Whether `node` reads the unqualified column `name`, not counting nested queries (their own scope). */
function reads(node: Node, name: string): boolean {
  if (!node || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some((n) => reads(n, name));
  if (node.column && !node.column.table && String(node.column.name?.name ?? '').toLowerCase() === name) return true;
  return Object.entries(node).some(([k, v]) => k !== 'select' && v && typeof v === 'object' && reads(v, name));
}

/**
 * Names a SELECT gives one of its own columns and reads in its WHERE, JOIN ON or select list: DuckDB binds them to
 * that alias, where GoogleSQL has no such alias there (no lateral aliases, WHERE before SELECT), so a variable of the
 * name is the variable (`SELECT d AS day FROM t WHERE d >= day`).
 */
function readAsOwnAlias(sql: string, names: Set<string>): Set<string> {
  const found = new Set<string>();
  const parsed = parse(sql, Dialect.BigQuery);
  if (!parsed.success) return found;
  const visit = (node: Node): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const select = node.select;
    if (select && Array.isArray(select.expressions)) {
      const aliases = new Set(select.expressions.map((e: Node) => String(e?.alias?.alias?.name ?? '').toLowerCase()));
      const scopes = [select.where_clause, select.expressions, (select.joins ?? []).map((j: Node) => j?.on)];
      for (const name of names) if (aliases.has(name) && reads(scopes, name)) found.add(name);
    }
    Object.values(node).forEach(visit);
  };
  visit(parsed.ast as Node);
  return found;
}

/** The variables a statement names unqualified, as the translation would write their values (markReferences). */
function namedVariables(sql: string, variables: ReadonlySet<string>): Set<string> {
  const tokens = significant(tokenize(sql));
  const named = new Set<string>();
  tokens.forEach((t, i) => {
    if (t.type !== 'word' || !variables.has(t.value)) return;
    if (readsAsVariable(tokens[i - 1], tokens[i + 1])) named.add(t.value);
  });
  return named;
}

const MISSING_COLUMN = /Referenced column "?([^"\s]+)"? (?:not found|was not found)/;

/**
 * The variables of `sql` that name columns there: `bind` binds the statement with the given names read as columns and
 * throws DuckDB's error. Empty where binding fails for another reason (the statement then runs as before).
 */
export async function columnsOverVariables(sql: string, variables: ReadonlySet<string>, bind: (columns: ReadonlySet<string>) => Promise<void>): Promise<Set<string>> {
  if (!variables.size) return new Set();
  const columns = namedVariables(sql, variables);
  // DuckDB's pseudo-column rowid binds in every table; BigQuery has none.
  columns.delete('rowid');
  if (columns.size) for (const name of readAsOwnAlias(sql, columns)) columns.delete(name);
  while (columns.size) {
    try {
      await bind(columns);
      return columns;
    } catch (e) {
      const missing = MISSING_COLUMN.exec(e instanceof Error ? e.message : String(e))?.[1]?.toLowerCase();
      if (!missing || !columns.delete(missing)) return new Set();
    }
  }
  return columns;
}

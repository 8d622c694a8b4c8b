/**
 * "If a variable and column share the same name, the column takes precedence"
 * (https://cloud.google.com/bigquery/docs/multi-statement-queries#reference_a_user-created_variable). The translation
 * writes a script variable's value where its name stands; which names are columns is known only once DuckDB binds the
 * statement. So each variable named in the statement is first taken as a column, and one whose binding fails for
 * want of such a column is a variable again. Per statement, not per scope: a name that is a column in one subquery and
 * a variable elsewhere in the same statement is read as a variable everywhere.
 */
import { significant, tokenize } from '../sql/tokenizer.ts';

/** The variables a statement names unqualified, as the translation would write their values (markReferences). */
function namedVariables(sql: string, variables: ReadonlySet<string>): Set<string> {
  const tokens = significant(tokenize(sql));
  const named = new Set<string>();
  tokens.forEach((t, i) => {
    if (t.type !== 'word' || !variables.has(t.value)) return;
    const before = tokens[i - 1]?.text;
    const after = tokens[i + 1]?.text;
    if (before !== '.' && after !== '.' && after !== '(') named.add(t.value);
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

/**
 * BigQuery statement (not DDL, not scripting) → DuckDB SQL: a token pass for parameters and
 * script variables, polyglot's parser, our AST fixes, then polyglot's BigQuery→DuckDB transpiler.
 */
import { parse, generate, transpile, Dialect } from '@polyglot-sql/sdk';
import { fixAst } from './ast-fixes.ts';
import { tokenize, type Token } from './tokenizer.ts';
import { BigQueryError } from '../errors.ts';

export interface TranslateContext {
  /** DuckDB literal SQL for a parameter/variable key (see keyFor*). */
  literal(key: string): string | undefined;
  /** Script variables in scope (lower case). */
  variables?: Set<string>;
  /** Maps a (possibly project-qualified) table path to DuckDB names; undefined leaves it as is. */
  resolveTable(parts: string[]): { schema?: string; table: string } | undefined;
}

export const positionalKey = (i: number) => `__pos_${i}`;
export const variableKey = (name: string) => `__var_${name.toLowerCase()}`;
export const systemKey = (name: string) => `__sys_${name.toLowerCase().replace(/\./g, '_')}`;

/** Replaces `?`, `@@sys.var` and script variables with `@key` references the AST pass resolves. */
export function markReferences(sql: string, variables?: Set<string>): string {
  const tokens = tokenize(sql);
  let positional = 0;
  const sig = (i: number, dir: number): Token | undefined => {
    for (let j = i + dir; j >= 0 && j < tokens.length; j += dir) {
      if (tokens[j].type !== 'ws' && tokens[j].type !== 'comment') return tokens[j];
    }
    return undefined;
  };
  return tokens
    .map((t, i) => {
      if (t.type === 'param' && t.value === '?') return '@' + positionalKey(positional++);
      if (t.type === 'param') return '@' + t.value;
      if (t.type === 'sysvar') return '@' + systemKey(t.value);
      if (t.type === 'word' && variables?.has(t.value)) {
        const before = sig(i, -1);
        const after = sig(i, 1);
        const qualified = before?.text === '.' || after?.text === '.' || after?.text === '(' || (before?.type === 'word' && before.value === 'as');
        if (!qualified) return '@' + variableKey(t.value);
      }
      return t.text;
    })
    .join('');
}

export function translateStatement(sql: string, ctx: TranslateContext): string {
  const marked = markReferences(sql, ctx.variables);
  const parsed = parse(marked, Dialect.BigQuery);
  if (!parsed.success) throw new BigQueryError(400, 'invalidQuery', `Syntax error: ${parsed.error}`);
  const placeholders = new Map<string, string>();
  const fixed = fixAst(parsed.ast, {
    literalFor: (key) => ctx.literal(key),
    resolveTable: (parts) => ctx.resolveTable(parts),
    placeholders,
    translateSelect: (select) => {
      const sql = generate([select], Dialect.BigQuery);
      const duck = sql.success && sql.sql ? transpile(sql.sql.join(''), Dialect.BigQuery, Dialect.DuckDB) : undefined;
      if (!duck?.success || !duck.sql) throw new BigQueryError(400, 'invalidQuery', `Unsupported MERGE source: ${duck?.error ?? sql.error}`);
      return duck.sql.join('');
    },
  });
  const regenerated = generate(fixed, Dialect.BigQuery);
  if (!regenerated.success || !regenerated.sql) {
    throw new BigQueryError(400, 'invalidQuery', `Unsupported statement: ${regenerated.error ?? 'cannot generate'}`);
  }
  const duck = transpile(regenerated.sql.join(';\n'), Dialect.BigQuery, Dialect.DuckDB);
  if (!duck.success || !duck.sql) throw new BigQueryError(400, 'invalidQuery', `Unsupported statement: ${duck.error}`);
  let out = duck.sql.join(';\n');
  if (placeholders.size) {
    out = out.replace(/"?\b(__gg_src_\d+)\b"?/gi, (m, name: string) => placeholders.get(name.toLowerCase()) ?? m);
    out = out.replace(/"?\b(__gg_p_\d+)\b"?/gi, (m, name: string) => placeholders.get(name.toLowerCase()) ?? m);
  }
  return out;
}

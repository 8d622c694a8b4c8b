/**
 * Classifies one GoogleSQL statement by its leading keywords and finds the table it writes, so
 * the engine can queue mutations per table, detect transaction conflicts and report
 * `statementType` as BigQuery does.
 */
import { significant, tokenize, type Token } from './tokenizer.ts';

export type StatementType =
  | 'SELECT'
  | 'INSERT'
  | 'UPDATE'
  | 'DELETE'
  | 'MERGE'
  | 'TRUNCATE_TABLE'
  | 'CREATE_SCHEMA'
  | 'DROP_SCHEMA'
  | 'ALTER_SCHEMA'
  | 'CREATE_TABLE'
  | 'CREATE_TABLE_AS_SELECT'
  | 'CREATE_VIEW'
  | 'CREATE_MATERIALIZED_VIEW'
  | 'CREATE_SNAPSHOT_TABLE'
  | 'DROP_TABLE'
  | 'DROP_VIEW'
  | 'DROP_MATERIALIZED_VIEW'
  | 'DROP_SNAPSHOT_TABLE'
  | 'ALTER_TABLE'
  | 'ALTER_VIEW'
  | 'CREATE_FUNCTION'
  | 'DROP_FUNCTION'
  | 'ASSERT'
  | 'EXPORT_DATA'
  | 'UNKNOWN';

export interface StatementInfo {
  type: StatementType;
  /** Path parts of the written table (DML/DDL), e.g. ['proj', 'ds', 't']. */
  target?: string[];
  tokens: Token[];
}

export const dmlTypes = new Set<StatementType>(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'TRUNCATE_TABLE']);

/** Reads a dotted, possibly backticked name starting at index i; returns parts and the next index. */
export function readPath(toks: Token[], i: number): { parts: string[]; next: number } {
  const parts: string[] = [];
  let j = i;
  for (;;) {
    const t = toks[j];
    if (!t || (t.type !== 'word' && t.type !== 'qident')) break;
    // `my-project` written unquoted: words joined by '-'
    let text = t.type === 'qident' ? t.value : t.text;
    j++;
    while (t.type === 'word' && toks[j]?.text === '-' && toks[j + 1]?.type === 'word' && parts.length === 0) {
      text += '-' + toks[j + 1].text;
      j += 2;
    }
    parts.push(...(t.type === 'qident' ? text.split('.') : [text]));
    if (toks[j]?.text !== '.') break;
    j++;
  }
  return { parts, next: j };
}

export function classify(sql: string): StatementInfo {
  const tokens = significant(tokenize(sql));
  const w = (k: number) => (tokens[k]?.type === 'word' ? tokens[k].value : '');
  let i = 0;
  while (tokens[i]?.text === '(') i++;
  const first = w(i);
  const after = (k: number) => readPath(tokens, k).parts;
  switch (first) {
    case 'select':
    case 'with':
    case 'values':
      return { type: 'SELECT', tokens };
    case 'insert':
      return { type: 'INSERT', target: after(w(i + 1) === 'into' ? i + 2 : i + 1), tokens };
    case 'update':
      return { type: 'UPDATE', target: after(i + 1), tokens };
    case 'delete':
      return { type: 'DELETE', target: after(w(i + 1) === 'from' ? i + 2 : i + 1), tokens };
    case 'merge':
      return { type: 'MERGE', target: after(w(i + 1) === 'into' ? i + 2 : i + 1), tokens };
    case 'truncate':
      return { type: 'TRUNCATE_TABLE', target: after(i + 2), tokens };
    case 'assert':
      return { type: 'ASSERT', tokens };
    case 'create':
    case 'drop':
    case 'alter':
      return classifyDdl(first, tokens, i + 1);
    default:
      return { type: 'UNKNOWN', tokens };
  }
}

function classifyDdl(verb: string, tokens: Token[], start: number): StatementInfo {
  let i = start;
  const skip = (...words: string[]) => {
    while (tokens[i]?.type === 'word' && words.includes(tokens[i].value)) i++;
  };
  skip('or', 'replace', 'temp', 'temporary', 'external');
  const objectWord = tokens[i]?.value ?? '';
  let kind = objectWord;
  if (objectWord === 'materialized' || objectWord === 'snapshot') {
    i++;
    kind = `${objectWord}_${tokens[i]?.value}`;
  }
  if (objectWord === 'schema' && verb !== 'create') kind = 'schema';
  i++;
  skip('if', 'not', 'exists');
  const target = readPath(tokens, i).parts;
  const V = verb.toUpperCase();
  const map: Record<string, StatementType> = {
    schema: `${V}_SCHEMA` as StatementType,
    table: verb === 'create' ? (tokens.some((t) => t.type === 'word' && t.value === 'as') ? 'CREATE_TABLE_AS_SELECT' : 'CREATE_TABLE') : (`${V}_TABLE` as StatementType),
    view: `${V}_VIEW` as StatementType,
    materialized_view: `${V}_MATERIALIZED_VIEW` as StatementType,
    snapshot_table: `${V}_SNAPSHOT_TABLE` as StatementType,
    function: `${V}_FUNCTION` as StatementType,
  };
  return { type: map[kind] ?? 'UNKNOWN', target, tokens };
}

/** CREATE TEMP ... or DROP TABLE of an unqualified or _SESSION name: DDL a transaction may run (on its session's temp tables). */
export function isTempDdl(sql: string): boolean {
  return /^\s*(create\s+(or\s+replace\s+)?temp(orary)?\s|drop\s+table\s+(if\s+exists\s+)?(_session\.)?[A-Za-z_][A-Za-z0-9_]*\s*;?\s*$)/i.test(sql);
}

/**
 * `table FOR SYSTEM_TIME AS OF <timestamp expression>`: polyglot only parses a literal there, so the clause is
 * found in the token stream, its expression evaluated (it may use parameters and CURRENT_TIMESTAMP()), and the
 * table replaced by the copy that was current at that time (time-travel.ts), keeping the name as its alias.
 */
import { significant, tokenize, type Token } from './tokenizer.ts';

/** Words that end the timestamp expression at bracket depth 0. */
const STOP = new Set([
  'where',
  'join',
  'inner',
  'left',
  'right',
  'full',
  'cross',
  'on',
  'using',
  'group',
  'order',
  'limit',
  'qualify',
  'window',
  'union',
  'intersect',
  'except',
  'having',
  'as',
  'tablesample',
  'pivot',
  'unpivot',
  'when',
  'then',
  'options',
  'partition',
  'cluster',
]);

export interface SystemTimeRef {
  /** The table path as written. */
  parts: string[];
  /** The timestamp expression's SQL. */
  expr: string;
}

export const hasSystemTime = (sql: string) => /\bfor\s+system_time\s+as\s+of\b/i.test(sql);

/** Finds each `path FOR SYSTEM_TIME AS OF expr`; `replace` gives the text that takes its place. */
export async function rewriteSystemTime(sql: string, replace: (ref: SystemTimeRef, aliased: boolean) => Promise<string>): Promise<string> {
  const toks = significant(tokenize(sql));
  let out = '';
  let copied = 0;
  for (let i = 0; i < toks.length; i++) {
    if (!(isW(toks[i], 'for') && isW(toks[i + 1], 'system_time') && isW(toks[i + 2], 'as') && isW(toks[i + 3], 'of'))) continue;
    // The path before FOR: words/quoted identifiers joined by dots (and '-' inside an unquoted project name).
    let s = i - 1;
    while (s > 0 && (toks[s - 1].text === '.' || toks[s - 1].text === '-' || toks[s].text === '.' || toks[s].text === '-')) s--;
    const pathToks = toks.slice(s, i);
    const parts = pathParts(pathToks);
    let e = i + 4;
    let depth = 0;
    for (; e < toks.length; e++) {
      const t = toks[e];
      if (t.text === '(' || t.text === '[') depth++;
      else if (t.text === ')' || t.text === ']') {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && (t.text === ',' || t.text === ';' || (t.type === 'word' && STOP.has(t.value)))) break;
    }
    const exprStart = toks[i + 4]?.start ?? sql.length;
    const exprEnd = e < toks.length ? toks[e].start : sql.length;
    const aliased = isW(toks[e], 'as') || (toks[e]?.type === 'word' && !STOP.has(toks[e].value)) || toks[e]?.type === 'qident';
    out += sql.slice(copied, pathToks[0].start);
    out += await replace({ parts, expr: sql.slice(exprStart, exprEnd).trim() }, aliased);
    out += ' ';
    copied = exprEnd;
    i = e - 1;
  }
  return out + sql.slice(copied);
}

const isW = (t: Token | undefined, w: string) => t?.type === 'word' && t.value === w;

function pathParts(toks: Token[]): string[] {
  const parts: string[] = [];
  let cur = '';
  for (const t of toks) {
    if (t.text === '.') {
      parts.push(cur);
      cur = '';
    } else if (t.type === 'qident') {
      const split = t.value.split('.');
      cur += split[0];
      for (const p of split.slice(1)) {
        parts.push(cur);
        cur = p;
      }
    } else {
      cur += t.text;
    }
  }
  parts.push(cur);
  return parts.filter(Boolean);
}

const bq = (name: string) => '`' + name.replace(/`/g, '\\`') + '`';

/** GoogleSQL `schema.table` of the resolved copy, aliased as the table's own name when the query gave no alias. */
export function replacement(schema: string, table: string, originalName: string, aliased: boolean): string {
  return `${bq(schema)}.${bq(table)}${aliased ? '' : ` AS ${bq(originalName)}`}`;
}

/** Parses the DDL forms we run ourselves (polyglot drops partitioning, clustering and options). */
import { significant, tokenize, type Token } from './tokenizer.ts';
import { readPath } from './statement-kind.ts';
import { bigQueryTypeToDuck } from '../types.ts';
import { invalidQuery, notSupported } from '../errors.ts';

interface ColumnDef {
  name: string;
  duckType: string;
  notNull: boolean;
  description?: string;
}

export interface CreateTable {
  orReplace: boolean;
  ifNotExists: boolean;
  temp: boolean;
  /** CREATE SNAPSHOT TABLE: a read-only copy. */
  snapshot: boolean;
  target: string[];
  columns?: ColumnDef[];
  primaryKey?: string[];
  partitionBy?: string;
  clusterBy?: string[];
  options: Record<string, string>;
  /** The query after AS, verbatim. */
  asQuery?: string;
  /** CREATE TABLE t LIKE/COPY/CLONE src. */
  source?: { kind: 'like' | 'copy' | 'clone'; path: string[]; forSystemTime?: string };
}

export interface CreateView {
  orReplace: boolean;
  ifNotExists: boolean;
  materialized: boolean;
  target: string[];
  options: Record<string, string>;
  /** The view's column name list (`CREATE VIEW v (a, b) AS ...`), if it has one. */
  columns?: string[];
  query: string;
}

const word = (t: Token | undefined, ...ws: string[]) => t?.type === 'word' && ws.includes(t.value);

/** Index of the token closing the bracket opened at `open`. */
export function closing(toks: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < toks.length; k++) {
    if (toks[k].text === '(' || toks[k].text === '[') depth++;
    else if (toks[k].text === ')' || toks[k].text === ']') {
      depth--;
      if (depth === 0) return k;
    }
  }
  throw invalidQuery('Syntax error: unbalanced parentheses');
}

/** Splits tokens by top-level commas, also respecting `<...>` in types. */
function splitTopLevel(toks: Token[]): Token[][] {
  const out: Token[][] = [[]];
  let depth = 0;
  for (const t of toks) {
    if (['(', '[', '<'].includes(t.text)) depth++;
    else if ([')', ']', '>'].includes(t.text)) depth--;
    else if (t.text === '>>') depth -= 2;
    if (t.text === ',' && depth === 0) out.push([]);
    else out[out.length - 1].push(t);
  }
  return out.filter((p) => p.length > 0);
}

export function parseOptions(toks: Token[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of splitTopLevel(toks)) {
    const key = part[0]?.value;
    const valueToks = part.slice(2);
    if (!key) continue;
    out[key] = valueToks.length === 1 && valueToks[0].type === 'string' ? valueToks[0].value : valueToks.map((t) => t.text).join(' ');
  }
  return out;
}

/**
 * `CREATE [OR REPLACE] [modifiers] <object word> [IF NOT EXISTS] path`: the flags, the modifiers seen
 * (TEMP, MATERIALIZED, ...), the target path and the index after it.
 */
function readCreateHead(toks: Token[], modifierWords: string[]) {
  let i = 1;
  let orReplace = false;
  const modifiers: string[] = [];
  while (word(toks[i], 'or', 'replace', ...modifierWords)) {
    if (word(toks[i], 'replace')) orReplace = true;
    else if (word(toks[i], ...modifierWords)) modifiers.push(toks[i].value);
    i++;
  }
  i++; // the object word: TABLE, VIEW
  const ifNotExists = word(toks[i], 'if');
  if (ifNotExists) i += 3;
  // data-definition-language#create_table_statement: OR REPLACE "Cannot appear with IF NOT EXISTS".
  if (ifNotExists && orReplace) throw invalidQuery('Syntax error: CREATE OR REPLACE cannot be used with IF NOT EXISTS');
  const path = readPath(toks, i);
  return { orReplace, modifiers, ifNotExists, target: path.parts, next: path.next };
}

export function parseCreateTable(sql: string): CreateTable {
  const toks = significant(tokenize(sql));
  const head = readCreateHead(toks, ['temp', 'temporary', 'snapshot']);
  const res: CreateTable = {
    orReplace: head.orReplace,
    ifNotExists: head.ifNotExists,
    temp: head.modifiers.some((m) => m !== 'snapshot'),
    snapshot: head.modifiers.includes('snapshot'),
    target: head.target,
    options: {},
  };
  let i = head.next;
  if (word(toks[i], 'like', 'copy', 'clone')) {
    const kind = toks[i].value as 'like' | 'copy' | 'clone';
    const src = readPath(toks, i + 1);
    res.source = { kind, path: src.parts };
    i = src.next;
    if (word(toks[i], 'for')) {
      // FOR SYSTEM_TIME AS OF <expr>
      const start = toks[i + 4]?.start;
      let end = i + 4;
      while (end < toks.length && !word(toks[end], 'options', 'partition', 'cluster')) end++;
      res.source.forSystemTime = sql.slice(start, toks[end]?.start ?? sql.length);
      i = end;
    }
  }
  if (toks[i]?.text === '(') {
    const close = closing(toks, i);
    parseColumns(toks.slice(i + 1, close), res);
    i = close + 1;
  }
  while (i < toks.length) {
    if (word(toks[i], 'default') && word(toks[i + 1], 'collate')) {
      checkCollation(toks[i + 2]);
      i += 3;
    } else if (word(toks[i], 'partition') && word(toks[i + 1], 'by')) {
      let end = i + 2;
      let depth = 0;
      while (end < toks.length) {
        if (toks[end].text === '(') depth++;
        if (toks[end].text === ')') depth--;
        if (depth === 0 && word(toks[end], 'cluster', 'options', 'as')) break;
        end++;
      }
      res.partitionBy = sql.slice(toks[i + 2].start, toks[end - 1].start + toks[end - 1].text.length);
      i = end;
    } else if (word(toks[i], 'cluster') && word(toks[i + 1], 'by')) {
      let end = i + 2;
      const cols: string[] = [];
      while (end < toks.length && !word(toks[end], 'options', 'as')) {
        if (toks[end].text !== ',') cols.push(toks[end].value);
        end++;
      }
      res.clusterBy = cols;
      i = end;
    } else if (word(toks[i], 'options') && toks[i + 1]?.text === '(') {
      const close = closing(toks, i + 1);
      res.options = { ...res.options, ...parseOptions(toks.slice(i + 2, close)) };
      i = close + 1;
    } else if (word(toks[i], 'as')) {
      res.asQuery = sql.slice(toks[i + 1]?.start ?? sql.length).trim();
      break;
    } else {
      throw invalidQuery(`Syntax error: unexpected "${toks[i].text}" in CREATE TABLE`);
    }
  }
  if (!res.columns && !res.asQuery && !res.source) throw invalidQuery('Syntax error: CREATE TABLE needs a column list or AS query');
  if (res.asQuery && res.source && res.source.kind !== 'like') throw invalidQuery(`Syntax error: CREATE TABLE ... ${res.source.kind.toUpperCase()} cannot have an AS query`);
  if (res.snapshot && res.source?.kind !== 'clone') throw invalidQuery('Syntax error: CREATE SNAPSHOT TABLE needs CLONE source_table');
  return res;
}

function parseColumns(toks: Token[], res: CreateTable) {
  res.columns = [];
  for (const part of splitTopLevel(toks)) {
    if (word(part[0], 'primary')) {
      const open = part.findIndex((t) => t.text === '(');
      res.primaryKey = part
        .slice(open + 1, closing(part, open))
        .filter((t) => t.text !== ',')
        .map((t) => t.value);
      continue;
    }
    if (word(part[0], 'foreign', 'constraint')) continue;
    const name = part[0].type === 'qident' ? part[0].value : part[0].text;
    let end = 1;
    let depth = 0;
    while (end < part.length) {
      const t = part[end];
      if (t.text === '<' || t.text === '(') depth++;
      if (t.text === '>' || t.text === ')') depth--;
      if (t.text === '>>') depth -= 2;
      if (depth <= 0 && word(part[end + (t.text === '>' || t.text === ')' || t.text === '>>' ? 1 : 0)], 'not', 'options', 'default', 'collate', 'primary')) {
        end += t.text === '>' || t.text === ')' || t.text === '>>' ? 1 : 0;
        break;
      }
      end++;
    }
    const typeText = part
      .slice(1, end)
      .map((t) => t.text)
      .join(' ');
    const col: ColumnDef = { name, duckType: bigQueryTypeToDuck(typeText), notNull: false };
    for (let k = end; k < part.length; k++) {
      if (word(part[k], 'not') && word(part[k + 1], 'null')) col.notNull = true;
      if (word(part[k], 'options') && part[k + 1]?.text === '(') {
        const close = closing(part, k + 1);
        const opts = parseOptions(part.slice(k + 2, close));
        if (opts.description !== undefined) col.description = opts.description;
        k = close;
      }
      if (word(part[k], 'primary')) res.primaryKey = [name];
      if (word(part[k], 'collate')) checkCollation(part[k + 1]);
      // A column default (BigQuery fills it in for INSERTs that omit the column); ignoring it would give NULLs.
      if (word(part[k], 'default')) throw notSupported(`The DEFAULT value of column ${name}`);
    }
    res.columns.push(col);
  }
}

export function parseCreateView(sql: string): CreateView {
  const toks = significant(tokenize(sql));
  const head = readCreateHead(toks, ['materialized']);
  const res: CreateView = {
    orReplace: head.orReplace,
    ifNotExists: head.ifNotExists,
    materialized: head.modifiers.length > 0,
    target: head.target,
    options: {},
    query: '',
  };
  let i = head.next;
  while (i < toks.length && !word(toks[i], 'as')) {
    if (word(toks[i], 'options') && toks[i + 1]?.text === '(') {
      const close = closing(toks, i + 1);
      res.options = parseOptions(toks.slice(i + 2, close));
      i = close + 1;
    } else if (toks[i].text === '(') {
      const close = closing(toks, i);
      res.columns = columnNames(toks.slice(i + 1, close));
      i = close + 1;
    } else if (word(toks[i], 'partition', 'cluster')) {
      i += 2;
      while (i < toks.length && !word(toks[i], 'as', 'options', 'cluster')) i++;
    } else {
      throw invalidQuery(`Syntax error: unexpected "${toks[i].text}" in CREATE VIEW`);
    }
  }
  if (!word(toks[i], 'as')) throw invalidQuery('Syntax error: CREATE VIEW needs AS query');
  res.query = sql.slice(toks[i + 1]?.start ?? sql.length).trim();
  return res;
}

/** The names of a view's column name list: the first token of each item (an item may add OPTIONS(...)). */
function columnNames(toks: Token[]): string[] {
  const names: string[] = [];
  let depth = 0;
  let first = true;
  for (const t of toks) {
    if (first) names.push(t.type === 'qident' ? t.value : t.text);
    first = false;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (t.text === ',' && depth === 0) first = true;
  }
  return names;
}

/** timePartitioning from a PARTITION BY expression. */
export function partitioningFrom(expr: string): { type: string; field?: string } | undefined {
  const toks = significant(tokenize(expr));
  const names = toks.filter((t) => t.type === 'word' || t.type === 'qident');
  const fnName = toks[1]?.text === '(' ? toks[0].value : undefined;
  const unitTok = names.find((t) => ['day', 'hour', 'month', 'year'].includes(t.value) && t !== names[0]);
  const unit = unitTok ? unitTok.value.toUpperCase() : 'DAY';
  if (!fnName) {
    const field = names[0]?.type === 'qident' ? names[0].value : names[0]?.text;
    if (field === '_PARTITIONDATE') return { type: 'DAY' };
    return { type: 'DAY', field };
  }
  if (fnName === 'range_bucket') return undefined;
  const field = toks[2]?.type === 'qident' ? toks[2].value : toks[2]?.text;
  return { type: fnName === 'date' ? 'DAY' : unit, field };
}

/**
 * Only binary collation (BigQuery's default comparison) is kept: a case-insensitive column ('und:ci') would compare,
 * group, join and search case-sensitively here, a silently different answer.
 */
function checkCollation(spec: Token | undefined): void {
  const name = spec?.type === 'string' ? spec.value : undefined;
  if (name === '' || name?.toLowerCase() === 'binary') return;
  throw invalidQuery(`Collation ${spec?.text ?? ''} is not supported by the local emulator (only 'binary')`);
}

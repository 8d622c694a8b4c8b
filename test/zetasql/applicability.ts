/**
 * Which compliance cases apply to BigQuery: the decisions in applicability.json (per ZetaSQL feature, per file, per
 * label, each with BigQuery's documentation as its source) plus rules on types BigQuery lacks. An excluded case is
 * returned with its reason so that it is counted, never dropped.
 */
import { readFileSync } from 'node:fs';
import type { ComplianceCase } from './parse-file.ts';
import type { Expected, ZType, ZValue } from './value-text.ts';
import { tokenize } from '@gradeguard/bigquery-emulator/testing';

interface Decision {
  bigquery: boolean;
  reason: string;
  source: string;
}
export interface ApplicabilityData {
  features: Record<string, Decision>;
  files: Record<string, Decision>;
  labels: Record<string, Decision>;
  /** Single cases, by id (`file:name`): an expected result that no longer holds in BigQuery either. */
  cases: Record<string, Decision>;
  rules: Record<string, string>;
}

export const applicability: ApplicabilityData = JSON.parse(readFileSync(new URL('./applicability.json', import.meta.url), 'utf8'));

export type Verdict = { applies: true } | { applies: false; reason: string };

/** ZetaSQL type names BigQuery has no counterpart for. */
const NON_BIGQUERY_TYPES = new Set([
  'INT32',
  'UINT32',
  'UINT64',
  'FLOAT',
  'FLOAT32',
  'PROTO',
  'ENUM',
  'MAP',
  'UUID',
  'GRAPH_ELEMENT',
  'GRAPH_PATH',
  'GRAPH_NODE',
  'GRAPH_EDGE',
  'MEASURE',
  'TOKENLIST',
  'TIMESTAMP_PICOS',
]);
/** GoogleSQL functions missing from BigQuery's function lists (see the rule function_not_in_bigquery). */
const NON_BIGQUERY_FUNCTIONS = /^(array_is_distinct|array_first_n|array_last_n|array_avg|array_sum|array_min|array_max|regexp_match)$/i;
const TYPE_WORDS_IN_SQL = /^(int32|uint32|uint64|float32|float|proto|enum|map|uuid)$/i;

function badType(t: ZType | undefined): string | undefined {
  if (!t) return undefined;
  if (NON_BIGQUERY_TYPES.has(t.name)) return t.name;
  if (t.name === 'ARRAY' && t.element?.name === 'ARRAY') return 'ARRAY<ARRAY>';
  return badType(t.element) ?? t.fields?.map((f) => badType(f.type)).find(Boolean);
}

function valueProblem(v: ZValue, top = true): string | undefined {
  if (!v || v.kind === 'scalar') return undefined;
  if (v.kind === 'array') {
    const t = badType(v.type);
    if (t) return t;
    // The top level is the list of rows, not an ARRAY value.
    if (!top && v.items.some((x) => x === null)) return 'array_null_element';
    if (!top && v.items.some((x) => x?.kind === 'array')) return 'array_of_array';
  }
  for (const item of v.items) {
    const p = valueProblem(item, top && v.kind === 'array');
    if (p) return p;
  }
  return undefined;
}

/** Words of the SQL outside string literals and comments. */
export function sqlWords(sql: string): string[] {
  return tokenize(sql)
    .filter((t) => t.type === 'word' || t.type === 'qident')
    .map((t) => t.text.replace(/`/g, ''));
}

/** The SQL with ZetaSQL's DOUBLE written as FLOAT64 (the same type), for what the harness sends. */
export function bigQuerySpelling(sql: string, tableTypes = false): string {
  const tokens = tokenize(sql);
  const significant = (i: number, dir: number) => {
    for (let j = i + dir; j >= 0 && j < tokens.length; j += dir) if (tokens[j].type !== 'ws' && tokens[j].type !== 'comment') return tokens[j];
    return undefined;
  };
  // DOUBLE is a type name, except where a file uses it as a column name (`SELECT -0.0 DOUBLE ... GROUP BY DOUBLE`).
  const isColumnName = (i: number) => {
    const before = significant(i, -1);
    if (significant(i, 1)?.text === '(') return false;
    return before !== undefined && (before.type === 'number' || before.text === ')' || before.text === '.' || (before.type === 'word' && /^(select|by|distinct)$/i.test(before.text)));
  };
  return tokens
    .map((t, i) => {
      if (t.type !== 'word') return t.text;
      if (/^double$/i.test(t.text)) return isColumnName(i) ? t.text : 'FLOAT64';
      if (tableTypes && /^(int32|uint32|uint64)$/i.test(t.text)) return 'INT64';
      if (tableTypes && /^(float|float32)$/i.test(t.text)) return 'FLOAT64';
      return t.text;
    })
    .join('');
}

/** What the file's [prepare_database] tables rule out: tables BigQuery could not hold, FLOAT (32-bit) columns. */
export interface ExcludedByTables {
  tables: Set<string>;
  float32Columns: Set<string>;
}

export function decide(c: ComplianceCase, expected: Expected, excluded: ExcludedByTables): Verdict {
  const single = applicability.cases[c.id];
  if (single && !single.bigquery) return { applies: false, reason: `case ${c.id}: ${single.reason}` };
  const file = applicability.files[c.file];
  if (file && !file.bigquery) return { applies: false, reason: `file ${c.file}: ${file.reason}` };
  for (const f of c.requiredFeatures) {
    const d = applicability.features[f];
    if (!d) return { applies: false, reason: `undecided feature ${f}` };
    if (!d.bigquery) return { applies: false, reason: `feature ${f}: ${d.reason}` };
  }
  for (const f of c.forbiddenFeatures) {
    const d = applicability.features[f];
    if (!d) return { applies: false, reason: `undecided feature ${f}` };
    if (d.bigquery) return { applies: false, reason: `feature ${f} (forbidden by the case): ${d.reason}` };
  }
  for (const l of c.labels) {
    const d = applicability.labels[l];
    if (d && !d.bigquery) return { applies: false, reason: `label ${l}: ${d.reason}` };
  }
  if (c.primaryKeyMode) return { applies: false, reason: 'rule primary_key_mode' };
  if (c.otherOptions.some((o) => /^load_(proto|enum)/.test(o))) {
    if (/zetasql_test__|\bproto\b|\benum\b/i.test(c.sql + (c.parameters ?? ''))) return { applies: false, reason: 'rule proto_options' };
  }
  const words = sqlWords(c.sql + '\n' + (c.parameters ? `SELECT ${c.parameters}` : ''));
  const typeWord = words.find((w) => TYPE_WORDS_IN_SQL.test(w) && !/^(map|enum|proto)$/i.test(w)) ?? words.find((w) => /^zetasql_test__/i.test(w));
  if (typeWord) return { applies: false, reason: `rule non_bigquery_type (${typeWord.toUpperCase()} in the SQL)` };
  const table = words.find((w) => excluded.tables.has(w.toLowerCase()));
  if (table) return { applies: false, reason: `rule table_needs_excluded_type (${table})` };
  if ('error' in expected && /\b(u?int32|uint64) out of range\b/i.test(expected.error)) return { applies: false, reason: 'rule error_of_excluded_type' };
  if ('error' in expected && /^generic::unimplemented\b/.test(expected.error)) return { applies: false, reason: 'rule reference_unimplemented' };
  if ('type' in expected) {
    const t = badType(expected.type) ?? valueProblem(expected.value);
    if (t === 'array_null_element' || t === 'array_of_array') return { applies: false, reason: `rule ${t}` };
    if (t) return { applies: false, reason: `rule non_bigquery_type (${t} in the result)` };
  }
  const float32 = words.find((w) => excluded.float32Columns.has(w.toLowerCase()));
  if (float32) return { applies: false, reason: `rule reads_float32_column (${float32})` };
  if (/^update$/i.test(words[0] ?? '') && /\(\s*(delete|update|insert)\b/i.test(c.sql)) return { applies: false, reason: 'rule nested_dml' };
  const missing = words.find((w) => NON_BIGQUERY_FUNCTIONS.test(w));
  if (missing) return { applies: false, reason: `rule function_not_in_bigquery (${missing.toUpperCase()})` };
  if (words.some((w) => /^assert_rows_modified$/i.test(w))) return { applies: false, reason: 'rule assert_rows_modified' };
  const all = words.findIndex((w, i) => /^(intersect|except)$/i.test(w) && /^all$/i.test(words[i + 1] ?? ''));
  if (all >= 0) return { applies: false, reason: `rule intersect_except_all (${words[all].toUpperCase()} ALL)` };
  const sample = words.findIndex((w, i) => /^tablesample$/i.test(w) && !/^system$/i.test(words[i + 1] ?? ''));
  if (sample >= 0) return { applies: false, reason: `rule tablesample_not_system (TABLESAMPLE ${(words[sample + 1] ?? '').toUpperCase()})` };
  return { applies: true };
}

/** A table the file creates that BigQuery could not hold (protocol buffers, enums, maps...). */
export function tableIsExcluded(prepareSql: string, expected: Expected): boolean {
  if (/zetasql_test__|\bproto<|\benum</i.test(prepareSql)) return true;
  if (!('type' in expected)) return false;
  const t = badType(expected.type);
  return t !== undefined && !/^(INT32|UINT32|UINT64|FLOAT)$/.test(t);
}

/** The short reason key (for tables of counts): "feature X", "file f", "rule r". */
export function reasonKey(reason: string): string {
  const m = /^(feature \S+|file \S+|label \S+|case \S+|rule \S+|undecided feature \S+)/.exec(reason);
  return (m ? m[1] : reason).replace(/:$/, '');
}

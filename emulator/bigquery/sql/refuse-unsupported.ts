/**
 * BigQuery features the local emulator refuses before translating, naming them, rather than failing with a DuckDB
 * parser or catalog error.
 *
 * Of the range functions (https://cloud.google.com/bigquery/docs/reference/standard-sql/range-functions), RANGE,
 * RANGE_START, RANGE_END, RANGE_OVERLAPS and RANGE_INTERSECT are the emulator's (../range-type.ts); the others are refused, naming them, where DuckDB
 * would have failed on a missing function or answered with one of its own.
 */
import { invalidQuery, notSupported } from '../errors.ts';
import { opensCallArguments, significant, tokenize, type Token } from './tokenizer.ts';

const RANGE_FUNCTIONS = ['range_contains', 'range_sessionize', 'generate_range_array'];

/**
 * The sketch function families (https://cloud.google.com/bigquery/docs/reference/standard-sql/hll_functions,
 * .../kll_functions): `HLL_COUNT.INIT(...)` and the like, which DuckDB has no counterpart for.
 */
const SKETCH_FAMILIES = new Set(['hll_count', 'kll_quantiles']);

/**
 * Throws for calls of the sketch function families, for a SAFE. call with an OVER clause (polyglot cannot parse it), for GRAPH_TABLE (https://cloud.google.com/bigquery/docs/graph-query-overview), for SELECT WITH DIFFERENTIAL_PRIVACY, for a STRUCT without fields, and for the
 * `HAVING MAX | MIN` modifiers aggregate-having.ts leaves in place (a window call's, a PIVOT's, a qualified name's),
 * which polyglot cannot parse: a syntax error would blame valid BigQuery SQL.
 */
export function refuseUnsupportedConstructs(sql: string): void {
  if (!/\b(hll_count|kll_quantiles)\s*\.|\bhaving\s+(max|min)\b|\bgraph_table\s*\(|\bdifferential_privacy\b|\btablesample\b|\bsafe\s*\.[\s\S]*\bover\b|\bstruct\s*(<\s*>|\(\s*\))/i.test(sql)) return;
  const ts = significant(tokenize(sql));
  /** Per open parenthesis: whether it holds a function call's arguments (not a subquery, not a grouping). */
  const calls: boolean[] = [];
  for (let i = 0; i + 1 < ts.length; i++) {
    if (ts[i].text === '(') calls.push(opensCallArguments(ts, i));
    if (ts[i].text === ')') calls.pop();
    if (ts[i].type !== 'word') continue;
    if (ts[i].value === 'having' && (ts[i + 1].value === 'max' || ts[i + 1].value === 'min') && calls.at(-1)) {
      throw notSupported(`The HAVING ${ts[i + 1].text.toUpperCase()} modifier of an aggregate function call`);
    }
    if (ts[i].value === 'tablesample') checkTableSample(ts, i);
    if (ts[i].value === 'graph_table' && ts[i + 1].text === '(') throw notSupported('GRAPH_TABLE (graph queries)');
    // https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#differential_privacy_clause
    if (ts[i].value === 'select' && ts[i + 1].value === 'with' && ts[i + 2]?.value === 'differential_privacy') throw notSupported('SELECT WITH DIFFERENTIAL_PRIVACY');
    // DuckDB has no STRUCT without fields (`STRUCT<>`, `STRUCT()`).
    if (ts[i].value === 'struct' && /^(<>|\(\))/.test(`${ts[i + 1].text}${ts[i + 2]?.text ?? ''}`)) throw notSupported('A STRUCT with no fields');
    if (ts[i].value === 'safe' && ts[i + 1].text === '.' && ts[i + 2]?.type === 'word' && ts[i + 3]?.text === '(' && ts[closing(ts, i + 3) + 1]?.value === 'over') {
      throw notSupported(`SAFE.${ts[i + 2].text.toUpperCase()} with an OVER clause`);
    }
    if (SKETCH_FAMILIES.has(ts[i].value) && ts[i + 1].text === '.' && ts[i + 2]?.type === 'word') {
      throw notSupported(`${ts[i].text.toUpperCase()}.${ts[i + 2].text.toUpperCase()} (sketch functions)`);
    }
  }
}

/** The index of the parenthesis that closes the one at `open`. */
function closing(ts: Token[], open: number): number {
  let depth = 0;
  for (let j = open; j < ts.length; j++) {
    if (ts[j].text === '(') depth++;
    if (ts[j].text === ')' && --depth === 0) return j;
  }
  return ts.length;
}

/** The function handlers (fix-functions.ts) of the RANGE functions the emulator does not have: each refuses. */
export const rangeFunctionRefusals = Object.fromEntries(
  RANGE_FUNCTIONS.map((name) => [
    name,
    () => {
      throw notSupported(`${name.toUpperCase()}() (RANGE values)`);
    },
  ]),
);

/**
 * BigQuery samples with `TABLESAMPLE SYSTEM (percent PERCENT)` only
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#tablesample_operator); DuckDB would also
 * answer BERNOULLI, RESERVOIR and a number of ROWS, which BigQuery rejects.
 */
function checkTableSample(ts: Token[], i: number): void {
  const method = ts[i + 1];
  if (method?.value !== 'system') throw invalidQuery(`TABLESAMPLE ${method?.text.toUpperCase() ?? ''} is not supported in BigQuery; use TABLESAMPLE SYSTEM (percent PERCENT)`);
  let depth = 0;
  for (let j = i + 2; j < ts.length; j++) {
    if (ts[j].text === '(') depth++;
    if (ts[j].text === ')' && --depth <= 0) return;
    if (depth === 1 && ts[j].value === 'rows') throw invalidQuery('TABLESAMPLE SYSTEM takes a PERCENT in BigQuery, not a number of ROWS');
  }
}

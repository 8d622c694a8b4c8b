/**
 * BigQuery features the local emulator refuses before translating, naming them, rather than failing with a DuckDB
 * parser or catalog error.
 *
 * BigQuery's RANGE<DATE | DATETIME | TIMESTAMP> values (the type, its literals and functions) are not implemented by
 * the local emulator (https://cloud.google.com/bigquery/docs/reference/standard-sql/range-functions). Without this,
 * a RANGE literal failed with a DuckDB binder error and RANGE(1, 5) would answer with DuckDB's range(), a list of
 * numbers, where BigQuery rejects the arguments: every such construct is refused, naming it.
 */
import { notSupported } from '../errors.ts';
import { significant, tokenize } from './tokenizer.ts';

const RANGE_FUNCTIONS = ['range', 'range_start', 'range_end', 'range_contains', 'range_overlaps', 'range_intersect', 'range_sessionize', 'generate_range_array'];

/**
 * The sketch function families (https://cloud.google.com/bigquery/docs/reference/standard-sql/hll_functions,
 * .../kll_functions): `HLL_COUNT.INIT(...)` and the like, which DuckDB has no counterpart for.
 */
const SKETCH_FAMILIES = new Set(['hll_count', 'kll_quantiles']);

/**
 * Throws for `RANGE<...>` (a type or a typed literal; RANGE is reserved, so it is never a column) and for calls of the
 * sketch function families.
 */
export function refuseUnsupportedConstructs(sql: string): void {
  if (!/\brange\s*<|\b(hll_count|kll_quantiles)\s*\./i.test(sql)) return;
  const ts = significant(tokenize(sql));
  for (let i = 0; i + 1 < ts.length; i++) {
    if (ts[i].type !== 'word') continue;
    if (ts[i].value === 'range' && ts[i + 1].text === '<') throw notSupported('The RANGE type');
    if (SKETCH_FAMILIES.has(ts[i].value) && ts[i + 1].text === '.' && ts[i + 2]?.type === 'word') {
      throw notSupported(`${ts[i].text.toUpperCase()}.${ts[i + 2].text.toUpperCase()} (sketch functions)`);
    }
  }
}

/** The function handlers (fix-functions.ts) of the RANGE functions: each refuses. */
export const rangeFunctionRefusals = Object.fromEntries(
  RANGE_FUNCTIONS.map((name) => [
    name,
    () => {
      throw notSupported(`${name.toUpperCase()}() (RANGE values)`);
    },
  ]),
);

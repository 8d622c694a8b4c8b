/**
 * BigQuery's RANGE<DATE | DATETIME | TIMESTAMP> values (the type, its literals and functions) are not implemented by
 * the local emulator (https://cloud.google.com/bigquery/docs/reference/standard-sql/range-functions). Without this,
 * a RANGE literal failed with a DuckDB binder error and RANGE(1, 5) would answer with DuckDB's range(), a list of
 * numbers, where BigQuery rejects the arguments: every such construct is refused, naming it.
 */
import { notSupported } from '../errors.ts';
import { significant, tokenize } from './tokenizer.ts';

const RANGE_FUNCTIONS = ['range', 'range_start', 'range_end', 'range_contains', 'range_overlaps', 'range_intersect', 'range_sessionize', 'generate_range_array'];

/** Throws for `RANGE<...>` (a type or a typed literal) in a statement; RANGE is reserved, so it is never a column. */
export function refuseRangeType(sql: string): void {
  if (!/\brange\s*</i.test(sql)) return;
  const ts = significant(tokenize(sql));
  for (let i = 0; i + 1 < ts.length; i++) {
    if (ts[i].type === 'word' && ts[i].value === 'range' && ts[i + 1].text === '<') throw notSupported('The RANGE type');
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

import type { CanonicalValue, ConformanceCase } from '../case.js';

/** A one-statement query case whose result rows are compared as a multiset (or in order if `ordered`). */
export function q(
  name: string,
  source: string,
  sql: string,
  rows: CanonicalValue[][],
  extra: { types?: string[]; columns?: string[]; ordered?: boolean; setup?: string[]; defaultDataset?: boolean } = {},
): ConformanceCase {
  const { setup, defaultDataset, ...rest } = extra;
  return { name, source, ...(setup ? { setup } : {}), ...(defaultDataset ? { defaultDataset } : {}), sql, expect: { rows, ...rest } };
}

/** A case whose job must fail with a message matching `error` (case-insensitive regular expression). */
export function err(name: string, source: string, sql: string, error: string, setup?: string[]): ConformanceCase {
  return { name, source, ...(setup ? { setup } : {}), sql, expect: { error } };
}

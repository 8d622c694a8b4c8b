/** Counts of compliance outcomes per file, per family and in total, and exclusions by reason. */
import type { CaseResult, Outcome } from './run.ts';
import { reasonKey } from './applicability.ts';

export interface Counts {
  cases: number;
  excluded: number;
  applicable: number;
  pass: number;
  refused: number;
  error: number;
  wrong: number;
}

/** The families a Dataform pipeline uses every day, by file name; everything else is "other". */
const FAMILIES: Array<[string, RegExp]> = [
  ['strings', /^(strings|concat_function|regexp_functions|bytes|like_a(ll|ny)|collation|orderby_collate_queries)\.test$/],
  ['dates and timestamps', /^(date|civil_time|interval|timezones|timestamp_with_default_time_zone(_2)?|default_timezone_\w+|nano_timestamp|pico_timestamp)\.test$/],
  ['json', /^json_queries\.test$/],
  ['windows', /^analytic_\w+\.test$/],
  [
    'aggregates',
    /^(aggregat\w+|approx_aggregation|stat_aggregation|numeric_aggregation_queries|hll_count|having_queries|groupby_queries(_2)?|group_by_all|grouping_sets_queries|multi_level_aggregation_\w+)\.test$/,
  ],
  ['arrays and structs', /^(array_\w+|unnest_\w+|struct_queries|replace_fields)\.test$/],
  ['casts', /^(cast_function|safe_function|type_queries|typeof|numeric)\.test$/],
  ['dml', /^dml_\w+\.test$/],
];

export const familyOf = (file: string) => FAMILIES.find(([, re]) => re.test(file))?.[0] ?? 'other';
export const DAILY_FAMILIES = FAMILIES.map(([f]) => f);

const empty = (): Counts => ({ cases: 0, excluded: 0, applicable: 0, pass: 0, refused: 0, error: 0, wrong: 0 });

export function summarise(results: CaseResult[]) {
  const total = empty();
  const byFile = new Map<string, Counts>();
  const byFamily = new Map<string, Counts>();
  const byReason = new Map<string, number>();
  for (const r of results) {
    const rows = [total, get(byFile, r.file), get(byFamily, familyOf(r.file))];
    for (const c of rows) {
      c.cases++;
      if (r.excluded) c.excluded++;
      else {
        c.applicable++;
        c[r.outcome as Outcome]++;
      }
    }
    if (r.excluded) byReason.set(reasonKey(r.excluded), (byReason.get(reasonKey(r.excluded)) ?? 0) + 1);
  }
  return { total, byFile, byFamily, byReason };
}

function get(m: Map<string, Counts>, k: string): Counts {
  let c = m.get(k);
  if (!c) m.set(k, (c = empty()));
  return c;
}

export const percent = (c: Counts) => (c.applicable ? (100 * c.pass) / c.applicable : 0).toFixed(1);

/**
 * The `time_zone` connection property of a query job. The local emulator computes in UTC (DuckDB's time zone is
 * locked at start-up, see file-access.ts), so another default time zone is honoured only for statements whose
 * answer cannot depend on it: no CURRENT_DATE/DATETIME/TIME, and no construct that reads the zone (zone-dependence.ts)
 * where TIMESTAMP values are around. Any other statement is refused rather than answered in UTC (BigQuery would use
 * the job's zone: a silently different answer).
 */
import { invalid, invalidQuery } from './errors.ts';
import { civilNowFunction, mentionsTimestamps, zoneDependentConstruct } from './zone-dependence.ts';

const UTC_NAMES = new Set(['utc', 'etc/utc', 'etc/uct', 'uct', 'zulu', 'etc/zulu', 'gmt', 'etc/gmt', 'z', '+00', '+00:00']);

/** The job's time zone from its connectionProperties (undefined for none); rejects repeated keys. */
export function connectionTimeZone(properties: unknown): string | undefined {
  if (properties === undefined) return undefined;
  if (!Array.isArray(properties)) throw invalid('connectionProperties must be a list');
  const seen = new Set<string>();
  let zone: string | undefined;
  for (const p of properties as Array<{ key?: unknown; value?: unknown }>) {
    const key = String(p?.key ?? '');
    if (seen.has(key)) throw invalid(`Connection property ${key} is specified more than once`);
    seen.add(key);
    if (key === 'time_zone') zone = String(p?.value ?? '');
  }
  return zone;
}

const isUtc = (zone: string | undefined) => zone === undefined || UTC_NAMES.has(zone.trim().toLowerCase());

/**
 * Refuses `sql` under a non-UTC zone when its answer may depend on the zone: CURRENT_DATE/DATETIME/TIME, or a
 * zone-reading construct (zone-dependence.ts) where TIMESTAMP values are around (named by the statement, a TIMESTAMP
 * parameter or variable, or a table it reads with a TIMESTAMP column). `values` are the job's parameter and variable
 * literals; `readsTimestamps` is asked only when the statement has such a construct.
 */
export async function checkTimeZone(zone: string | undefined, sql: string, values: Iterable<string>, readsTimestamps: () => Promise<boolean>): Promise<void> {
  if (isUtc(zone)) return;
  const refuse = (why: string) => invalidQuery(`The time_zone connection property ${zone} is not supported by the local emulator for this statement (${why}); the local emulator computes in UTC`);
  const now = civilNowFunction(sql);
  if (now) throw refuse(`it uses ${now}`);
  const construct = zoneDependentConstruct(sql);
  if (!construct) return;
  if (mentionsTimestamps(sql)) throw refuse(`it uses ${construct} with TIMESTAMP values`);
  for (const v of values) if (/TIMESTAMPTZ|TIMESTAMP WITH TIME ZONE/i.test(v)) throw refuse(`it uses ${construct} and a parameter or variable is a TIMESTAMP`);
  if (await readsTimestamps()) throw refuse(`it uses ${construct} and reads a table with a TIMESTAMP column`);
}

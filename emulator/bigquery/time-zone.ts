/**
 * The `time_zone` connection property of a query job. The local emulator computes in UTC (DuckDB's time zone is
 * locked at start-up, see file-access.ts), so another default time zone is honoured only for statements whose
 * answer cannot depend on it: statements with no TIMESTAMP value anywhere (no TIMESTAMP literal, cast, function or
 * parameter, no CURRENT_DATE/DATETIME/TIME, no table with a TIMESTAMP column). Any other statement is refused
 * rather than answered in UTC (BigQuery would use the job's zone: a silently different answer).
 */
import { invalid, invalidQuery } from './errors.ts';
import { tokenize } from './sql/tokenizer.ts';

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

/** Words that bring a zone-dependent value into a statement. */
const ZONE_WORDS = /^(timestamp\w*|current_date|current_datetime|current_time|\w*_timestamp\w*)$/i;

/**
 * Refuses `sql` under a non-UTC zone when its answer may depend on the zone. `values` are the job's parameter and
 * variable literals; `readsTimestamps` tells whether a table it reads has a TIMESTAMP column (asked only when the zone
 * is not UTC).
 */
export async function checkTimeZone(zone: string | undefined, sql: string, values: Iterable<string>, readsTimestamps: () => Promise<boolean>): Promise<void> {
  if (isUtc(zone)) return;
  const refuse = (why: string) => invalidQuery(`The time_zone connection property ${zone} is not supported by the local emulator for this statement (${why}); the local emulator computes in UTC`);
  const word = tokenize(sql).find((t) => (t.type === 'word' || t.type === 'qident') && ZONE_WORDS.test(t.type === 'qident' ? t.value : t.text));
  if (word) throw refuse(`it uses ${word.text}`);
  for (const v of values) if (/TIMESTAMPTZ|TIMESTAMP WITH TIME ZONE/i.test(v)) throw refuse('a parameter or variable is a TIMESTAMP');
  if (await readsTimestamps()) throw refuse('it reads a table with a TIMESTAMP column');
}

/**
 * The `time_zone` connection property of a query job: the default time zone of its statements
 * (https://cloud.google.com/bigquery/docs/reference/rest/v2/ConnectionProperty). BigQuery TIMESTAMP is DuckDB
 * TIMESTAMPTZ, whose casts to and from civil time and text, EXTRACT and CURRENT_DATE follow the connection's
 * TimeZone setting; so the job's connection is set to the job's zone (connection-pool.ts), and the functions whose
 * zone argument is optional default to that setting (fix-datetime.ts). What must not follow it (a TIMESTAMP's range,
 * TIMESTAMP_ADD's 24-hour DAY, TIMESTAMP_MICROS) is computed in UTC by its macro.
 */
import { invalid, notSupported } from './errors.ts';

const UTC_NAMES = new Set(['utc', 'etc/utc', 'etc/uct', 'uct', 'zulu', 'etc/zulu', 'gmt', 'etc/gmt', 'z', '+00', '+00:00']);
/** An offset from UTC as BigQuery writes one: `+08`, `-5:30`, `UTC+8`. */
const OFFSET = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;

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

/**
 * DuckDB's name for the job's zone: undefined for UTC (connections start in UTC), a whole-hour offset as the IANA
 * `Etc/GMT∓h` (DuckDB reads `UTC+8` but drops an offset's minutes, and does not read `+08`), a zone name as given
 * (DuckDB judges its validity when the connection is set). An offset with minutes is refused.
 */
export function duckDbTimeZone(zone: string | undefined): string | undefined {
  const z = zone?.trim();
  if (z === undefined || UTC_NAMES.has(z.toLowerCase())) return undefined;
  const m = OFFSET.exec(z);
  if (!m) return z;
  const [hours, minutes] = [Number(m[2]), Number(m[3] ?? 0)];
  if (hours > 14 || minutes > 59) throw invalid(`Invalid time zone: ${zone}`);
  if (minutes !== 0) throw notSupported(`The time_zone ${zone} (an offset with minutes)`);
  if (hours === 0) return undefined;
  // IANA's Etc/GMT zones count the other way: Etc/GMT-8 is UTC+8.
  return `Etc/GMT${m[1] === '+' ? '-' : '+'}${hours}`;
}

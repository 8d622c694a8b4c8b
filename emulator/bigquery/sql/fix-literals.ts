/** Typed literals as BigQuery reads them, where DuckDB's reading differs. */
import { invalidQuery } from '../errors.ts';
import { castTo, fn, strLit, type Node } from './ast-build.ts';

/** Decimal literals are FLOAT64 in BigQuery (DuckDB: DECIMAL); TIMESTAMP literals are TIMESTAMPTZ. */
export function fixLiteral(body: Node): Node | undefined {
  if (body.literal_type === 'number' && /[.eE]/.test(body.value)) {
    return castTo({ literal: body }, 'FLOAT64');
  }
  checkLiteralYear(body);
  checkLiteralTimeOfDay(body);
  if (body.literal_type === 'timestamp') return fn('__gg_ts', [strLit(body.value)]);
  // A leap second (":60") is read by the cast macros (macros-datetime.ts); DuckDB's literals refuse it.
  if ((body.literal_type === 'time' || body.literal_type === 'datetime') && LEAP_SECOND.test(String(body.value))) {
    return fn(body.literal_type === 'time' ? '__gg_to_time' : '__gg_to_datetime', [strLit(body.value)]);
  }
  return undefined;
}

const LEAP_SECOND = /\d:60(\.\d*)?(\s|$|[+-]|[zZ])/;

/** A DATE, DATETIME or TIMESTAMP literal's year is 1 to 9999 (data-types#date_type); DuckDB read 10000-01-01. */
function checkLiteralYear(literal: Node): void {
  const type = String(literal?.literal_type ?? '');
  if (!['date', 'datetime', 'timestamp'].includes(type)) return;
  const year = /^\s*(\d+)-/.exec(String(literal.value))?.[1];
  if (year !== undefined && (year.length > 4 || Number(year) === 0)) throw invalidQuery(`Invalid ${type.toUpperCase()} literal: '${literal.value}'`);
}

/**
 * A TIME or DATETIME literal's time of day has seconds, an hour of 00 to 23 and up to six fractional digits
 * (lexical#time_literals, data-types#time_type); DuckDB read '24:00:00' as a TIME past the day's end (a DATETIME as
 * the next day) and cut a seventh digit off.
 */
function checkLiteralTimeOfDay(literal: Node): void {
  const type = String(literal?.literal_type ?? '');
  if (type !== 'time' && type !== 'datetime') return;
  const m = /(?:^|[\sT])(\d{1,2}):\d{1,2}(:\d{1,2}(?:\.(\d*))?)?\s*$/.exec(String(literal.value));
  if (m && (Number(m[1]) > 23 || !m[2] || (m[3] ?? '').length > 6)) throw invalidQuery(`Invalid ${type.toUpperCase()} literal: '${literal.value}'`);
}

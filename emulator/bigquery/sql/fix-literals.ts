/** Typed literals as BigQuery reads them, where DuckDB's reading differs. */
import { invalidQuery } from '../errors.ts';
import { castTo, fn, strLit, type Node } from './ast-build.ts';

/** Decimal literals are FLOAT64 in BigQuery (DuckDB: DECIMAL); TIMESTAMP literals are TIMESTAMPTZ. */
export function fixLiteral(body: Node): Node | undefined {
  if (body.literal_type === 'number' && /[.eE]/.test(body.value)) {
    return castTo({ literal: body }, 'FLOAT64');
  }
  checkLiteralYear(body);
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

/**
 * The digits a decimal number's text needs, for the checks that refuse a value the emulator would round: literals
 * (sql/translate.ts, sql/fix-literal-coercion.ts), casts (sql/fix-casts.ts), query parameters (types.ts) and row
 * values (rest-fields.ts).
 */
import { BIGNUMERIC_DIGITS } from './errors.ts';

/** NUMERIC's digits in BigQuery and here (DuckDB DECIMAL(38,9)). */
export const NUMERIC_DIGITS = { integer: 29, fraction: 9 } as const;
/** More digits than NUMERIC holds: invalid input to BigQuery, never rounded. */
export const beyondNumeric = (digits: { whole: number; fraction: number }) => digits.whole > NUMERIC_DIGITS.integer || digits.fraction > NUMERIC_DIGITS.fraction;

/** More digits than the emulator's BIGNUMERIC keeps (BIGNUMERIC_DIGITS). */
export const beyondBigNumeric = (digits: { whole: number; fraction: number }) => digits.whole > BIGNUMERIC_DIGITS.integer || digits.fraction > BIGNUMERIC_DIGITS.fraction;

/**
 * The integer and fractional digits a decimal number's text needs once its exponent moves the point (`1.5e-30`: 0 and
 * 31), leading and trailing zeros aside; undefined for a text that is not such a number.
 */
export function decimalDigits(text: string): { whole: number; fraction: number; plain: string } | undefined {
  const digits = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (!digits || !(digits[2] || digits[3])) return undefined;
  const all = (digits[2] ?? '') + (digits[3] ?? '');
  const point = (digits[2] ?? '').length + Number(digits[4] ?? 0);
  const padded = point < 0 ? '0'.repeat(-point) + all : all.padEnd(point, '0');
  const at = Math.max(point, 0);
  const [whole, fraction] = [padded.slice(0, at).replace(/^0+/, ''), padded.slice(at).replace(/0+$/, '')];
  // The same number without an exponent (1e3: 1000), for a cast DuckDB reads exactly.
  const plain = `${digits[1] === '-' ? '-' : ''}${whole || '0'}${fraction ? `.${fraction}` : ''}`;
  return { whole: whole.length, fraction: fraction.length, plain };
}

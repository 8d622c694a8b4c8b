/**
 * FORMAT's %f and %F of a NUMERIC or BIGNUMERIC value, exact (string_functions#format_string lists them among the types
 * %f takes natively): the digits rounded half away from zero to the precision, as ZetaSQL's NumericValue formats them.
 * DuckDB's printf went through FLOAT64 (%.20f of 1.1 gave 1.10000000000000008882, %.0f of 2.5 gave 2).
 */
const SPEC = /^%([-+ #0]*)(\d*)(?:\.(\d+))?[fF]$/;

/** `spec` one %f conversion with its flags, width and precision; `unscaled` and `scale` the decimal's digits. */
export function formatDecimalF(spec: string, unscaled: bigint, scale: number): string {
  const m = SPEC.exec(spec);
  if (!m) throw new Error(`Unexpected FORMAT specifier ${spec}`);
  const [, flags, width, precisionText] = m;
  const precision = precisionText === undefined ? 6 : Number(precisionText);
  const negative = unscaled < 0n;
  let magnitude = negative ? -unscaled : unscaled;
  if (precision >= scale) magnitude *= 10n ** BigInt(precision - scale);
  else {
    const unit = 10n ** BigInt(scale - precision);
    const rest = magnitude % unit;
    magnitude = magnitude / unit + (2n * rest >= unit ? 1n : 0n);
  }
  const digits = magnitude.toString().padStart(precision + 1, '0');
  const whole = digits.slice(0, digits.length - precision);
  const fraction = digits.slice(digits.length - precision);
  const body = precision > 0 ? `${whole}.${fraction}` : `${whole}${flags.includes('#') ? '.' : ''}`;
  const sign = negative ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  const pad = Math.max(0, Number(width || 0) - sign.length - body.length);
  if (flags.includes('-')) return `${sign}${body}${' '.repeat(pad)}`;
  if (flags.includes('0')) return `${sign}${'0'.repeat(pad)}${body}`;
  return `${' '.repeat(pad)}${sign}${body}`;
}

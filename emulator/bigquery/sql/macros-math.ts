/**
 * Mathematical functions with BigQuery's result types and errors
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/mathematical_functions).
 *
 * - Errors: a FLOAT64 result that is not finite from finite arguments is an error ("Floating point error in function:
 *   POW(0, -1)"), where DuckDB returns Infinity or NaN (POW, EXP, COSH, SINH, ACOSH) or raises its own message (LN,
 *   LOG, LOG10, whose domains are checked here so that SAFE. can answer NULL).
 * - Types: POW, SQRT, EXP, LN, LOG and LOG10 of NUMERIC are NUMERIC, where DuckDB computes and types them as DOUBLE.
 *   The NUMERIC result is BigQuery's exact result rounded to 9 decimals; it is computed in DOUBLE here, so it is given
 *   only when the DOUBLE's error bound cannot change that rounding, and refused otherwise (large results, results
 *   that lie on a rounding tie such as POW(0.00005, 2)). BIGNUMERIC results carry up to 38 decimals that a DOUBLE does
 *   not have: refused.
 *
 * Each function has a plain and a SAFE form (`__gg_safe_*`: NULL instead of the error; DuckDB's TRY cannot wrap
 * error()). The macros repeat their operands; fix-math.ts binds a costly operand once (arithmeticCall).
 */
import { BIGNUMERIC_DIGITS } from '../errors.ts';
import { onceFormMacro } from './macros-numeric.ts';

const FAIL = { plain: (msg: string) => `error(${msg})`, safe: () => 'NULL' };
type Form = keyof typeof FAIL;

/** The macros' names and arities, in both forms; fix-math.ts calls them. */
export const MATH_MACROS = { sqrt: 1, pow: 2, exp: 1, ln: 1, log10: 1, log: 2, cosh: 1, sinh: 1, acosh: 1, csc: 1, sec: 1, csch: 1, sech: 1, coth: 1 } as const;
export type MathFunction = keyof typeof MATH_MACROS;
export const mathMacroName = (f: MathFunction, safe: boolean) => (safe ? `__gg_safe_${f}` : `__gg_${f}`);

const D = (p: string) => `CAST(${p} AS DOUBLE)`;
const call = (name: string, params: string[]) => `'${name}(' || ${params.map((p) => `${D(p)}::VARCHAR`).join(` || ', ' || `)} || ')'`;
const finite = (params: string[]) => params.map((p) => `isfinite(${D(p)})`).join(' AND ');
const NAN = `CAST('nan' AS DOUBLE)`;
// A logarithm that never raises: -inf at 0 and NaN below, as C's log does (BigQuery's LN(-inf) is NaN, LN(0) an error);
// NULL stays NULL (it fell through to the NaN: LN(NULL) was NaN).
const logOf = (f: 'ln' | 'log10') => (d: string) => `CASE WHEN ${d} IS NULL THEN NULL WHEN ${d} > 0 OR isnan(${d}) THEN ${f}(${d}) WHEN ${d} = 0 THEN CAST('-inf' AS DOUBLE) ELSE ${NAN} END`;
const LN_RAW = logOf('ln');
// ln x / ln b as IEEE divides, where DuckDB's division by zero gives NULL (and DuckDB's NaN > 0 holds: NaN is tested
// first). A NULL divisor is a NULL quotient (it fell through to the infinities: SEC(NULL) was +inf).
const ieeeQuotient = (n: string, d: string) =>
  `CASE WHEN ${d} IS NULL THEN NULL WHEN isnan(${n}) THEN ${NAN} WHEN ${d} <> 0 THEN ${n} / ${d} WHEN ${n} > 0 THEN CAST('inf' AS DOUBLE) WHEN ${n} < 0 THEN CAST('-inf' AS DOUBLE) ELSE ${NAN} END`;

/**
 * The result r (DOUBLE) of a function whose result type is t: an error when r is not finite from finite arguments;
 * for a NUMERIC t, r rounded to 9 decimals when no error of r within `k + 2` units in its last place, plus 10^-15,
 * could round it differently (k: how much the argument's own rounding to DOUBLE is amplified).
 */
function resultOf(form: Form, r: string, argsFinite: string, callText: string, t: string, k: string, failure = 'error'): string {
  const v = `(${r} * 1e9)`;
  const refusal = (what: string) => `cast_to_type(__gg_refuse(${callText} || ' ${what} is not supported by the local emulator'), ${t})`;
  return `CASE WHEN NOT isfinite(${r}) AND ${argsFinite} THEN cast_to_type(${FAIL[form](`'Floating point ${failure} in function: ' || ${callText}`)}, ${t})
    WHEN typeof(${t}) NOT LIKE 'DECIMAL%' THEN cast_to_type(${r}, ${t})
    WHEN typeof(${t}) LIKE '%,18)' THEN ${refusal('with a BIGNUMERIC result (its decimals are more than a FLOAT64 holds)')}
    WHEN abs(${v} - floor(${v}) - 0.5) <= abs(${v}) * 2.3e-16 * (${k} + 2) + 1e-6 THEN ${refusal('with a NUMERIC result that a FLOAT64 cannot round exactly')}
    ELSE cast_to_type(__gg_unscaled9(CAST(round(${v}) AS HUGEINT)), ${t}) END`;
}

type UnaryOptions = { k?: string; floatOnly?: boolean; negativeMessage?: string; overflow?: boolean };
const unary = (form: Form, f: MathFunction, raw: (d: string) => string, opts: UnaryOptions = {}) => {
  const t = opts.floatOnly ? `CAST(0 AS DOUBLE)` : `__gg_div_type(x, x)`;
  const body = resultOf(form, raw(D('x')), finite(['x']), call(f.toUpperCase(), ['x']), t, opts.k ?? '0', opts.overflow ? 'overflow' : 'error');
  const negative = opts.negativeMessage && `CASE WHEN ${D('x')} < 0 THEN cast_to_type(${FAIL[form](`'${opts.negativeMessage}: ' || ${D('x')}::VARCHAR`)}, ${t}) ELSE ${body} END`;
  return `CREATE OR REPLACE MACRO ${mathMacroName(f, form === 'safe')}(x) AS ${negative || body}`;
};

const forms = (form: Form): string[] => [
  // The CASE keeps a constant negative argument from reaching DuckDB's sqrt, which raises, when it folds constants.
  unary(form, 'sqrt', (d) => `CASE WHEN ${d} < 0 THEN ${NAN} ELSE sqrt(${d}) END`, { negativeMessage: 'Argument to SQRT cannot be negative' }),
  unary(form, 'exp', (d) => `exp(${d})`, { k: `abs(${D('x')})` }),
  unary(form, 'ln', LN_RAW),
  unary(form, 'log10', logOf('log10')),
  unary(form, 'cosh', (d) => `cosh(${d})`, { floatOnly: true, overflow: true }),
  unary(form, 'sinh', (d) => `sinh(${d})`, { floatOnly: true, overflow: true }),
  unary(form, 'acosh', (d) => `acosh(${d})`, { floatOnly: true }),
  // The reciprocal functions as IEEE divides (DuckDB's x / 0 is NULL): CSC(0), CSCH(0) and COTH(0) are infinite, so
  // errors; at ±inf CSC and SEC are NaN (DuckDB's sin and cos raise there), CSCH and SECH 0, COTH ±1.
  unary(form, 'csc', (d) => `CASE WHEN isinf(${d}) THEN ${NAN} ELSE ${ieeeQuotient('CAST(1 AS DOUBLE)', `sin(${d})`)} END`, { floatOnly: true }),
  unary(form, 'sec', (d) => `CASE WHEN isinf(${d}) THEN ${NAN} ELSE ${ieeeQuotient('CAST(1 AS DOUBLE)', `cos(${d})`)} END`, { floatOnly: true }),
  unary(form, 'csch', (d) => ieeeQuotient('CAST(1 AS DOUBLE)', `sinh(${d})`), { floatOnly: true }),
  unary(form, 'sech', (d) => ieeeQuotient('CAST(1 AS DOUBLE)', `cosh(${d})`), { floatOnly: true }),
  unary(form, 'coth', (d) => ieeeQuotient('CAST(1 AS DOUBLE)', `tanh(${d})`), { floatOnly: true }),
  // y's own rounding to DOUBLE moves x^y by |y ln x| of it, x's by |y|.
  `CREATE OR REPLACE MACRO ${mathMacroName('pow', form === 'safe')}(x, y) AS ${resultOf(form, `pow(${D('x')}, ${D('y')})`, finite(['x', 'y']), call('POW', ['x', 'y']), '__gg_div_type(x, y)', `abs(${D('y')}) * (1 + abs(ln(abs(${D('x')}) + 1e-300)))`)}`,
  // LOG(x, b) is ln x / ln b when b is finite and positive, NaN otherwise (so an error from finite arguments). A base
  // near 1 magnifies the rounding of b: k grows as 1 / |ln b|.
  `CREATE OR REPLACE MACRO ${mathMacroName('log', form === 'safe')}(x, y) AS ${resultOf(
    form,
    `CASE WHEN ${D('y')} IS NULL THEN NULL WHEN isfinite(${D('y')}) AND ${D('y')} > 0 THEN ${ieeeQuotient(LN_RAW(D('x')), `ln(${D('y')})`)} ELSE ${NAN} END`,
    finite(['x', 'y']),
    call('LOG', ['x', 'y']),
    '__gg_div_type(x, y)',
    `CASE WHEN ${D('y')} > 0 AND ${D('y')} <> 1 THEN 1 / abs(ln(${D('y')})) * (1 + abs(${LN_RAW(D('x'))})) ELSE 0 END`,
  )}`,
];

export const mathMacros: string[] = [
  // fix-math.ts: SIN, COS, TAN, COT, ASIN, ACOS of ±inf are NaN; v is the call, evaluated by the CASE only for finite x.
  `CREATE OR REPLACE MACRO __gg_nan_at_inf(x, v) AS CASE WHEN isinf(CAST(x AS DOUBLE)) THEN CAST('NaN' AS DOUBLE) ELSE v END`,
  // ROUND, TRUNC, CEIL and FLOOR (v, of x) return FLOAT64 for an INT64 and keep NUMERIC and BIGNUMERIC
  // (mathematical_functions#round's table); DuckDB's keep an integer and make a decimal DECIMAL(38, the digits kept).
  // x as the function takes it: an INT64 as a FLOAT64 (ROUND(9223372036854775807, -1) is about 9.22e18, not an INT64
  // overflow). A BIGNUMERIC rounded to 10^20 or more is past the 20 integer digits the emulator keeps: refused.
  `CREATE OR REPLACE MACRO __gg_rounding_arg(x) AS cast_to_type(x, __gg_div_type(x, x))`,
  `CREATE OR REPLACE MACRO __gg_rounded(v, x) AS CASE WHEN typeof(x) = 'DECIMAL(38,18)' AND abs(v) >= 1e${BIGNUMERIC_DIGITS.integer}
     THEN cast_to_type(__gg_refuse('A BIGNUMERIC rounded to ' || CAST(v AS VARCHAR) || ', past the ${BIGNUMERIC_DIGITS.integer} integer digits the local emulator keeps, is not supported by the local emulator'), __gg_div_type(x, x))
     ELSE cast_to_type(v, __gg_div_type(x, x)) END`,
  // ROUND(x, n, rounding_mode) takes NUMERIC and BIGNUMERIC only. DuckDB's round is half away from zero, exact on a
  // DECIMAL; half to even differs at an exact half (round and trunc a unit apart, x their midpoint) whose truncated
  // last kept digit is even: read from the text, as 10^n overflows a DECIMAL.
  `CREATE OR REPLACE MACRO __gg_last_kept_digit(t, n) AS coalesce(TRY_CAST(CASE WHEN n >= 0 THEN right(t, 1) ELSE substring(t, length(t) + n, 1) END AS INTEGER), 0)`,
  `CREATE OR REPLACE MACRO __gg_decimal_to_round(x) AS CASE WHEN typeof(x) LIKE 'DECIMAL%' OR typeof(x) = '"NULL"' THEN x
     ELSE cast_to_type(__gg_refuse('ROUND with a rounding mode of a ' || typeof(x) || ' value is not supported by the local emulator (BigQuery takes NUMERIC or BIGNUMERIC)'), x) END`,
  `CREATE OR REPLACE MACRO __gg_round_half_away(x, n) AS round(__gg_decimal_to_round(x), n)`,
  `CREATE OR REPLACE MACRO __gg_round_half_even(x, n) AS CASE
     WHEN round(__gg_decimal_to_round(x), n) <> trunc(x, n) AND abs(x - trunc(x, n)) = abs(round(x, n) - x) AND __gg_last_kept_digit(CAST(trunc(x, n) AS VARCHAR), n) % 2 = 0 THEN trunc(x, n)
     ELSE round(x, n) END`,
  ...forms('plain'),
  ...forms('safe'),
  ...(Object.entries(MATH_MACROS) as [MathFunction, number][]).flatMap(([f, arity]) => [onceFormMacro(mathMacroName(f, false), arity), onceFormMacro(mathMacroName(f, true), arity)]),
];

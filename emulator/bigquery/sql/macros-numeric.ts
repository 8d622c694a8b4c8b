/**
 * Division and multiplication with BigQuery's result types: NUMERIC (or BIGNUMERIC) when a decimal operand meets another decimal or an
 * INT64, FLOAT64 otherwise (https://cloud.google.com/bigquery/docs/reference/standard-sql/operators#arithmetic_operators).
 * DuckDB divides decimals as DOUBLE. `cast_to_type` gives the result the type DuckDB would give the operands' sum
 * (MEDIAN of integers being DOUBLE, of a decimal the decimal), and the decimal quotient is computed exactly on the
 * operands' scaled HUGEINT values, rounded half away from zero as BigQuery rounds. A divisor too large for that
 * (beyond 10^20 as NUMERIC, 10^11 as BIGNUMERIC) overflows HUGEINT: an error, never a rounded answer.
 */
/** 10^9 as a HUGEINT: NUMERIC's scale factor, squared for BIGNUMERIC's (DECIMAL(38,18) here). */
export const P9 = 'CAST(1000000000 AS HUGEINT)';

/** The macros below that repeat their operands; each has a `_once` form that binds them once (fix-arithmetic.ts). */
export const ARITHMETIC_MACROS = ['__gg_div', '__gg_mul', '__gg_safe_divide'] as const;
export const onceForm = (name: string) => `${name}_once`;
/**
 * `body` over `v`, `operand` bound once as the element of a one-element list: a macro's argument is copied wherever its
 * body names it, and nested macros multiply the copies. A macro's parameter named in `body` must not be `v`'s name.
 */
export const boundOnce = (operand: string, body: string, v = 'v') => `list_apply([${operand}], lambda ${v}: ${body})[1]`;
/**
 * The `_once` form of a macro (one overload per arity): every operand bound once, as a field of a one-element list's
 * struct, outside the lambda that calls the macro (a correlated column inside a lambda is a DuckDB binder error).
 */
export function onceFormMacro(name: string, arity: number | number[]): string {
  const forms = [arity].flat().map((n) => {
    const params = Array.from({ length: n }, (_, i) => `a${i}`);
    return `(${params.join(', ')}) AS ${boundOnce(`{${params.map((p) => `'${p}': ${p}`).join(', ')}}`, `${name}(${params.map((p) => `__gg_operands['${p}']`).join(', ')})`, '__gg_operands')}`;
  });
  return `CREATE OR REPLACE MACRO ${onceForm(name)}${forms.join(', ')}`;
}

/** A FLOAT64 literal's text typed as BigQuery coerces it beside x (fix-literal-coercion.ts): x's decimal, else DOUBLE. */
export const FLOAT_LITERAL_LIKE = '__gg_float_literal_like';

export const numericMacros: string[] = [
  `CREATE OR REPLACE MACRO __gg_zero_of(x) AS CASE WHEN false THEN x ELSE 0 END`,
  // MEDIAN of an integer is DOUBLE, of a decimal the decimal; round(.., scale) keeps DOUBLE a DOUBLE and makes a
  // decimal DECIMAL(38, the literal's own scale): at x's scale, NUMERIC × 1.5 was DECIMAL(38,18) and BIGNUMERIC × 1.5
  // DECIMAL(38,36), which overflowed from 100 on.
  `CREATE OR REPLACE MACRO ${FLOAT_LITERAL_LIKE}(x, text, scale) AS cast_to_type(text, round(list_median([__gg_zero_of(x)]), scale))`,
  `CREATE OR REPLACE MACRO __gg_div_type(a, b) AS list_median([__gg_zero_of(a) + __gg_zero_of(b)])`,
  // x (a decimal, or an integer) times 10^s as an exact HUGEINT, p = 10^s.
  `CREATE OR REPLACE MACRO __gg_scaled(x, p) AS CAST(trunc(x) AS HUGEINT) * p + CAST((x - trunc(x)) * p AS HUGEINT)`,
  // round(n / d) half away from zero, for n >= 0 and d > 0.
  `CREATE OR REPLACE MACRO __gg_round_div(n, d) AS n // d + CASE WHEN n % d >= d - n % d THEN 1 ELSE 0 END`,
  `CREATE OR REPLACE MACRO __gg_quotient9(a, b) AS (a // b) * ${P9} + __gg_round_div((a % b) * ${P9}, b)`,
  `CREATE OR REPLACE MACRO __gg_quotient18(a, b) AS ((a // b) * ${P9} + ((a % b) * ${P9}) // b) * ${P9} + __gg_round_div((((a % b) * ${P9}) % b) * ${P9}, b)`,
  `CREATE OR REPLACE MACRO __gg_signed_quotient(a, b, q) AS sign(a) * sign(b) * q`,
  `CREATE OR REPLACE MACRO __gg_unscaled9(r) AS CAST(r // ${P9} AS DECIMAL(38,9)) + CAST(r % ${P9} AS DECIMAL(18,0)) * CAST(0.000000001 AS DECIMAL(10,9))`,
  `CREATE OR REPLACE MACRO __gg_unscaled18(r) AS CAST(r // (${P9} * ${P9}) AS DECIMAL(38,18)) + CAST(r % (${P9} * ${P9}) AS DECIMAL(19,0)) * CAST(0.000000000000000001 AS DECIMAL(19,18))`,
  // A macro is expanded where it is called, operands and all: the quotients repeat their operands dozens of times, so
  // __gg_checked_div calls the decimal division's _once form (operands bound once, onceFormMacro below). Bound in full,
  // every division of a grading aggregate cost ~14 ms to plan even where the operands were INT64 and the branch never
  // ran. (No typed overload: DuckDB picks one binding an aggregate operand as UNKNOWN, which casts to any type, so
  // SUM(x) / COUNT(*) took an INT64 overload and truncated.)
  // A BIGNUMERIC quotient is rounded to BigQuery's 38 fractional digits; the emulator keeps 18, so one that needs more
  // (1 / 3) is refused rather than answered short: the remainder after 18 digits, as __gg_quotient18 carries it, is not 0.
  `CREATE OR REPLACE MACRO __gg_decimal_div(a, b, t) AS CASE WHEN typeof(t) LIKE '%,18)'
     AND ((((abs(__gg_scaled(a, ${P9} * ${P9})) % abs(__gg_scaled(b, ${P9} * ${P9}))) * ${P9}) % abs(__gg_scaled(b, ${P9} * ${P9}))) * ${P9}) % abs(__gg_scaled(b, ${P9} * ${P9})) <> 0
     THEN cast_to_type(__gg_refuse('A BIGNUMERIC quotient that needs more than the 18 fractional digits the local emulator keeps is not supported by the local emulator'), t)
     WHEN typeof(t) LIKE '%,18)'
     THEN cast_to_type(__gg_unscaled18(__gg_signed_quotient(a, b, __gg_quotient18(abs(__gg_scaled(a, ${P9} * ${P9})), abs(__gg_scaled(b, ${P9} * ${P9}))))), t)
     ELSE cast_to_type(__gg_unscaled9(__gg_signed_quotient(a, b, __gg_quotient9(abs(__gg_scaled(a, ${P9})), abs(__gg_scaled(b, ${P9}))))), t) END`,
  onceFormMacro('__gg_decimal_div', 3),
  // BigQuery raises on division by zero and on a quotient of finite operands that overflows FLOAT64; DuckDB returns
  // Infinity/NULL. With safe (SAFE_DIVIDE) it gives NULL instead of raising: polyglot's own SAFE_DIVIDE used DuckDB's /
  // (a NUMERIC quotient became FLOAT64, an overflowing one Infinity).
  `CREATE OR REPLACE MACRO __gg_checked_div(a, b, safe) AS CASE WHEN b = 0 THEN CASE WHEN safe THEN NULL ELSE cast_to_type(__gg_raise('division by zero: ' || a::VARCHAR || ' / ' || b::VARCHAR), __gg_div_type(a, b)) END
     WHEN typeof(__gg_div_type(a, b)) LIKE 'DECIMAL%' THEN __gg_decimal_div_once(a, b, __gg_div_type(a, b))
     WHEN isinf(a / b) AND NOT isinf(a) AND NOT isinf(b) THEN CASE WHEN safe THEN NULL ELSE cast_to_type(__gg_raise('double overflow: ' || a::VARCHAR || ' / ' || b::VARCHAR), __gg_div_type(a, b)) END
     ELSE cast_to_type(a / b, __gg_div_type(a, b)) END`,
  `CREATE OR REPLACE MACRO __gg_div(a, b) AS __gg_checked_div(a, b, false)`,
  // NUMERIC × NUMERIC is NUMERIC, rounded half away from zero to 9 decimals, an error only past NUMERIC's range. DuckDB
  // multiplies DECIMAL(38,9) at scale 18: read back as BIGNUMERIC, unrounded, and an overflow past 10^20. Exact on the
  // scaled HUGEINT values split at the point: a·b·10^9 = ah·bh·10^9 + ah·bl + al·bh + round(al·bl / 10^9). Any other pair
  // keeps DuckDB's product, typed as the operands' sum (NUMERIC × BIGNUMERIC is BIGNUMERIC at our BIGNUMERIC's scale).
  `CREATE OR REPLACE MACRO __gg_numeric_product(a, b) AS (a // ${P9}) * (b // ${P9}) * ${P9} + (a // ${P9}) * (b % ${P9}) + (a % ${P9}) * (b // ${P9}) + __gg_round_div((a % ${P9}) * (b % ${P9}), ${P9})`,
  // The same at BIGNUMERIC's scale 18 (DuckDB multiplied DECIMAL(38,18) at scale 36 and overflowed past 100), exact
  // where __gg_mul has checked that the product needs no more than 18 fractional digits.
  `CREATE OR REPLACE MACRO __gg_bignumeric_product(a, b) AS (a // (${P9} * ${P9})) * (b // (${P9} * ${P9})) * (${P9} * ${P9}) + (a // (${P9} * ${P9})) * (b % (${P9} * ${P9}))
     + (a % (${P9} * ${P9})) * (b // (${P9} * ${P9})) + ((a % (${P9} * ${P9})) * (b % (${P9} * ${P9}))) // (${P9} * ${P9})`,
  // FLOAT64 arithmetic that overflows is an error (ZetaSQL: "double overflow"; SAFE_ functions return NULL), where DuckDB
  // gives ±inf: only a non-finite result of finite operands (typeof is a constant: other types bind to r alone).
  `CREATE OR REPLACE MACRO __gg_double_checked(r, a, b, op) AS CASE
     WHEN typeof(r) = 'DOUBLE' AND NOT isfinite(r) AND isfinite(TRY_CAST(a AS DOUBLE)) AND isfinite(TRY_CAST(b AS DOUBLE))
     THEN cast_to_type(__gg_raise('double overflow: ' || a::VARCHAR || ' ' || op || ' ' || b::VARCHAR), r) ELSE r END`,
  `CREATE OR REPLACE MACRO __gg_mul_type(a, b) AS __gg_zero_of(a) + __gg_zero_of(b)`,
  `CREATE OR REPLACE MACRO __gg_mul(a, b) AS CASE WHEN typeof(__gg_mul_type(a, b)) = 'DECIMAL(38,9)' AND typeof(a * b) = 'DECIMAL(38,18)'
     THEN cast_to_type(__gg_unscaled9(sign(a) * sign(b) * __gg_numeric_product(abs(__gg_scaled(a, ${P9})), abs(__gg_scaled(b, ${P9})))), __gg_mul_type(a, b))
     WHEN typeof(__gg_mul_type(a, b)) = 'DECIMAL(38,18)' AND ((abs(__gg_scaled(a, ${P9} * ${P9})) % (${P9} * ${P9})) * (abs(__gg_scaled(b, ${P9} * ${P9})) % (${P9} * ${P9}))) % (${P9} * ${P9}) <> 0
     THEN cast_to_type(__gg_refuse('A BIGNUMERIC product that needs more than the 18 fractional digits the local emulator keeps is not supported by the local emulator'), __gg_mul_type(a, b))
     WHEN typeof(__gg_mul_type(a, b)) = 'DECIMAL(38,18)'
     THEN cast_to_type(__gg_unscaled18(sign(a) * sign(b) * __gg_bignumeric_product(abs(__gg_scaled(a, ${P9} * ${P9})), abs(__gg_scaled(b, ${P9} * ${P9})))), __gg_mul_type(a, b))
     ELSE cast_to_type(__gg_double_checked(a * b, a, b, '*'), __gg_mul_type(a, b)) END`,
  `CREATE OR REPLACE MACRO __gg_safe_divide(a, b) AS __gg_checked_div(a, b, true)`,
  // DIV truncates toward zero and raises on zero; DIV of a NUMERIC (BIGNUMERIC) is one: the scaled operands' HUGEINT quotient.
  `CREATE OR REPLACE MACRO __gg_intdiv(a, b) AS CASE WHEN b = 0 THEN cast_to_type(__gg_raise('division by zero: ' || a::VARCHAR || ' / ' || b::VARCHAR), __gg_mul_type(a, b))
     WHEN typeof(__gg_mul_type(a, b)) LIKE '%,18)' THEN cast_to_type(sign(a) * sign(b) * (abs(__gg_scaled(a, ${P9} * ${P9})) // abs(__gg_scaled(b, ${P9} * ${P9}))), __gg_mul_type(a, b))
     WHEN typeof(__gg_mul_type(a, b)) LIKE 'DECIMAL%' THEN cast_to_type(sign(a) * sign(b) * (abs(__gg_scaled(a, ${P9})) // abs(__gg_scaled(b, ${P9}))), __gg_mul_type(a, b))
     ELSE cast_to_type(CAST(a AS BIGINT) // CAST(b AS BIGINT), __gg_mul_type(a, b)) END`,
  // The macros above repeat their operands (a DuckDB macro has no LET), so nested arithmetic over window functions grew
  // its expression exponentially: the ZetaSQL covariance cases, a/b * c/d over windows, took 18 s each to bind. These
  // bind each operand once through a one-element lambda, at a cost per row that only a nested operand pays
  // (fix-arithmetic.ts picks them).
  ...ARITHMETIC_MACROS.map((name) => onceFormMacro(name, 2)),
];

/**
 * Arithmetic with BigQuery's result types and errors: `/`, `*`, MOD, SAFE_DIVIDE and shifts go through the macros of
 * macros-numeric.ts (and macros-core.ts for MOD), INTERVAL division through __gg_interval_div, x ± INTERVAL through
 * __gg_plus_interval.
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/operators#arithmetic_operators
 */
import { eachNodeBottomUp, fn, type Node } from './ast-build.ts';
import { bindsLate, typedCall, withOperands } from './typed-call.ts';
import { isUdfBody, mayBeCorrelated } from './correlated-scopes.ts';
import { CHECKED_AGGREGATES } from './fix-aggregates.ts';
import { isIntervalValued } from './fix-intervals.ts';
import { MATH_MACROS, mathMacroName, type MathFunction } from './macros-math.ts';
import { ARITHMETIC_MACROS, onceForm } from './macros-numeric.ts';
import { DECIMAL_CAST_MACROS } from './macros-casts.ts';

/** The rewritten node of an arithmetic node (div, mul, add, sub, mod_func, shifts, safe_divide), or undefined to keep DuckDB's. */
export function fixArithmetic(kind: string, body: Node, walk: (n: Node) => Node): Node | undefined {
  switch (kind) {
    case 'div':
      if (isIntervalValued(body.left)) return fn('__gg_interval_div', [walk(body.left), walk(body.right)]);
      return arithmeticCall('__gg_div', [walk(body.left), walk(body.right)]);
    case 'mul':
      // Only a product that can be NUMERIC × NUMERIC needs __gg_mul, which repeats its operands: an INT64 or FLOAT64
      // literal operand (`100 * SAFE_DIVIDE(...)`) and INTERVAL × INT64 keep DuckDB's product.
      if ([body.left, body.right].some((n) => n?.literal?.literal_type === 'number' || isIntervalValued(n))) return undefined;
      return arithmeticCall('__gg_mul', [walk(body.left), walk(body.right)]);
    // x ± INTERVAL: on a TIMESTAMP a DAY is 24 hours and a MONTH or YEAR part is an error (__gg_plus_interval);
    // DuckDB would add calendar days in the connection's zone. Other operands (DATE, DATETIME) add as DuckDB does.
    case 'add':
      if (isIntervalValued(body.right) && !isIntervalValued(body.left)) return arithmeticCall('__gg_plus_interval', [walk(body.left), walk(body.right)]);
      if (isIntervalValued(body.left) && !isIntervalValued(body.right)) return arithmeticCall('__gg_plus_interval', [walk(body.right), walk(body.left)]);
      return undefined;
    case 'sub':
      if (isIntervalValued(body.right) && !isIntervalValued(body.left)) return arithmeticCall('__gg_plus_interval', [walk(body.left), { neg: { this: { paren: { this: walk(body.right) } } } }]);
      // DATE - DATE and TIMESTAMP - TIMESTAMP are INTERVALs (operators#date_arithmetics_operators): __gg_minus picks by
      // the operands' types, bound first where they are aggregates or windows (typed-call.ts). Where a correlated
      // column fails in any macro, the subtraction is DuckDB's and the two pairs DuckDB types otherwise are refused.
      if ([body.left, body.right].some(isNumberLiteral)) return undefined;
      return subtraction(body, walk);
    case 'mod_func':
      return fn('__gg_mod', [walk(body.this), walk(body.expression)]);
    // Shifts fill with zeros and wrap, as BigQuery's (macros-core.ts); DuckDB's >> extends the sign, its << overflows.
    case 'bitwise_left_shift':
    case 'bitwise_right_shift':
      return fn(kind === 'bitwise_left_shift' ? '__gg_shift_left' : '__gg_shift_right', [walk(body.left), walk(body.right)]);
    case 'safe_divide':
      return arithmeticCall('__gg_safe_divide', [walk(body.this), walk(body.expression)]);
    default:
      return undefined;
  }
}

/**
 * The macro's call on translated operands. The macro repeats each operand many times; an operand that holds such a
 * call, a window function or a subquery goes through the macro's `_once` form instead, which binds it once: otherwise
 * nested arithmetic grows exponentially (a plain column or aggregate repeated costs DuckDB nothing, and the `_once`
 * form's lambda costs every row).
 */
export function arithmeticCall(name: string, operands: Node[]): Node {
  return fn(operands.some((o) => isCostlyToRepeat(o) || holdsMacroCall(o)) ? onceForm(name) : name, operands);
}

/**
 * An operand that holds one of the emulator's macros: DuckDB expands a macro in place, so a macro that repeats its
 * operand a dozen times repeats the inner macro's whole body too (CAST(DATETIME(ts, zone) AS STRING) took ~75 ms to
 * bind); the _once form binds the operand once. Not one with a qualified column, which may be a correlated subquery's:
 * DuckDB cannot bind a correlated column in the _once form's STRUCT ("Need named argument for struct pack").
 */
function holdsMacroCall(node: Node): boolean {
  let macro = false;
  let qualified = false;
  eachNodeBottomUp(node, (n) => {
    macro ||= Boolean(n.function && /^__gg_/i.test(String(n.function.name)));
    qualified ||= Boolean(n.column?.table);
  });
  return macro && !qualified;
}

const mathNames = (Object.keys(MATH_MACROS) as MathFunction[]).flatMap((f) => [mathMacroName(f, false), mathMacroName(f, true)]);
// The checked aggregates (fix-aggregates.ts) are CASEs over their aggregates: repeated a dozen times by __gg_to_string,
// CAST(SUM(x) AS STRING) took DuckDB ~25 ms to bind (EXPLAIN), and the _once form costs only once per group.
const REPEATING = new Set<string>(
  [...ARITHMETIC_MACROS, ...mathNames, ...Object.values(CHECKED_AGGREGATES), ...DECIMAL_CAST_MACROS, '__gg_to_string', '__gg_safe_to_string', '__gg_plus_interval'].flatMap((name) => [name, onceForm(name)]),
);
/** Functions whose every call gives a new value: repeated by a macro, each copy would draw again. */
const VOLATILE = new Set(['RANDOM', 'RAND', 'UUID', 'GEN_RANDOM_UUID', 'GENERATE_UUID']);

/** RAND() (its own node) or another function whose every call gives a new value. */
export const isVolatileCall = (node: Node): boolean => 'rand' in node || Boolean(node.function && VOLATILE.has(String(node.function.name).toUpperCase()));

/**
 * A window function, a subquery of any form (scalar, EXISTS, IN: each holds a `select`), a repeating macro's call, or
 * a volatile function's (RAND() repeated would be drawn anew at each copy).
 */
export function isCostlyToRepeat(node: Node): boolean {
  if (!node || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(isCostlyToRepeat);
  if ('window_function' in node || 'select' in node || isVolatileCall(node)) return true;
  if (node.function && REPEATING.has(String(node.function.name))) return true;
  return Object.values(node).some(isCostlyToRepeat);
}

/** Subtractions in HAVING, QUALIFY and ORDER BY, where a name may be a select-list alias of an aggregate. */
const afterAggregation = new WeakSet<Node>();
/**
 * Subtractions no macro can take: in a STRUCT built in an expression subquery, where DuckDB cannot bind a correlated
 * column in any macro ("Need named argument for struct pack"), and in a SQL UDF's body, whose parameters a typed macro
 * cannot take.
 */
const macroless = new WeakSet<Node>();
/** Subtractions in UNNEST, whose columns may be a lateral join's correlated ones. */
const inUnnest = new WeakSet<Node>();

/** Marks the subtractions of a parsed statement that __gg_minus cannot take (before the walk; after markCorrelatableScopes). */
export function markUntypedSubtractions(ast: Node): void {
  eachNodeBottomUp(ast, (n) => {
    for (const clause of [n.having, n.qualify, n.order_by]) eachNodeBottomUp(clause, (m) => m.sub && afterAggregation.add(m.sub));
    eachNodeBottomUp(n.unnest, (m) => m.sub && inUnnest.add(m.sub));
    const fields = structFields(n);
    if (fields) eachNodeBottomUp(fields, (m) => m.sub && macroless.add(m.sub));
  });
  if (isUdfBody(ast)) eachNodeBottomUp(ast, (m) => m.sub && macroless.add(m.sub));
}

/** The fields of a STRUCT built in a subquery: STRUCT(...), a typed STRUCT literal, a tuple, SELECT AS STRUCT's list. */
function structFields(n: Node): Node | undefined {
  if (n.select?.kind === 'STRUCT') return mayBeCorrelated(n.select) ? n.select.expressions : undefined;
  if (!mayBeCorrelated(n)) return undefined;
  return /^struct$/i.test(String(n.function?.name ?? '')) ? n.function.args : (n.struct ?? n.tuple);
}

function subtraction(body: Node, walk: (n: Node) => Node): Node {
  // In UNNEST an operand written as a date or time gives DuckDB the overload to pick, even beside a correlated column.
  if (inUnnest.has(body) && !afterAggregation.has(body) && [body.left, body.right].some(isWrittenTemporal)) return fn('__gg_minus', [walk(body.left), walk(body.right)]);
  const bindFirst = afterAggregation.has(body) || [body.left, body.right].some(bindsLate);
  // Bound first, a correlated column fails too: in a subquery, such a subtraction is DuckDB's.
  if (macroless.has(body) || inUnnest.has(body) || (bindFirst && mayBeCorrelated(body))) return withOperands(MINUS_WITHOUT_MACRO, [walk(body.left), walk(body.right)]);
  return typedCall('__gg_minus', [walk(body.left), walk(body.right)], bindFirst);
}

// DuckDB's a - b, but an error for the two pairs DuckDB types otherwise; typeof is a constant, so it fails at binding.
const MINUS_WITHOUT_MACRO = `CASE WHEN typeof(__gg_operand_0) = typeof(__gg_operand_1) AND typeof(__gg_operand_0) IN ('DATE', 'TIMESTAMP WITH TIME ZONE')
  THEN CASE WHEN __gg_refuse('DATE - DATE or TIMESTAMP - TIMESTAMP in UNNEST, in an expression subquery (in a STRUCT, or beside an aggregate) or in a SQL UDF body is not supported by the local emulator') = 0 THEN NULL END
  ELSE __gg_operand_0 - __gg_operand_1 END`;

const TEMPORAL_FUNCTIONS = new Set(
  (
    'current_date current_datetime current_timestamp date datetime timestamp date_add date_sub date_trunc datetime_add datetime_sub ' +
    'datetime_trunc timestamp_add timestamp_sub timestamp_trunc parse_date parse_datetime parse_timestamp last_day date_from_unix_date ' +
    'timestamp_seconds timestamp_millis timestamp_micros'
  ).split(' '),
);

/** An expression written as a DATE, DATETIME or TIMESTAMP: a literal, a CAST to one, a function that returns one. */
function isWrittenTemporal(n: Node): boolean {
  if (n?.paren) return isWrittenTemporal(n.paren.this);
  if (['date', 'datetime', 'timestamp'].includes(n?.literal?.literal_type)) return true;
  if (n?.cast) return /^"?(date|datetime|timestamp)"?$/i.test(String(n.cast.to?.data_type ?? n.cast.to?.name ?? ''));
  return Boolean(n?.function) && TEMPORAL_FUNCTIONS.has(String(n.function.name).toLowerCase());
}

/** An INT64 or FLOAT64 literal, maybe negated or in parentheses: its subtraction is numeric (or DATE - INT64). */
function isNumberLiteral(n: Node): boolean {
  if (n?.paren) return isNumberLiteral(n.paren.this);
  if (n?.neg) return isNumberLiteral(n.neg.this);
  return n?.literal?.literal_type === 'number';
}

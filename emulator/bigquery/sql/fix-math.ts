/**
 * Mathematical functions through the macros of macros-math.ts (BigQuery's result types and errors). Polyglot parses
 * some as nodes of their own (POW, SQRT, LN, EXP, LOG) and the rest as plain function calls.
 */
import { invalidQuery } from '../errors.ts';
import { castTo, fn, isNullLiteral, nullLit, numLit, type Node } from './ast-build.ts';
import { arithmeticCall } from './fix-arithmetic.ts';
import { MATH_MACROS, mathMacroName, type MathFunction } from './macros-math.ts';
import { onceForm } from './macros-numeric.ts';

const call = (f: MathFunction, args: Node[]): Node => arithmeticCall(mathMacroName(f, false), args);

/** The math node `{[kind]: body}` with walked operands, or undefined when it is not one of these functions. */
export function fixMathNode(kind: string, body: Node, walk: (n: Node) => Node): Node | undefined {
  switch (kind) {
    case 'power':
      return call('pow', [walk(body.this), walk(body.expression)]);
    case 'sqrt':
    case 'ln':
    case 'exp':
      return call(kind, [walk(body.this)]);
    case 'log':
      return body.base ? call('log', [walk(body.this), walk(body.base)]) : call('ln', [walk(body.this)]);
    case 'round':
    case 'ceil':
    case 'floor': {
      const x = walk(body.this);
      return rounded({ [kind]: { ...body, this: roundingArg(x), ...(body.decimals ? { decimals: digitsArg(walk(body.decimals)) } : {}) } }, x);
    }
    // DuckDB refuses these at ±inf ("input value inf is out of range"), where BigQuery's are NaN
    // (https://cloud.google.com/bigquery/docs/reference/standard-sql/mathematical_functions#sin and COS, TAN, COT,
    // ASIN, ACOS); the macro's CASE evaluates the call only for finite x.
    case 'sin':
    case 'cos':
    case 'tan':
    case 'asin':
    case 'acos': {
      const x = walk(body.this);
      return fn('__gg_nan_at_inf', [x, { [kind]: { ...body, this: structuredClone(x) } }]);
    }
    default:
      return undefined;
  }
}

/** Handlers of the math functions that polyglot leaves as plain calls. */
export const mathFunctions: Record<string, (args: Node[]) => Node | undefined> = Object.fromEntries(
  (['power', 'log10', 'cosh', 'sinh', 'acosh', 'csc', 'sec', 'csch', 'sech', 'coth'] as const).map((name) => {
    const f: MathFunction = name === 'power' ? 'pow' : name;
    return [name, (args: Node[]) => (args.length === MATH_MACROS[f] ? call(f, args) : undefined)];
  }),
);

const ROUNDING_MODES: Record<string, string> = { ROUND_HALF_EVEN: '__gg_round_half_even', ROUND_HALF_AWAY_FROM_ZERO: '__gg_round_half_away' };
/** v rounding x (ROUND, TRUNC, CEIL, FLOOR), typed as BigQuery types it. */
const rounded = (v: Node, x: Node) => fn('__gg_rounded', [v, structuredClone(x)]);
/**
 * The digits N of ROUND(X, N) and TRUNC(X, N), an INT64, as DuckDB takes them: a 32-bit INT4 (its round and trunc have
 * no BIGINT overload), held within ±1000, past which every value rounds alike (no type has 1000 digits).
 */
const digitsArg = (n: Node) => castTo(fn('least', [fn('greatest', [n, numLit('-1000')]), numLit('1000')]), 'INT4');
/** x as ROUND, TRUNC, CEIL and FLOOR take it (an INT64 as a FLOAT64). */
const roundingArg = (x: Node) => fn('__gg_rounding_arg', [structuredClone(x)]);

// ROUND with a rounding mode (polyglot would make it DuckDB's round_even, a FLOAT64). The mode is a literal, checked
// when the query is analysed.
mathFunctions.round = (args: Node[]) => {
  if (args.length !== 3) return undefined;
  const mode = args[2]?.literal?.literal_type === 'string' ? String(args[2].literal.value) : undefined;
  const macro = mode === undefined ? undefined : ROUNDING_MODES[mode];
  if (!macro) throw invalidQuery(mode === undefined ? 'The rounding mode of ROUND must be a string literal' : `Invalid rounding mode: ${mode}`);
  // A NULL literal with a rounding mode is a NUMERIC (the only type the mode takes, with BIGNUMERIC).
  const x = isNullLiteral(args[0]) ? castTo(nullLit(), 'NUMERIC') : args[0];
  return rounded(fn(macro, [x, args[1]]), x);
};
mathFunctions.trunc = (args: Node[]) => (args.length <= 2 ? rounded(fn('trunc', [roundingArg(args[0]), ...args.slice(1).map(digitsArg)]), args[0]) : undefined);
// COT is a plain call for polyglot; at ±inf it is NaN as the others above.
mathFunctions.cot = (args: Node[]) => (args.length === 1 ? fn('__gg_nan_at_inf', [args[0], fn('cot', [structuredClone(args[0])])]) : undefined);

const SAFE_FORMS = new Map<string, string>(
  (Object.keys(MATH_MACROS) as MathFunction[]).flatMap((f) => [
    [mathMacroName(f, false), mathMacroName(f, true)],
    [onceForm(mathMacroName(f, false)), onceForm(mathMacroName(f, true))],
  ]),
);

/** SAFE.fn(...) of a math function: the macro's SAFE form (NULL instead of the error), or undefined for another call. */
export function safeMathCall(call: Node): Node | undefined {
  const safe = SAFE_FORMS.get(String(call?.function?.name));
  return safe ? fn(safe, call.function.args) : undefined;
}

/**
 * DuckDB computes two equal aggregate calls once (SUM(RAND()) twice in one query gives one sum twice); BigQuery draws
 * RAND() anew at each call. Every RAND() after the first is written as GREATEST(RAND(), -k), k its position: the same
 * value (RAND() is in [0, 1)), but a different expression, which DuckDB then aggregates on its own.
 */
export function drawEachRandApart(ast: Node): void {
  let seen = 0;
  const visit = (node: Node): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    for (const [key, child] of Object.entries(node)) {
      if (child && typeof child === 'object' && !Array.isArray(child) && 'rand' in child && Object.keys(child).length === 1 && !(child as Node).rand?.seed) {
        seen += 1;
        if (seen > 1) node[key] = fn('GREATEST', [child, numLit(String(-seen))]);
      } else visit(child);
    }
  };
  visit(ast);
}

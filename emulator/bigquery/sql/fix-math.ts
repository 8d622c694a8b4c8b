/**
 * Mathematical functions through the macros of macros-math.ts (BigQuery's result types and errors). Polyglot parses
 * some as nodes of their own (POW, SQRT, LN, EXP, LOG) and the rest as plain function calls.
 */
import { fn, type Node } from './ast-build.ts';
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
    default:
      return undefined;
  }
}

/** Handlers of the math functions that polyglot leaves as plain calls. */
export const mathFunctions: Record<string, (args: Node[]) => Node | undefined> = Object.fromEntries(
  (['power', 'log10', 'cosh', 'sinh', 'acosh'] as const).map((name) => {
    const f: MathFunction = name === 'power' ? 'pow' : name;
    return [name, (args: Node[]) => (args.length === MATH_MACROS[f] ? call(f, args) : undefined)];
  }),
);

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

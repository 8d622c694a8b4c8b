/**
 * SAFE.fn(args) is TRY(fn(args)), but "the SAFE. prefix only prevents errors from the prefixed function itself: it
 * doesn't prevent errors that occur while evaluating argument expressions" (functions-reference#safe_prefix): the
 * arguments that can fail are evaluated first, outside the TRY (__gg_safe_call, macros-raise.ts).
 */
import { notSupported } from '../errors.ts';
import { fn, type Node } from './ast-build.ts';
import { reparsedExpression } from './expression-sql.ts';
import { safeParseDecimal } from './fix-functions.ts';
import { safeJsonConverter } from './fix-json.ts';
import { safeMathCall } from './fix-math.ts';

/** A date part argument (DAY, WEEK(MONDAY)): a name, not a value. */
const isDatePart = (a: Node) => a?.var || (a?.function && /^(week|isoweek)$/i.test(String(a.function.name)));
/** More SAFE. calls than this in a SAFE. call's arguments are refused: each level copies its arguments once. */
const NESTED_SAFE_CALLS = 3;

/** SAFE.fn(...), a function node named `safe.fn`; `walk` translates a node. */
export function safeCall(body: Node, walk: (n: Node) => Node): Node {
  // SAFE.ERROR(msg) is a NULL INT64, but an error raised by its argument is not suppressed (ZetaSQL misc:
  // default_safe_error_int64, safe_error_fn_with_error).
  if (String(body.name).toLowerCase() === 'safe.error' && body.args?.length === 1) return fn('__gg_safe_error', [walk(body.args[0])]);
  // fn reparsed is polyglot's own node (SAFE.SUBSTR parses as a generic function). The math, JSON and PARSE_NUMERIC
  // forms give NULL themselves; any other is a TRY.
  const inner = walk(reparsedExpression({ function: { ...body, name: String(body.name).slice(5) } }));
  return safeMathCall(inner) ?? safeJsonConverter(inner) ?? safeParseDecimal(inner) ?? argumentsFirst(body.args ?? [], fn('try', [inner]), walk);
}

/**
 * `tried` (the SAFE. call's TRY) with the arguments (unwalked) evaluated before it. Literals, columns and date parts
 * cannot fail; a lambda cannot stand alone.
 */
function argumentsFirst(args: Node[], tried: Node, walk: (n: Node) => Node): Node {
  const failing = args.filter((a) => !(a?.literal || a?.column || a?.null || a?.boolean || isDatePart(a)));
  const text = JSON.stringify(failing);
  if (!failing.length || text.includes('"lambda":')) return tried;
  if ((text.match(/"name":"safe\./gi) ?? []).length > NESTED_SAFE_CALLS) throw notSupported(`More than ${NESTED_SAFE_CALLS} SAFE. calls nested in the arguments of a SAFE. call`);
  const values = failing.map((a) => walk(structuredClone(a)));
  return fn('__gg_safe_call', [fn('row', values), tried]);
}

/**
 * String and BYTES functions whose DuckDB translation differs from BigQuery's: negative lengths raise, NULL
 * arguments give NULL of the right type, UNICODE('') is 0, ASCII refuses non-ASCII text, BYTES arguments work on
 * bytes. https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions
 * Handlers get already-rewritten arguments; undefined keeps the translation that follows.
 */
import { BigQueryError } from '../errors.ts';
import { binary, castTo, fn, nullLit, numLit, strLit, stringValue, type Node } from './ast-build.ts';
import { holdsAggregate } from './fix-aggregates.ts';
import { onceForm } from './macros-numeric.ts';

type Handler = (args: Node[]) => Node | undefined;

const isNull = (n: Node): boolean => (n?.paren ? isNull(n.paren.this) : n?.null !== undefined && Object.keys(n).length === 1);
const typedNull = (type: string): Node => castTo(nullLit(), type);
/** A bare NULL literal would make DuckDB pick a BLOB overload; BigQuery types it STRING. */
const asString = (n: Node) => (isNull(n) ? typedNull('STRING') : n);
/** A BYTES literal as literals.ts writes it: FROM_HEX('...'). */
const isBytesLiteral = (n: Node): boolean => String(n?.function?.name ?? '').toLowerCase() === 'from_hex';
const nonNegative = (n: Node, message: string) => fn('__gg_non_negative', [n, strLit(message)]);
/** A STRING literal (a BYTES literal is FROM_HEX('...'), literals.ts). */
const isStringLiteral = (n: Node): boolean => n?.literal?.literal_type === 'string';
/**
 * A call of a macro with a BYTES overload (macros-bytes.ts); a bare NULL first argument is a STRING, unless another
 * argument may be BYTES (REPLACE(NULL, 'a', 'b') is a STRING: its other arguments are).
 */
const bytesOr = (name: string, args: Node[], stringSlots = 1): Node => {
  const slots = args.slice(0, stringSlots);
  const operands = isNull(args[0]) && slots.every((a) => isNull(a) || isStringLiteral(a)) ? [asString(args[0]), ...args.slice(1)] : args;
  return fn(holdsAggregate(operands) ? onceForm(`__gg_b_${name}`) : `__gg_b_${name}`, operands);
};
/** A STRING literal's text, or a BYTES literal's (FROM_HEX('...'), literals.ts) as one character per byte. */
function patternText(n: Node): string | undefined {
  if (typeof n?.literal?.value === 'string' && n.literal.literal_type !== 'number') return n.literal.value;
  const hex = isBytesLiteral(n) ? n.function.args?.[0]?.literal?.value : undefined;
  return typeof hex === 'string' ? Buffer.from(hex, 'hex').toString('latin1') : undefined;
}
/**
 * The capturing groups of a pattern: its ( and (?P<name> outside \Q...\E quotes, escapes and character classes;
 * __gg_regexp_groups (macros-bytes.ts) counts the same way for a pattern known only at run time.
 */
function captureGroupCount(text: string): number {
  const t = text
    .replace(/\\Q[\s\S]*?(\\E|$)/g, '')
    .replace(/\\[\s\S]/g, '')
    .replace(/\[\^?\]?(\[:[a-z]+:\]|[^\]])*\]/g, '');
  const count = (s: string) => t.split(s).length - 1;
  return count('(') - count('(?') + count('(?P<');
}
/** How many groups REGEXP_EXTRACT(_ALL)'s pattern has: more than one is an error, one gives the group's match. */
function captureGroup(pattern: Node): Node {
  const text = patternText(pattern);
  return text === undefined ? fn('__gg_regexp_groups', [pattern]) : numLit(String(captureGroupCount(text)));
}
/** REGEXP_EXTRACT(s, re, position[, occurrence]): the occurrence-th match (its group) in the text from `position`. */
function regexpExtractAt([s, re, position, occurrence]: Node[]): Node {
  const matches = bytesOr('regexp_extract_all', [fn('__gg_regexp_from', [asString(s), re, position]), re, captureGroup(re)], 2);
  return fn('__gg_regexp_occurrence', [matches, occurrence ?? numLit('1')]);
}
/**
 * The '(' of a pattern's one capturing group, if the group is outside every other group and the pattern has no
 * top-level '|' and no inline flags: then `(before)(group)after` matches as the pattern does (regexpInstr).
 */
function topLevelGroupStart(text: string): number | undefined {
  if (/\(\?[a-zA-Z-]+\)/.test(text)) return undefined;
  let depth = 0;
  let start: number | undefined;
  let closes: number | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i = text[i + 1] === 'Q' ? text.indexOf('\\E', i + 2) + 1 || text.length : i + 1;
    } else if (c === '[') {
      let j = i + 1 + (text[i + 1] === '^' ? 1 : 0);
      if (text[j] === ']') j++;
      for (; j < text.length && text[j] !== ']'; j++) {
        if (text[j] === '\\') j++;
        else if (text.startsWith('[:', j)) j = text.indexOf(':]', j + 2) + 1 || j;
      }
      i = j;
    } else if (c === '(') {
      const capturing = text[i + 1] !== '?' || text.startsWith('(?P<', i);
      if (capturing && depth > 0) return undefined;
      if (capturing) start = i;
      depth++;
    } else if (c === ')') {
      depth--;
      // A repeated group ((ab)+): RE2 reports its last repetition, the rewrite its first.
      if (depth === 0 && start !== undefined && closes === undefined) closes = i;
    } else if (c === '|' && depth === 0) return undefined;
  }
  return closes !== undefined && /^[+*?{]/.test(text.slice(closes + 1)) ? undefined : start;
}

/**
 * REGEXP_INSTR(source, regexp[, position[, occurrence[, occurrence_position]]]) for a literal pattern: the match's (or
 * its group's) position, found by DuckDB's RE2 on the pattern rewritten as `(before the group)(the group)after`
 * (__gg_regexp_instr, macros-text.ts).
 */
function regexpInstr(args: Node[]): Node {
  const [s, re, position = numLit('1'), occurrence = numLit('1'), occurrencePosition = numLit('0')] = args;
  if (args.length < 2 || args.length > 5) throw new BigQueryError(400, 'invalidQuery', 'No matching signature for function REGEXP_INSTR: it takes 2 to 5 arguments');
  if (isNull(re)) return typedNull('INT64');
  const text = patternText(re);
  if (text === undefined) throw new BigQueryError(400, 'invalidQuery', 'REGEXP_INSTR with a pattern that is not a literal is not supported by the local emulator');
  const groups = captureGroupCount(text);
  const at = groups === 1 ? topLevelGroupStart(text) : undefined;
  if (groups === 1 && at === undefined) {
    throw new BigQueryError(400, 'invalidQuery', 'REGEXP_INSTR with a capturing group inside another group, beside a top-level | or with inline flags, or repeated, is not supported by the local emulator');
  }
  const split = at === undefined ? `()(${text})` : `(${text.slice(0, at)})${text.slice(at)}`;
  const splitLiteral = isBytesLiteral(re) ? fn('from_hex', [strLit(Buffer.from(split, 'latin1').toString('hex'))]) : strLit(split);
  const anchored = /\^|\\[AbB]/.test(text.replace(/\[[^\]]*\]/g, ''));
  return bytesOr('regexp_instr', [s, re, position, occurrence, occurrencePosition, splitLiteral, numLit(String(groups)), { boolean: { value: anchored } }], 2);
}

const regexp =
  (name: string, slots = 2): Handler =>
  (args) =>
    bytesOr(name, args, slots);

const regexpExtract: Handler = (args) => (args.length === 2 ? bytesOr('regexp_extract', [...args, captureGroup(args[1])], 2) : regexpExtractAt(args));

export const stringFunctions: Record<string, Handler> = {
  // CONCAT is NULL if any argument is ("If any input argument is NULL, the function returns NULL"); DuckDB's concat
  // skips NULLs (CONCAT('a', NULL) was 'a'). DuckDB's || propagates NULL and keeps BYTES as BYTES.
  concat: (args) => {
    if (!args.length) return undefined;
    // A literal NULL argument makes the result NULL (DuckDB would fold the || to an untyped NULL).
    if (args.some(isNull)) return typedNull(args.some(isBytesLiteral) ? 'BYTES' : 'STRING');
    if (args.length === 1) return fn('__gg_concat1', args);
    // Each operand in parentheses: `CONCAT('x', a = b)` is not `'x' || a = b`.
    const operands = args.map((a) => ({ paren: { this: a } }));
    return typedConcat(operands.slice(1).reduce((left: Node, right: Node) => binary('concat', left, right), operands[0]));
  },
  left: ([s, n]) => (n ? bytesOr('left', [s, nonNegative(n, 'Second argument in LEFT() cannot be negative')]) : undefined),
  right: ([s, n]) => (n ? bytesOr('right', [s, nonNegative(n, 'Second argument in RIGHT() cannot be negative')]) : undefined),
  unicode: ([s]) => fn('__gg_unicode', [asString(s)]),
  ascii: ([s]) => fn('__gg_ascii', [asString(s)]),
  split: ([s, d]) => bytesOr('split', [s, d === undefined ? strLit(',') : d], 2),
  split_substr: (args) => fn('__gg_split_substr', [asString(args[0]), ...args.slice(1)]),
  ltrim: (args) => bytesOr('ltrim', args, args.length),
  rtrim: (args) => bytesOr('rtrim', args, args.length),
  replace: (args) => (args.length === 3 ? bytesOr('replace', args, 3) : undefined),
  reverse: (args) => (args.length === 1 ? bytesOr('reverse', args) : undefined),
  // LPAD/RPAD refuse outputs over 1 MB (an unbounded one would exhaust the emulator's memory).
  lpad: ([s, n, p]) => bytesOr('lpad', [s, fn('__gg_pad_length', [n]), p ?? strLit(' ')]),
  rpad: ([s, n, p]) => bytesOr('rpad', [s, fn('__gg_pad_length', [n]), p ?? strLit(' ')]),
  regexp_contains: regexp('regexp_contains'),
  regexp_extract: (args) => regexpExtract(args),
  // REGEXP_SUBSTR is a synonym of REGEXP_EXTRACT (polyglot read it as the first group of DuckDB's REGEXP_EXTRACT).
  regexp_substr: (args) => regexpExtract(args),
  regexp_instr: (args) => regexpInstr(args),
  regexp_extract_all: (args) => (args.length === 2 ? bytesOr('regexp_extract_all', [...args, captureGroup(args[1])], 2) : undefined),
  // REGEXP_REPLACE replaces every match in BigQuery (DuckDB: the first unless 'g').
  regexp_replace: regexp('regexp_replace', 3),
  repeat: ([s, n]) => fn('__gg_repeat', [asString(s), n]),
  translate: (args) => (args.length === 3 ? fn('__gg_translate', [asString(args[0]), ...args.slice(1)]) : undefined),
  // COLLATE(s, 'binary') is s; other collations ('und:ci') would compare case-sensitively here: refused.
  collate: ([s, spec]) => {
    const name = stringValue(spec);
    if (name === undefined) return undefined;
    if (name === '' || name.toLowerCase() === 'binary') return asString(s);
    throw new BigQueryError(400, 'invalidQuery', `Collation '${name}' is not supported by the local emulator (only 'binary')`);
  },
  contains_substr: (args) => {
    if (args.length !== 2) throw new BigQueryError(400, 'invalidQuery', 'CONTAINS_SUBSTR with json_scope is not supported by the local emulator');
    if (isNull(args[1])) throw new BigQueryError(400, 'invalidQuery', 'CONTAINS_SUBSTR search value cannot be NULL');
    return fn('__gg_contains_substr', args);
  },
  edit_distance: ([a, b, max]) => {
    const distance = fn('__gg_edit_distance', [asString(a), asString(b)]);
    if (!max) return distance;
    const limit = max.named_argument ? max.named_argument.value : max;
    return fn('least', [distance, limit]);
  },
  format: (args) => {
    if (isNull(args[0])) return asString(nullLit());
    if (args[0]?.literal?.literal_type === 'string') return undefined;
    // DuckDB's printf differs from FORMAT (%*d, %T, NULL, argument counts): only a literal format is expanded.
    throw new BigQueryError(400, 'invalidQuery', 'FORMAT with a format string that is not a literal is not supported by the local emulator');
  },
};

/**
 * `a || b` with an operand that is a NULL cast to a type (`CAST(NULL AS STRING)`, by now a conversion macro's call on
 * NULL): DuckDB folds || over such a constant to an INTEGER NULL. The result is cast to that operand's type (a
 * STRING, BYTES or ARRAY, as the result's); cast_to_type only reads the operand's type.
 */
export function typedConcat(concat: Node): Node {
  const leaves: Node[] = [];
  const collect = (n: Node): void => {
    if (n?.concat) return [n.concat.left, n.concat.right].forEach(collect);
    if (n?.paren) return collect(n.paren.this);
    leaves.push(n);
  };
  collect(concat);
  const typedNull = leaves.find((n) => (n?.cast && isNull(n.cast.this)) || (n?.function?.args?.length === 1 && isNull(n.function.args[0])));
  return typedNull ? fn('cast_to_type', [{ paren: { this: concat } }, structuredClone(typedNull)]) : concat;
}

/** polyglot's own nodes for SUBSTR, STRPOS, STARTS_WITH and ENDS_WITH. */
export function stringNode(kind: string, body: Node, walk: (n: Node) => Node): Node | undefined {
  switch (kind) {
    case 'substring':
      if (body.from_for_syntax) return undefined;
      if (!body.length) return bytesOr('substr', [walk(body.this), walk(body.start)]);
      return bytesOr('substr', [walk(body.this), walk(body.start), nonNegative(walk(body.length), 'Third argument in SUBSTR() cannot be negative')]);
    case 'lower':
    case 'upper':
      return bytesOr(kind, [walk(body.this)]);
    case 'trim':
      if (body.sql_standard_syntax || body.position !== 'Both') return undefined;
      return bytesOr('trim', body.characters ? [walk(body.this), walk(body.characters)] : [walk(body.this)], body.characters ? 2 : 1);
    case 'str_position':
      return body.position || body.occurrence ? undefined : fn('__gg_strpos', [walk(body.this), walk(body.substr)]);
    case 'starts_with':
    case 'ends_with':
      return fn(`__gg_${kind}`, [walk(body.this), walk(body.expression)]);
    default:
      return undefined;
  }
}

/**
 * BigQuery format strings → DuckDB: date/time format elements (FORMAT_DATE, PARSE_TIMESTAMP, …)
 * for strftime/strptime, and FORMAT()'s printf-style specifiers, which are expanded at translation
 * time into a concatenation because DuckDB's printf has no %t/%T and prints NULL differently.
 */
import { binary, castTo, fn, numLit, strLit, type Node } from './ast-build.ts';
import { invalidQuery } from '../errors.ts';

// BigQuery elements with no identical DuckDB strftime specifier. %e/%k/%l pad with a space in BigQuery, which
// strftime cannot: parsing reads them unpadded, formatting writes them zero-padded behind SPACE_PAD (formatMarked).
const dateElements: Record<string, string> = {
  c: '%a %b %-d %H:%M:%S %Y',
  D: '%m/%d/%y',
  x: '%m/%d/%y',
  F: '%Y-%m-%d',
  T: '%H:%M:%S',
  X: '%H:%M:%S',
  R: '%H:%M',
  e: '%-d',
  k: '%-H',
  l: '%-I',
  h: '%b',
  n: '\n',
  t: '\t',
  P: '%p',
  '%': '%%',
};

/**
 * FORMAT_TIMESTAMP's zone elements as characters strftime prints as they are: strftime of the civil time would print
 * +00 for any zone, so __gg_format_ts writes the zone's offset (%z +hhmm, %Ez +hh:mm) and name (%Z) in their place.
 */
const ZONE_MARKERS: Record<string, string> = { z: '\u0002', Ez: '\u0003', Z: '\u0004' };

/** Written before a zero-padded number that BigQuery pads with a space instead (__gg_space_padded turns its 0 into one). */
const SPACE_PAD = '\u0005';
const SPACE_PADDED: Record<string, string> = { e: `${SPACE_PAD}%d`, k: `${SPACE_PAD}%H`, l: `${SPACE_PAD}%I`, c: `%a %b ${SPACE_PAD}%d %H:%M:%S %Y` };
/**
 * Formatting elements strftime writes otherwise, marked for __gg_format_marked: %P is am or pm (strftime's %p is AM or
 * PM), %E*S the seconds with as many fractional digits as the value has (strftime's %f always writes six).
 */
const MARKED: Record<string, string> = { P: '\u0006%p', 'E*S': '%S\u0007.%f\u0008' };

function dateFormatToDuck(format: string, zoneMarkers = false, formatting = false): string {
  return format.replace(/%(E(?:\*|\d)S|E4Y|Ez|.)/g, (m, spec: string) => {
    if (formatting && MARKED[spec]) return MARKED[spec];
    if (spec === 'E*S' || spec === 'E6S') return '%S.%f';
    if (spec === 'E3S') return '%S.%g';
    if (/^E\dS$/.test(spec)) {
      if (formatting) throw invalidQuery(`The format element %${spec} (seconds with ${spec[1]} fractional digits) is not supported by the local emulator`);
      return '%S';
    }
    if (formatting && SPACE_PADDED[spec]) return SPACE_PADDED[spec];
    if (spec === 'E4Y') return '%Y';
    if (zoneMarkers && ZONE_MARKERS[spec]) return ZONE_MARKERS[spec];
    if (spec === 'Ez') return '%z';
    // %g is the ISO year's last two digits in BigQuery, milliseconds in DuckDB.
    if (spec === 'Q' || spec === 's' || spec === 'C' || spec === 'N' || spec === 'g') {
      throw invalidQuery(`The format element %${spec} is not supported by the local emulator`);
    }
    return dateElements[spec] ?? m;
  });
}

/** The elements a PARSE_* function's format may not hold (ZetaSQL's ValidateDateFormat and ValidateDatetimeFormat). */
const NOT_PARSED: Record<string, string> = { DATE: 'cHIklMPpRrSsTXZz', DATETIME: 'Zz', TIME: 'AaBbCcDdeFGghjmQsUuVWwxYyZz' };

/**
 * PARSE_DATE('%H', ...) and PARSE_DATETIME('%z', ...) are errors ("Invalid format: %H is not allowed for the DATE
 * type"); DuckDB parsed and dropped the part, or returned a TIMESTAMP. A literal format only; the call is left as it is.
 */
export function checkParseFormat(format: Node, type: 'DATE' | 'DATETIME' | 'TIME'): undefined {
  const text = format?.literal?.literal_type === 'string' ? String(format.literal.value) : undefined;
  if (text === undefined) return undefined;
  const invalid = NOT_PARSED[type];
  for (const m of text.matchAll(/%+(E(?:\*|\d)S|E4Y|[EO]?.)/g)) {
    if ((m[0].length - m[1].length) % 2 === 0) continue;
    const element = m[1];
    const last = element[element.length - 1];
    if (invalid.includes(last) || ((element[0] === 'E' || element[0] === 'O') && invalid.includes(element[1]))) {
      throw invalidQuery(`Invalid format: %${element} is not allowed for the ${type} type.`);
    }
  }
  return undefined;
}

/** A format argument: literals are converted now, expressions are passed through unchanged. */
export function dateFormatArg(arg: Node, zoneMarkers = false, formatting = false): Node {
  const v = arg?.literal?.literal_type === 'string' ? arg.literal.value : undefined;
  return typeof v === 'string' ? strLit(dateFormatToDuck(v, zoneMarkers, formatting)) : arg;
}

/** A FORMAT_* call whose literal format has a space-padded or marked element (%e, %k, %l, %c, %P, %E*S): its result as BigQuery writes it. */
export function formatMarked(call: Node, format: Node): Node {
  const v = format?.literal?.literal_type === 'string' ? String(format.literal.value) : '';
  return /%([eklcP]|E\*S)/.test(v.replace(/%%/g, '')) ? fn('__gg_format_marked', [call]) : call;
}

/** BigQuery's FORMAT specifiers (string_functions#format_string), and the type each takes (__gg_format_arg_ok). */
const FORMAT_CONVERSIONS = new Set([...'dioxXfFeEgGpPstT%']);
const ARGUMENT_TYPES: Record<string, string> = { d: 'integer', i: 'integer', o: 'integer', x: 'integer', X: 'integer', s: 'STRING', ...Object.fromEntries([...'fFeEgG'].map((c) => [c, 'FLOAT64'])) };

/** FORMAT(literal, args...) → CONCAT of the pieces; undefined when the format is not a literal. */
export function expandFormat(args: Node[]): Node | undefined {
  const format = args[0]?.literal?.literal_type === 'string' ? (args[0].literal.value as string) : undefined;
  if (format === undefined) return undefined;
  const parts: Node[] = [];
  const checks: Node[] = [];
  let next = 1;
  let text = '';
  const re = /%([-+ #0']*)(\d+|\*)?(?:\.(\d+|\*))?([\s\S]?)/g;
  let last = 0;
  for (let m; (m = re.exec(format));) {
    text += format.slice(last, m.index);
    last = re.lastIndex;
    const [, flags, width, precision, conv] = m;
    // ZetaSQL's StringFormatEvaluator messages.
    if (conv === '') throw invalidQuery(`Invalid FORMAT string: "${format}"`);
    if (!FORMAT_CONVERSIONS.has(conv)) throw invalidQuery(`Invalid format specifier character "${conv}" in FORMAT string: "${format}"`);
    if (conv === '%') {
      text += '%';
      continue;
    }
    if (width === '*' || precision === '*') throw invalidQuery('FORMAT: * widths are not supported by the local emulator');
    // The ' flag groups digits (`%'d` 123,456,789; `%'x` bc:614e); DuckDB's printf wrote it as text (123'456'789).
    if (flags.includes("'")) throw invalidQuery("FORMAT's ' flag (digit grouping) is not supported by the local emulator");
    const position = next + 1;
    const arg = args[next++];
    if (!arg) throw invalidQuery(`FORMAT: too few arguments for format string "${format}"`);
    const expected = ARGUMENT_TYPES[conv];
    if (expected) checks.push(fn('__gg_format_arg_ok', [structuredClone(arg), strLit(expected), numLit(String(position)), strLit('oxX'.includes(conv) ? 'unsigned' : '')]));
    if (text) parts.push(strLit(text));
    text = '';
    let piece: Node;
    // %t writes a TIMESTAMP in UTC whatever the job's zone (ZetaSQL's value text), unlike CAST AS STRING. Its width,
    // precision and - flag "act as they do for %s": the text cut to the precision, padded to the width.
    if (conv === 't' || conv === 'T') {
      piece = conv === 't' ? fn('coalesce', [fn('__gg_format_t_text', [arg]), strLit('NULL')]) : fn('__gg_format_t', [arg]);
      if (precision !== undefined) piece = fn('left', [piece, numLit(precision)]);
      if (width) piece = fn('__gg_padded', [piece, numLit(width), { boolean: { value: flags.includes('-') } }]);
    } else if (!flags && !width && !precision && (conv === 's' || conv === 'd' || conv === 'i')) piece = fn('__gg_to_string', [arg]);
    else {
      // printf's - (left-justify) wins over its 0 (zero padding), as in C; DuckDB's printf let 0 win.
      const spec = `%${flags.includes('-') ? flags.replace(/0/g, '') : flags}${width ?? ''}${precision !== undefined ? '.' + precision : ''}${conv === 'i' ? 'd' : conv}`;
      // A NUMERIC or BIGNUMERIC under %f is formatted exactly; under %e or %g it is refused (DuckDB's printf reads FLOAT64).
      piece = 'fF'.includes(conv) ? fn('__gg_format_f', [strLit(spec), arg]) : 'eEgG'.includes(conv) ? fn('__gg_format_eg', [strLit(spec), arg]) : fn('printf', [strLit(spec), arg]);
    }
    // A NULL argument makes the result NULL (the concatenation is ||), except under %t and %T, which write NULL.
    parts.push(piece);
  }
  text += format.slice(last);
  if (text) parts.push(strLit(text));
  if (next !== args.length) throw invalidQuery(`FORMAT: ${args.length - next} more arguments than the format string "${format}" uses`);
  if (parts.length === 0) return strLit('');
  // || and not CONCAT, which polyglot writes as DuckDB's (it skips NULLs). The whole is cast: DuckDB folds || over a
  // constant NULL to an INTEGER NULL.
  const operands = parts.map((p) => ({ paren: { this: p } }));
  const formatted = castTo({ paren: { this: operands.slice(1).reduce((left: Node, right: Node) => binary('concat', left, right), operands[0]) } }, 'STRING');
  // Each argument of the type its specifier takes (__gg_format_arg_ok raises BigQuery's error).
  return checks.length ? fn('__gg_format_checked', [formatted, checks.reduce((left, right) => binary('and', left, right))]) : formatted;
}

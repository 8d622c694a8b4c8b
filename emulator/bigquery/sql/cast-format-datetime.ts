/**
 * CAST ... FORMAT between STRING and DATE, DATETIME, TIME, TIMESTAMP, for a literal format
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/format-elements#format_date_time_as_string and
 * #format_string_as_datetime; ZetaSQL's cast_date_time.cc settles what the pages leave open: FFn truncates, YYYY
 * writes the whole year, Y/YY/YYY its last digits).
 *
 * The format is read here, so each element becomes its own piece of SQL. Formatting covers every element but DAY
 * (whose padding the pages contradict) and Y,YYY (ZetaSQL's error); TZH/TZM only for a TIMESTAMP. Parsing covers
 * YYYY, MM, DD, HH24, HH/HH12 with A.M./P.M. (AM/PM is ZetaSQL's error there), MI, SS, FF1-FF9 and literals: text whose digits are exactly as wide as the elements
 * parses, text that only a looser reading of the widths would accept is refused (BigQuery's looser rules are not
 * all written down), anything else is an error (NULL under SAFE_CAST). Missing parts take BigQuery's defaults: the
 * current year and month (in the default time zone), day 1, midnight; a TIMESTAMP without AT TIME ZONE is in the
 * default time zone.
 */
import { BigQueryError, invalidQuery, notSupported } from '../errors.ts';
import { castTo, fn, nullLit, strLit, type Node } from './ast-build.ts';

type Kind = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'meridian' | 'zone' | 'literal';
interface Element {
  /** The element as written in the format (its letter case matters for names and the meridian). */
  text: string;
  /** The element's name in upper case, or 'literal' / 'space'. */
  name: string;
  kind: Kind;
  /** A literal's own text. */
  literal?: string;
}

const ELEMENTS: Array<[string, Kind]> = [
  ['Y,YYY', 'year'],
  ['YYYY', 'year'],
  ['YYY', 'year'],
  ['YY', 'year'],
  ['Y', 'year'],
  ['RRRR', 'year'],
  ['RR', 'year'],
  ['MONTH', 'month'],
  ['MON', 'month'],
  ['MM', 'month'],
  ['MI', 'minute'],
  ['DDD', 'day'],
  ['DD', 'day'],
  ['DAY', 'day'],
  ['DY', 'day'],
  ['D', 'day'],
  ['HH24', 'hour'],
  ['HH12', 'hour'],
  ['HH', 'hour'],
  ['SSSSS', 'second'],
  ['SS', 'second'],
  ...Array.from({ length: 9 }, (_, i): [string, Kind] => [`FF${i + 1}`, 'second']),
  ['A.M.', 'meridian'],
  ['P.M.', 'meridian'],
  ['AM', 'meridian'],
  ['PM', 'meridian'],
  ['TZH', 'zone'],
  ['TZM', 'zone'],
];
/** ZetaSQL elements BigQuery does not document for CAST (or not for dates and times): refused by name. */
const OTHER_ELEMENTS = ['SCC', 'CC', 'IW', 'WW', 'W', 'Q', 'J', 'AD', 'BC', 'A.D.', 'B.C.'];
const SIMPLE_LITERALS = new Set(['-', '.', '/', ',', "'", ';', ':']);

/** Text that no date or time element reads: the format may be a number's (format_numeric_type_as_string). */
class UnmatchedFormat extends BigQueryError {
  constructor(message: string) {
    super(400, 'invalidQuery', message);
  }
}

/** Whether a format is made of date and time elements (else it may be a number's or a BYTES encoding's). */
export function isDatetimeFormat(format: string): boolean {
  try {
    elementsOf(format);
    return true;
  } catch (e) {
    if (e instanceof UnmatchedFormat) return false;
    return true;
  }
}

/** The elements of a format model, or BigQuery's error for text that is not one. */
function elementsOf(format: string): Element[] {
  const out: Element[] = [];
  let i = 0;
  while (i < format.length) {
    const rest = format.slice(i);
    const upper = rest.toUpperCase();
    if (rest[0] === '"') {
      let text = '';
      let j = 1;
      for (; j < rest.length && rest[j] !== '"'; j++) {
        if (rest[j] === '\\') {
          if (rest[j + 1] !== '"' && rest[j + 1] !== '\\') throw invalidQuery(`Unsupported escape sequence in the format string: ${format}`);
          j++;
        }
        text += rest[j];
      }
      if (j >= rest.length) throw invalidQuery(`Cannot find the closing double quote in the format string: ${format}`);
      out.push({ text: rest.slice(0, j + 1), name: 'literal', kind: 'literal', literal: text });
      i += j + 1;
      continue;
    }
    const spaces = /^ +/.exec(rest)?.[0];
    if (spaces) {
      out.push({ text: spaces, name: 'space', kind: 'literal', literal: spaces });
      i += spaces.length;
      continue;
    }
    if (SIMPLE_LITERALS.has(rest[0]) && !upper.startsWith('A.M.') && !upper.startsWith('P.M.')) {
      out.push({ text: rest[0], name: 'literal', kind: 'literal', literal: rest[0] });
      i += 1;
      continue;
    }
    const other = OTHER_ELEMENTS.find((e) => upper.startsWith(e));
    const element = ELEMENTS.find(([e]) => upper.startsWith(e));
    if (other && (!element || other.length > element[0].length)) throw notSupported(`The format element ${other}`);
    if (!element) throw new UnmatchedFormat(`Cannot find a matched format element at ${i} in the format string: ${format}`);
    out.push({ text: rest.slice(0, element[0].length), name: element[0], kind: element[1] });
    i += element[0].length;
  }
  return out;
}

/** A format: the text of a string literal, NULL for a NULL one, undefined for anything else. */
export function literalFormat(format: Node): string | null | undefined {
  if (format?.literal?.literal_type === 'string') return String(format.literal.value);
  if (format && typeof format === 'object' && 'null' in format && Object.keys(format).length === 1) return null;
  const cast = format?.cast;
  if (cast && cast.this && typeof cast.this === 'object' && 'null' in cast.this) return null;
  return undefined;
}

/** The case class of a name's letters (format-elements#case_matching_date_time): upper, lower or capitalized. */
function caseOf(text: string): 'A' | 'a' | 'Aa' {
  const [a, b] = [text[0], text[1] ?? ''];
  if (a === a.toLowerCase()) return 'a';
  return b !== '' && b === b.toUpperCase() && b !== b.toLowerCase() ? 'A' : 'Aa';
}

/** An element as __gg_format_element (macros-datetime.ts) reads it: its name, a name's case, or `L:<literal>`. */
function elementCode(e: Element): string {
  if (e.kind === 'literal') return `L:${e.literal}`;
  if (e.name === 'DAY') throw notSupported('The format element DAY in CAST ... FORMAT');
  // ZetaSQL formats no Y,YYY (FromDateTimeFormatElementToFormatString has no case for it).
  if (e.name === 'Y,YYY') throw invalidQuery('Unsupported format element Y,YYY');
  if (['MON', 'MONTH', 'DY'].includes(e.name)) return `${e.name}:${caseOf(e.text)}`;
  if (e.kind === 'meridian') return `${e.name.includes('.') ? 'A.M.' : 'AM'}:${e.text[0] === e.text[0].toLowerCase() ? 'a' : 'A'}`;
  return e.name;
}

const bool = (value: boolean): Node => ({ boolean: { value } });
const strList = (items: string[]): Node => ({ array: { expressions: items.map(strLit), bracket_notation: true, use_list_keyword: false } });

/** `CAST(x AS STRING FORMAT '<format>' [AT TIME ZONE tz])` for a date or time value x. */
export function formatDatetime(value: Node, format: string, zone: Node | undefined): Node {
  const elements = elementsOf(format);
  const has = (...kinds: Kind[]) => bool(elements.some((e) => kinds.includes(e.kind)));
  return fn('__gg_format_datetime', [
    value,
    zone ?? fn('current_setting', [strLit('TimeZone')]),
    strList(elements.map(elementCode)),
    has('year', 'month', 'day'),
    has('hour', 'minute', 'second', 'meridian'),
    has('zone'),
  ]);
}

/** The pattern of an element in text to parse: exact widths, and a looser one (1 to n digits, any whitespace). */
function patternOf(e: Element, next: Element | undefined): [string, string] {
  const escape = (s: string) => s.replace(/[\\^$.*+?()[\]{}|]/g, (c) => `\\${c}`);
  const digits = (n: number) => [`([0-9]{${n}})`, `([0-9]{1,${n}})`] as [string, string];
  switch (e.name) {
    case 'literal':
      return [escape(e.literal!), escape(e.literal!)];
    case 'space':
      return [' +', '\\s+'];
    case 'YYYY':
      return next && next.kind !== 'literal' ? digits(4) : ['([0-9]{4})', '([0-9]{1,5})'];
    case 'MM':
    case 'DD':
    case 'HH':
    case 'HH12':
    case 'HH24':
    case 'MI':
    case 'SS':
      return digits(2);
    case 'A.M.':
    case 'P.M.':
      return ['([AaPp])\\.[Mm]\\.', '([AaPp])\\.[Mm]\\.'];
    case 'AM':
    case 'PM':
      // ZetaSQL parses only the dotted forms (cast_date_time.cc's IsSupportedForParsing).
      throw invalidQuery(`Format element ${e.name} is not supported for parsing`);
    default: {
      // FFn: more digits than n is what the pages' own example reads (and rounds), a reading left to BigQuery.
      const n = /^FF(\d)$/.exec(e.name)?.[1];
      if (n) return [`([0-9]{${n}})`, '([0-9]+)'];
      throw notSupported(`The format element ${e.name} in CAST(... AS <date or time type> FORMAT ...)`);
    }
  }
}

/** The part an element sets: its kind, the fraction of a second apart from the second. */
const partOf = (e: Element): string => (e.name.startsWith('FF') ? 'fraction' : e.kind);

/** BigQuery's format model rules (format-elements#format_model_rules_date_time), for the elements parsed here. */
function checkModel(elements: Element[], type: string): void {
  const named = elements.filter((e) => e.kind !== 'literal');
  const seen = new Set<string>();
  for (const e of named) {
    const key = partOf(e);
    if (seen.has(key)) throw invalidQuery(`The format element ${e.name} (or another of its part) appears more than once in the format string`);
    seen.add(key);
  }
  const has = (name: string) => named.some((e) => e.name === name);
  const twelve = has('HH') || has('HH12');
  const meridian = named.some((e) => e.kind === 'meridian');
  if (has('HH24') && (twelve || meridian)) throw invalidQuery('Format element HH24 cannot be used with HH12, HH or a meridian indicator');
  if (twelve !== meridian) throw invalidQuery('Format elements HH12 and HH need a meridian indicator, and a meridian indicator needs HH12 or HH');
  const dateParts = named.some((e) => e.kind === 'year' || e.kind === 'month' || e.kind === 'day');
  const timeParts = named.some((e) => e.kind === 'hour' || e.kind === 'minute' || e.kind === 'second' || e.kind === 'meridian');
  if (type === 'DATE' && timeParts) throw invalidQuery(`A time format element cannot be used in a cast to DATE`);
  if (type === 'TIME' && dateParts) throw invalidQuery(`A date format element cannot be used in a cast to TIME`);
}

const PARSED_AS: Record<string, string> = { DATE: '__gg_civil_as_date', DATETIME: '__gg_civil_as_datetime', TIME: '__gg_civil_as_time', TIMESTAMP: '__gg_civil_as_datetime' };

/** `CAST(s AS DATE|DATETIME|TIME|TIMESTAMP FORMAT '<format>' [AT TIME ZONE tz])`. */
export function parseDatetime(type: string, value: Node, format: string, zone: Node | undefined, safe: boolean): Node {
  const elements = elementsOf(format);
  checkModel(elements, type);
  const patterns = elements.map((e, i) => patternOf(e, elements[i + 1]));
  const groups = new Map<string, number>();
  let group = 0;
  for (const e of elements) if (e.kind !== 'literal') groups.set(partOf(e), ++group);
  const index = (key: string) => ({ literal: { literal_type: 'number', value: String(groups.get(key) ?? 0) } });
  const strict = `^${patterns.map(([p]) => p).join('')}$`;
  const loose = `^\\s*${patterns.map(([, p]) => p).join('')}\\s*$`;
  const civil = fn('__gg_parse_civil', [value, strLit(strict), strLit(loose), ...['year', 'month', 'day', 'hour', 'meridian', 'minute', 'second', 'fraction'].map(index), strLit(type), bool(safe)]);
  const parsed = fn(PARSED_AS[type], [civil, strLit(type), bool(safe)]);
  return type === 'TIMESTAMP' ? fn('__gg_instant', [parsed, zone ?? fn('current_setting', [strLit('TimeZone')])]) : parsed;
}

/** A typed NULL, for a NULL format or zone. */
export const nullOf = (type: string): Node => (type === 'TIMESTAMP' ? fn('__gg_null_timestamp', []) : castTo(nullLit(), type === 'DATETIME' ? 'TIMESTAMP' : type));

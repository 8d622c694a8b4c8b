/**
 * BYTES overloads of BigQuery's string functions (fix-bytes.ts), which DuckDB defines on VARCHAR only.
 *
 * Each `__gg_b_*` macro has a BLOB-typed overload and an untyped one: DuckDB picks the overload by the argument's type
 * when the statement binds, so a STRING argument expands straight to the plain DuckDB function (no cost on the string
 * path) and only a BYTES argument takes the byte-wise one. The byte-wise forms read the bytes as a string of the
 * characters U+0000..U+00FF, one per byte (`__gg_b2s`), apply the string function and write the characters back as
 * bytes (`__gg_s2b`): BigQuery's BYTES functions, regular expressions included (RE2 in Latin-1 mode), work on single
 * bytes, which is exactly what the string function does on that one-character-per-byte string.
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions
 */
import { boundOnce, onceFormMacro } from './macros-numeric.ts';

const B2S = `array_to_string(list_transform(regexp_extract_all(hex(b), '..'), lambda h: chr(CAST('0x' || h AS INTEGER))), '')`;
const S2B = `unhex(array_to_string(list_transform(regexp_extract_all(s, '(?s).'), lambda c: lpad(hex(unicode(c)), 2, '0')), ''))`;
const b2s = (x: string) => `__gg_b2s(${x})`;
/**
 * What TRIM, LTRIM and RTRIM remove when given no characters: Unicode's White_Space (ZetaSQL trims that set; DuckDB's
 * trim keeps tabs and line breaks).
 */
const UNICODE_WHITE_SPACE = [9, 10, 11, 12, 13, 32, 133, 160, 5760, ...Array.from({ length: 11 }, (_, i) => 8192 + i), 8232, 8233, 8239, 8287, 12288].map((c) => `chr(${c})`).join(' || ');
const asBytes = (x: string) => b2s(`CAST(${x} AS BLOB)`);

/** The overloaded macros' names and arities, for their `_once` forms. */
const overloads = new Map<string, number[]>();

/**
 * `name(s BLOB, ...) AS <bytes>, (s, ...) AS <string>` for each arity (the first `typed` parameters BLOB). Its `_once`
 * form binds the operands first, inside a lambda: DuckDB chooses the overload of an aggregate or analytic argument
 * before that has a type, and would take the BLOB one (fix-strings.ts calls the `_once` form for those).
 */
function overloaded(name: string, forms: Array<{ params: string[]; bytes?: string; string: string; typed?: number }>): string {
  overloads.set(name, [...new Set(forms.map((f) => f.params.length))]);
  const parts = forms.flatMap(({ params, bytes, string, typed = 1 }) => [
    ...(bytes ? [`(${params.map((p, i) => (i < typed ? `${p} BLOB` : p)).join(', ')}) AS ${bytes}`] : []),
    `(${params.join(', ')}) AS ${string}`,
  ]);
  return `CREATE OR REPLACE MACRO ${name}${parts.join(', ')}`;
}

/** Characters (besides ß) whose full uppercase mapping is several characters (Unicode's SpecialCasing.txt). */
const UPPER_SPECIAL = 'ŉǰΐΰևẖ-ẚὐὒὔὖᾀ-ᾯᾲ-ᾴᾶᾷᾼῂ-ῄῆῇῌῒΐῖῗῢ-ῤῦῧῲ-ῴῶῷῼﬀ-ﬆﬓ-ﬗ';
const caseMapped = (f: 'lower' | 'upper', special: string, value: string) =>
  `CASE WHEN regexp_matches(s, '[${special}]') THEN __gg_refuse_text('${f.toUpperCase()} of a character (${special}) whose full Unicode case mapping DuckDB lacks is not supported by the local emulator') ELSE ${f}(${value}) END`;

const ASCII_CASE = (from: number, to: number, delta: string) =>
  `unhex(array_to_string(list_transform(regexp_extract_all(hex(s), '..'), lambda h: lpad(hex(CASE WHEN CAST('0x' || h AS INTEGER) BETWEEN ${from} AND ${to} THEN CAST('0x' || h AS INTEGER) ${delta} ELSE CAST('0x' || h AS INTEGER) END), 2, '0')), ''))`;

export const bytesMacros: string[] = [
  `CREATE OR REPLACE MACRO __gg_b2s(b) AS ${B2S}`,
  `CREATE OR REPLACE MACRO __gg_s2b(s) AS CASE WHEN s IS NULL THEN NULL ELSE ${S2B} END`,
  // An empty match at the end of the value: DuckDB lists it, BigQuery's own iteration does not always (refused, never a different array).
  `CREATE OR REPLACE MACRO __gg_extract_all_checked(r, p) AS CASE WHEN len(r) > 0 AND r[-1] = '' AND regexp_matches('', p)
     THEN [__gg_refuse_text('REGEXP_EXTRACT_ALL with a pattern that matches an empty string is not supported by the local emulator')] ELSE CAST(r AS VARCHAR[]) END`,
  // LOWER/UPPER on BYTES change the ASCII letters only. On STRING, ZetaSQL maps case with ICU's full mappings (root
  // locale): UPPER('ß') is 'SS' (DuckDB: 'ẞ'); the characters whose full mapping is more than one character, and
  // LOWER's context-dependent final sigma, are refused.
  overloaded('__gg_b_lower', [{ params: ['s'], bytes: ASCII_CASE(65, 90, '+ 32'), string: caseMapped('lower', 'İΣ', 's') }]),
  overloaded('__gg_b_upper', [{ params: ['s'], bytes: ASCII_CASE(97, 122, '- 32'), string: caseMapped('upper', UPPER_SPECIAL, "replace(s, 'ß', 'SS')") }]),
  // SUBSTR: position 0 is 1, and a negative position before the start is the start (DuckDB: an empty result).
  `CREATE OR REPLACE MACRO __gg_substr_start(s, p) AS CASE WHEN p > 0 THEN p WHEN p = 0 OR -p > length(s) THEN 1 ELSE length(s) + p + 1 END`,
  overloaded('__gg_b_substr', [
    { params: ['s', 'p'], bytes: `__gg_s2b(substring(${b2s('s')}, __gg_substr_start(${b2s('s')}, p)))`, string: 'substring(s, __gg_substr_start(s, p))' },
    { params: ['s', 'p', 'n'], bytes: `__gg_s2b(substring(${b2s('s')}, __gg_substr_start(${b2s('s')}, p), n))`, string: 'substring(s, __gg_substr_start(s, p), n)' },
  ]),
  overloaded('__gg_b_left', [{ params: ['s', 'n'], bytes: `__gg_s2b(left(${b2s('s')}, n))`, string: 'left(s, n)' }]),
  overloaded('__gg_b_right', [{ params: ['s', 'n'], bytes: `__gg_s2b(right(${b2s('s')}, n))`, string: 'right(s, n)' }]),
  overloaded('__gg_b_reverse', [{ params: ['s'], bytes: `__gg_s2b(reverse(${b2s('s')}))`, string: 'reverse(s)' }]),
  ...(['trim', 'ltrim', 'rtrim'] as const).map((f) =>
    overloaded(`__gg_b_${f}`, [
      { params: ['s'], string: `${f}(s, ${UNICODE_WHITE_SPACE})` },
      { params: ['s', 'c'], bytes: `__gg_s2b(${f}(${b2s('s')}, ${asBytes('c')}))`, string: `${f}(s, c)` },
    ]),
  ),
  overloaded('__gg_b_replace', [{ params: ['s', 'a', 'r'], bytes: `__gg_s2b(replace(${b2s('s')}, ${asBytes('a')}, ${asBytes('r')}))`, string: 'replace(s, a, r)' }]),
  overloaded('__gg_b_split', [{ params: ['s', 'd'], bytes: `list_transform(__gg_split(${b2s('s')}, ${asBytes('d')}), lambda x: __gg_s2b(x))`, string: '__gg_split(s, d)' }]),
  ...(['lpad', 'rpad'] as const).map((f) => overloaded(`__gg_b_${f}`, [{ params: ['s', 'n', 'p'], bytes: `__gg_s2b(${f}(${b2s('s')}, n, ${asBytes('p')}))`, string: `${f}(s, n, p)` }])),
  // The capturing groups of a pattern known only at run time (fix-strings.ts' captureGroupCount for a literal one): its
  // text without \\Q...\\E quotes, escapes and character classes, a BYTES pattern read byte by byte.
  `CREATE OR REPLACE MACRO __gg_regexp_group_text(p) AS regexp_replace(regexp_replace(regexp_replace(
     CASE WHEN typeof(p) = 'BLOB' THEN __gg_b2s(TRY_CAST(p AS BLOB)) ELSE TRY_CAST(p AS VARCHAR) END,
     '(?s)\\\\Q.*?(\\\\E|$)', '', 'g'), '(?s)\\\\.', '', 'g'), '\\[\\^?\\]?(\\[:[a-z]+:\\]|[^\\]])*\\]', '', 'g')`,
  `CREATE OR REPLACE MACRO __gg_regexp_groups(p) AS ${boundOnce(
    '__gg_regexp_group_text(p)',
    `length(t) - length(replace(t, '(', '')) - (length(t) - length(replace(t, '(?', ''))) // 2 + (length(t) - length(replace(t, '(?P<', ''))) // 4`,
    't',
  )}`,
  // Regular expressions: the value or the pattern may be the BYTES one (the other a NULL literal).
  ...[
    { name: 'regexp_contains', params: ['s', 'p'], string: 'regexp_matches(s, p)', bytes: `regexp_matches(${asBytes('s')}, ${asBytes('p')})` },
    { name: 'regexp_extract', params: ['s', 'p', 'g'], string: '__gg_regexp_extract(s, p, g)', bytes: `__gg_s2b(__gg_regexp_extract(${asBytes('s')}, ${asBytes('p')}, g))` },
    // REGEXP_EXTRACT_ALL: the first group's matches if the pattern has a group; NULL for a NULL pattern (DuckDB: []).
    {
      name: 'regexp_extract_all',
      params: ['s', 'p', 'g'],
      string: 'CASE WHEN p IS NULL THEN NULL ELSE __gg_extract_all_checked(__gg_regexp_extract_all(s, p, g), p) END',
      bytes: `CASE WHEN p IS NULL THEN NULL ELSE list_transform(__gg_extract_all_checked(__gg_regexp_extract_all(${asBytes('s')}, ${asBytes('p')}, g), ${asBytes('p')}), lambda x: __gg_s2b(x)) END`,
    },
    {
      name: 'regexp_instr',
      params: ['s', 'p', 'pos', 'occ', 'occpos', 'split', 'g', 'anchored'],
      string: '__gg_regexp_instr(s, p, pos, occ, occpos, split, g, anchored)',
      bytes: `__gg_regexp_instr(${asBytes('s')}, ${asBytes('p')}, pos, occ, occpos, ${asBytes('split')}, g, anchored)`,
    },
    { name: 'regexp_replace', params: ['s', 'p', 'r'], string: '__gg_regexp_replace(s, p, r)', bytes: `__gg_s2b(__gg_regexp_replace(${asBytes('s')}, ${asBytes('p')}, ${asBytes('r')}))` },
    { name: 'like', params: ['s', 'p'], string: `like_escape(s, p, '\\')`, bytes: `like_escape(${asBytes('s')}, ${asBytes('p')}, '\\')` },
  ].map(({ name, params, string, bytes }) => overloaded(`__gg_b_${name}`, [{ params, bytes, string, typed: 2 }])),
  ...[...overloads].map(([name, arities]) => onceFormMacro(name, arities)),
];

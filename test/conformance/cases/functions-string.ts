import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

const S = 'BigQuery docs: String functions';
const C = 'BigQuery docs: Conversion functions';
const OPS = 'BigQuery docs: Operators';

export const cases: ConformanceCase[] = [
  q('string: CONCAT of several strings', `${S} — CONCAT`, "SELECT CONCAT('T.P.', ' ', 'Bar') AS author", [['T.P. Bar']], {
    types: ['STRING'],
  }),
  q(
    'string: CONCAT of two values is NULL when one is NULL, one value alone is itself; BYTES stay BYTES',
    `${S} — CONCAT ("If any input argument is NULL, the function returns NULL"; "All values must be BYTES or data types that can be cast to STRING")`,
    "SELECT CONCAT('a', s) AS a, CONCAT(s) AS b, CONCAT('x', 'y') AS c, CONCAT('n', 1) AS d, CONCAT(b'a', b'b') AS e, CONCAT('a', NULL) AS f, CONCAT('x', 1 = 1) AS g FROM (SELECT CAST(NULL AS STRING) AS s)",
    [[null, null, 'xy', 'n1', 'YWI=', null, 'xtrue']],
    { types: ['STRING', 'STRING', 'STRING', 'STRING', 'BYTES', 'STRING', 'STRING'] },
  ),
  q('string: CONCAT with a NULL argument is NULL', `${S} — CONCAT ("If any input argument is NULL, the function returns NULL")`, "SELECT CONCAT('a', NULL, 'b') AS s", [[null]]),
  q('string: || concatenation operator', `${OPS} — Concatenation operator`, "SELECT 'The ' || 'quick ' || 'fox' AS s", [['The quick fox']]),
  q('string: SUBSTR with position and length', `${S} — SUBSTR`, "SELECT SUBSTR('apple', 2) AS a, SUBSTR('apple', 2, 2) AS b, SUBSTR('apple', -2) AS c", [['pple', 'pp', 'le']]),
  q('string: SUBSTR beyond the end', `${S} — SUBSTR (length exceeds / position past the end)`, "SELECT SUBSTR('apple', 1, 123) AS a, SUBSTR('apple', 123) AS b", [['apple', '']]),
  q('string: LOWER and UPPER', `${S} — LOWER, UPPER`, "SELECT LOWER('FOO Bar') AS l, UPPER('foo Bar') AS u", [['foo bar', 'FOO BAR']]),
  q('string: LOWER of NULL is NULL', `${S} — LOWER`, 'SELECT LOWER(CAST(NULL AS STRING)) AS l', [[null]]),
  q('string: TRIM, LTRIM, RTRIM', `${S} — TRIM, LTRIM, RTRIM`, "SELECT TRIM('   apple   ') AS a, TRIM('***apple***', '*') AS b, LTRIM('  x ') AS c, RTRIM('xxaxx', 'x') AS d", [['apple', 'apple', 'x ', 'xxa']]),
  q('string: SPLIT on a delimiter', `${S} — SPLIT`, "SELECT SPLIT('a,b,c', ',') AS parts", [[['a', 'b', 'c']]], { types: ['ARRAY<STRING>'] }),
  q('string: SPLIT keeps empty parts', `${S} — SPLIT`, "SELECT SPLIT('a b  c', ' ') AS parts", [[['a', 'b', '', 'c']]]),
  q('string: SPLIT default delimiter is comma', `${S} — SPLIT ("If delimiter is not specified, the default delimiter is a comma")`, "SELECT SPLIT('x,y') AS parts", [[['x', 'y']]]),
  q('string: SPLIT then OFFSET', `${S} — SPLIT; ${OPS} — Array subscript operator`, "SELECT SPLIT('2024-01-31', '-')[OFFSET(1)] AS month", [['01']]),
  q('string: REPLACE all occurrences', `${S} — REPLACE`, "SELECT REPLACE('apple pie pie', 'pie', 'cobbler') AS s", [['apple cobbler cobbler']]),
  q('string: STARTS_WITH and ENDS_WITH', `${S} — STARTS_WITH, ENDS_WITH`, "SELECT STARTS_WITH('foo', 'b') AS a, STARTS_WITH('bar', 'b') AS b, ENDS_WITH('apple', 'e') AS c", [[false, true, true]]),
  q('string: STRPOS found and not found', `${S} — STRPOS (returns 0 if not found)`, "SELECT STRPOS('foo@example.com', '@') AS a, STRPOS('foobar', 'z') AS b", [['4', '0']], {
    types: ['INT64', 'INT64'],
  }),
  q('string: INSTR with occurrence', `${S} — INSTR`, "SELECT INSTR('banana', 'an', 1, 2) AS pos", [['4']]),
  q('string: LPAD and RPAD', `${S} — LPAD, RPAD`, "SELECT LPAD('c', 5) AS a, LPAD('b', 5, 'a') AS b, LPAD('abc', 2) AS c, RPAD('abc', 5, '-') AS d", [['    c', 'aaaab', 'ab', 'abc--']]),
  q('string: FORMAT %d and %s', `${S} — FORMAT`, "SELECT FORMAT('%d', 10) AS a, FORMAT('-%s-', 'abc') AS b", [['10', '-abc-']]),
  q('string: FORMAT %.2f', `${S} — FORMAT (%f with precision)`, "SELECT FORMAT('%.2f', 3.14159) AS a, FORMAT('%.1f', 2.0) AS b", [['3.14', '2.0']]),
  q('string: FORMAT with width', `${S} — FORMAT (width)`, "SELECT FORMAT('%5d|', 42) AS a, FORMAT('%-5s|', 'ab') AS b", [['   42|', 'ab   |']]),
  q(
    'string: REGEXP_CONTAINS is a partial match',
    `${S} — REGEXP_CONTAINS ("Returns TRUE if value is a partial match for the regular expression")`,
    String.raw`SELECT REGEXP_CONTAINS('foo@example.com', r'@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+') AS a, REGEXP_CONTAINS('abcdef', 'cd') AS b, REGEXP_CONTAINS('abc', r'^b') AS c`,
    [[true, true, false]],
  ),
  q(
    'string: LIKE escapes %, _ and \\ with a backslash',
    `${OPS} — Comparison operators (LIKE: "You can escape \\, _, or % using two backslashes")`,
    String.raw`SELECT 'a%' LIKE 'a\\%' AS a, 'ab' LIKE 'a\\%' AS b, 'a_' LIKE 'a\\_' AS c, 'a\\b' LIKE 'a\\\\b' AS d`,
    [[true, false, true, true]],
  ),
  q(
    'string: quantified LIKE ANY / ALL over a list and an array, with NULL and NOT',
    `${OPS} — Quantified LIKE operator (ANY: TRUE if a pattern matches, NULL if none matches and one is NULL; NOT LIKE ALL: matches none)`,
    "SELECT 'apple' LIKE ANY ('a%', '%z') AS a, 'apple' LIKE ALL ('a%', '%z') AS b, 'apple' LIKE ANY ('%z', NULL) AS c, 'apple' LIKE ANY UNNEST(ARRAY<STRING>[]) AS d, 'apple' NOT LIKE ALL ('x%', '%z') AS e, 'apple' NOT LIKE ANY UNNEST(['a%', '%z']) AS f",
    [[true, false, null, false, true, true]],
  ),
  q('string: REGEXP_EXTRACT whole match', `${S} — REGEXP_EXTRACT`, "SELECT REGEXP_EXTRACT('foo@example.com', r'^[a-zA-Z0-9_.+-]+') AS user_name", [['foo']]),
  q('string: REGEXP_EXTRACT capturing group', `${S} — REGEXP_EXTRACT (returns the capturing group)`, String.raw`SELECT REGEXP_EXTRACT('foo@example.com', r'@(\w+)\.') AS domain`, [['example']]),
  q('string: REGEXP_EXTRACT returns NULL when there is no match', `${S} — REGEXP_EXTRACT ("If there is no match, returns NULL")`, String.raw`SELECT REGEXP_EXTRACT('abc', r'\d+') AS m`, [[null]]),
  q(
    'string: REGEXP_EXTRACT with a position and an occurrence',
    `${S} — REGEXP_EXTRACT (the position and occurrence example)`,
    String.raw`WITH example AS (
      SELECT 'Hello Helloo and Hellooo' AS value, 'H?ello+' AS regex, 1 AS position, 1 AS occurrence UNION ALL
      SELECT 'Hello Helloo and Hellooo', 'H?ello+', 1, 2 UNION ALL SELECT 'Hello Helloo and Hellooo', 'H?ello+', 1, 3 UNION ALL
      SELECT 'Hello Helloo and Hellooo', 'H?ello+', 1, 4 UNION ALL SELECT 'Hello Helloo and Hellooo', 'H?ello+', 2, 1 UNION ALL
      SELECT 'Hello Helloo and Hellooo', 'H?ello+', 3, 1 UNION ALL SELECT 'Hello Helloo and Hellooo', 'H?ello+', 3, 2 UNION ALL
      SELECT 'Hello Helloo and Hellooo', 'H?ello+', 3, 3 UNION ALL SELECT 'Hello Helloo and Hellooo', 'H?ello+', 20, 1 UNION ALL
      SELECT 'cats&dogs&rabbits', '\\w+&', 1, 2 UNION ALL SELECT 'cats&dogs&rabbits', '\\w+&', 2, 3)
    SELECT position, occurrence, REGEXP_EXTRACT(value, regex, position, occurrence) AS regexp_value FROM example`,
    [
      ['1', '1', 'Hello'],
      ['1', '2', 'Helloo'],
      ['1', '3', 'Hellooo'],
      ['1', '4', null],
      ['2', '1', 'ello'],
      ['3', '1', 'Helloo'],
      ['3', '2', 'Hellooo'],
      ['3', '3', null],
      ['20', '1', null],
      ['1', '2', 'dogs&'],
      ['2', '3', null],
    ],
  ),
  q(
    'string: REGEXP_EXTRACT returns the capturing group, named or not, and a character class holds no group',
    `${S} — REGEXP_EXTRACT (the result_a, result_b, result_c example; "If the regular expression contains a capturing group")`,
    "SELECT REGEXP_EXTRACT('ab', '.b') AS result_a, REGEXP_EXTRACT('ab', '(.)b') AS result_b, REGEXP_EXTRACT('xyztb', '(.)+b') AS result_c, REGEXP_EXTRACT('ab', '(?P<first>.)b') AS named, REGEXP_EXTRACT('ab', '[(]?a') AS class, REGEXP_EXTRACT(v, p) AS from_columns FROM (SELECT 'ab' AS v, '(.)b' AS p)",
    [['ab', 'a', 't', 'a', 'a', 'a']],
  ),
  err(
    'string: REGEXP_EXTRACT with two capturing groups is an error',
    `${S} — REGEXP_EXTRACT ("Returns an error if: ... The regular expression has more than one capturing group")`,
    "SELECT REGEXP_EXTRACT('abab', 'a(b)(c)?') AS r",
    'must not have more than 1 capturing group',
  ),
  err(
    "string: REGEXP_EXTRACT of a group that takes no part in the match is refused (BigQuery: NULL, DuckDB: '')",
    `${S} — REGEXP_EXTRACT (the result_d example: REGEXP_EXTRACT('ab', '(z)?b') is NULL)`,
    "SELECT REGEXP_EXTRACT('ab', '(z)?b') AS result_d",
    'not supported by the local emulator',
  ),
  q('string: REGEXP_EXTRACT_ALL', `${S} — REGEXP_EXTRACT_ALL`, "SELECT REGEXP_EXTRACT_ALL('Try `func(x)` or `func(y)`', '`(.+?)`') AS example", [[['func(x)', 'func(y)']]]),
  q('string: REGEXP_REPLACE replaces all matches', `${S} — REGEXP_REPLACE`, "SELECT REGEXP_REPLACE('a-b-c', '-', '+') AS s", [['a+b+c']]),
  q(
    'string: REGEXP_REPLACE with a backreference',
    `${S} — REGEXP_REPLACE (\\1 refers to the first capturing group)`,
    String.raw`SELECT REGEXP_REPLACE('# Heading', r'^# ([a-zA-Z0-9\s]+$)', '<h1>\\1</h1>') AS html`,
    [['<h1>Heading</h1>']],
  ),
  q('string: LENGTH counts characters, BYTE_LENGTH bytes', `${S} — LENGTH, BYTE_LENGTH`, "SELECT LENGTH('абвгд') AS chars, BYTE_LENGTH('абвгд') AS bytes", [['5', '10']]),
  q('string: REVERSE and REPEAT', `${S} — REVERSE, REPEAT`, "SELECT REVERSE('abc') AS r, REPEAT('ab', 3) AS p", [['cba', 'ababab']]),
  q('string: LEFT and RIGHT', `${S} — LEFT, RIGHT`, "SELECT LEFT('banana', 3) AS l, RIGHT('apple', 3) AS r", [['ban', 'ple']]),
  q('string: INITCAP', `${S} — INITCAP`, "SELECT INITCAP('Hello World-everyone!') AS s", [['Hello World-Everyone!']]),
  q('string: TRANSLATE', `${S} — TRANSLATE`, "SELECT TRANSLATE('This is a cookie', 'sco', 'zku') AS s", [['Thiz iz a kuukie']]),
  q('string: CONTAINS_SUBSTR is case-insensitive', `${S} — CONTAINS_SUBSTR`, "SELECT CONTAINS_SUBSTR('the blue house', 'Blue house') AS r", [[true]]),
  q(
    'string: ASCII, CHR, CODE_POINTS_TO_STRING, TO_CODE_POINTS',
    `${S} — ASCII, CHR, CODE_POINTS_TO_STRING, TO_CODE_POINTS`,
    "SELECT ASCII('abc') AS a, CHR(65) AS b, CODE_POINTS_TO_STRING([65, 98]) AS c, TO_CODE_POINTS('ab') AS d",
    [['97', 'A', 'Ab', ['97', '98']]],
  ),
  q('string: TO_BASE64, TO_HEX and FROM_BASE64', `${S} — TO_BASE64, TO_HEX, FROM_BASE64`, "SELECT TO_BASE64(b'abc') AS a, TO_HEX(b'abc') AS b, FROM_BASE64('YWJj') AS c", [['YWJj', '616263', 'YWJj']], {
    types: ['STRING', 'STRING', 'BYTES'],
  }),
  q('string: TO_BASE32 and FROM_BASE32', `${S} — TO_BASE32, FROM_BASE32 (examples)`, "SELECT TO_BASE32(b'abcde\\xFF') AS a, FROM_BASE32('MFRGGZDF74======') AS b", [['MFRGGZDF74======', 'YWJjZGX/']], {
    types: ['STRING', 'BYTES'],
  }),
  q(
    'string: CAST BYTES to and from STRING with the BASE8 and BASE64M format elements',
    'BigQuery docs: Format elements — Format bytes as string, Format string as bytes (BASEX, BASE64M examples; whitespace is ignored for BASE64M)',
    "SELECT CAST(b'\\x02\\x11\\x3B' AS STRING FORMAT 'BASE8') AS a, CAST('00410473' AS BYTES FORMAT 'BASE8') AS b, CAST(b'\\xde\\xad\\xbe\\xef' AS STRING FORMAT 'BASE64M') AS c, CAST('3q2+\\n7w==' AS BYTES FORMAT 'BASE64M') AS d",
    [['00410473', 'AhE7', '3q2+7w==', '3q2+7w==']],
    { types: ['STRING', 'BYTES', 'STRING', 'BYTES'] },
  ),
  q(
    'string: string functions over an aggregate or an analytic function return STRING, over BYTES return BYTES',
    `${S} — LOWER, UPPER, REPLACE, SUBSTR, SPLIT, REGEXP_EXTRACT (the value's type decides the result's)`,
    "SELECT LOWER(MAX(s)) AS a, UPPER(ANY_VALUE(s)) AS b, REPLACE(MAX(s), 'A', 'x') AS c, SUBSTR(MIN(s), 2) AS d, SPLIT(MAX(s), 'b') AS e, REGEXP_EXTRACT(MAX(s), 'b') AS f, LOWER(MAX(b)) AS g FROM UNNEST(['Ab']) AS s, UNNEST([b'Ab']) AS b",
    [['ab', 'AB', 'xb', 'b', ['A', ''], 'b', 'YWI=']],
    { types: ['STRING', 'STRING', 'STRING', 'STRING', 'ARRAY<STRING>', 'STRING', 'BYTES'] },
  ),
  q('string: LIKE is case-sensitive with % and _', `${OPS} — Comparison operators (LIKE)`, "SELECT 'apple' LIKE 'a%' AS a, 'apple' LIKE '_pple' AS b, 'Apple' LIKE 'a%' AS c", [[true, true, false]]),
  q('string: SAFE_CAST of a non-number to INT64 is NULL', `${C} — SAFE_CAST`, "SELECT SAFE_CAST('apple' AS INT64) AS a, CAST('12' AS INT64) AS b", [[null, '12']]),
  q('string: CAST(25.0 AS STRING) has no trailing .0', `${C} — CAST AS STRING (floating point)`, 'SELECT CAST(25.0 AS STRING) AS a, CAST(2.5 AS STRING) AS b', [['25', '2.5']]),
  q('string: CAST of INT64 and BOOL to STRING', `${C} — CAST AS STRING`, 'SELECT CAST(-42 AS STRING) AS a, CAST(true AS STRING) AS b', [['-42', 'true']]),
  q('string: string comparison is lexicographic', `${OPS} — Comparison operators`, "SELECT 'a' < 'b' AS a, 'B' < 'a' AS b, 'abc' = 'abc' AS c", [[true, true, true]]),
  q(
    'string: SUBSTR from position 0 or before the start begins at the first character',
    `${S} — SUBSTR ("If position is 0, it is treated as 1"; a negative position before the start is the start)`,
    "SELECT SUBSTR('abc', 0, 1) AS a, SUBSTR('abc', -5, 2) AS b, SUBSTR('abc', -1) AS c",
    [['a', 'ab', 'c']],
  ),
  q(
    'string: REGEXP_EXTRACT_ALL returns the capture group',
    `${S} — REGEXP_EXTRACT_ALL (with a capturing group, the group's matches)`,
    "SELECT REGEXP_EXTRACT_ALL('banana', 'a(n)a') AS a, REGEXP_EXTRACT_ALL('Try `func(x)` or `func(y)`', '`(.+?)`') AS b",
    [[['n'], ['func(x)', 'func(y)']]],
  ),
  q(
    'string: BYTES functions work on bytes',
    `${S} — LOWER, SUBSTR, REPLACE, REGEXP_REPLACE, LIKE and SPLIT on BYTES`,
    String.raw`SELECT LOWER(b'AbC\xc0') AS l, SUBSTR(b'\xe2\x82\xac', 2, 1) AS s, REPLACE(b'abcb', b'b', b'X') AS r, REGEXP_REPLACE(b'abc', b'b.', b'Z') AS x, b'abc' LIKE b'a%' AS k, SPLIT(b'a,b', b',') AS p`,
    [['YWJjwA==', 'gg==', 'YVhjWA==', 'YVo=', true, ['YQ==', 'Yg==']]],
    { types: ['BYTES', 'BYTES', 'BYTES', 'BYTES', 'BOOL', 'ARRAY<BYTES>'] },
  ),
  q(
    'string: SPLIT_SUBSTR joins a range of parts',
    `${S} — SPLIT_SUBSTR`,
    "SELECT SPLIT_SUBSTR('www.abc.com', '.', 2) AS a, SPLIT_SUBSTR('www.abc.com', '.', -2, 1) AS b, SPLIT_SUBSTR('www.abc.com', '.', 4) AS c",
    [['abc.com', 'abc', '']],
  ),
  q(
    'string: quantified LIKE over a subquery',
    `${OPS} — Quantified LIKE operator (patterns from a subquery; NULL when no pattern matches and one is NULL)`,
    "SELECT 'abc' LIKE ANY (SELECT p FROM UNNEST(['a%', 'x%']) AS p) AS a, 'abc' LIKE ALL (SELECT p FROM UNNEST(['a%', 'x%']) AS p) AS b, 'abc' LIKE ANY (SELECT p FROM UNNEST(['x%', NULL]) AS p) AS c",
    [[true, false, null]],
  ),
  q(
    'conversion: PARSE_NUMERIC reads signs after the number and spaced from it, commas in the integer part, exponents; rounds to 9 digits',
    `${C} — PARSE_NUMERIC (its examples and the rules table)`,
    `SELECT PARSE_NUMERIC("123.45") AS a, PARSE_NUMERIC("12.34E27") AS b, PARSE_NUMERIC("1.0123456789") AS c, PARSE_NUMERIC("  -  12.34 ") AS d,
       PARSE_NUMERIC("12.34e-1-") AS e, PARSE_NUMERIC("  1,2,,3,.45 + ") AS f, PARSE_NUMERIC(".1234  ") AS g, PARSE_NUMERIC("- 12,34567,89.0") AS h,
       PARSE_NUMERIC(" 0,.12 -") AS i, PARSE_NUMERIC(" 123.45e-1") AS j`,
    [['123.45', '12340000000000000000000000000', '1.012345679', '-12.34', '-1.234', '123.45', '0.1234', '-123456789', '-0.12', '12.345']],
    { types: ['NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC'] },
  ),
  q('conversion: PARSE_BIGNUMERIC is BIGNUMERIC', `${C} — PARSE_BIGNUMERIC`, `SELECT PARSE_BIGNUMERIC("  -  12.34 ") AS a, PARSE_BIGNUMERIC("12.34e-1-") AS b`, [['-12.34', '-1.234']], {
    types: ['BIGNUMERIC', 'BIGNUMERIC'],
  }),
  ...[',,,.1234  ', '1  23.4 5  ', '  e1 ', '  - 12.3 - '].map((text) =>
    err(`conversion: PARSE_NUMERIC(${JSON.stringify(text)}) is invalid input`, `${C} — PARSE_NUMERIC (examples of invalid inputs)`, `SELECT PARSE_NUMERIC(${JSON.stringify(text)}) AS x`, 'PARSE_NUMERIC'),
  ),
  q(
    'conversion: PARSE_NUMERIC of exponents far out of range: 0 below, NULL under SAFE above; zero is zero',
    `${C} — PARSE_NUMERIC (rounds half away from zero to 9 fractional digits; out of range is an error); Functions — SAFE. prefix`,
    `SELECT PARSE_NUMERIC('1e-99999999999') AS a, SAFE.PARSE_NUMERIC('5e3000000000') AS b, PARSE_NUMERIC('0e99999999') AS c, PARSE_NUMERIC('9e-12') AS d, PARSE_NUMERIC('5e-10') AS e`,
    [['0', null, '0', '0', '0.000000001']],
    { types: ['NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC'] },
  ),
  q(
    'conversion: SAFE.PARSE_NUMERIC of invalid input is NULL',
    `${C} — PARSE_NUMERIC; Functions — SAFE. prefix`,
    `SELECT SAFE.PARSE_NUMERIC("  - 12.3 - ") AS a, SAFE.PARSE_NUMERIC(" 1.5 -") AS b`,
    [[null, '-1.5']],
    {
      types: ['NUMERIC', 'NUMERIC'],
    },
  ),
  q('string: CODE_POINTS_TO_BYTES', `${S} — CODE_POINTS_TO_BYTES (its example: b'AbCd')`, 'SELECT CODE_POINTS_TO_BYTES([65, 98, 67, 100]) AS bytes', [['QWJDZA==']], { types: ['BYTES'] }),
  q(
    'string: CODE_POINTS_TO_STRING, and NULL when a code point is NULL',
    `${S} — CODE_POINTS_TO_STRING (its examples)`,
    'SELECT CODE_POINTS_TO_STRING([65, 255, 513, 1024]) AS a, CODE_POINTS_TO_STRING([65, 255, NULL, 1024]) AS b',
    [['AÿȁЀ', null]],
    { types: ['STRING', 'STRING'] },
  ),
  q(
    'string: REGEXP_SUBSTR is REGEXP_EXTRACT',
    `${S} — REGEXP_SUBSTR (synonym for REGEXP_EXTRACT; example)`,
    "SELECT REGEXP_SUBSTR('Hello World Helloo', 'H?ello+', 1, 1) AS a, REGEXP_SUBSTR('abc123', r'\\d') AS b",
    [['Hello', '1']],
  ),
  err(
    'string: CAST of a STRING other than true or false to BOOL is an error',
    `${C} — CAST AS BOOL ("All other values of x are invalid and throw an error")`,
    "SELECT CAST('yes' AS BOOL) AS b",
    'Bad bool value',
  ),
  q(
    'string: CAST of TRUE and false (any case) to BOOL, SAFE_CAST of other text is NULL',
    `${C} — CAST AS BOOL, SAFE_CAST`,
    "SELECT CAST('TRUE' AS BOOL) AS a, CAST('false' AS BOOL) AS b, SAFE_CAST('1' AS BOOL) AS c",
    [[true, false, null]],
  ),
];

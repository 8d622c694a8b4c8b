/**
 * BYTES ↔ STRING encodings that DuckDB lacks: base2, base8, base32 and MIME base64 (format-elements#format_bytes_as_string,
 * string_functions#to_base32). CAST ... FORMAT (macros-casts.ts) and TO_BASE32 / FROM_BASE32 use them.
 *
 * Every encoding goes through the bytes' bit string (`__gg_bits_of`), most significant bit first. base2 and base8 are
 * numbers written from the right, as ZetaSQL writes them: base8 takes the bits left-padded to a multiple of 3 (3 bytes
 * are 8 digits; b'\x3F' is '077'), and decoding keeps the last 3 bytes per 8 digits plus 1 byte for 1 to 3 leftover
 * digits, 2 for 4 to 6 and 3 for 7 ('77' is b'\x3F'). base32 (RFC 4648) is written from the left, padded with '='.
 */

/** The format names of CAST between BYTES and STRING (format-elements#format_bytes_as_string), in lower case. */
export const BYTES_FORMATS = ['hex', 'base2', 'base8', 'base16', 'base32', 'base64', 'base64m', 'utf8', 'utf-8', 'ascii'];

/** Four bits per hex digit; regexp_extract_all gives no digit for empty bytes (string_split would give one). */
const BITS_OF = `array_to_string(list_transform(regexp_extract_all(hex(b), '.'), lambda d:
  ['0000','0001','0010','0011','0100','0101','0110','0111','1000','1001','1010','1011','1100','1101','1110','1111'][instr('0123456789ABCDEF', d)]), '')`;
const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** RFC 4648 base32 as BigQuery writes it: groups of 8 characters, the last one padded with '='. */
const BASE32_CANONICAL = `'^([A-Z2-7]{8})*([A-Z2-7]{2}======|[A-Z2-7]{4}====|[A-Z2-7]{5}===|[A-Z2-7]{7}=)?$'`;
/** ZetaSQL's whitespace (RE2's \s without the vertical tab, which it also skips in base64). */
const SPACE = `'[ \\t\\n\\v\\f\\r]'`;
/** The number a run of '0'/'1' characters spells, for a few bits. */
const bitsValue = (bits: string, width: number) => Array.from({ length: width }, (_, k) => `CAST(substr(${bits}, i + ${k}, 1) AS INTEGER) * ${2 ** (width - 1 - k)}`).join(' + ');

export const encodingMacros: string[] = [
  `CREATE OR REPLACE MACRO __gg_bits_of(b) AS ${BITS_OF}`,
  `CREATE OR REPLACE MACRO __gg_to_base2(b) AS __gg_bits_of(b)`,
  `CREATE OR REPLACE MACRO __gg_to_base8(b) AS list_transform([lpad(__gg_bits_of(b), CAST(ceil(octet_length(b) * 8 / 3) AS INTEGER) * 3, '0')],
     lambda p: array_to_string(list_transform(range(1, length(p) + 1, 3), lambda i: CAST(${bitsValue('p', 3)} AS VARCHAR)), ''))[1]`,
  `CREATE OR REPLACE MACRO __gg_to_base32(b) AS list_transform([rpad(__gg_bits_of(b), CAST(ceil(octet_length(b) * 8 / 5) AS INTEGER) * 5, '0')],
     lambda p: rpad(array_to_string(list_transform(range(1, length(p) + 1, 5), lambda i: substr('${BASE32_ALPHABET}', ${bitsValue('p', 5)} + 1, 1)), ''),
       CAST(ceil(length(p) / 5 / 8) AS INTEGER) * 8, '='))[1]`,
  // RFC 2045: a newline after every 76 characters, none at the end.
  `CREATE OR REPLACE MACRO __gg_to_base64m(b) AS list_transform([to_base64(b)],
     lambda t: array_to_string(list_transform(range(0, length(t), 76), lambda i: substr(t, i + 1, 76)), chr(10)))[1]`,
  // ZetaSQL decodes base2 in chunks of 8 from the right and names the first bad character of the last chunk that has
  // one, at its offset in that chunk (the leading chunk starts at the text's start).
  `CREATE OR REPLACE MACRO __gg_from_base2(s) AS CASE WHEN regexp_full_match(s, '[01]*') THEN unbin(s)
     ELSE CAST(__gg_raise(list_transform([lpad(s, CAST(ceil(length(s) / 8) AS INTEGER) * 8, '0')], lambda p: list_transform(
       [((length(p) - length(regexp_extract(p, '[^01][01]*$'))) // 8) * 8 + 1], lambda start:
       list_transform([start + length(regexp_extract(substr(p, start, 8), '^[01]*'))], lambda bad:
         'Failed to decode invalid base2 string due to character ''' || substr(p, bad, 1) || ''' at offset '
         || (bad - greatest(start, length(p) - length(s) + 1)))[1])[1])[1]) AS BLOB) END`,
  `CREATE OR REPLACE MACRO __gg_from_base8(s) AS CASE WHEN NOT regexp_full_match(s, '[0-7]*') THEN CAST(__gg_raise('Failed to decode invalid base8 string') AS BLOB)
     ELSE list_transform([(length(s) // 8) * 3 + [0, 1, 1, 1, 2, 2, 2, 3][length(s) % 8 + 1]], lambda n: unbin(right(lpad(
       array_to_string(list_transform(regexp_extract_all(s, '.'), lambda d: ['000', '001', '010', '011', '100', '101', '110', '111'][CAST(d AS INTEGER) + 1]), ''),
       CAST(greatest(length(s) * 3, n * 8) AS INTEGER), '0'), n * 8)))[1] END`,
  // Text BigQuery's documentation does not settle (lower case, no padding, bits left over past the last byte) is refused
  // rather than guessed; a character outside the alphabet is an error.
  `CREATE OR REPLACE MACRO __gg_from_base32(s) AS CASE
     WHEN regexp_full_match(s, ${BASE32_CANONICAL}) THEN list_transform([array_to_string(list_transform(regexp_extract_all(rtrim(s, '='), '.'),
       lambda c: lpad(bin(instr('${BASE32_ALPHABET}', c) - 1), 5, '0')), '')], lambda bits: CASE WHEN regexp_full_match(substr(bits, (length(bits) // 8) * 8 + 1), '0*')
       THEN unbin(left(bits, (length(bits) // 8) * 8))
       ELSE CAST(__gg_refuse('FROM_BASE32 of text whose last character has bits past the last byte is not supported by the local emulator') AS BLOB) END)[1]
     WHEN regexp_full_match(s, '[A-Za-z2-7=]*') THEN CAST(__gg_refuse('Base32 text in lower case or without its = padding is not supported by the local emulator') AS BLOB)
     ELSE CAST(__gg_raise('Failed to decode invalid base32 string') AS BLOB) END`,
  // Whitespace is ignored in base64 text (format-elements#format_string_as_bytes).
  `CREATE OR REPLACE MACRO __gg_from_base64_spaced(s) AS from_base64(regexp_replace(s, ${SPACE}, '', 'g'))`,
];

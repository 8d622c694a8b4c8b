/**
 * String and BYTES literals as polyglot cannot read them: it keeps \u, \x, octal and \? escapes verbatim and reads
 * `b'...'` as text (DuckDB then sees a STRING, or fails on non-ASCII bytes).
 */
import { invalidQuery } from '../errors.ts';
import { quoteString, type Token } from './tokenizer.ts';

const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** The literal's body between its quotes, and whether it is raw / BYTES. */
function body(text: string): { inner: string; raw: boolean; bytes: boolean } {
  const prefix = /^[rRbB]*/.exec(text)![0];
  const rest = text.slice(prefix.length);
  const quote = rest[0];
  const triple = rest.startsWith(quote.repeat(3));
  const n = triple ? 3 : 1;
  return { inner: rest.slice(n, rest.length - n), raw: /[rR]/.test(prefix), bytes: /[bB]/.test(prefix) };
}

/** Decodes GoogleSQL escapes into code units (\x and octal escapes give one unit each: bytes for BYTES literals). */
function decode(inner: string): string {
  return inner.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[xX][0-9a-fA-F]{2}|[0-7]{3}|.)/gs, (_m, e: string) => {
    if (/^[uU]/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[xX]/.test(e)) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]{3}$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return SIMPLE[e] ?? e;
  });
}

/**
 * A backslash followed by anything but lexical's escape sequences "produces an error" (\d, \w, \x4, \u12): \u and
 * \U are valid in strings only and name a code point outside the surrogates (D800-DFFF), \ooo is a byte.
 */
function checkEscapes(inner: string, bytes: boolean): void {
  for (const m of inner.matchAll(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[xX][0-9a-fA-F]{2}|[0-7]{3}|[abfnrtv\\?"'`]|[\s\S]?)/g)) {
    const e = m[1];
    const codePoint = /^[uU]/.test(e) ? parseInt(e.slice(1), 16) : undefined;
    const illegal =
      (e.length <= 1 && !/^[abfnrtv\\?"'`]$/.test(e)) ||
      (codePoint !== undefined && (bytes || (codePoint >= 0xd800 && codePoint <= 0xdfff) || codePoint > 0x10ffff)) ||
      (/^[0-7]{3}$/.test(e) && parseInt(e, 8) > 0xff);
    if (illegal) throw invalidQuery(`Syntax error: Illegal escape sequence: \\${e}`);
  }
}

/**
 * Re-quotes a string literal whose escapes polyglot would keep verbatim (\u00e9, \x41, \101, \?), and a raw one with
 * a backslash, which polyglot's tokenizer reads as escaping the next character (r'\\' was an unterminated string).
 */
export function fixStringEscapes(t: Token): string {
  if (/^[bB]|^[rR][bB]/.test(t.text) || !t.text.includes('\\')) return t.text;
  const { inner, raw } = body(t.text);
  if (raw) return quoteString(inner);
  checkEscapes(inner, false);
  return quoteString(decode(inner));
}

/**
 * `b'...'` → `FROM_HEX('...')`: the exact bytes, typed BYTES. \x and octal escapes are single bytes; any other
 * character (or \u escape) is its UTF-8 encoding.
 */
export function bytesLiteral(t: Token): string | undefined {
  const { inner, raw, bytes } = body(t.text);
  if (!bytes) return undefined;
  if (!raw) checkEscapes(inner, true);
  const out: number[] = [];
  for (let s = 0; s < inner.length;) {
    const escape = raw || inner[s] !== '\\' ? undefined : /^\\(?:[xX][0-9a-fA-F]{2}|[0-7]{3}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/s.exec(inner.slice(s))?.[0];
    if (escape && /^\\([xX]|[0-7])/.test(escape)) out.push(parseInt(escape.slice(/^\\[xX]/.test(escape) ? 2 : 1), /^\\[xX]/.test(escape) ? 16 : 8));
    else if (escape) out.push(...Buffer.from(decode(escape), 'utf8'));
    const ch = escape ?? String.fromCodePoint(inner.codePointAt(s)!);
    if (!escape) out.push(...Buffer.from(ch, 'utf8'));
    s += ch.length;
  }
  return `FROM_HEX('${Buffer.from(out).toString('hex')}')`;
}

/**
 * `[parameters=expr AS name, ...]` as REST query parameters. The expressions in the files are literals, casts of
 * literals and arrays of them; the harness evaluates those itself (never through the emulator under test) and
 * reports any other expression as not evaluable.
 */
import { tokenize, type Token } from '@gradeguard/bigquery-emulator/testing';
import { decodeQuoted } from './value-text.ts';
import { restTypeOfZeta } from './type-names.ts';

export interface RestParam {
  name: string;
  parameterType: RestType;
  parameterValue: RestValue;
}
interface RestType {
  type: string;
  arrayType?: RestType;
}
interface RestValue {
  value?: string | null;
  arrayValues?: RestValue[];
}

class NotEvaluable extends Error {}

function splitTop(tokens: Token[]): Token[][] {
  const out: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.text === '(' || t.text === '[') depth++;
    if (t.text === ')' || t.text === ']') depth--;
    if (depth === 0 && t.text === ',') out.push([]);
    else out[out.length - 1].push(t);
  }
  return out.filter((p) => p.length);
}

function literal(tokens: Token[]): { type: RestType; value: RestValue } {
  const t = tokens.map((x) => x.text);
  const text = t.join(' ');
  if (t.length === 1 || (t.length === 2 && (t[0] === '-' || t[0] === '+'))) {
    const tok = tokens[tokens.length - 1];
    const sign = t.length === 2 && t[0] === '-' ? '-' : '';
    if (tok.type === 'number')
      return /[.eE]/.test(tok.text) && !/^0x/i.test(tok.text)
        ? { type: { type: 'FLOAT64' }, value: { value: sign + tok.text } }
        : { type: { type: 'INT64' }, value: { value: sign + BigInt(tok.text).toString() } };
    if (tok.type === 'string')
      return /^[bB]/.test(tok.text)
        ? { type: { type: 'BYTES' }, value: { value: decodeQuoted(tok.text).toString('base64') } }
        : { type: { type: 'STRING' }, value: { value: decodeQuoted(tok.text.replace(/^[rR]/, '')).toString('utf8') } };
    if (/^(true|false)$/i.test(tok.text)) return { type: { type: 'BOOL' }, value: { value: tok.text.toLowerCase() } };
    if (/^null$/i.test(tok.text)) return { type: { type: 'INT64' }, value: { value: null } };
  }
  // TYPE 'literal'
  if (t.length === 2 && restTypeOfZeta[t[0].toUpperCase()] && tokens[1].type === 'string') {
    return { type: { type: restTypeOfZeta[t[0].toUpperCase()] }, value: { value: decodeQuoted(tokens[1].text).toString('utf8') } };
  }
  // CAST(x AS T)
  if (/^cast$/i.test(t[0]) && t[1] === '(' && t[t.length - 1] === ')') {
    const as = t.findIndex((x, k) => k > 1 && /^as$/i.test(x));
    const target = t
      .slice(as + 1, -1)
      .join('')
      .toUpperCase();
    const inner = literal(tokens.slice(2, as));
    const rest = restTypeOfZeta[target];
    if (!rest || inner.type.type === 'ARRAY') throw new NotEvaluable(text);
    return { type: { type: rest }, value: inner.value };
  }
  // [a, b] or ARRAY<T>[a, b]
  const open = t.indexOf('[');
  if (open >= 0 && t[t.length - 1] === ']' && (open === 0 || /^array$/i.test(t[0]))) {
    const items = splitTop(tokens.slice(open + 1, -1)).map(literal);
    const declared =
      open > 0
        ? restTypeOfZeta[
            t
              .slice(2, open - 1)
              .join('')
              .toUpperCase()
          ]
        : undefined;
    const element = declared ? { type: declared } : (items.find((i) => i.value.value !== null)?.type ?? { type: 'INT64' });
    if (items.some((i) => i.value.value === null)) throw new NotEvaluable(`${text} (an ARRAY parameter cannot hold NULL)`);
    return { type: { type: 'ARRAY', arrayType: element }, value: { arrayValues: items.map((i) => i.value) } };
  }
  throw new NotEvaluable(text);
}

/** The parameters, or the text of the first expression the harness cannot evaluate. */
export function restParameters(text: string): { params: RestParam[] } | { notEvaluable: string } {
  try {
    const tokens = tokenize(text).filter((x) => x.type !== 'ws' && x.type !== 'comment');
    const params = splitTop(tokens).map((part) => {
      // `expr AS name` or `expr name`
      const last = part.length - 1;
      if (last < 1) throw new NotEvaluable(part.map((x) => x.text).join(' '));
      const end = /^as$/i.test(part[last - 1].text) ? last - 1 : last;
      const { type, value } = literal(part.slice(0, end));
      return { name: part[last].text.replace(/`/g, ''), parameterType: type, parameterValue: value };
    });
    return { params };
  } catch (e) {
    return { notEvaluable: (e as Error).message };
  }
}

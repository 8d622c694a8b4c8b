/**
 * RANGE's syntax, rewritten before parsing (polyglot's parser reads neither): `RANGE<T> '[a, b)'` becomes the range
 * constructor over two literals of T, and `RANGE<T>` as a type (CAST, DECLARE, a STRUCT's or ARRAY's element) the
 * STRUCT the emulator keeps a range in (../range-type.ts). RANGE is a reserved word, so `RANGE <` is never a
 * comparison of a column named range.
 */
import { invalidQuery } from '../errors.ts';
import { isRangeElement, rangeLiteralSql, rangeStructType } from '../range-type.ts';
import { tokenize, type Token } from './tokenizer.ts';

export function rewriteRangeSyntax(sql: string): string {
  if (!/\brange\s*</i.test(sql)) return sql;
  const tokens = tokenize(sql);
  const next = (i: number): number => {
    let j = i + 1;
    while (j < tokens.length && (tokens[j].type === 'ws' || tokens[j].type === 'comment')) j++;
    return j;
  };
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t: Token = tokens[i];
    const open = next(i);
    if (t.type !== 'word' || t.value !== 'range' || tokens[open]?.text !== '<') {
      out.push(t.text);
      continue;
    }
    const el = next(open);
    const close = next(el);
    const element = (tokens[el]?.text ?? '').toUpperCase();
    if (!isRangeElement(element) || !['>', '>>'].includes(tokens[close]?.text ?? '')) {
      throw invalidQuery(`RANGE<${tokens[el]?.text ?? ''}> is not a valid type: the element type of a RANGE must be DATE, DATETIME or TIMESTAMP`);
    }
    const literal = next(close);
    if (tokens[close].text === '>' && tokens[literal]?.type === 'string') {
      out.push(rangeLiteralSql(element, tokens[literal].value));
      i = literal;
    } else {
      // `ARRAY<RANGE<DATE>>`: the `>>` closes the range and its container.
      out.push(rangeStructType(element) + (tokens[close].text === '>>' ? '>' : ''));
      i = close;
    }
  }
  return out.join('');
}

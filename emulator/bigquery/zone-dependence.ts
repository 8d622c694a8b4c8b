/**
 * Which parts of a statement read the default time zone (time-zone.ts refuses them under a zone other than UTC).
 * A TIMESTAMP is an instant: reading, comparing, ordering and returning one does not depend on the zone; turning one
 * into or out of civil time or text does (https://cloud.google.com/bigquery/docs/reference/standard-sql/timestamp_functions):
 * a TIMESTAMP literal or string without an explicit zone, TIMESTAMP(...), CAST to or from TIMESTAMP, DATE/DATETIME/TIME
 * and STRING of a timestamp, EXTRACT, FORMAT*, PARSE_*, *_TRUNC, CURRENT_DATE/DATETIME/TIME. Without static types
 * the scan is conservative: a construct that could take a TIMESTAMP counts.
 */
import { tokenize, type Token } from './sql/tokenizer.ts';

/** A zone-free TIMESTAMP text: a time followed by Z or a ±hh[:mm] offset, or a text ending in UTC or an IANA zone name. */
const EXPLICIT_ZONE = /(?:\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[zZ]|[+-]\d{1,2}(?::?\d{2})?)|\s(?:UTC|[A-Za-z]+\/[A-Za-z_]+(?:\/[A-Za-z_]+)?))\s*[\])]?\s*$/;
const CIVIL_TEXT = /^\s*\[?\s*\d{4}-\d{1,2}-\d{1,2}/;
/** Functions that never read the zone although their names say TIMESTAMP. */
const ZONE_FREE_FUNCTIONS = /^(timestamp_(add|sub|diff|seconds|millis|micros)|unix_(seconds|millis|micros)|current_timestamp|generate_timestamp_array)$/;
const DEPENDENT_FUNCTIONS = /^(timestamp|date|datetime|time|string|extract|format|(format|parse)_\w+|\w+_trunc|(date|datetime|time|timestamp)_\w+)$/;
const CIVIL_TYPES = new Set(['timestamp', 'date', 'datetime', 'time', 'string']);

const significant = (tokens: Token[]) => tokens.filter((t) => t.type !== 'ws' && t.type !== 'comment');
const lower = (t: Token | undefined) => (t?.type === 'word' ? t.value.toLowerCase() : (t?.text ?? ''));

/** Whether the statement names TIMESTAMP values itself (a type, literal or function). */
export function mentionsTimestamps(sql: string): boolean {
  return tokenize(sql).some((t) => t.type === 'word' && /^(timestamp\w*|\w*_timestamp\w*)$/i.test(t.value));
}

/** Always zone-dependent, with or without TIMESTAMP values. */
export function civilNowFunction(sql: string): string | undefined {
  return tokenize(sql).find((t) => t.type === 'word' && /^current_(date|datetime|time)$/i.test(t.value))?.text;
}

/** The first construct that reads the zone where TIMESTAMP values are around, if any. */
export function zoneDependentConstruct(sql: string): string | undefined {
  const ts = significant(tokenize(sql));
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    const prev = lower(ts[i - 1]);
    if (t.type === 'string') {
      // A civil date or time text outside a DATE/DATETIME/TIME (or RANGE<DATE|DATETIME>) literal or a CAST to a civil
      // type may be coerced to TIMESTAMP in the zone; each bound of a range text needs its own zone.
      const civilCast = lower(ts[i + 1]) === 'as' && ['date', 'datetime', 'time', 'string'].includes(lower(ts[i + 2])) && ts[i + 3]?.text === ')';
      const civilLiteral = civilCast || ['date', 'datetime', 'time'].includes(prev) || (prev === '>' && ['date', 'datetime'].includes(lower(ts[i - 2])));
      if (!civilLiteral && t.value.split(',').some((part) => CIVIL_TEXT.test(part) && !EXPLICIT_ZONE.test(part))) return t.text;
      continue;
    }
    if (t.type !== 'word') continue;
    const w = t.value.toLowerCase();
    const next = ts[i + 1];
    if (w === 'timestamp' && next?.type === 'string') {
      if (!EXPLICIT_ZONE.test(next.value)) return `${t.text} ${next.text}`;
      i++;
      continue;
    }
    if (next?.text === '(' && DEPENDENT_FUNCTIONS.test(w) && !ZONE_FREE_FUNCTIONS.test(w) && prev !== '.') return `${t.text}(...)`;
    // CAST(x AS T) for a civil or text T: only a NULL (or, but to TIMESTAMP, a literal) operand is zone-free.
    if (CIVIL_TYPES.has(w) && prev === 'as' && next?.text === ')') {
      const open = castOpening(ts, i - 1);
      if (open === undefined) continue;
      const operand = ts.slice(open + 1, i - 1);
      const literal = operand.length === 1 && (lower(operand[0]) === 'null' || (w !== 'timestamp' && (operand[0].type === 'string' || operand[0].type === 'number')));
      if (!literal) return `CAST(... AS ${t.text})`;
    }
  }
  return undefined;
}

/** The index of the `(` of the CAST/SAFE_CAST whose `AS` is at `as`, if that `AS` is one. */
function castOpening(ts: Token[], as: number): number | undefined {
  let depth = 0;
  for (let j = as - 1; j >= 0; j--) {
    if (ts[j].text === ')') depth++;
    else if (ts[j].text === '(') {
      if (depth === 0) return /^(safe_)?cast$/i.test(ts[j - 1]?.text ?? '') ? j : undefined;
      depth--;
    }
  }
  return undefined;
}

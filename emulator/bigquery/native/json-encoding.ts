/**
 * BigQuery's SQL-to-JSON encoding (https://cloud.google.com/bigquery/docs/reference/standard-sql/json_functions#json_encodings),
 * as ZetaSQL's JsonFromValue writes it (json_format.cc), for a DuckDB value of any depth: TO_JSON_STRING and TO_JSON
 * run it as a JavaScript function (functions.ts), which sees each value with its full type, where SQL macros
 * could only rewrite a top-level value.
 */
import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBIntervalValue,
  DuckDBListVector,
  DuckDBStructVector,
  DuckDBTimeValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
  type DuckDBVector,
} from '@duckdb/node-api';
import type { DuckTypeTree } from './duck-type-text.ts';
import { isRangeStruct } from '../range-type.ts';
import { compareCodePoints } from './json-canonical.ts';

/** 'string': TO_JSON_STRING's (an INT64, NUMERIC or BIGNUMERIC past ±2^53, or a NUMERIC with a fraction, as a string); 'json': TO_JSON's. */
export type JsonEncodingMode = 'string' | 'json';

const EXACT = 2n ** 53n;
const MICROS_PER_DAY = 86_400_000_000n;

class JsonEncodingUnsupported extends Error {}

/**
 * The JSON text of row `row` of a vector whose typeof() is `type`. It walks the vectors, not the values DuckDB's API
 * builds from them: those key a STRUCT's fields by name, and a tuple's fields have none.
 */
export function jsonText(vector: DuckDBVector, row: number, type: DuckTypeTree, mode: JsonEncodingMode): string {
  if (type.kind === 'list') {
    const items = (vector as DuckDBListVector).getItemVector(row);
    if (!items) return 'null';
    const out: string[] = [];
    for (let k = 0; k < items.itemCount; k++) out.push(jsonText(items, k, type.element, mode));
    return `[${out.join(',')}]`;
  }
  if (type.kind === 'struct') {
    const struct = vector as DuckDBStructVector;
    if (!struct.isItemValid(row)) return 'null';
    const names = type.fields.map((f) => f.name);
    // A RANGE (range-type.ts): {"start": ..., "end": ...}, an unbounded part (±infinity here) null.
    if (isRangeStruct(names)) {
      const part = (k: number) => (isInfinite(struct.entryVectorAt(k).getItem(row)) ? 'null' : jsonText(struct.entryVectorAt(k), row, type.fields[k].type, mode));
      // A JSON value orders its members by name (below).
      return mode === 'json' ? `{"end":${part(1)},"start":${part(0)}}` : `{"start":${part(0)},"end":${part(1)}}`;
    }
    // The emulator names an anonymous field _field_N, as BigQuery's result schemas do; its JSON key is "". TO_JSON keeps
    // the first of fields with one name, TO_JSON_STRING all of them.
    // A JSON value (TO_JSON) holds its members ordered by name, as BigQuery's JSON type does (json_functions#to_json:
    // {"coordinates":[10,20],"id":1}); TO_JSON_STRING keeps the fields' order.
    const seen = new Set<string>();
    const fields: Array<[string, string]> = [];
    type.fields.forEach((f, k) => {
      const key = f.name === `_field_${k + 1}` ? '' : f.name;
      if (mode === 'json' && seen.has(key)) return;
      seen.add(key);
      fields.push([key, `${jsonString(key)}:${jsonText(struct.entryVectorAt(k), row, f.type, mode)}`]);
    });
    if (mode === 'json') fields.sort(([a], [b]) => compareCodePoints(a, b));
    return `{${fields.map(([, member]) => member).join(',')}}`;
  }
  const value = vector.getItem(row);
  return value === null || value === undefined ? 'null' : scalarText(value, type.name, mode);
}

function scalarText(value: DuckDBValue, name: string, mode: JsonEncodingMode): string {
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(name)) {
    const n = BigInt(value as number | bigint);
    return wide(n, mode) ? `"${n}"` : String(n);
  }
  if (name.startsWith('DECIMAL(')) {
    const d = value as DuckDBDecimalValue;
    const text = decimalText(d.value, d.scale);
    if (mode === 'json') return text;
    return text.includes('.') || wide(BigInt(text), mode) ? `"${text}"` : text;
  }
  switch (name) {
    case 'BOOLEAN':
      return value ? 'true' : 'false';
    case 'DOUBLE':
    case 'FLOAT':
      return doubleText(value as number);
    case 'VARCHAR':
      return jsonString(value as string);
    case 'JSON':
      return value as string;
    case 'BLOB':
      return `"${Buffer.from((value as DuckDBBlobValue).bytes).toString('base64')}"`;
    case 'DATE':
      return `"${dateText(BigInt((value as DuckDBDateValue).days))}"`;
    case 'TIMESTAMP':
      return `"${civilText((value as DuckDBTimestampValue).micros)}"`;
    case 'TIMESTAMP WITH TIME ZONE':
      return `"${civilText((value as DuckDBTimestampTZValue).micros)}Z"`;
    case 'TIME':
      return `"${civilText((value as DuckDBTimeValue).micros).slice(11)}"`;
    case 'INTERVAL':
      return `"${intervalIso(value as DuckDBIntervalValue)}"`;
    case '"NULL"':
      return 'null';
  }
  throw new JsonEncodingUnsupported(`JSON of a ${name} value is not supported by the local emulator`);
}

const wide = (n: bigint, mode: JsonEncodingMode) => mode === 'string' && (n > EXACT || n < -EXACT);

function isInfinite(v: DuckDBValue): boolean {
  if (v instanceof DuckDBDateValue) return v.days === DuckDBDateValue.PosInf.days || v.days === DuckDBDateValue.NegInf.days;
  if (v instanceof DuckDBTimestampValue) return v.micros === DuckDBTimestampValue.PosInf.micros || v.micros === DuckDBTimestampValue.NegInf.micros;
  if (v instanceof DuckDBTimestampTZValue) return v.micros === DuckDBTimestampTZValue.PosInf.micros || v.micros === DuckDBTimestampTZValue.NegInf.micros;
  return false;
}

/** A decimal's digits without trailing fractional zeros: 1.500000000 → 1.5, 2.000 → 2. */
function decimalText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** ZetaSQL's RoundTripDoubleToString: C's %.15g, or %.17g where 15 digits do not read back; non-finite as strings. */
function doubleText(d: number): string {
  if (Number.isNaN(d)) return '"NaN"';
  if (!Number.isFinite(d)) return d > 0 ? '"Infinity"' : '"-Infinity"';
  const short = formatG(d, 15);
  return Number(short) === d ? short : formatG(d, 17);
}

/** C's printf("%.{precision}g"). */
function formatG(d: number, precision: number): string {
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const [mantissa, exp] = d.toExponential(precision - 1).split('e');
  const exponent = Number(exp);
  const trim = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
  if (exponent < -4 || exponent >= precision) {
    const sign = exponent < 0 ? '-' : '+';
    return `${trim(mantissa)}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return trim(d.toFixed(Math.max(0, precision - 1 - exponent)));
}

/** JsonEscapeAndAppendString (zetasql/common/json_util.cc): quotes, backslashes, control characters, U+2028/9. */
function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c < 0x20) out += ({ 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t' } as Record<number, string>)[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
    else out += ch;
  }
  return `${out}"`;
}

const pad = (n: number | bigint, w = 2) => String(n).padStart(w, '0');

/** YYYY-MM-DD of a day count since 1970-01-01. */
function dateText(days: bigint): string {
  const d = new Date(Number(days) * 86_400_000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** YYYY-MM-DDTHH:MM:SS[.fff[fff]] of microseconds since the epoch: the fraction in groups of three, as ZetaSQL narrows it. */
function civilText(micros: bigint): string {
  let days = micros / MICROS_PER_DAY;
  let rest = micros % MICROS_PER_DAY;
  if (rest < 0n) {
    rest += MICROS_PER_DAY;
    days -= 1n;
  }
  const seconds = Number(rest / 1_000_000n);
  const fraction = Number(rest % 1_000_000n);
  const frac = fraction === 0 ? '' : fraction % 1000 === 0 ? `.${pad(fraction / 1000, 3)}` : `.${pad(fraction, 6)}`;
  return `${dateText(days)}T${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}${frac}`;
}

/** IntervalValue::ToISO8601 (zetasql/public/interval_value.cc): P[nY][nM][nD][T[nH][nM][n[.f]S]], zero as P0Y. */
function intervalIso(v: DuckDBIntervalValue): string {
  const years = Math.trunc(v.months / 12);
  const months = v.months % 12;
  const micros = v.micros;
  const hours = micros / 3_600_000_000n;
  const minutes = (micros % 3_600_000_000n) / 60_000_000n;
  const seconds = (micros % 60_000_000n) / 1_000_000n;
  let sub = micros % 1_000_000n;
  let out = 'P';
  if (years) out += `${years}Y`;
  if (months) out += `${months}M`;
  if (v.days) out += `${v.days}D`;
  if (micros !== 0n) out += 'T';
  if (hours) out += `${hours}H`;
  if (minutes) out += `${minutes}M`;
  if (seconds || sub) {
    if (!sub) out += `${seconds}S`;
    else {
      out += seconds ? `${seconds}.` : micros < 0n ? '-0.' : '0.';
      if (sub < 0n) sub = -sub;
      out += `${pad(sub, 6).replace(/0+$/, '')}S`;
    }
  }
  return out === 'P' ? 'P0Y' : out;
}

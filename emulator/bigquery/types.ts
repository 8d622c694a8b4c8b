/**
 * BigQuery types ↔ DuckDB types, REST value encoding, and DuckDB literals for script variables (a REST query
 * parameter's literal is query-parameters.ts's). BigQuery TIMESTAMP is DuckDB TIMESTAMPTZ (UTC); DATETIME is TIMESTAMP.
 */
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { invalid, invalidQuery, notSupported } from './errors.ts';
import { tokenize, significant } from './sql/tokenizer.ts';
import { quoteLiteral as quote } from './sql/quote.ts';
import { repeatedColumnName } from './sql/repeated-names.ts';
import { encodeRange, isRangeElement, isRangeStruct, rangeStruct, type RangeElement } from './range-type.ts';

export interface FieldSchema {
  name: string;
  type: string;
  mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  fields?: FieldSchema[];
  description?: string;
  /** A RANGE field's element type (range-type.ts). */
  rangeElementType?: { type: string };
  /** Refused (rest-fields.ts): the local emulator does not fill in column defaults. */
  defaultValueExpression?: string;
}

export const scalarBqToDuck: Record<string, string> = {
  INT64: 'BIGINT',
  INT: 'BIGINT',
  INTEGER: 'BIGINT',
  BIGINT: 'BIGINT',
  SMALLINT: 'BIGINT',
  TINYINT: 'BIGINT',
  BYTEINT: 'BIGINT',
  FLOAT64: 'DOUBLE',
  FLOAT: 'DOUBLE',
  NUMERIC: 'DECIMAL(38,9)',
  DECIMAL: 'DECIMAL(38,9)',
  BIGNUMERIC: 'DECIMAL(38,18)',
  BIGDECIMAL: 'DECIMAL(38,18)',
  BOOL: 'BOOLEAN',
  BOOLEAN: 'BOOLEAN',
  STRING: 'VARCHAR',
  BYTES: 'BLOB',
  DATE: 'DATE',
  DATETIME: 'TIMESTAMP',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMPTZ',
  JSON: 'JSON',
  INTERVAL: 'INTERVAL',
};

/** The DuckDB type of RANGE<element> (range-type.ts). */
export function rangeDuckType(element: string): string {
  const e = element.toUpperCase();
  if (!isRangeElement(e)) throw invalidQuery(`RANGE<${element}> is not a valid type: the element type of a RANGE must be DATE, DATETIME or TIMESTAMP`);
  return rangeStruct(scalarBqToDuck[e]);
}

/** The element type of a DuckDB type that is a range (range-type.ts); undefined for any other type. */
function rangeElementOf(type: DuckDBType): RangeElement | undefined {
  const t = type as unknown as { entryNames: string[]; entryTypes: DuckDBType[] };
  if (type.typeId !== DuckDBTypeId.STRUCT || !isRangeStruct(t.entryNames)) return undefined;
  const element = bigQueryScalarTypeName(t.entryTypes[0]);
  // RANGE(a, b) of values that are not dates or times (BigQuery rejects the call): never shown as a RECORD.
  if (!isRangeElement(element)) throw invalidQuery(`A RANGE's elements must be DATE, DATETIME or TIMESTAMP values, not ${element}`);
  return element;
}

/** Converts a GoogleSQL type (`ARRAY<STRUCT<a INT64, b STRING>>`, `NUMERIC(10,2)`) to DuckDB. */
export function bigQueryTypeToDuck(text: string): string {
  const toks = significant(tokenize(text));
  let i = 0;
  const parseType = (): string => {
    const t = toks[i++];
    if (!t) throw invalid(`Invalid type: ${text}`);
    const name = (t.type === 'qident' ? t.value : t.text).toUpperCase();
    if (name === 'ARRAY') {
      expect('<');
      const inner = parseType();
      expect('>');
      return `${inner}[]`;
    }
    if (name === 'STRUCT' || name === 'RECORD') {
      expect('<');
      const fields: string[] = [];
      while (toks[i] && toks[i].text !== '>' && toks[i].text !== '>>') {
        const fname = toks[i++];
        fields.push(`"${fname.type === 'qident' ? fname.value : fname.text}" ${parseType()}`);
        if (toks[i]?.text === ',') i++;
      }
      expect('>');
      return `STRUCT(${fields.join(', ')})`;
    }
    if (name === 'RANGE') {
      expect('<');
      const element = toks[i++];
      expect('>');
      return rangeDuckType(element?.text ?? '');
    }
    let duck = scalarBqToDuck[name];
    if (!duck) throw invalid(`Type not found: ${name}`);
    if (toks[i]?.text === '(') {
      const args: string[] = [];
      i++;
      while (toks[i] && toks[i].text !== ')') {
        if (toks[i].text !== ',') args.push(toks[i].text);
        i++;
      }
      i++;
      // BigQuery refuses a longer value for a STRING(L) / BYTES(L) column; DuckDB's VARCHAR / BLOB keep no length, so
      // the emulator would accept it (and drop the parameter from the schema).
      if (name === 'STRING' || name === 'BYTES') throw notSupported(`The parameterized column type ${name}(${args.join(', ')}) (its maximum length is not kept)`);
      // DuckDB has one DECIMAL for both, and a scale up to 9 reads back as NUMERIC (bigQueryScalarTypeName): such a
      // BIGNUMERIC column would silently become NUMERIC in every result and every table built from it.
      if ((name === 'BIGNUMERIC' || name === 'BIGDECIMAL') && args.length && Number(args[1] ?? 0) <= 9) {
        throw notSupported(`The type ${name}(${args.join(', ')}) (a BIGNUMERIC with a scale of 9 or less; BIGNUMERIC without parameters is supported)`);
      }
      if ((name === 'NUMERIC' || name === 'DECIMAL' || name === 'BIGNUMERIC' || name === 'BIGDECIMAL') && args.length) {
        duck = `DECIMAL(${Math.min(38, Number(args[0]))},${args[1] ?? 0})`;
      }
    }
    return duck;
  };
  const expect = (s: string) => {
    // `>>` closes two nested types at once
    const t = toks[i];
    if (t?.text === s) {
      i++;
      return;
    }
    if (s === '>' && t?.text === '>>') {
      t.text = '>';
      return;
    }
    throw invalid(`Invalid type: ${text}`);
  };
  const out = parseType();
  if (i < toks.length) throw invalid(`Invalid type: ${text}`);
  return out;
}

/** A DuckDB column type as a BigQuery field. */
export function duckTypeToField(name: string, type: DuckDBType, nullable = true): FieldSchema {
  if (type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY) {
    const inner = duckTypeToField(name, (type as any).valueType);
    return { ...inner, mode: 'REPEATED' };
  }
  const rangeElement = rangeElementOf(type);
  if (rangeElement) return { name, type: 'RANGE', mode: nullable ? 'NULLABLE' : 'REQUIRED', rangeElementType: { type: rangeElement } };
  if (type.typeId === DuckDBTypeId.STRUCT) {
    const t = type as any;
    return {
      name,
      type: 'RECORD',
      mode: nullable ? 'NULLABLE' : 'REQUIRED',
      // A field from a derived table's repeated column name (result-names.ts) carries that name, as the column does.
      fields: t.entryNames.map((n: string, k: number) => duckTypeToField(repeatedColumnName(n), t.entryTypes[k])),
    };
  }
  return { name, type: bigQueryScalarTypeName(type), mode: nullable ? 'NULLABLE' : 'REQUIRED' };
}

/** The BigQuery type of a DuckDB scalar type (a LIST, ARRAY or STRUCT gives STRING: duckTypeToField handles those). */
export function bigQueryScalarTypeName(type: DuckDBType): string {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return 'BOOLEAN';
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.INTEGER_LITERAL:
      return 'INTEGER';
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return 'FLOAT';
    case DuckDBTypeId.DECIMAL:
      return (type as any).scale > 9 ? 'BIGNUMERIC' : 'NUMERIC';
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.STRING_LITERAL:
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.ENUM:
      return (type as any).alias === 'JSON' ? 'JSON' : 'STRING';
    case DuckDBTypeId.BLOB:
      return 'BYTES';
    case DuckDBTypeId.DATE:
      return 'DATE';
    case DuckDBTypeId.TIME:
      return 'TIME';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return 'DATETIME';
    case DuckDBTypeId.TIMESTAMP_TZ:
      return 'TIMESTAMP';
    case DuckDBTypeId.INTERVAL:
      return 'INTERVAL';
    case DuckDBTypeId.SQLNULL:
      return 'INTEGER';
    default:
      return 'STRING';
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const WIDE_INTEGERS = new Set<number>([DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT, DuckDBTypeId.UBIGINT]);

/**
 * Fails like BigQuery ("int64 overflow") when a result column that is INT64 to BigQuery holds a value beyond its
 * range: DuckDB computes SUM and some arithmetic of BIGINTs in 128 bits. Costs nothing unless such a column exists.
 */
export function checkInt64Range(types: DuckDBType[], rows: unknown[][]): void {
  const wide = types.flatMap((t, k) => (WIDE_INTEGERS.has(t.typeId) ? [k] : []));
  if (!wide.length) return;
  for (const row of rows) {
    for (const k of wide) {
      const v = row[k];
      if (typeof v === 'bigint' && (v < INT64_MIN || v > INT64_MAX)) throw invalidQuery(`int64 overflow: ${v}`);
    }
  }
}

/** Standard SQL names (INT64, FLOAT64, BOOL) of legacy field types, for INFORMATION_SCHEMA. */
export function standardTypeName(field: FieldSchema): string {
  const base: Record<string, string> = { INTEGER: 'INT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL' };
  if (field.type === 'RANGE') return field.mode === 'REPEATED' ? `ARRAY<RANGE<${field.rangeElementType?.type}>>` : `RANGE<${field.rangeElementType?.type}>`;
  let t = field.type === 'RECORD' ? `STRUCT<${(field.fields ?? []).map((f) => `${f.name} ${standardTypeName(f)}`).join(', ')}>` : (base[field.type] ?? field.type);
  if (field.mode === 'REPEATED') t = `ARRAY<${t}>`;
  return t;
}

export interface EncodeOptions {
  int64Timestamp?: boolean;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function fraction(micros: bigint): string {
  const f = Number(((micros % 1_000_000n) + 1_000_000n) % 1_000_000n);
  return f ? '.' + String(f).padStart(6, '0').replace(/0+$/, '') : '';
}

function formatDateFromDays(days: number): string {
  const d = new Date(days * 86_400_000);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function formatDateTimeMicros(micros: bigint, sep = 'T'): string {
  // Milliseconds by integer division: Number(micros) rounds past 2^53 µs (year 2255), so 9999-12-31 23:59:59.999999
  // came out as 10000-01-01.
  const floorMillis = (micros - (((micros % 1000n) + 1000n) % 1000n)) / 1000n;
  const d = new Date(Number(floorMillis));
  return `${formatDateFromDays(Math.floor(d.getTime() / 86_400_000))}${sep}${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${fraction(micros)}`;
}

function formatTimeMicros(micros: bigint): string {
  const total = Number(micros / 1_000_000n);
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}${fraction(micros)}`;
}

function formatDecimal(value: bigint, scale: number): string {
  const neg = value < 0n;
  let s = (neg ? -value : value).toString().padStart(scale + 1, '0');
  if (scale > 0) s = `${s.slice(0, -scale)}.${s.slice(-scale)}`.replace(/\.?0+$/, '');
  return (neg ? '-' : '') + s;
}

function formatFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return String(n);
}

/** A DuckDB value as BigQuery's REST `v`. */
export function encodeValue(value: any, type: DuckDBType, opts: EncodeOptions = {}): any {
  // BigQuery has no NULL arrays: a NULL ARRAY column reads as [] (clients such as bq iterate it).
  if ((value === null || value === undefined) && (type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY)) return [];
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const inner = (type as any).valueType;
      return (value.items as any[]).map((v) => ({ v: encodeValue(v, inner, opts) }));
    }
    case DuckDBTypeId.STRUCT: {
      const t = type as any;
      if (rangeElementOf(type)) return encodeRange(value, type, (v, et) => encodeValue(v, et, opts));
      // DuckDB's client keys a STRUCT's values by field name: of fields sharing a name (a tuple DuckDB kept as a row,
      // its fields all named "") every one would read as the last.
      if (t.entryNames.indexOf('') !== t.entryNames.lastIndexOf('')) throw notSupported('A STRUCT value whose fields DuckDB left unnamed (a tuple in this place)');
      return { f: t.entryNames.map((n: string, k: number) => ({ v: encodeValue(value.entries[n], t.entryTypes[k], opts) })) };
    }
    case DuckDBTypeId.BOOLEAN:
      return value ? 'true' : 'false';
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return formatFloat(value);
    case DuckDBTypeId.DECIMAL:
      return formatDecimal(value.value, value.scale);
    case DuckDBTypeId.DATE:
      return formatDateFromDays(value.days);
    case DuckDBTypeId.TIME:
      return formatTimeMicros(value.micros);
    case DuckDBTypeId.TIMESTAMP:
      return formatDateTimeMicros(value.micros);
    case DuckDBTypeId.TIMESTAMP_S:
      return formatDateTimeMicros(BigInt(value.seconds) * 1_000_000n);
    case DuckDBTypeId.TIMESTAMP_MS:
      return formatDateTimeMicros(BigInt(value.millis) * 1000n);
    case DuckDBTypeId.TIMESTAMP_NS:
      return formatDateTimeMicros(BigInt(value.nanos) / 1000n);
    case DuckDBTypeId.TIMESTAMP_TZ: {
      const micros: bigint = value.micros;
      if (opts.int64Timestamp) return micros.toString();
      return formatFloat(Number(micros) / 1e6);
    }
    case DuckDBTypeId.BLOB:
      return Buffer.from(value.bytes).toString('base64');
    case DuckDBTypeId.INTERVAL:
      return formatInterval(value.months, value.days, BigInt(value.micros));
    default:
      return typeof value === 'bigint' ? value.toString() : String(value);
  }
}

/** A DuckDB value as a DuckDB literal of the same type (for script variables). */
export function duckLiteral(value: any, type: DuckDBType): string {
  if (value === null || value === undefined) return `CAST(NULL AS ${type.toString()})`;
  switch (type.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const inner = (type as any).valueType;
      return `CAST([${(value.items as any[]).map((v) => duckLiteral(v, inner)).join(', ')}] AS ${type.toString()})`;
    }
    case DuckDBTypeId.STRUCT: {
      const t = type as any;
      const entries = t.entryNames.map((n: string, k: number) => `${quote(n)}: ${duckLiteral(value.entries[n], t.entryTypes[k])}`);
      return `CAST({${entries.join(', ')}} AS ${type.toString()})`;
    }
    case DuckDBTypeId.BOOLEAN:
      return value ? 'TRUE' : 'FALSE';
    // ±infinity, an unbounded RANGE end (range-type.ts): the client's text for it is a date DuckDB cannot read back.
    case DuckDBTypeId.DATE:
      if (Math.abs(value.days) === 2147483647) return `CAST('${value.days < 0 ? '-' : ''}infinity' AS DATE)`;
      return `CAST(${quote(value.toString())} AS DATE)`;
    case DuckDBTypeId.BLOB:
      return `from_base64(${quote(Buffer.from(value.bytes).toString('base64'))})`;
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.FLOAT:
      return `CAST(${quote(formatFloat(value))} AS DOUBLE)`;
    default:
      return `CAST(${quote(value.toString())} AS ${type.toString()})`;
  }
}

/** BigQuery's canonical INTERVAL text: `[-]Y-M [-]D [-]H:M:S[.F]` (months, days and time parts keep their own signs). */
function formatInterval(months: number, days: number, micros: bigint): string {
  const ym = Math.abs(months);
  const negative = micros < 0n;
  let us = negative ? -micros : micros;
  const hours = us / 3_600_000_000n;
  us %= 3_600_000_000n;
  const minutes = us / 60_000_000n;
  us %= 60_000_000n;
  const fraction = (us % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  const time = `${negative ? '-' : ''}${hours}:${minutes}:${us / 1_000_000n}${fraction ? '.' + fraction : ''}`;
  return `${months < 0 ? '-' : ''}${Math.floor(ym / 12)}-${ym % 12} ${days} ${time}`;
}

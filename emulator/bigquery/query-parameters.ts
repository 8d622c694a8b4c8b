/** A REST query parameter (`parameterType`, `parameterValue`) as a DuckDB literal of its type, checked as BigQuery checks it. */
import { bigNumericTooWide, invalid } from './errors.ts';
import { beyondBigNumeric, beyondNumeric, decimalDigits } from './decimal-digits.ts';
import { quoteLiteral as quote } from './sql/quote.ts';
import { canonicalJson } from './native/json-canonical.ts';
import { rangeDuckType, scalarBqToDuck } from './types.ts';

export interface RestParamType {
  type: string;
  arrayType?: RestParamType;
  structTypes?: Array<{ name?: string; type: RestParamType }>;
  rangeElementType?: RestParamType;
}
export interface RestParamValue {
  value?: unknown;
  arrayValues?: RestParamValue[];
  structValues?: Record<string, RestParamValue>;
  rangeValue?: { start?: RestParamValue; end?: RestParamValue };
}

/** A REST query parameter as a DuckDB literal; rejects values that do not fit their type. */
export function restParamLiteral(type: RestParamType, value: RestParamValue | undefined, name: string): string {
  if (!type?.type) throw invalid(`Query parameter '${name}' has no type`);
  const t = type.type.toUpperCase();
  if (t === 'ARRAY') {
    if (!type.arrayType) throw invalid(`Query parameter '${name}': ARRAY needs arrayType`);
    const duckInner = restTypeToDuck(type.arrayType);
    const items = (value?.arrayValues ?? []).map((v, k) => restParamLiteral(type.arrayType!, v, `${name}[${k}]`));
    return `CAST([${items.join(', ')}] AS ${duckInner}[])`;
  }
  if (t === 'STRUCT') {
    const fields = type.structTypes ?? [];
    const parts = fields.map((f, k) => `${quote(f.name ?? `_field_${k + 1}`)}: ${restParamLiteral(f.type, value?.structValues?.[f.name ?? ''], `${name}.${f.name}`)}`);
    return `{${parts.join(', ')}}`;
  }
  if (t === 'RANGE') {
    const element = type.rangeElementType;
    const duckRange = rangeDuckType(element?.type ?? '');
    if (!value?.rangeValue) return `CAST(NULL AS ${duckRange})`;
    // Each end as a parameter of the element type (so checked as one); a missing, NULL or UNBOUNDED end (what
    // Google's Node.js client sends for an open end) is unbounded.
    const end = (v: RestParamValue | undefined, which: string) => restParamLiteral(element!, typeof v?.value === 'string' && v.value.toUpperCase() === 'UNBOUNDED' ? undefined : v, `${name}.${which}`);
    return `__gg_range(${end(value.rangeValue.start, 'start')}, ${end(value.rangeValue.end, 'end')})`;
  }
  const duck = restTypeToDuck(type);
  const raw = value?.value;
  if (raw === null || raw === undefined) return `CAST(NULL AS ${duck})`;
  const s = String(raw);
  const bad = () => invalid(`Query parameter '${name}' has value ${JSON.stringify(s)} which is not a valid ${t}`);
  switch (t) {
    case 'INT64':
    case 'INTEGER':
      if (!/^[+-]?\d+$/.test(s)) throw bad();
      break;
    case 'FLOAT64':
    case 'FLOAT':
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(Infinity|inf)$|^NaN$/i.test(s)) throw bad();
      break;
    case 'NUMERIC':
    case 'BIGNUMERIC': {
      // Never rounded: a NUMERIC past 9 fractional or 29 integer digits is not one; a BIGNUMERIC past the 18 and 20
      // digits the emulator keeps is refused. The cast reads the number without its exponent.
      const digits = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? decimalDigits(s) : undefined;
      if (!digits || (t === 'NUMERIC' && beyondNumeric(digits))) throw bad();
      if (t === 'BIGNUMERIC' && beyondBigNumeric(digits)) throw bigNumericTooWide(`The BIGNUMERIC value ${s} of query parameter '${name}'`);
      return `CAST(${quote(digits.plain)} AS ${duck})`;
    }
    case 'BOOL':
    case 'BOOLEAN':
      if (!/^(true|false)$/i.test(s)) throw bad();
      return s.toLowerCase() === 'true' ? 'TRUE' : 'FALSE';
    case 'DATE':
      if (!/^\d{4}-\d{1,2}-\d{1,2}$/.test(s)) throw bad();
      break;
    case 'BYTES':
      return `from_base64(${quote(s)})`;
    case 'JSON':
      // As BigQuery's JSON type holds the text (native/json-canonical.ts): members ordered by name, a repeated key's first.
      try {
        return `CAST(${quote(canonicalJson(s))} AS JSON)`;
      } catch {
        throw bad();
      }
    case 'TIMESTAMP':
      // A parameter's value is read as UTC when it names no zone, not in the job's time_zone (it is a value the client
      // sent, not SQL text; client libraries send an offset).
      if (!/(?:\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:[zZ]|[+-]\d{1,2}(?::?\d{2})?)|\s(?:UTC|[A-Za-z_]+\/[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)?))\s*$/.test(s)) return `timezone('UTC', CAST(${quote(s)} AS TIMESTAMP))`;
      break;
  }
  return `CAST(${quote(s)} AS ${duck})`;
}

function restTypeToDuck(type: RestParamType): string {
  const t = type.type.toUpperCase();
  if (t === 'ARRAY') return `${restTypeToDuck(type.arrayType!)}[]`;
  if (t === 'STRUCT') return `STRUCT(${(type.structTypes ?? []).map((f) => `"${f.name}" ${restTypeToDuck(f.type)}`).join(', ')})`;
  if (t === 'RANGE') return rangeDuckType(type.rangeElementType?.type ?? '');
  const duck = scalarBqToDuck[t];
  if (!duck) throw invalid(`Unsupported query parameter type: ${type.type}`);
  return duck;
}

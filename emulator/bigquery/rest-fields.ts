/**
 * REST schema fields as DuckDB column types, and JSON row values (insertAll, newline-delimited JSON loads) as DuckDB
 * literals of their field's type: shared by the tables routes and load jobs (its own module so that neither imports
 * the other: jobs.ts → load-job.ts → routes/tables.ts → jobs.ts was a cycle).
 */
import { quoteIdent } from './engine.ts';
import { bigNumericTooWide, invalid, invalidNumericText, notSupported } from './errors.ts';
import { beyondBigNumeric, beyondNumeric, decimalDigits } from './decimal-digits.ts';
import { quoteLiteral as q } from './sql/quote.ts';
import { canonicalJson } from './native/json-canonical.ts';
import { bigQueryTypeToDuck, rangeDuckType, type FieldSchema } from './types.ts';

const legacy: Record<string, string> = { INTEGER: 'INT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL', RECORD: 'STRUCT' };

/** A REST schema field as a DuckDB column type. */
export function fieldToDuck(f: FieldSchema): string {
  const t = (f.type ?? '').toUpperCase();
  if (f.defaultValueExpression !== undefined) throw notSupported(`The default value (defaultValueExpression) of field ${f.name}`);
  // A REST field's type parameters (maxLength, precision, scale) are not kept: refused, not silently dropped.
  const params = (['maxLength', 'precision', 'scale'] as const).filter((k) => (f as unknown as Record<string, unknown>)[k] !== undefined);
  if (params.length) throw notSupported(`The type parameters (${params.join(', ')}) of field ${f.name}`);
  let duck: string;
  if (t === 'RECORD' || t === 'STRUCT') {
    if (!f.fields?.length) throw invalid(`Field ${f.name} is type RECORD but has no schema`);
    duck = `STRUCT(${f.fields.map((s) => `${quoteIdent(s.name)} ${fieldToDuck(s)}`).join(', ')})`;
  } else if (t === 'RANGE') {
    duck = rangeDuckType(f.rangeElementType?.type ?? '');
  } else {
    duck = bigQueryTypeToDuck(legacy[t] ?? t);
  }
  return f.mode === 'REPEATED' ? `${duck}[]` : duck;
}

/** A JSON row value (insertAll) as a DuckDB literal of the field's type. */
export function jsonLiteral(f: FieldSchema, v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (f.mode === 'REPEATED') {
    if (!Array.isArray(v)) throw invalid(`Field ${f.name}: expected an array`);
    return `[${v.map((x) => jsonLiteral({ ...f, mode: 'NULLABLE' }, x)).join(', ')}]::${fieldToDuck(f)}`;
  }
  const t = legacy[f.type.toUpperCase()] ?? f.type.toUpperCase();
  if (t === 'RANGE') throw notSupported(`A RANGE value streamed or loaded as JSON (field ${f.name})`);
  if (t === 'STRUCT') {
    if (typeof v !== 'object') throw invalid(`Field ${f.name}: expected an object`);
    return `{${(f.fields ?? []).map((s) => `${q(s.name)}: ${jsonLiteral(s, (v as any)[s.name])}`).join(', ')}}`;
  }
  if (t === 'BOOL') return v === true || v === 'true' ? 'TRUE' : v === false || v === 'false' ? 'FALSE' : bad(f, v);
  if (t === 'INT64' && !/^[+-]?\d+$/.test(String(v))) return bad(f, v);
  if (t === 'FLOAT64' && !Number.isFinite(Number(v)) && !/^(NaN|-?Infinity)$/.test(String(v))) return bad(f, v);
  if (t === 'NUMERIC' || t === 'BIGNUMERIC') return decimalLiteral(f, t, String(v));
  if (t === 'BYTES') return `from_base64(${q(String(v))})`;
  if (t === 'JSON') return `${q(storedJson(f, typeof v === 'string' ? v : JSON.stringify(v)))}::JSON`;
  if (t === 'TIMESTAMP' && typeof v === 'number') return `to_timestamp(${v})`;
  return `CAST(${q(String(v))} AS ${fieldToDuck(f)})`;
}

/**
 * A NUMERIC value needing more than 9 fractional or 29 integer digits is invalid input to BigQuery ("Invalid NUMERIC
 * value: -0.8534597960201471"), not rounded as DuckDB's cast would; a BIGNUMERIC one past the 18 fractional digits
 * the emulator keeps (BigQuery: 38) is refused. The cast reads the number without its exponent.
 */
function decimalLiteral(f: FieldSchema, t: 'NUMERIC' | 'BIGNUMERIC', text: string): string {
  if (/^(NaN|-?Infinity)$/.test(text)) return bad(f, text);
  const digits = decimalDigits(text);
  if (!digits) return bad(f, text);
  if (t === 'NUMERIC' && beyondNumeric(digits)) throw invalid(invalidNumericText(text, f.name));
  if (t === 'BIGNUMERIC' && beyondBigNumeric(digits)) throw bigNumericTooWide(`The BIGNUMERIC value ${text} of field ${f.name}`);
  return `CAST(${q(digits.plain)} AS ${fieldToDuck(f)})`;
}

/** JSON text as BigQuery's JSON type holds it (members ordered by name, the first of a repeated key): native/json-canonical.ts. */
function storedJson(f: FieldSchema, text: string): string {
  try {
    return canonicalJson(text);
  } catch {
    return bad(f, text);
  }
}

function bad(f: FieldSchema, v: unknown): never {
  throw invalid(`Cannot convert value ${JSON.stringify(v)} to ${f.type} for field ${f.name}`);
}

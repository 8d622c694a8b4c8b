/**
 * CASTs whose DuckDB translation would silently differ from BigQuery: `CAST(x AS T FORMAT f)` (polyglot drops the
 * FORMAT clause) and parameterized types (`STRING(L)`, `BYTES(L)`, `NUMERIC(P[, S])`, `BIGNUMERIC(P[, S])`), whose
 * limits DuckDB would not check. https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_functions#cast
 * and https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#parameterized_data_types
 */
import { bigNumericTooWide, notSupported } from '../errors.ts';
import { castTypeName, expressionTemplate, fn, isFloatLiteral, isNullLiteral, numLit, strLit, stringValue, substitute, type Node } from './ast-build.ts';
import { arithmeticCall } from './fix-arithmetic.ts';
import { beyondBigNumeric, beyondNumeric, decimalDigits } from '../decimal-digits.ts';
import { holdsRange, topLevelRangeElement } from '../range-type.ts';
import { formatDatetime, isDatetimeFormat, literalFormat, nullOf, parseDatetime } from './cast-format-datetime.ts';
import { BYTES_FORMATS } from './macros-encodings.ts';

/**
 * CAST and SAFE_CAST to the types whose DuckDB cast differs; undefined keeps polyglot's translation. A RANGE operand
 * (../range-type.ts, a DuckDB STRUCT) is refused where DuckDB would cast the STRUCT without an error: to STRING, JSON,
 * a STRUCT or an ARRAY. `nested` translates a cast to a STRUCT or ARRAY type (ast-fixes.ts).
 */
export function fixCast(safe: boolean, body: Node, walk: (n: Node) => Node, nested: () => Node): Node | undefined {
  const t = castTypeName(body.to);
  // A FLOAT64 literal cast to NUMERIC/BIGNUMERIC is read as a NUMERIC literal: its exact digits, not the nearest double.
  const exact = /^(DECIMAL|NUMERIC|BIGNUMERIC|BIGDECIMAL)/.test(t) ? exactDecimalLiteral(body.this) : undefined;
  // RANGE values (../range-type.ts) are DuckDB STRUCTs: a CAST to another type would write or convert the STRUCT, and
  // one to RANGE from a STRING would fail as DuckDB's struct parser does (or be NULL under SAFE_CAST).
  const rangeTarget = topLevelRangeElement(body.to);
  const x = () => exact ?? walk(body.this);
  if (body.format) return castWithFormat(safe, body, x(), body.format, walk);
  if (hasNestedParameters(body.to)) throw notSupported('A parameterized type inside ARRAY or STRUCT (e.g. ARRAY<STRING(10)>)');
  const plainCast = (plain: string) => {
    const to = { data_type: 'custom', name: plain };
    return fixCast(safe, { ...body, to }, walk, nested) ?? { [safe ? 'safe_cast' : 'cast']: { ...body, this: x(), to } };
  };
  const parameterized = parameterizedCast(safe, body.to, plainCast);
  if (parameterized) return parameterized;
  if (t === 'INT64' || t === 'BIGINT' || t === 'INT' || t === 'INTEGER') return fn(safe ? '__gg_safe_int64' : '__gg_to_int64', [x()]);
  if (t === 'TIMESTAMP') return fn(safe ? '__gg_safe_ts' : '__gg_ts', [x()]);
  // STRING to BOOL reads 'true' and 'false' in any case only (DuckDB also read 'yes', 't', '1'...).
  if (t === 'BOOL' || t === 'BOOLEAN') return fn('__gg_to_bool', [x(), { boolean: { value: safe } }]);
  if (t === 'DATE') return fn(safe ? '__gg_safe_to_date' : '__gg_to_date', [x()]);
  if (t === 'DATETIME') return fn(safe ? '__gg_safe_to_datetime' : '__gg_to_datetime', [x()]);
  if (t === 'TIME') return fn(safe ? '__gg_safe_to_time' : '__gg_to_time', [x()]);
  // STRING → BYTES is the UTF-8 encoding (DuckDB's cast reads \x escapes and rejects non-ASCII text).
  if (t === 'BYTES') return fn('__gg_to_bytes', [x()]);
  if (t === 'INTERVAL') return fn('__gg_to_interval', [x(), { boolean: { value: safe } }]);
  if (t === 'STRING' || t === 'VARCHAR' || t === 'TEXT') return arithmeticCall(safe ? '__gg_safe_to_string' : '__gg_to_string', [x()]);
  if (t === 'STRUCT' && !rangeTarget && !holdsRange(body.to) && Array.isArray(body.to?.fields) && body.to.fields.length > 0 && !isNullLiteral(body.this)) {
    return positionalStructCast(safe, body, fn('__gg_not_range', [x(), strLit(RANGE_CAST)]), walk);
  }
  const element = body.to?.data_type === 'array' ? body.to.element_type : undefined;
  // Not an array literal (`ARRAY<STRUCT<x T>>[(1), ...]`, nestedCast names its rows): UNNEST reads its fields as columns.
  if (!safe && element?.data_type === 'struct' && element.fields?.length > 0 && !holdsRange(body.to) && !isNullLiteral(body.this) && !body.this?.array) {
    return fn('__gg_null_if_null', [walk(positionalStructArrayCast(body.this, element)), fn('__gg_not_range', [x(), strLit(RANGE_CAST)])]);
  }
  if (t === 'STRUCT' || t === 'ARRAY') {
    const cast = nested();
    const kind = safe ? 'safe_cast' : 'cast';
    if (rangeTarget) return { [kind]: { ...cast[kind], this: fn('__gg_range_cast_source', [cast[kind].this, { [kind]: { ...cast[kind], this: { null: null } } }]) } };
    if (holdsRange(body.to)) return cast;
    const guarded = { [kind]: { ...cast[kind], this: fn('__gg_not_range', [cast[kind].this, strLit(RANGE_CAST)]) } };
    // To an ARRAY of a scalar type, from another array type: an invalid cast (__gg_array_cast_checked).
    const elementName = element && !isNullLiteral(body.this) && !body.this?.array ? bigQueryScalarName(castTypeName(element)) : undefined;
    return elementName ? fn('__gg_array_cast_checked', [guarded, x(), strLit(elementName)]) : guarded;
  }
  // NUMERIC is DECIMAL(38,9) and BIGNUMERIC DECIMAL(38,18) here (see types.ts); polyglot's bare
  // DECIMAL would become DuckDB's DECIMAL(18,3) and silently drop digits.
  const big = t === 'BIGNUMERIC' || t === 'BIGDECIMAL';
  if (big || t === 'DECIMAL' || t === 'NUMERIC') return plainDecimalLiteral(exact ?? body.this, big) ?? decimalCall(safe, big, x());
  if (t === 'JSON') return { [safe ? 'safe_cast' : 'cast']: { ...body, this: fn('__gg_not_range', [x(), strLit(RANGE_CAST)]) } };
  return undefined;
}

const RANGE_CAST = 'A CAST of a RANGE value to another type';

const SCALAR_NAMES: Record<string, string> = {
  INT: 'INT64',
  INTEGER: 'INT64',
  BIGINT: 'INT64',
  SMALLINT: 'INT64',
  TINYINT: 'INT64',
  BYTEINT: 'INT64',
  DECIMAL: 'NUMERIC',
  BIGDECIMAL: 'BIGNUMERIC',
  BOOLEAN: 'BOOL',
};
const SCALARS = new Set(['INT64', 'FLOAT64', 'NUMERIC', 'BIGNUMERIC', 'BOOL', 'STRING', 'BYTES', 'DATE', 'DATETIME', 'TIME', 'TIMESTAMP', 'JSON', 'INTERVAL']);
/** The BigQuery name (as __gg_typeof writes it) of a scalar type named in a CAST, undefined for another type. */
function bigQueryScalarName(name: string): string | undefined {
  const canonical = SCALAR_NAMES[name] ?? name;
  return SCALARS.has(canonical) ? canonical : undefined;
}

const FIELD = '__gg_struct_field';

/**
 * CAST(s AS STRUCT<f1 T1, ...>) takes s's fields by position, as BigQuery does
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_functions: a STRUCT casts to a STRUCT with
 * the same number of fields whose types cast in order); DuckDB's cast matches fields by name (an error where no name
 * matches, and swapped values where the names are the same in another order). Each field is cast as the emulator
 * casts a value of that type; a STRUCT with another number of fields is an error; NULL stays NULL.
 */
/** CAST(a AS ARRAY<STRUCT<...>>): each element cast by position (positionalStructCast), in the array's order. */
function positionalStructArrayCast(source: Node, element: Node): Node {
  return expressionTemplate('ARRAY(SELECT CAST(__gg_e AS STRUCT<__gg_x INT64>) FROM UNNEST(__gg_src) AS __gg_e WITH OFFSET AS __gg_o ORDER BY __gg_o)', (n) => {
    if (n?.column?.name?.name === '__gg_src') return structuredClone(source);
    if (n?.data_type === 'struct' && n.fields?.[0]?.name === '__gg_x') return structuredClone(element);
    return undefined;
  });
}

function positionalStructCast(safe: boolean, body: Node, source: Node, walk: (n: Node) => Node): Node {
  const fields: Node[] = body.to.fields;
  const checked = fn('__gg_struct_of_width', [source, numLit(String(fields.length))]);
  const field = (i: number) => fn('struct_extract_at', [structuredClone(source), numLit(String(i + 1))]);
  const casts = fields.map((f, i) => {
    const placeholder = { column: { name: { name: FIELD, quoted: false, trailing_comments: [] }, table: null, join_mark: false, trailing_comments: [] } };
    const cast = walk({ [safe ? 'safe_cast' : 'cast']: { ...body, this: placeholder, to: f.data_type, format: null } });
    return substitute(cast, (n) => (n?.column?.name?.name === FIELD ? field(i) : undefined));
  });
  const packed = { struct: { fields: fields.map((f, i) => [f.name, casts[i]]) } };
  if (!safe) return fn('__gg_null_if_null', [packed, checked]);
  // SAFE_CAST: NULL where any field's cast fails (a NULL from a non-NULL field), not a STRUCT with that field NULL.
  const ok = casts.map((c, i) => fn('__gg_cast_ok', [structuredClone(c), field(i)])).reduce((a, b) => ({ and: { left: a, right: b, left_comments: [], operator_comments: [], trailing_comments: [] } }));
  return fn('__gg_null_if_null', [fn('__gg_null_unless', [packed, ok]), checked]);
}

const decimalCall = (safe: boolean, big: boolean, x: Node) => arithmeticCall(`__gg_${safe ? 'safe_' : ''}${big ? 'big' : ''}numeric`, [x]);

/**
 * A literal text within the type's digits, its point moved by any exponent: a plain cast of those digits, which is
 * exact. The macros' checks (for texts known only at run time) cost DuckDB milliseconds to fold for each copy of a
 * literal, and a macro repeats its argument: a NUMERIC window frame offset took 0.7 s to bind.
 */
function plainDecimalLiteral(n: Node, big: boolean): Node | undefined {
  const text = stringValue(n);
  // Only ASCII spaces around the number (ZetaSQL trims absl::ascii_isspace; JavaScript's \s also takes NBSP), and an
  // exponent short enough to move the point in a string: other texts go to the run-time macros.
  if (text === undefined || /[^ -~\t\n\v\f\r]/.test(text) || /[eE][+-]?\d{4,}/.test(text)) return undefined;
  const digits = decimalDigits(text);
  if (!digits || (big ? beyondBigNumeric(digits) : beyondNumeric(digits))) return undefined;
  return fn(big ? '__gg_plain_bignumeric' : '__gg_plain_numeric', [strLit(digits.plain)]);
}

/** A float literal cast to a decimal type as its text, without its exponent (DuckDB rounds 5e-11 up to 1e-9). */
function exactDecimalLiteral(n: Node): Node | undefined {
  const plain = (text: string) => strLit(decimalDigits(text)?.plain ?? text);
  if (isFloatLiteral(n)) return plain(n.literal.value);
  if (isFloatLiteral(n?.neg?.this)) return plain(`-${n.neg.this.literal.value}`);
  return undefined;
}

/**
 * `CAST(x AS T FORMAT f [AT TIME ZONE z])` (polyglot reads `f AT TIME ZONE z` as one expression): BYTES ↔ STRING
 * through the encodings, a date or time ↔ STRING for a literal f (cast-format-datetime.ts); a NULL f or z gives NULL.
 * A value of another type, or a date or time format that is not a literal, is refused.
 */
function castWithFormat(safe: boolean, body: Node, value: Node, format: Node, walk: (n: Node) => Node): Node {
  const t = castTypeName(body.to);
  const safeArg = { boolean: { value: safe } };
  const at = format?.at_time_zone;
  const text = literalFormat(at ? at.this : format);
  const zone = at ? walk(at.zone) : undefined;
  const nullIfNoZone = (n: Node) => (zone ? fn('__gg_null_if_null', [n, zone]) : n);
  if (text === null) return nullOf(t);
  const walked = walk(at ? at.this : format);
  if (t === 'BYTES') return nullIfNoZone(fn('__gg_cast_bytes_format', [value, walked, safeArg]));
  if (t === 'STRING') {
    if (text === undefined || BYTES_FORMATS.includes(text.toLowerCase())) return nullIfNoZone(fn('__gg_cast_string_format', [value, walked, safeArg]));
    // A format no date or time element reads may be a number's (format_numeric_type_as_string): refused at run time.
    if (!isDatetimeFormat(text)) return nullIfNoZone(fn('__gg_cast_string_format', [value, walked, safeArg]));
    return fn('__gg_string_or_datetime_format', [value, walked, safeArg, formatDatetime(structuredClone(value), text, zone)]);
  }
  if (text !== undefined && ['DATE', 'DATETIME', 'TIME', 'TIMESTAMP'].includes(t)) return nullIfNoZone(parseDatetime(t, value, text, zone, safe));
  throw notSupported(`CAST(... AS ${t} FORMAT ${text === undefined ? '<an expression>' : '...'})`);
}

const PARAMETERIZED = /^(STRING|BYTES|NUMERIC|DECIMAL|BIGNUMERIC|BIGDECIMAL)\((\d+)(?:,\s*(\d+))?\)$/;

/** The parameters of a parameterized scalar type, or undefined for a plain type. */
function parameters(to: Node): { base: string; p: number; s?: number } | undefined {
  if (to?.data_type === 'string' && typeof to.length === 'number') return { base: 'STRING', p: to.length };
  if (to?.data_type === 'decimal' && typeof to.precision === 'number') return { base: 'NUMERIC', p: to.precision, s: typeof to.scale === 'number' ? to.scale : undefined };
  const m = to?.data_type === 'custom' ? PARAMETERIZED.exec(String(to.name).toUpperCase()) : null;
  if (!m) return undefined;
  const base = m[1] === 'DECIMAL' ? 'NUMERIC' : m[1] === 'BIGDECIMAL' ? 'BIGNUMERIC' : m[1];
  return { base, p: Number(m[2]), s: m[3] === undefined ? undefined : Number(m[3]) };
}

/** Whether an ARRAY or STRUCT type has a parameterized type inside (the local emulator does not check those). */
function hasNestedParameters(to: Node): boolean {
  let found = false;
  substitute(to, (n) => {
    if (n !== to && n?.data_type && parameters(n)) found = true;
    return undefined;
  });
  return found;
}

/**
 * `CAST(x AS STRING(L))` and friends: the plain cast, then BigQuery's limit check (an error, or NULL for SAFE_CAST).
 * Returns undefined for a plain type.
 */
function parameterizedCast(safe: boolean, to: Node, cast: (plainType: string) => Node): Node | undefined {
  const p = parameters(to);
  if (!p) return undefined;
  const scale = p.s ?? 0;
  const label = `${p.base}(${p.p}${p.s === undefined ? '' : `, ${p.s}`})`;
  // NUMERIC is DECIMAL(38, 9) here and BIGNUMERIC DECIMAL(38, 18): 29 and 20 integer digits.
  if (p.base === 'BIGNUMERIC' && beyondBigNumeric({ whole: p.p - scale, fraction: scale })) throw bigNumericTooWide(label);
  const guard = (name: string, args: Node[]) => (safe ? fn('try', [fn(name, args)]) : fn(name, args));
  if (p.base === 'STRING' || p.base === 'BYTES') return guard(p.base === 'STRING' ? '__gg_check_length' : '__gg_check_bytes_length', [cast(p.base), numLit(String(p.p)), strLit(label)]);
  // Under SAFE_CAST a value that rounding takes past the DECIMAL is NULL, as BigQuery's is (out of range).
  const decimal = `__gg_${safe ? 'safe_' : ''}${p.base === 'NUMERIC' ? 'numeric' : 'bignumeric'}`;
  const max = (p.p > scale ? '9'.repeat(p.p - scale) : '0') + (scale ? '.' + '9'.repeat(scale) : '');
  const rounded = arithmeticCall(decimal, [fn('round', [cast(p.base), numLit(String(scale))])]);
  // No TRY around a SAFE_CAST here: the safe cast already gives NULL where BigQuery does, and TRY would turn the
  // emulator's refusals (a BIGNUMERIC it cannot hold) into NULL.
  if (safe) return fn('__gg_safe_check_decimal', [rounded, fn(decimal, [strLit(max)])]);
  return fn('__gg_check_decimal', [rounded, fn(decimal, [strLit(max)]), strLit(`${label} has precision ${p.p} and scale ${scale} but got a value that is not in range of [-${max}, ${max}]`)]);
}

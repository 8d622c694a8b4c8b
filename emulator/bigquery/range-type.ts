/**
 * BigQuery's RANGE<DATE | DATETIME | TIMESTAMP> (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#range_type)
 * as a DuckDB STRUCT of two fields only the emulator names, an unbounded end being DuckDB's ±infinity of the element
 * type. The sentinels make DuckDB's own struct comparison BigQuery's range order (by start, an unbounded start first,
 * then by end, an unbounded end last), and its equality, grouping and DISTINCT BigQuery's.
 *
 * Supported: the type (CAST, DDL, REST schemas and query parameters), literals, RANGE, RANGE_START, RANGE_END,
 * RANGE_OVERLAPS, RANGE_INTERSECT, comparison, ordering, grouping, MIN/MAX and the functions that pass values through.
 * Refused: a range as text (CAST to STRING, FORMAT), RANGE_CONTAINS, RANGE_SESSIONIZE, GENERATE_RANGE_ARRAY,
 * and range values streamed or loaded as JSON.
 */
import type { DuckDBType } from '@duckdb/node-api';
import { invalidQuery } from './errors.ts';

const RANGE_START = '__gg_range_start';
const RANGE_END = '__gg_range_end';

export type RangeElement = 'DATE' | 'DATETIME' | 'TIMESTAMP';
const ELEMENTS = new Set<string>(['DATE', 'DATETIME', 'TIMESTAMP']);

export function isRangeElement(name: string): name is RangeElement {
  return ELEMENTS.has(name);
}

/** The DuckDB STRUCT of a range whose element is the DuckDB type `duckElement` (types.ts maps the element). */
export function rangeStruct(duckElement: string): string {
  return `STRUCT("${RANGE_START}" ${duckElement}, "${RANGE_END}" ${duckElement})`;
}

/** What DuckDB's typeof() of a range matches (a LIKE pattern), for SQL that must tell a range from other STRUCTs. */
export const RANGE_TYPEOF_PATTERN = `STRUCT(${RANGE_START} %`;

/** Whether a result column is a range's part, spread out of its STRUCT (sql/unnest-value-tables.ts). */
export const isRangePartName = (name: string): boolean => name === RANGE_START || name === RANGE_END;

/** Whether a DuckDB STRUCT's fields are a range's. */
export function isRangeStruct(entryNames: readonly string[]): boolean {
  return entryNames.length === 2 && entryNames[0] === RANGE_START && entryNames[1] === RANGE_END;
}

/** Whether a type in the SQL (an AST node or its text) holds a RANGE (range-syntax.ts rewrote it as our STRUCT). */
export function holdsRange(typeNode: unknown): boolean {
  return JSON.stringify(typeNode ?? null).includes(RANGE_START);
}

/** The element of a CAST's target type node that is itself a RANGE (not one in an ARRAY or STRUCT), else undefined. */
export function topLevelRangeElement(typeNode: unknown): RangeElement | undefined {
  const t = typeNode as { data_type?: string; fields?: Array<{ name?: string; data_type?: { data_type?: string } }> } | null;
  if (t?.data_type !== 'struct' || t.fields?.[0]?.name !== RANGE_START) return undefined;
  const element = String(t.fields[0].data_type?.data_type ?? '').toUpperCase();
  return isRangeElement(element) ? element : undefined;
}

/** The same type in BigQuery's spelling, which the SQL text carries until polyglot turns it into DuckDB's. */
export function rangeStructType(element: RangeElement): string {
  return `STRUCT<${RANGE_START} ${element}, ${RANGE_END} ${element}>`;
}

/** Whether a DuckDB value of an element is the sentinel of an unbounded end (DuckDB's ±infinity). */
function unbounded(value: unknown): boolean {
  const v = value as { days?: number; micros?: bigint } | null;
  if (!v) return true;
  if (typeof v.days === 'number') return v.days === 2147483647 || v.days === -2147483647;
  if (typeof v.micros === 'bigint') return v.micros === 9223372036854775807n || v.micros === -9223372036854775807n;
  return false;
}

/** The REST text of a range value: `[start, end)`, each element as the REST API writes that type, or UNBOUNDED. */
export function encodeRange(value: { entries: Record<string, unknown> }, type: DuckDBType, encodeElement: (v: unknown, t: DuckDBType) => string): string {
  const t = type as unknown as { entryTypes: DuckDBType[] };
  const part = (v: unknown) => (unbounded(v) ? 'UNBOUNDED' : encodeElement(v, t.entryTypes[0]));
  return `[${part(value.entries[RANGE_START])}, ${part(value.entries[RANGE_END])})`;
}

const DATE_TEXT = /^\d{4}-\d{1,2}-\d{1,2}$/;
const DATETIME_TEXT = /^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d{1,6})?)?)?$/;
const TIMESTAMP_TEXT = /^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d{1,6})?)?)?(?:\s*(?:[zZ]|[+-]\d{1,2}(?::?\d{2})?|\s?UTC|\s[A-Za-z_]+\/[A-Za-z0-9_+-]+))?$/;
const ELEMENT_TEXT: Record<RangeElement, RegExp> = { DATE: DATE_TEXT, DATETIME: DATETIME_TEXT, TIMESTAMP: TIMESTAMP_TEXT };

/**
 * `RANGE<element> '[start, end)'` as BigQuery SQL the emulator translates: its constructor over two literals of the
 * element type (https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical#range_literals). UNBOUNDED or
 * NULL leaves an end open; the constructor refuses a start that is not before the end.
 */
export function rangeLiteralSql(element: RangeElement, body: string): string {
  const m = /^\[([^,]*), ([^,]*)\)$/.exec(body);
  if (!m) throw invalidQuery(`Invalid RANGE<${element}> literal '${body}': expected '[lower_bound, upper_bound)', with a single space after the comma`);
  const bound = (text: string) => {
    if (/^(UNBOUNDED|NULL)$/i.test(text)) return `CAST(NULL AS ${element})`;
    if (!ELEMENT_TEXT[element].test(text)) throw invalidQuery(`Invalid RANGE<${element}> literal '${body}': '${text}' is not a ${element} value`);
    return `${element} '${text}'`;
  };
  return `__gg_range(${bound(m[1])}, ${bound(m[2])})`;
}

/**
 * The CASE branch by which a macro writing `v` as text (CAST to STRING, FORMAT) refuses a range in it, which
 * it would otherwise write as the STRUCT. Its message is split, as __gg_not_range's is.
 */
export const rangeAsTextRefusal = (v: string): string =>
  `WHEN contains(typeof(${v}), '${RANGE_START}') THEN __gg_refuse_text('A RANGE value as text (CAST to STRING, FORMAT) is not supported by the local ' || 'emulator')`;

/** The macros over the representation: the constructor, the accessors, and the guards where it must not be handed on. */
export const rangeMacros = [
  // RANGE(lower, upper): NULL leaves an end unbounded; BigQuery refuses lower >= upper. The sentinel takes its type
  // from the other end where this one is an untyped NULL (RANGE(NULL, DATE '2022-12-31')).
  // The error is raised in an inner CASE (a failing cast, not DuckDB's volatile error(), which SAFE.'s TRY refuses);
  // the outer one keeps the STRUCT's type.
  `CREATE OR REPLACE MACRO __gg_range(s, e) AS CASE WHEN (CASE WHEN typeof(s) <> typeof(e) AND typeof(s) <> '"NULL"' AND typeof(e) <> '"NULL"' THEN __gg_raise('RANGE bounds must be of the same type')
       WHEN s >= e THEN __gg_raise('RANGE lower bound must be less than the upper bound') END) IS NOT NULL THEN NULL
     ELSE {'${RANGE_START}': coalesce(s, least(coalesce(s, e), '-infinity')), '${RANGE_END}': coalesce(e, greatest(coalesce(e, s), 'infinity'))} END`,
  // Half-open ranges overlap when each starts before the other ends; NULL if either is NULL.
  `CREATE OR REPLACE MACRO __gg_range_overlaps(a, b) AS a.${RANGE_START} < b.${RANGE_END} AND b.${RANGE_START} < a.${RANGE_END}`,
  `CREATE OR REPLACE MACRO __gg_range_intersect(a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN (CASE WHEN NOT __gg_range_overlaps(a, b) THEN __gg_raise('RANGE_INTERSECT of ranges that do not overlap') END) IS NOT NULL THEN NULL
     ELSE {'${RANGE_START}': greatest(a.${RANGE_START}, b.${RANGE_START}), '${RANGE_END}': least(a.${RANGE_END}, b.${RANGE_END})} END`,
  // x itself, after refusing a range in it where the emulator would hand DuckDB's STRUCT on (a CAST to another type,
  // JSON). The raise sits in a CASE, which DuckDB evaluates only for the rows it selects (an AND evaluates both sides
  // of a projection, in a lambda for one). The message is split so that a DuckDB error quoting the expanded macro (a
  // binder error elsewhere in the expression) does not read as this refusal.
  `CREATE OR REPLACE MACRO __gg_not_range(x, what) AS CASE WHEN (CASE WHEN contains(typeof(x), '${RANGE_START}') THEN __gg_refuse(what || ' is not supported by the local ' || 'emulator') END) IS NULL THEN x END`,
  // A CAST to RANGE<T> takes a RANGE<T> or a NULL; from a STRING (or another range type) it is refused. target is a
  // NULL of RANGE<T>.
  `CREATE OR REPLACE MACRO __gg_range_cast_source(x, target) AS CASE WHEN (CASE WHEN typeof(x) NOT IN (typeof(target), '"NULL"') THEN __gg_refuse('A CAST to RANGE from ' || typeof(x) || ' is not supported by the local ' || 'emulator') END) IS NULL THEN x END`,
  // Through a lambda: DuckDB types a field of a constant NULL STRUCT as NULL (RANGE_START(CAST(NULL AS RANGE<DATE>)) is a DATE).
  `CREATE OR REPLACE MACRO __gg_range_start(r) AS list_transform([r], lambda x: CASE WHEN isinf(x.${RANGE_START}) THEN NULL ELSE x.${RANGE_START} END)[1]`,
  `CREATE OR REPLACE MACRO __gg_range_end(r) AS list_transform([r], lambda x: CASE WHEN isinf(x.${RANGE_END}) THEN NULL ELSE x.${RANGE_END} END)[1]`,
];

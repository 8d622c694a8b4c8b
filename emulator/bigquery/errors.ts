/** An error with BigQuery's REST shape: HTTP code, reason and message. */
export class BigQueryError extends Error {
  constructor(
    readonly code: number,
    readonly reason: 'notFound' | 'duplicate' | 'invalidQuery' | 'invalid' | 'backendError' | 'stopped' | 'accessDenied' | 'notImplemented' | 'resourcesExceeded' | 'rateLimitExceeded',
    message: string,
    readonly location?: string,
  ) {
    super(message);
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        errors: [{ message: this.message, domain: 'global', reason: this.reason, ...(this.location ? { location: this.location, locationType: 'other' } : {}) }],
        status: statusFor(this.code),
      },
    };
  }
}

function statusFor(code: number): string {
  return { 400: 'INVALID_ARGUMENT', 404: 'NOT_FOUND', 409: 'ALREADY_EXISTS', 403: 'PERMISSION_DENIED', 501: 'UNIMPLEMENTED' }[code] ?? 'INTERNAL';
}

export const notFound = (what: string) => new BigQueryError(404, 'notFound', `Not found: ${what}`);
export const invalid = (message: string) => new BigQueryError(400, 'invalid', message);
export const invalidQuery = (message: string, location?: string) => new BigQueryError(400, 'invalidQuery', message, location);
/** What BigQuery does and the local emulator cannot: refused, never answered differently. */
export const notSupported = (what: string) => invalidQuery(`${what} is not supported by the local emulator`);

/** BIGNUMERIC is DuckDB DECIMAL(38,18) here: BigQuery's keeps 38 fractional digits and reaches 5.7896e38. */
export const BIGNUMERIC_DIGITS = { integer: 20, fraction: 18 } as const;
/** The refusal of a BIGNUMERIC value (`what` names it) that needs more digits than the emulator keeps: never rounded. */
export const bigNumericTooWideText = (what: string) =>
  `${what}, which needs more than the ${BIGNUMERIC_DIGITS.integer} integer and ${BIGNUMERIC_DIGITS.fraction} fractional digits the local emulator keeps (DuckDB DECIMAL(38,18)), is not supported by the local emulator`;
export const bigNumericTooWide = (what: string) => invalidQuery(bigNumericTooWideText(what));
/** BigQuery's rejection of NUMERIC input with more digits than NUMERIC holds (as a load reports it). */
export const invalidNumericText = (value: string, field: string) => `Invalid NUMERIC value: ${value} Field: ${field}; Value: ${value}`;

/**
 * DuckDB's own limits, met by SQL BigQuery accepts (each seen in Google's ZetaSQL compliance cases, whose expected
 * results say BigQuery answers them). SAFE. calls and SAFE_CAST are DuckDB TRY expressions here.
 */
const DUCKDB_LIMITS: Array<[RegExp, string]> = [
  [/aggregates are not allowed inside the TRY expression/, 'A SAFE. call over an aggregate'],
  [/TRY can not be used in combination with a scalar subquery/, 'A SAFE. call or SAFE_CAST over a scalar subquery'],
  // error() is volatile: a SAFE. call over a function whose error the emulator raises with it cannot be NULL here.
  [/TRY can not be used in combination with a volatile function/, 'A SAFE. call or SAFE_CAST over this expression (an error the local emulator raises in a way SAFE. cannot turn into NULL, or RAND())'],
  [/Combining QUALIFY with GROUP BY ALL is not supported/, 'QUALIFY with GROUP BY ALL'],
  [/Duplicate struct entry name/, 'A STRUCT with two fields of the same name'],
  [/Unimplemented type for cast \(TIMESTAMP WITH TIME ZONE -> TIME\)/, 'CAST of a TIMESTAMP to TIME'],
];

/** Turns a DuckDB error message into BigQuery's wording where we know it. */
export function fromDuckDb(e: unknown): BigQueryError {
  if (e instanceof BigQueryError) return e;
  const raw = e instanceof Error ? e.message : String(e);
  const first = raw.split('\n')[0];
  let m = /Table with name (\S+) does not exist/.exec(first);
  if (m) return notFound(`Table ${m[1].replace(/"/g, '')}`);
  m = /Catalog Error: Schema with name (\S+) does not exist/.exec(first);
  if (m) return notFound(`Dataset ${m[1].replace(/"/g, '')}`);
  // BigQuery's wording for errors DuckDB reports differently.
  if (/More than one row returned by a subquery used as an expression/.test(first)) return invalidQuery('Scalar subquery produced more than one element');
  // PARSE_DATE/DATETIME/TIMESTAMP read the text with '1970 ' put before it and '%Y ' before the format (a year the
  // format may not give); the message names the text as it was given.
  m = /Could not parse string "1970 ([\s\S]*)" according to format specifier "%Y ([\s\S]*)"/.exec(first);
  if (m) return invalidQuery(`Failed to parse input string "${m[1]}" with the format "${m[2]}"`);
  m = /Column name\/value mismatch for insert on \S+: expected (\d+) columns but (\d+) values were supplied/.exec(first);
  if (m) return invalidQuery(`Inserted row has wrong column count; Has ${m[2]}, expected ${m[1]}`);
  // A function the translation left to DuckDB, which has none of that name: BigQuery's "Function not found", unless
  // BigQuery has it and the emulator does not (approximate aggregates such as APPROX_TOP_SUM, say).
  // DuckDB names a function of an extension it would have to load (NET.HOST reaches DuckDB's inet `host`) apart.
  m = /Catalog Error: (?:Scalar|Aggregate|Table) Function with name "?([^"\s!]+)"? (?:does not exist|is not in the catalog, but it exists in the \w+ extension)/.exec(first);
  if (m) return invalidQuery(`Function not found: ${m[1].replace(/^main\./, '')} (no such function, or a BigQuery function not supported by the local emulator)`);
  // `*` and `/` take their BigQuery result type from the operands' sum (macros-numeric.ts), which an INTERVAL value has
  // none of; INTERVAL literals are kept apart in the translation, INTERVAL columns and expressions cannot be.
  if (/Cannot mix values of type \w+ and INTERVAL in CASE expression|Cannot mix values of type INTERVAL and \w+ in CASE expression/.test(first))
    return notSupported('Multiplying, dividing or averaging (AVG) an INTERVAL value other than an INTERVAL literal');
  // BigQuery sums and averages INTERVAL values; DuckDB has no sum of them (AVG is SUM / COUNT here, fix-aggregates.ts).
  if (/No function matches the given name and argument types 'sum\(INTERVAL\)'/.test(first)) return notSupported('SUM or AVG of INTERVAL values');
  // A field of an ARRAY (or of a scalar): BigQuery's field access takes a STRUCT or JSON only, an array of structs needs
  // UNNEST. BigQuery's message names the value's type, which DuckDB's does not give; the wording does not blame the
  // query, as the emulator may hold a value BigQuery types JSON as a STRING (JSON_QUERY_ARRAY's elements).
  m = /Cannot extract field '([^']+)' from expression .* because it is not a struct, union, map, or json/.exec(first);
  if (m) return invalidQuery(`Cannot access field ${m[1]}: the local emulator holds the value as a type without fields (BigQuery's field access takes a STRUCT or JSON value; an ARRAY of STRUCTs needs UNNEST)`);
  // A CAST to a STRUCT takes the source's fields by position (fix-casts.ts): a source that is no STRUCT has none.
  m = /No function matches the given name and argument types 'struct_extract_at\((\w+)/.exec(first);
  if (m) return invalidQuery(`Invalid cast of a ${m[1] === 'VARCHAR' ? 'STRING' : 'value that is not a STRUCT'} to a STRUCT`);
  m = /Referenced column "?([^"\s]+)"? not found in FROM clause/.exec(first);
  if (m) return invalidQuery(`Unrecognized name: ${m[1]}`);
  // DuckDB's file access is switched off (file-access.ts): its file functions have no BigQuery counterpart.
  m = /^Permission Error: (.*)$/.exec(first);
  if (m) return invalidQuery(`Reading or writing files is not supported by the local emulator: ${m[1]}`);
  // An error raised by __gg_raise (macros-raise.ts), a cast that fails on purpose.
  m = /Could not convert string '__gg_error: (.*)' to/.exec(first);
  if (m) return invalidQuery(m[1]);
  // A refusal raised by __gg_refuse (macros-raise.ts): the message of the serialized error it hands json_deserialize_sql.
  // (The whole message: the refusal's text may hold a line break.)
  m = /^Parser Error: Error parsing json: __gg_refusal: ([\s\S]*)$/.exec(raw.trimEnd());
  if (m) return invalidQuery(m[1]);
  for (const [pattern, what] of DUCKDB_LIMITS) if (pattern.test(first)) return notSupported(what);
  // A date/time format element DuckDB's strptime/strftime lacks, which the translation passed on (PARSE_DATE's %C).
  m = /Unrecognized format for strftime\/strptime: (%\S*)/.exec(first);
  if (m) return notSupported(`The format element ${m[1]}`);
  // A number BigQuery's BIGNUMERIC holds (38 fractional digits, 5.7896e38) and DuckDB's DECIMAL(38,18) does not.
  m = /Could not convert string ["']([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)["'] to DECIMAL\(38,18\)/.exec(first);
  if (m) return bigNumericTooWide(`The BIGNUMERIC value ${m[1]}`);
  m = /^Not implemented Error: Unknown TimeZone '(.*)'!/.exec(first);
  if (m) return invalidQuery(`Invalid time zone: ${m[1]}`);
  // DuckDB's own "not implemented" (ROUND of a decimal to a column's number of digits, say).
  m = /^Not implemented Error: (.*)$/.exec(first);
  if (m) return invalidQuery(`This query is not supported by the local emulator (DuckDB: ${m[1]})`);
  m = /^Invalid Input Error: (.*)$/.exec(first);
  if (m) return invalidQuery(m[1]);
  if (/Conflict on|write-write conflict|Transaction conflict/i.test(first)) {
    return new BigQueryError(400, 'invalidQuery', `Transaction is aborted due to concurrent update: ${first}`);
  }
  return invalidQuery(first.replace(/^(Parser|Binder|Catalog|Conversion|Constraint|Out of Range) Error: /, '$1 error: '));
}

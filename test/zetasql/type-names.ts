/**
 * ZetaSQL's type names and BigQuery's REST names for them, in one place: the expected results and `[parameters=...]`
 * of the compliance files speak ZetaSQL (DOUBLE, BOOL), the REST API BigQuery's (FLOAT64, or the legacy FLOAT/BOOLEAN
 * in a schema).
 */
const PAIRS: Array<[zeta: string, rest: string, legacyRest?: string]> = [
  ['INT64', 'INT64', 'INTEGER'],
  ['DOUBLE', 'FLOAT64', 'FLOAT'],
  ['BOOL', 'BOOL', 'BOOLEAN'],
  ['STRING', 'STRING'],
  ['BYTES', 'BYTES'],
  ['NUMERIC', 'NUMERIC'],
  ['BIGNUMERIC', 'BIGNUMERIC'],
  ['DATE', 'DATE'],
  ['DATETIME', 'DATETIME'],
  ['TIME', 'TIME'],
  ['TIMESTAMP', 'TIMESTAMP'],
  ['JSON', 'JSON'],
  ['INTERVAL', 'INTERVAL'],
  ['GEOGRAPHY', 'GEOGRAPHY'],
  ['RANGE', 'RANGE'],
  ['STRUCT', 'STRUCT', 'RECORD'],
];

/** REST schema type (standard or legacy name) → ZetaSQL type name. */
export const zetaTypeOfRest: Record<string, string> = Object.fromEntries(PAIRS.flatMap(([z, r, legacy]) => [[r, z], ...(legacy ? [[legacy, z]] : [])]));

/** ZetaSQL (or BigQuery) scalar type name in SQL text → REST parameter type; no STRUCT (parameters here are scalars and arrays). */
export const restTypeOfZeta: Record<string, string> = Object.fromEntries(
  PAIRS.filter(([z]) => !['GEOGRAPHY', 'RANGE', 'STRUCT'].includes(z)).flatMap(([z, r]) => [
    [z, r],
    [r, r],
  ]),
);

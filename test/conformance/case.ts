/**
 * A conformance case: one BigQuery statement or script and the result BigQuery's documentation
 * gives for it. Values are written in a canonical form so cases read like the docs:
 * - INT64 / NUMERIC / BIGNUMERIC: decimal strings ("5", "-1.5")
 * - FLOAT64: JS numbers (compared with a 1e-9 relative tolerance); "NaN", "Infinity", "-Infinity" as strings
 * - BOOL: true / false;  STRING: string;  BYTES: base64 string
 * - DATE "2024-01-31"; DATETIME "2024-01-31T10:00:00" (fraction only if non-zero, up to 6 digits);
 *   TIME "10:00:00"; TIMESTAMP "2024-01-31T10:00:00Z" (UTC, fraction only if non-zero)
 * - ARRAY: JS array; STRUCT: object keyed by field name; NULL: null
 */
export type CanonicalValue = string | number | boolean | null | CanonicalValue[] | { [field: string]: CanonicalValue };

export interface ConformanceCase {
  /** Unique, descriptive: "<category>: <what>". */
  name: string;
  /** Where the expected result comes from (BigQuery documentation page and section). */
  source: string;
  /** Statements run first, each as its own job (tables are created in a fresh dataset named `conf`). */
  setup?: string[];
  /** The statement or script under test (BigQuery GoogleSQL). */
  sql: string;
  /** Run `sql` with `conf` as the job's default dataset (unqualified table names). */
  defaultDataset?: boolean;
  /**
   * Run `sql` as this many jobs at once (concurrency limits); an expected error must then be the error of at least
   * one of them.
   */
  concurrent?: number;
  /** Named query parameters, as the REST API's queryParameters (parameterType/parameterValue). */
  params?: Array<{ name?: string; parameterType: unknown; parameterValue: unknown }>;
  expect:
    | {
        /** Rows of the job's result (the last statement's result for a script). */
        rows: CanonicalValue[][];
        /** Compare in order (only when the SQL has a total ORDER BY); default false = as a multiset. */
        ordered?: boolean;
        /** Optional BigQuery column types, e.g. ["INT64", "STRING"]. */
        types?: string[];
        /** Optional column names. */
        columns?: string[];
        /** Optional numDmlAffectedRows of the job. */
        dmlAffectedRows?: number;
      }
    | {
        /** The job must fail with a message matching this (case-insensitive) regular expression source. */
        error: string;
      };
  /** What the emulator does differently on purpose (a known, documented difference) — rare. */
  note?: string;
}

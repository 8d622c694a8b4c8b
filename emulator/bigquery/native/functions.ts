/**
 * Functions written in JavaScript and registered with DuckDB (instance-wide), for what SQL macros cannot do: walk a
 * value of any depth by its type. DuckDB calls them a chunk of rows at a time, on Node's main thread.
 */
import { BIGINT, BLOB, DuckDBAnyType, DuckDBBlobValue, DuckDBScalarFunction, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { duckTypeTree } from './duck-type-text.ts';
import { jsonText, type JsonEncodingMode } from './json-encoding.ts';
import { farmFingerprint } from './farm-fingerprint.ts';

/**
 * `__gg_json_text(value, typeof(value), mode)`: BigQuery's JSON text of a value (json-encoding.ts); the type's
 * text comes from typeof() because DuckDB hands a JSON value over as a plain VARCHAR.
 */
const jsonTextFunction = () =>
  DuckDBScalarFunction.create({
    name: '__gg_json_text',
    mainFunction: (info, input, output) => {
      const [values, types, modes] = [0, 1, 2].map((k) => input.getColumnVector(k));
      try {
        for (let row = 0; row < input.rowCount; row++) {
          const mode = modes.getItem(row) as JsonEncodingMode;
          output.setItem(row, jsonText(values, row, duckTypeTree(String(types.getItem(row))), mode));
        }
        output.flush();
      } catch (e) {
        info.setError(e instanceof Error ? e.message : String(e));
      }
    },
    returnType: VARCHAR,
    parameterTypes: [DuckDBAnyType.instance, VARCHAR, VARCHAR],
    // A NULL value has a JSON text too ('null'), so DuckDB must not answer NULL for it.
    specialHandling: true,
  });

/** `__gg_farm_fingerprint_bytes(bytes)`: FARM_FINGERPRINT (farm-fingerprint.ts); a STRING goes in as its UTF-8 bytes. */
const farmFingerprintFunction = () =>
  DuckDBScalarFunction.create({
    name: '__gg_farm_fingerprint_bytes',
    mainFunction: (_info, input, output) => {
      const bytes = input.getColumnVector(0);
      for (let row = 0; row < input.rowCount; row++) {
        const value = bytes.getItem(row) as DuckDBBlobValue | null;
        output.setItem(row, value === null ? null : farmFingerprint(value.bytes));
      }
      output.flush();
    },
    returnType: BIGINT,
    parameterTypes: [BLOB],
  });

export function registerNativeFunctions(conn: DuckDBConnection): void {
  conn.registerScalarFunction(jsonTextFunction());
  conn.registerScalarFunction(farmFingerprintFunction());
}

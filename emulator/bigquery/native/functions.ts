/**
 * Functions written in JavaScript and registered with DuckDB (instance-wide), for what SQL macros cannot do: walk a
 * value of any depth by its type, hash bytes, format or parse text exactly. DuckDB calls them a chunk of rows at a
 * time, on Node's main thread.
 */
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  blobValue,
  DuckDBAnyType,
  DuckDBBlobValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBScalarFunction,
  LIST,
  listValue,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBVector,
} from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { duckTypeTree } from './duck-type-text.ts';
import { jsonText, type JsonEncodingMode } from './json-encoding.ts';
import { farmFingerprint } from './farm-fingerprint.ts';
import { formatDecimalF } from './format-decimal.ts';
import { canonicalJson } from './json-canonical.ts';
import { editJson, flatten, keys, stripNulls, type EditFunction } from './json-calls.ts';

interface RowFunction {
  name: string;
  parameterTypes: DuckDBType[];
  returnType: DuckDBType;
  /** One row's result from its argument vectors; an exception fails the query with its message. */
  row: (args: DuckDBVector[], row: number) => DuckDBValue;
  /** A NULL argument is handed over too; without this DuckDB answers NULL for it (each row function checks anyway). */
  handlesNulls?: boolean;
}

function scalarFunction(f: RowFunction): DuckDBScalarFunction {
  return DuckDBScalarFunction.create({
    name: f.name,
    mainFunction: (info, input, output) => {
      const args = f.parameterTypes.map((_, k) => input.getColumnVector(k));
      try {
        for (let row = 0; row < input.rowCount; row++) output.setItem(row, f.row(args, row));
        output.flush();
      } catch (e) {
        info.setError(e instanceof Error ? e.message : String(e));
      }
    },
    returnType: f.returnType,
    parameterTypes: f.parameterTypes,
    ...(f.handlesNulls ? { specialHandling: true } : {}),
  });
}

const FUNCTIONS: RowFunction[] = [
  // `__gg_json_text(value, typeof(value), mode)`: BigQuery's JSON text of a value (json-encoding.ts); the type's text
  // comes from typeof() because DuckDB hands a JSON value over as a plain VARCHAR. A NULL has a JSON text too.
  {
    name: '__gg_json_text',
    parameterTypes: [DuckDBAnyType.instance, VARCHAR, VARCHAR],
    returnType: VARCHAR,
    row: ([values, types, modes], row) => jsonText(values, row, duckTypeTree(String(types.getItem(row))), modes.getItem(row) as JsonEncodingMode),
    handlesNulls: true,
  },
  // `__gg_farm_fingerprint_bytes(bytes)`: FARM_FINGERPRINT (farm-fingerprint.ts); a STRING goes in as its UTF-8 bytes.
  {
    name: '__gg_farm_fingerprint_bytes',
    parameterTypes: [BLOB],
    returnType: BIGINT,
    row: ([bytes], row) => {
      const value = bytes.getItem(row) as DuckDBBlobValue | null;
      return value === null ? null : farmFingerprint(value.bytes);
    },
  },
  // `__gg_sha512_bytes(bytes)`: SHA512, which DuckDB lacks (it has MD5, SHA1 and SHA256); a STRING goes in as its UTF-8 bytes.
  {
    name: '__gg_sha512_bytes',
    parameterTypes: [BLOB],
    returnType: BLOB,
    row: ([bytes], row) => {
      const value = bytes.getItem(row) as DuckDBBlobValue | null;
      return value === null ? null : blobValue(createHash('sha512').update(value.bytes).digest());
    },
  },
  // `__gg_safe_convert_bytes_to_string(bytes)`: SAFE_CONVERT_BYTES_TO_STRING, each invalid UTF-8 sequence replaced by
  // U+FFFD (one per maximal invalid subpart, as ZetaSQL's cases expect and as Node's decoder does).
  {
    name: '__gg_safe_convert_bytes_to_string',
    parameterTypes: [BLOB],
    returnType: VARCHAR,
    row: ([bytes], row) => {
      const value = bytes.getItem(row) as DuckDBBlobValue | null;
      return value === null ? null : Buffer.from(value.bytes).toString('utf8');
    },
  },
  // `__gg_format_decimal_f(spec, value)`: FORMAT's %f of a NUMERIC or BIGNUMERIC (format-decimal.ts).
  {
    name: '__gg_format_decimal_f',
    parameterTypes: [VARCHAR, DuckDBAnyType.instance],
    returnType: VARCHAR,
    row: ([specs, values], row) => {
      const value = values.getItem(row);
      if (value === null) return null;
      if (!(value instanceof DuckDBDecimalValue)) throw new Error('__gg_format_decimal_f takes a DECIMAL');
      return formatDecimalF(String(specs.getItem(row)), value.value, value.scale);
    },
  },
  // `__gg_canonical_json(text)`: PARSE_JSON's and a JSON literal's value (json-canonical.ts).
  {
    name: '__gg_canonical_json',
    parameterTypes: [VARCHAR],
    returnType: VARCHAR,
    row: ([texts], row) => {
      const text = texts.getItem(row);
      return text === null ? null : canonicalJson(String(text));
    },
  },
  // `__gg_json_edit(fn, json, typeof(json), paths, values, value_is_array, option)`: JSON_SET, JSON_REMOVE,
  // JSON_ARRAY_INSERT, JSON_ARRAY_APPEND (json-calls.ts); values are TO_JSON's text, paired with paths by position.
  {
    name: '__gg_json_edit',
    parameterTypes: [VARCHAR, VARCHAR, VARCHAR, LIST(VARCHAR), LIST(VARCHAR), LIST(BOOLEAN), BOOLEAN],
    returnType: VARCHAR,
    row: ([fns, jsons, types, paths, values, arrays, options], row) =>
      editJson({
        fn: String(fns.getItem(row)) as EditFunction,
        json: text(jsons.getItem(row)),
        jsonType: String(types.getItem(row)),
        paths: items(paths.getItem(row)).map(text),
        values: items(values.getItem(row)).map(text),
        valueIsArray: items(arrays.getItem(row)).map((v) => (v === null ? null : Boolean(v))),
        option: flag(options.getItem(row)),
      }),
    handlesNulls: true,
  },
  // `__gg_json_strip_nulls(json, typeof(json), path, include_arrays, remove_empty)` (json-calls.ts).
  {
    name: '__gg_json_strip_nulls',
    parameterTypes: [VARCHAR, VARCHAR, VARCHAR, BOOLEAN, BOOLEAN],
    returnType: VARCHAR,
    row: ([jsons, types, paths, includes, removes], row) => stripNulls(text(jsons.getItem(row)), String(types.getItem(row)), text(paths.getItem(row)), flag(includes.getItem(row)), flag(removes.getItem(row))),
    handlesNulls: true,
  },
  // `__gg_json_keys(json, typeof(json), max_depth, mode)`: JSON_KEYS (json-calls.ts, json-keys.ts).
  {
    name: '__gg_json_keys',
    parameterTypes: [VARCHAR, VARCHAR, BIGINT, VARCHAR],
    returnType: LIST(VARCHAR),
    row: ([jsons, types, depths, modes], row) => {
      const depth = depths.getItem(row);
      const out = keys(text(jsons.getItem(row)), String(types.getItem(row)), depth === null ? null : BigInt(depth as bigint), text(modes.getItem(row)));
      return out === null ? null : listValue(out);
    },
    handlesNulls: true,
  },
  // `__gg_json_flatten(json, typeof(json))`: JSON_FLATTEN's elements as JSON text (json-keys.ts).
  {
    name: '__gg_json_flatten',
    parameterTypes: [VARCHAR, VARCHAR],
    returnType: LIST(VARCHAR),
    row: ([jsons, types], row) => {
      const out = flatten(text(jsons.getItem(row)), String(types.getItem(row)));
      return out === null ? null : listValue(out);
    },
    handlesNulls: true,
  },
];

const text = (v: DuckDBValue): string | null => (v === null ? null : String(v));
const flag = (v: DuckDBValue): boolean | null => (v === null ? null : Boolean(v));
const items = (v: DuckDBValue): readonly DuckDBValue[] => (v instanceof DuckDBListValue ? v.items : []);

export function registerNativeFunctions(conn: DuckDBConnection): void {
  for (const f of FUNCTIONS) conn.registerScalarFunction(scalarFunction(f));
}

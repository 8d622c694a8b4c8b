/** Rules BigQuery applies to a job's final result that DuckDB does not. */
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { invalidQuery, notSupported } from '../errors.ts';
import { isRangePartName } from '../range-type.ts';
import { duckTypeToField, standardTypeName } from '../types.ts';
import type { StatementResult } from '../session.ts';

/** An UNNEST without an alias spreads a RANGE element into its parts (sql/unnest-value-tables.ts): never a result's columns. */
export function assertNoSpreadRange(result: StatementResult): void {
  if (result.names.some(isRangePartName)) throw notSupported('SELECT * over an UNNEST of RANGE values without an alias, beside other FROM items,');
}

/** BigQuery cannot return an ARRAY holding NULL (arrays with NULLs exist only inside a query). */
export function assertNoNullArrayElements(result: StatementResult): void {
  result.types.forEach((type, k) => {
    if (!hasList(type)) return;
    for (const row of result.rows) {
      if (containsNullElement(row[k], type)) {
        throw invalidQuery(`Array cannot have a null element; error in writing field ${result.names[k]}`);
      }
    }
  });
}

function hasList(type: DuckDBType): boolean {
  if (isList(type)) return true;
  if (type.typeId === DuckDBTypeId.STRUCT) return (type as any).entryTypes.some(hasList);
  return false;
}

function containsNullElement(value: any, type: DuckDBType): boolean {
  if (value === null || value === undefined) return false;
  if (type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY) {
    const inner = (type as any).valueType as DuckDBType;
    return (value.items as any[]).some((v) => v === null || v === undefined || containsNullElement(v, inner));
  }
  if (type.typeId === DuckDBTypeId.STRUCT) {
    const t = type as any;
    return t.entryNames.some((n: string, k: number) => containsNullElement(value.entries[n], t.entryTypes[k]));
  }
  return false;
}

/**
 * BigQuery has no ARRAY of ARRAY ("Cannot construct array with element type ARRAY<INT64> because nested arrays are
 * not supported"); DuckDB has. A result holding one is refused: its schema cannot be written as BigQuery's.
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#array_type
 */
export function assertNoNestedArrays(result: StatementResult): void {
  for (const type of result.types) {
    const nested = nestedArrayElement(type);
    if (nested) throw invalidQuery(`Cannot construct array with element type ${standardTypeName(duckTypeToField('', nested))} because nested arrays are not supported`);
  }
}

const isList = (type: DuckDBType) => type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY;

function nestedArrayElement(type: DuckDBType): DuckDBType | undefined {
  if (isList(type)) {
    const inner = (type as any).valueType as DuckDBType;
    return isList(inner) ? inner : nestedArrayElement(inner);
  }
  if (type.typeId === DuckDBTypeId.STRUCT) {
    for (const entry of (type as any).entryTypes as DuckDBType[]) {
      const nested = nestedArrayElement(entry);
      if (nested) return nested;
    }
  }
  return undefined;
}

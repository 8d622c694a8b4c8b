/** Rules BigQuery applies to a job's final result that DuckDB does not. */
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { invalidQuery } from '../errors.ts';
import type { StatementResult } from '../session.ts';

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
  if (type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY) return true;
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

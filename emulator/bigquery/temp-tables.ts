/** The session's temporary tables (CREATE TEMP TABLE), which an unqualified name reads before the default dataset's. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from './sql/quote.ts';

/** Whether the connection holds a temporary table of that name. */
export async function isTempTable(conn: DuckDBConnection, name: string): Promise<boolean> {
  return (await conn.runAndReadAll(`SELECT 1 FROM duckdb_tables() WHERE temporary AND table_name = ${quoteLiteral(name)}`)).currentRowCount > 0;
}

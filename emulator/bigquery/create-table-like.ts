/** CREATE TABLE ... LIKE src AS query (data-definition-language#create_table_like): src's schema, the query's rows. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from './engine.ts';
import { invalidQuery } from './errors.ts';
import type { Session } from './session.ts';
import { duckTypeToField, standardTypeName } from './types.ts';

/**
 * The query of CREATE TABLE ... LIKE src AS query, translated, checked before anything is created: "the column list in
 * the query statement must match the columns of the table referenced by the LIKE clause" (the same names and types, in order).
 */
export async function likeTableQuery(conn: DuckDBConnection, session: Session, like: string, asQuery: string): Promise<string> {
  const query = session.translate(await session.resolveSetOperations(await session.applySystemTime(asQuery)));
  // Each column as BigQuery names and types it (DuckDB types SELECT 1 as a 32-bit INTEGER, BigQuery as INT64).
  const columns = async (sql: string) => {
    const prepared = await conn.prepare(sql);
    try {
      return Array.from({ length: prepared.columnCount }, (_, i) => [prepared.columnName(i).toLowerCase(), standardTypeName(duckTypeToField(prepared.columnName(i), prepared.columnType(i)))]);
    } finally {
      prepared.destroySync();
    }
  };
  const [tableColumns, queryColumns] = [await columns(`SELECT * FROM ${like}`), await columns(query)];
  // The same names and types, in order: a value is not converted on the way (1.5 into an INT64 column was rounded).
  if (JSON.stringify(tableColumns) !== JSON.stringify(queryColumns)) {
    const names = (cs: string[][]) => cs.map(([name]) => name).join(', ');
    throw invalidQuery(`The columns of the query (${names(queryColumns)}) must match the columns of the table in the LIKE clause (${names(tableColumns)}), their names and types in order`);
  }
  // The rows are read before the table is made: CREATE OR REPLACE TABLE t LIKE t AS SELECT ... FROM t read it emptied.
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${LIKE_ROWS} AS ${query}`);
  return `SELECT * FROM temp.${LIKE_ROWS}`;
}

/** The temporary table holding the query's rows while the table is made. */
export const LIKE_ROWS = quoteIdent('__gg_like_rows');

/**
 * The INFORMATION_SCHEMA views a statement reads (TABLES, COLUMNS), written as temporary tables on its connection from
 * the catalog. COLUMN_FIELD_PATHS (a row per nested field, with collation and policy columns) is refused: it was
 * answered with the COLUMNS rows and columns.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, type Engine } from './engine.ts';
import { invalidQuery } from './errors.ts';
import { quoteLiteral } from './sql/quote.ts';
import { standardTypeName } from './types.ts';

/** Writes each requested view (`dataset\u0000view`) as the temp table `__gg_is_<dataset>_<view>`. */
export async function prepareInfoSchema(engine: Engine, conn: DuckDBConnection, requests: Set<string>): Promise<void> {
  for (const req of requests) {
    const [ds, view] = req.split('\u0000');
    const name = quoteIdent(`__gg_is_${ds}_${view}`);
    const tables = await engine.listTables(ds);
    if (view === 'tables') {
      const rows = tables.map((t) => `(${quoteLiteral(engine.projectId)}, ${quoteLiteral(ds)}, ${quoteLiteral(t.tableId)}, ${quoteLiteral(t.type === 'VIEW' ? 'VIEW' : 'BASE TABLE')})`);
      await conn.run(`CREATE OR REPLACE TEMP TABLE ${name} (table_catalog VARCHAR, table_schema VARCHAR, table_name VARCHAR, table_type VARCHAR)`);
      if (rows.length) await conn.run(`INSERT INTO ${name} VALUES ${rows.join(', ')}`);
    } else if (view === 'columns') {
      const rows: string[] = [];
      for (const t of tables) {
        const fields = await engine.tableSchema(ds, t.tableId);
        fields.forEach((f, k) => {
          rows.push(
            `(${quoteLiteral(engine.projectId)}, ${quoteLiteral(ds)}, ${quoteLiteral(t.tableId)}, ${quoteLiteral(f.name)}, ${k + 1}, ${quoteLiteral(f.mode === 'REQUIRED' ? 'NO' : 'YES')}, ${quoteLiteral(standardTypeName(f))}, ${quoteLiteral(f.description ?? '')})`,
          );
        });
      }
      await conn.run(
        `CREATE OR REPLACE TEMP TABLE ${name} (table_catalog VARCHAR, table_schema VARCHAR, table_name VARCHAR, column_name VARCHAR, ordinal_position BIGINT, is_nullable VARCHAR, data_type VARCHAR, description VARCHAR)`,
      );
      if (rows.length) await conn.run(`INSERT INTO ${name} VALUES ${rows.join(', ')}`);
    } else {
      throw invalidQuery(`INFORMATION_SCHEMA.${view.toUpperCase()} is not supported by the local emulator (it serves TABLES and COLUMNS)`);
    }
  }
}

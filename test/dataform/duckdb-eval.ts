// Evaluates self-contained BigQuery SELECTs (no table references) on an in-memory DuckDB, translated by polyglot.
// Used to check the grading rules and metrics of the compiled SQL without the emulator; only literal-input queries
// are evaluated here, so translation gaps around table names and scripting do not matter.
import * as polyglot from '@polyglot-sql/sdk';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export type Row = Record<string, unknown>;

export class LiteralQueryEvaluator {
  private constructor(private readonly connection: DuckDBConnection) {}

  static async open(): Promise<LiteralQueryEvaluator> {
    const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
    return new LiteralQueryEvaluator(await instance.connect());
  }

  /** Rows of a BigQuery SELECT, as JSON-safe objects; `orderBy` makes the order deterministic. */
  async rows(bigQuerySql: string, orderBy = 'ALL'): Promise<Row[]> {
    const translated = polyglot.transpile(bigQuerySql, polyglot.Dialect.BigQuery, polyglot.Dialect.DuckDB);
    if (!translated.success || !translated.sql) throw new Error(`polyglot could not translate: ${translated.error}\n${bigQuerySql}`);
    const reader = await this.connection.runAndReadAll(`SELECT * FROM (${translated.sql.join(';\n')}) ORDER BY ${orderBy}`);
    return reader.getRowObjectsJson() as Row[];
  }

  close(): void {
    this.connection.closeSync();
  }
}

// Types for schemas.js (CommonJS, shared by Dataform and TypeScript). From TypeScript (ESM) import it as
//   import schemas from '../../includes/schemas.js';
// The column lists live only in the .js file.
declare namespace schemas {
  /** [name, BigQuery type (STRING, INT64, FLOAT64, BOOL, DATE, TIMESTAMP, ARRAY<DATE>), description] */
  type Column = readonly [name: string, type: string, description: string];

  interface TableSchema {
    readonly description: string;
    /** Partition expression (a column or DATE(column)); absent when not partitioned. */
    readonly partitionBy?: string;
    readonly clusterBy?: readonly string[];
    readonly columns: readonly Column[];
  }
}

declare const schemas: {
  readonly tables: Readonly<Record<string, schemas.TableSchema>>;
  schema(tableName: string): schemas.TableSchema;
  columnDocs(tableName: string): Record<string, string>;
  columnNames(tableName: string): string[];
  columnType(tableName: string, column: string): string;
  description(tableName: string): string;
};

export = schemas;

// Types for business_keys.js (CommonJS, shared by Dataform and TypeScript). From TypeScript (ESM) import it as
//   import businessKeys from '../../includes/business_keys.js';
// and use the types as businessKeys.BusinessKey / businessKeys.KeyedTable. The key lists live only in the .js file.
declare namespace businessKeys {
  interface BusinessKey {
    /** Partition / scoping date column; null when the table is not scoped by date. */
    readonly dateColumn: string | null;
    /** The business key, without dateColumn. */
    readonly keyColumns: readonly string[];
    /** Key columns that may be NULL; equality joins match NULL only with NULL (sql_helpers.keyEquals). */
    readonly nullableKeyColumns: readonly string[];
    /** When a row was written (first/last timestamps in grading_duplicate_audit). */
    readonly writtenAtColumn: string;
    /** ORDER BY terms that put the row to keep first. */
    readonly latestFirst: readonly string[];
    /** Key column -> grading_duplicate_audit column, where the names differ. */
    readonly auditColumns: Readonly<Record<string, string>>;
  }

  type KeyedTable =
    | "player_prop_predictions"
    | "player_prop_predictions_latest"
    | "player_game_summary"
    | "prediction_accuracy"
    | "prediction_accuracy_deduped"
    | "system_daily_performance"
    | "performance_summary"
    | "grading_runs";
}

declare const businessKeys: {
  readonly NULL_LINE_SENTINEL: number;
  readonly PREDICTION_KEY: readonly string[];
  readonly tables: Readonly<Record<businessKeys.KeyedTable, businessKeys.BusinessKey>>;
  auditColumnFor(tableName: businessKeys.KeyedTable, column: string): string;
};

export = businessKeys;

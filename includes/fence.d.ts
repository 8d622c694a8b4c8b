// Types for fence.js (CommonJS, shared by Dataform and TypeScript). From TypeScript (ESM) import it as
//   import fence from '../../includes/fence.js';
// The fenced-write SQL lives only in the .js file.
declare namespace fence {
  /** Which dates a fenced write covers, with which token and run id. */
  interface Scope {
    /** `column IN (<the scope's dates>)`. */
    datesIn(column: string): string;
    /** A SELECT of the scope's dates as rows of one column, game_date. */
    datesRows(): string;
    /** The fencing token of the date in `dateExpression` (a literal, a CASE over the dates, or @lock_token). */
    tokenFor(dateExpression: string): string;
    /** The run id as SQL (a literal or @run_id). */
    readonly runId: string;
    /** For the script's header comment. */
    readonly describe: string;
    /** SQL text of the rejection message, up to the committed token. */
    rejection(tableName: string): string;
  }

  interface LiteralScopeInput {
    /** YYYY-MM-DD, in order. */
    readonly dates: readonly string[];
    /** Each date's fencing token (digits). */
    readonly tokenByDate: Readonly<Record<string, string | number>>;
    /** [A-Za-z0-9_.:-]{1,128} */
    readonly runId: string;
  }
}

declare const fence: {
  /** Literal dates and tokens, validated (throws on anything else). */
  literalScope(input: fence.LiteralScopeInput): fence.Scope;
  /** Query parameters: @dates ARRAY<DATE> (in order, not empty), @lock_token INT64, @run_id STRING. */
  parameterScope(): fence.Scope;
  /** MERGE that makes sure every (date, table) of the scope has a fence row (-1); outside the transaction. */
  seedFenceStatement(fenceRef: string, tableName: string, scope: fence.Scope): string;
  /** One script: BEGIN; fence check; the statements; fence moved to the scope's token; COMMIT; errors re-raised. */
  fencedTransaction(fenceRef: string, tableName: string, scope: fence.Scope, writeStatements: readonly string[]): string;
  /** The same script without the fence check or move: for a table no lock of the caller's fences (see fence.js). */
  unfencedTransaction(writeStatements: readonly string[]): string;
};

export = fence;

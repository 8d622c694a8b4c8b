/**
 * One job's view of the engine: a DuckDB connection, its parameters and script variables, and its
 * transaction. `execute` runs one GoogleSQL statement with BigQuery's semantics.
 */
import type { DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import { columnsOverVariables } from './script/columns-over-variables.ts';
import { emptyNullArrays } from './null-arrays.ts';
import { prepareInfoSchema } from './info-schema.ts';
import { conflictError, isDuckConflict, quoteIdent, tableKey, type Engine } from './engine.ts';
import { classify, dmlTypes, isTempDdl, type StatementType } from './sql/statement-kind.ts';
import { markStatement, translateStatement } from './sql/translate.ts';
import { setSystemVariables } from './script/system-variables.ts';
import { isTempTable } from './temp-tables.ts';
import { mayMatchByName, resolveByName } from './sql/set-by-name.ts';
import { coerceSetLiterals, mayCoerceSetLiterals } from './sql/set-literal-types.ts';
import { checkAssignments, stringLiteralTarget, writesValues } from './sql/assignment-types.ts';
import { BigQueryError, fromDuckDb, invalidQuery, notFound, notSupported } from './errors.ts';
import { runDdl, snapshotReadOnly } from './ddl-runner.ts';
import { checkInt64Range } from './types.ts';
import { bigQueryResultNames, renamedRepeatedColumn, selectsStarOverJoinBelowTop, uniqueResultNames } from './sql/result-names.ts';
import { planScans, type ScanPlan } from './sql/scan-plan.ts';
import { DML_CONFLICT_RERUNS, serializeError } from './limits.ts';
import { hasSystemTime, replacement, rewriteSystemTime } from './sql/system-time.ts';
import { desugarPipes } from './sql/pipe-syntax.ts';
import type { PooledConnection } from './connection-pool.ts';

export interface StatementResult {
  statementType: StatementType;
  names: string[];
  types: DuckDBType[];
  rows: any[][];
  affectedRows?: number;
  /** Tables read (dataset.table) — for dry-run byte estimates. */
  referenced: string[];
  ddlTarget?: { datasetId: string; tableId: string; operation: string };
}

export interface SessionOptions {
  defaultDataset?: string;
  /** Parameter key → DuckDB literal. */
  values?: Map<string, string>;
  signal?: AbortSignal;
  /** The job's default time zone as DuckDB names it (time-zone.ts); undefined is UTC. */
  timeZone?: string;
}

const CONFLICT_RETRY_MS = 120_000;

export class Session {
  readonly values: Map<string, string>;
  readonly variables = new Set<string>();
  /** Variables the statement under way names where a column of the same name takes precedence (columns-over-variables.ts). */
  private columnNames: ReadonlySet<string> = new Set();
  /** What the job's queries and DML read, for totalBytesProcessed. */
  readonly scanPlans: ScanPlan[] = [];
  /** The last translated statement has a derived table selecting `*` over a join (see renamedRepeatedColumn). */
  private starOverJoin = false;
  private pooled?: PooledConnection;
  /** Nothing of this job's is left on the connection (temp objects, a transaction, a failed statement): it can serve another job. */
  private clean = true;
  private tx?: { startSeq: number; mutated: Set<string> };

  constructor(
    readonly engine: Engine,
    readonly opts: SessionOptions = {},
  ) {
    this.values = opts.values ?? new Map();
    setSystemVariables(this.values, { projectId: engine.projectId, defaultDataset: opts.defaultDataset, timeZone: opts.timeZone });
  }

  get inTransaction(): boolean {
    return this.tx !== undefined;
  }

  /** The job's connection for anything beyond plain queries and DML: another job will not get it after this one. */
  async connection(): Promise<DuckDBConnection> {
    this.clean = false;
    return this.statementConnection();
  }

  /** The connection queries and DML run on; unqualified names resolve in the default dataset. */
  private async statementConnection(): Promise<DuckDBConnection> {
    this.pooled ??= await this.engine.sessionConnections.acquire(this.opts.defaultDataset || undefined, this.opts.timeZone).catch((e: unknown) => {
      throw /Unknown TimeZone/.test(String(e)) ? invalidQuery(`Invalid time zone: ${this.opts.timeZone}`) : e;
    });
    return this.pooled.conn;
  }

  /** Resolves `[project.]dataset.table`; single names are CTEs, temp tables or the default dataset's. */
  resolveParts(parts: string[], referenced: Set<string>, infoSchema: Set<string>): { schema?: string; table: string } | undefined {
    const lower = parts.map((p) => p.toLowerCase());
    const isIdx = lower.indexOf('information_schema');
    if (isIdx >= 0) {
      const ds = isIdx > 0 ? parts[isIdx - 1] : this.opts.defaultDataset;
      const view = lower[isIdx + 1];
      if (!ds || !view) throw invalidQuery('INFORMATION_SCHEMA needs a dataset qualifier');
      infoSchema.add(`${ds}\u0000${view}`);
      return { table: `__gg_is_${ds}_${view}` };
    }
    if (parts.length >= 2) {
      const schema = parts[parts.length - 2];
      const table = parts[parts.length - 1];
      referenced.add(tableKey(schema, table));
      return { schema, table };
    }
    if (parts.length === 1 && this.opts.defaultDataset) referenced.add(tableKey(this.opts.defaultDataset, parts[0]));
    return undefined;
  }

  /** `collect`: record what the statement reads in scanPlans (for totalBytesProcessed). */
  translate(sql: string, referenced = new Set<string>(), infoSchema = new Set<string>(), collect = false): string {
    return translateStatement(sql, {
      literal: (key) => this.values.get(key),
      variables: this.statementVariables(),
      resolveTable: (parts) => this.resolveParts(parts, referenced, infoSchema),
      ...(collect
        ? {
            onAst: (ast: unknown) => {
              this.scanPlans.push(planScans(ast));
              this.starOverJoin = selectsStarOverJoinBelowTop((ast as unknown[])[0]);
            },
          }
        : {}),
    });
  }

  /**
   * Rewrites set operations that match columns by name as positional ones (set-by-name.ts), and their string literals
   * beside date and time columns as casts (set-literal-types.ts); other statements as they are.
   */
  async resolveSetOperations(sql: string): Promise<string> {
    let marked: string | undefined;
    if (mayMatchByName(sql)) marked = await resolveByName(this.mark(sql), async (query) => (await this.probe(query)).map((c) => c.name));
    if (mayCoerceSetLiterals(sql)) marked = (await coerceSetLiterals(marked ?? this.mark(sql), async (query) => (await this.probe(query)).map((c) => stringLiteralTarget(c.type)))) ?? marked;
    return marked ?? sql;
  }

  /** The statement with its parameters and script variables as `@key` references (markStatement), for the AST passes. */
  private mark(sql: string): string {
    return markStatement(sql, { literal: (key) => this.values.get(key), variables: this.statementVariables() });
  }

  /** The script variables the statement under way reads as variables: not those that are its columns' names. */
  private statementVariables(): Set<string> {
    return this.columnNames.size ? new Set([...this.variables].filter((v) => !this.columnNames.has(v))) : this.variables;
  }

  /** Throws BigQuery's error for a value an INSERT, UPDATE or MERGE cannot assign to its column (assignment-types.ts). */
  async checkAssignments(sql: string, type: StatementType): Promise<void> {
    if (!writesValues(type)) return;
    await checkAssignments(this.mark(sql), (query) => this.probe(query).catch(() => undefined));
  }

  /** A GoogleSQL query's result columns, from DuckDB's prepared statement (not run). */
  private async probe(query: string): Promise<Array<{ name: string; type: DuckDBType }>> {
    // A prepared statement leaves nothing behind on the connection, which can go back to the pool.
    const prepared = await (await this.statementConnection()).prepare(this.translate(query));
    try {
      return Array.from({ length: prepared.columnCount }, (_, i) => ({ name: prepared.columnName(i), type: prepared.columnType(i) }));
    } finally {
      prepared.destroySync();
    }
  }

  /** Epoch ms of a GoogleSQL TIMESTAMP expression (it may use parameters and script variables). */
  async evalMillis(expr: string): Promise<number> {
    const r = await this.execute(`SELECT UNIX_MILLIS(CAST((${expr}) AS TIMESTAMP))`);
    const v = r.rows[0]?.[0];
    if (v === null || v === undefined) throw invalidQuery(`The timestamp ${expr} is NULL`);
    return Number(v);
  }

  /** Replaces each `t FOR SYSTEM_TIME AS OF ts` with the copy of t that was current at ts. */
  async applySystemTime(sql: string): Promise<string> {
    if (!hasSystemTime(sql)) return sql;
    return rewriteSystemTime(sql, async (ref, aliased) => {
      const parts = ref.parts;
      const ds = parts.length >= 2 ? parts[parts.length - 2] : this.opts.defaultDataset;
      const t = parts[parts.length - 1];
      if (!ds) throw invalidQuery(`Table "${parts.join('.')}" must be qualified with a dataset (e.g. dataset.table).`);
      const at = await this.evalMillis(ref.expr);
      const found = await this.engine.tableAt(ds, t, at);
      return replacement(found.schema, found.table, t, aliased);
    });
  }

  async execute(sql: string): Promise<StatementResult> {
    try {
      return await this.executeStatement(sql);
    } catch (e) {
      this.clean = false; // a failed statement may leave a half-done transaction behind
      throw e;
    }
  }

  private async executeStatement(sql: string): Promise<StatementResult> {
    sql = desugarPipes(sql);
    let info = classify(sql);
    if ((info.type === 'SELECT' || dmlTypes.has(info.type)) && hasSystemTime(sql)) {
      sql = await this.applySystemTime(sql);
      info = classify(sql);
    }
    if (this.opts.signal?.aborted) throw new BigQueryError(400, 'stopped', 'Job execution was cancelled: Job cancelled by user');
    if (info.type === 'SELECT' || dmlTypes.has(info.type)) {
      this.columnNames = await columnsOverVariables(sql, this.variables, (columns) => this.bindWith(sql, columns));
      try {
        return await this.runQueryOrDml(sql, info);
      } finally {
        this.columnNames = new Set();
      }
    }
    if (info.type === 'UNKNOWN') {
      const first = info.tokens[0]?.text ?? '';
      throw invalidQuery(`Unsupported statement: ${first ? first.toUpperCase() + ' ...' : 'empty statement'} is not supported by the local emulator`);
    }
    if (this.tx && !isTempDdl(sql)) {
      throw invalidQuery(`${info.type} statements on permanent tables are not supported inside a transaction`);
    }
    return runDdl(this, sql, info.type);
  }

  private async runQueryOrDml(sql: string, info: ReturnType<typeof classify>): Promise<StatementResult> {
    if (info.type === 'SELECT') return this.runQuery(await this.resolveSetOperations(sql));
    const resolved = await this.resolveSetOperations(sql);
    await this.checkAssignments(resolved, info.type);
    return this.runDml(resolved, info.type, info.target ?? []);
  }

  /** Binds the statement (prepared, not run) with `columns` read as columns, not variables: DuckDB's error if it fails. */
  private async bindWith(sql: string, columns: ReadonlySet<string>): Promise<void> {
    const before = this.columnNames;
    this.columnNames = columns;
    try {
      (await (await this.statementConnection()).prepare(this.translate(sql))).destroySync();
    } finally {
      this.columnNames = before;
    }
  }

  private async runQuery(sql: string): Promise<StatementResult> {
    const referenced = new Set<string>();
    const infoSchema = new Set<string>();
    const duck = this.translate(sql, referenced, infoSchema, true);
    const conn = await this.statementConnection();
    await this.prepareInfoSchema(conn, infoSchema);
    try {
      // The result is materialized: its chunks are read here, not fetched one trip at a time (runAndReadAll).
      const r = await conn.run(duck);
      const types = r.columnTypes();
      const rows: any[][] = [];
      for (let k = 0, n = r.chunkCount; k < n; k++) r.getChunk(k).appendToRows(rows);
      checkInt64Range(types, rows);
      const names = bigQueryResultNames(r.columnNames());
      const renamed = this.starOverJoin ? renamedRepeatedColumn(names) : undefined;
      if (renamed) throw notSupported(`A result column name repeated through SELECT * of a join in a subquery (here named ${renamed})`);
      return { statementType: 'SELECT', names: uniqueResultNames(names), types, rows, referenced: [...referenced] };
    } catch (e) {
      throw fromDuckDb(e);
    }
  }

  private async runDml(sql: string, type: StatementType, target: string[]): Promise<StatementResult> {
    if (target.length < 2 && !this.opts.defaultDataset) throw invalidQuery(`Table "${target.join('.')}" must be qualified with a dataset (e.g. dataset.table).`);
    const ds = target.length >= 2 ? target[target.length - 2] : this.opts.defaultDataset!;
    const t = target[target.length - 1];
    const key = tableKey(ds, t);
    const meta = this.engine.catalog.table(ds, t);
    if (meta?.type === 'SNAPSHOT') throw snapshotReadOnly(this.engine.projectId, key);
    const referenced = new Set<string>();
    const duck = type === 'TRUNCATE_TABLE' ? `DELETE FROM ${quoteIdent(ds)}.${quoteIdent(t)}` : this.translate(sql, referenced, undefined, true);
    const conn = await this.statementConnection();
    const isTemp = target.length === 1 && (await isTempTable(conn, t));
    if (!isTemp && (await this.engine.objectType(ds, t)) !== 'TABLE') throw notFound(`Table ${this.engine.projectId}:${key}`);
    const result = (affected: number): StatementResult => ({
      statementType: type,
      names: [],
      types: [],
      rows: [],
      affectedRows: affected,
      referenced: [...referenced],
    });
    // A statement that writes values, whose NULL arrays become empty ones (null-arrays.ts).
    const writes = type !== 'DELETE' && type !== 'TRUNCATE_TABLE';
    if (this.tx) {
      try {
        const r = await conn.run(duck);
        if (!isTemp && writes) await emptyNullArrays(conn, `${quoteIdent(ds)}.${quoteIdent(t)}`);
        if (!isTemp) this.tx.mutated.add(key);
        return result(Number(r.rowsChanged));
      } catch (e) {
        if (isDuckConflict(e)) {
          await this.rollback();
          throw conflictError(this.engine.projectId, key);
        }
        throw fromDuckDb(e);
      }
    }
    if (isTemp) return result(Number((await conn.run(duck)).rowsChanged));
    if (type === 'INSERT') return this.runInsert(conn, duck, ds, t, key, result);
    return this.runMutatingDml(conn, duck, ds, t, key, result, writes);
  }

  /** INSERT outside a transaction: conflicts with nothing; one at a time per table here. */
  private async runInsert(conn: DuckDBConnection, duck: string, ds: string, t: string, key: string, result: (n: number) => StatementResult): Promise<StatementResult> {
    this.engine.limits.countInsert(key);
    const release = await this.engine.tableLocks.lockAll([key]);
    try {
      const started = Date.now();
      await this.engine.keepVersion(ds, t, started);
      for (let attempt = 0; ; attempt++) {
        try {
          await conn.run('BEGIN TRANSACTION');
          const r = await conn.run(duck);
          await emptyNullArrays(conn, `${quoteIdent(ds)}.${quoteIdent(t)}`);
          await this.engine.commitMutex.run(async () => {
            await conn.run('COMMIT');
            this.engine.markChanged([key]);
          });
          this.engine.limits.recordUpdate(key, 'dml');
          await this.engine.meta((c) => c.touchTable(ds, t, started));
          return result(Number(r.rowsChanged));
        } catch (e) {
          await conn.run('ROLLBACK').catch(() => undefined);
          if (isDuckConflict(e) && Date.now() - started < CONFLICT_RETRY_MS && !this.opts.signal?.aborted) {
            await new Promise((r) => setTimeout(r, Math.min(200, 10 * 2 ** attempt) * (0.5 + Math.random())));
            continue;
          }
          throw fromDuckDb(e);
        }
      }
    } finally {
      release();
    }
  }

  /**
   * UPDATE, DELETE, MERGE, TRUNCATE outside a transaction, with BigQuery's per-table limits (limits.ts): refused when
   * too many are outstanding, up to 2 running at once, a statement that lost a conflict with another running one rerun
   * up to three times and then failed. A conflict with an open transaction's changes waits instead (BigQuery queues
   * DML that conflicts with a transaction). The commit step holds the table's lock, so DDL and copies never interleave.
   */
  private async runMutatingDml(conn: DuckDBConnection, duck: string, ds: string, t: string, key: string, result: (n: number) => StatementResult, writes: boolean): Promise<StatementResult> {
    const releasePlace = await this.engine.limits.admitMutatingDml(this.engine.projectId, key);
    try {
      const started = Date.now();
      let reruns = 0;
      for (let attempt = 0; ; attempt++) {
        try {
          await conn.run('BEGIN TRANSACTION');
          const r = await conn.run(duck);
          if (writes) await emptyNullArrays(conn, `${quoteIdent(ds)}.${quoteIdent(t)}`);
          const release = await this.engine.tableLocks.lockAll([key]);
          try {
            const now = Date.now();
            await this.engine.keepVersion(ds, t, now);
            await this.engine.commitMutex.run(async () => {
              await conn.run('COMMIT');
              this.engine.markChanged([key]);
            });
            this.engine.limits.recordUpdate(key, 'dml');
            await this.engine.meta((c) => c.touchTable(ds, t, now));
          } finally {
            release();
          }
          return result(Number(r.rowsChanged));
        } catch (e) {
          await conn.run('ROLLBACK').catch(() => undefined);
          if (isDuckConflict(e) && !this.opts.signal?.aborted) {
            if (this.engine.limits.runningMutatingDml(key) > 1) {
              // Lost to another statement running on the table at the same time.
              if (++reruns > DML_CONFLICT_RERUNS) throw serializeError(this.engine.projectId, key);
              await new Promise((r) => setTimeout(r, 50 * 2 ** reruns * (0.5 + Math.random())));
              continue;
            }
            // Another job's open transaction holds these rows: wait for it, as BigQuery queues DML.
            if (Date.now() - started < CONFLICT_RETRY_MS) {
              await new Promise((r) => setTimeout(r, Math.min(200, 10 * 2 ** attempt) * (0.5 + Math.random())));
              continue;
            }
          }
          throw fromDuckDb(e);
        }
      }
    } finally {
      releasePlace();
    }
  }

  async begin(): Promise<void> {
    if (this.tx) throw invalidQuery('Nested transactions are not supported: a transaction is already active');
    const conn = await this.connection();
    await this.engine.commitMutex.run(async () => {
      await conn.run('BEGIN TRANSACTION');
      // DuckDB takes its snapshot at the first statement; pin it now, atomically with the sequence.
      await conn.run('SELECT 1');
      this.tx = { startSeq: this.engine.currentSeq(), mutated: new Set() };
    });
  }

  async commit(): Promise<void> {
    if (!this.tx) throw invalidQuery('COMMIT TRANSACTION: there is no active transaction');
    const conn = await this.connection();
    const tx = this.tx;
    this.tx = undefined;
    const now = Date.now();
    await this.engine.commitMutex.run(async () => {
      const conflict = [...tx.mutated].find((k) => this.engine.changedSince(k, tx.startSeq));
      if (conflict) {
        await conn.run('ROLLBACK');
        throw conflictError(this.engine.projectId, conflict);
      }
      for (const k of tx.mutated) {
        const [ds, t] = k.split('.');
        await this.engine.keepVersion(ds, t, now);
      }
      try {
        await conn.run('COMMIT');
      } catch (e) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw isDuckConflict(e) ? conflictError(this.engine.projectId, [...tx.mutated][0] ?? '?.?') : fromDuckDb(e);
      }
      if (tx.mutated.size) this.engine.markChanged(tx.mutated);
    });
    for (const k of tx.mutated) {
      const [ds, t] = k.split('.');
      this.engine.limits.recordUpdate(k, 'dml');
      await this.engine.meta((c) => c.touchTable(ds, t, now));
    }
  }

  async rollback(): Promise<void> {
    if (!this.tx) throw invalidQuery('ROLLBACK TRANSACTION: there is no active transaction');
    this.tx = undefined;
    await (await this.connection()).run('ROLLBACK');
  }

  private async prepareInfoSchema(conn: DuckDBConnection, requests: Set<string>): Promise<void> {
    if (requests.size) this.clean = false; // its temp tables stay on the connection
    await prepareInfoSchema(this.engine, conn, requests);
  }

  async close(): Promise<void> {
    if (this.tx) await this.rollback().catch(() => undefined);
    const pooled = this.pooled;
    this.pooled = undefined;
    if (pooled && this.clean && !this.opts.signal?.aborted) this.engine.sessionConnections.release(pooled);
    else pooled?.conn.closeSync();
  }
}

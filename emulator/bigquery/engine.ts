/**
 * The storage engine: one DuckDB instance, the metadata catalog, and BigQuery's concurrency
 * rules. Mutating statements outside a transaction follow BigQuery's per-table limits (limits.ts:
 * 2 running, 20 queued, conflicting ones rerun then refused); multi-statement transactions get
 * snapshot isolation and abort at COMMIT when a table they mutated was changed by another job
 * after they began.
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { Catalog, type TableMeta } from './catalog.ts';
import { KeyedMutex, Mutex } from './mutex.ts';
import { bigQueryMacros } from './sql/macros.ts';
import { quoteIdent, quoteLiteral } from './sql/quote.ts';
import { duckTypeToField, type FieldSchema } from './types.ts';
import { BigQueryError, notFound } from './errors.ts';
import { TimeTravel, type TimeTravelOptions } from './time-travel.ts';
import { createStagingDir, lockDownFileAccess } from './file-access.ts';
import { rmSync } from 'node:fs';
import { TableLimits, type LimitName } from './limits.ts';
import { ConnectionPool } from './connection-pool.ts';
import { copySeed, type DatabaseSeed } from './seed.ts';
import { registerNativeFunctions } from './native/functions.ts';

export interface EngineOptions {
  /** DuckDB file, or ':memory:'. */
  file: string;
  projectId: string;
  timeTravel?: TimeTravelOptions;
  /** BigQuery limits switched off (limits.ts). */
  limitsOff?: Iterable<LimitName>;
  /** With file ':memory:': start from a copy of this database (seed.ts). */
  seed?: DatabaseSeed;
}

export { quoteIdent } from './sql/quote.ts';
export const tableKey = (datasetId: string, tableId: string) => `${datasetId}.${tableId}`;

export class Engine {
  readonly tableLocks = new KeyedMutex();
  /** BigQuery's per-table DML concurrency and metadata update limits (limits.ts). */
  limits = new TableLimits();
  /** Where `gs://bucket/path` URIs of load and extract jobs live locally (`<gcsDir>/bucket/path`); unset: refused. */
  gcsDir?: string;
  readonly commitMutex = new Mutex();
  /** Idle connections for jobs' statements (connection-pool.ts). */
  readonly sessionConnections = new ConnectionPool(() => this.instance.connect());
  private readonly metaMutex = new Mutex();
  private seq = 0;
  private readonly lastChanged = new Map<string, number>();

  private constructor(
    readonly instance: DuckDBInstance,
    private readonly metaConn: DuckDBConnection,
    readonly catalog: Catalog,
    readonly projectId: string,
    readonly timeTravel: TimeTravel,
    /** The one folder DuckDB may read and write files in (load and extract jobs stage there). */
    readonly stagingDir: string,
    /** DuckDB's name of the database file's catalog: three-part names pin it, so a lookup never lands on a TEMP table. */
    private readonly databaseName: string,
  ) {}

  static async open(opts: EngineOptions): Promise<Engine> {
    let instance: DuckDBInstance;
    try {
      // v1.4.0 storage: the BYTES overloads of the string macros (sql/macros-bytes.ts) have typed parameters, which a
      // database file of the older default storage version refuses; a file keeps the version it was created with.
      instance = await DuckDBInstance.create(opts.file, { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false', storage_compatibility_version: 'v1.4.0' });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/lock/i.test(msg)) {
        throw new Error(`The emulator database ${opts.file} is in use by another process (DuckDB allows one writer). Stop the other emulator or choose another --file. (${msg.split('\n')[0]})`, { cause: e });
      }
      throw e;
    }
    const metaConn = await instance.connect();
    const stagingDir = createStagingDir();
    try {
      // Before the lock-down: the seed is the one file outside the staging folder the engine ever opens.
      if (opts.seed) await copySeed(metaConn, opts.seed, opts.projectId);
      await lockDownFileAccess(metaConn, stagingDir);
      registerNativeFunctions(metaConn);
      // One call for all of them: one statement per call cost the start-up a native round trip per macro.
      await metaConn.run(bigQueryMacros.join(';\n')).catch((e: unknown) => rethrowOldStorage(e, opts.file));
      const catalog = await Catalog.open(metaConn);
      const timeTravel = await TimeTravel.open(metaConn, opts.timeTravel);
      const databaseName = String((await metaConn.runAndReadAll('SELECT current_database()')).getRows()[0][0]);
      const engine = new Engine(instance, metaConn, catalog, opts.projectId, timeTravel, stagingDir, databaseName);
      engine.limits = new TableLimits(opts.limitsOff);
      return engine;
    } catch (e) {
      metaConn.closeSync();
      instance.closeSync();
      rmSync(stagingDir, { recursive: true, force: true });
      throw e;
    }
  }

  async connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  /** Serialises catalog writes, which share one connection. */
  meta<T>(fn: (catalog: Catalog) => Promise<T>): Promise<T> {
    return this.metaMutex.run(() => fn(this.catalog));
  }

  /**
   * Keeps ds.t's committed contents for time travel before a change stamped `now` (call under the table's lock;
   * the caller then stamps the table's lastModifiedTime with the same `now`). No-op for views and missing tables.
   */
  async keepVersion(ds: string, t: string, now: number, deleted = false): Promise<void> {
    if (!this.timeTravel.enabled || (await this.objectType(ds, t)) !== 'TABLE') return;
    const conn = await this.connect();
    try {
      await this.metaMutex.run(() => this.timeTravel.keep(conn, ds, t, this.catalog.table(ds, t), now, deleted));
    } finally {
      conn.closeSync();
    }
  }

  /** The DuckDB schema and table holding ds.t as it was at `at` (ms): a time-travel copy or the table itself. */
  async tableAt(ds: string, t: string, at: number): Promise<{ schema: string; table: string; meta?: TableMeta }> {
    const exists = (await this.objectType(ds, t)) === 'TABLE';
    const current = this.catalog.table(ds, t);
    return this.timeTravel.resolve(this.projectId, ds, t, at, current, exists) ?? { schema: ds, table: t, meta: current };
  }

  /**
   * Drops tables whose expirationTime has passed (kept for time travel as deleted at their expiration), and
   * deletes the expired partitions of tables with a partition expiration (checked at most once a second per table).
   */
  async expireTables(now = Date.now()): Promise<void> {
    await this.expirePartitions(now);
    const due = this.catalog.all().filter((m) => m.expirationTime !== undefined && m.expirationTime <= now);
    for (const m of due) {
      const key = tableKey(m.datasetId, m.tableId);
      const release = await this.tableLocks.lockAll([key]);
      try {
        const type = await this.objectType(m.datasetId, m.tableId);
        if (type === 'TABLE') await this.keepVersion(m.datasetId, m.tableId, m.expirationTime!, true);
        if (type) await this.metaConn.run(`DROP ${type} IF EXISTS ${quoteIdent(m.datasetId)}.${quoteIdent(m.tableId)}`);
        await this.commitMutex.run(async () => this.markChanged([key]));
        await this.meta((c) => c.deleteTable(m.datasetId, m.tableId));
      } finally {
        release();
      }
    }
  }

  private partitionChecks = new Map<string, number>();

  private async expirePartitions(now: number): Promise<void> {
    const due = this.catalog.all().filter((m) => m.timePartitioning?.expirationMs && m.timePartitioning.field && now - (this.partitionChecks.get(tableKey(m.datasetId, m.tableId)) ?? 0) > 1_000);
    for (const m of due) {
      const key = tableKey(m.datasetId, m.tableId);
      this.partitionChecks.set(key, now);
      const tp = m.timePartitioning!;
      const unitMs = { HOUR: 3_600_000, DAY: 86_400_000, MONTH: 31 * 86_400_000, YEAR: 366 * 86_400_000 }[tp.type] ?? 86_400_000;
      // A partition expires when its end is older than the expiration: rows whose partition starts before this.
      const cutoff = new Date(now - Number(tp.expirationMs) - unitMs).toISOString();
      const where = `CAST(${quoteIdent(tp.field!)} AS TIMESTAMPTZ) < ${quoteLiteral(cutoff)}::TIMESTAMPTZ`;
      const release = await this.tableLocks.lockAll([key]);
      try {
        if ((await this.objectType(m.datasetId, m.tableId)) !== 'TABLE') continue;
        const from = `${quoteIdent(m.datasetId)}.${quoteIdent(m.tableId)}`;
        const n = Number((await this.metaConn.runAndReadAll(`SELECT count(*) FROM ${from} WHERE ${where}`)).getRows()[0][0]);
        if (!n) continue;
        await this.keepVersion(m.datasetId, m.tableId, now);
        await this.metaConn.run(`DELETE FROM ${from} WHERE ${where}`);
        await this.commitMutex.run(async () => this.markChanged([key]));
        await this.meta((c) => c.touchTable(m.datasetId, m.tableId, now));
      } finally {
        release();
      }
    }
  }

  currentSeq(): number {
    return this.seq;
  }

  changedSince(key: string, seq: number): boolean {
    return (this.lastChanged.get(key) ?? 0) > seq;
  }

  /** Records committed changes; call under commitMutex. */
  markChanged(keys: Iterable<string>): void {
    this.seq++;
    for (const k of keys) this.lastChanged.set(k, this.seq);
  }

  async datasetExists(datasetId: string): Promise<boolean> {
    const r = await this.metaConn.runAndReadAll(`SELECT 1 FROM duckdb_schemas() WHERE schema_name = ${quoteLiteral(datasetId)} AND database_name = current_database()`);
    return r.currentRowCount > 0;
  }

  /**
   * 'TABLE', 'VIEW' or undefined. Not duckdb_tables(): it builds a row (CREATE statement included) for every table,
   * the time-travel versions too, ~8 ms at 600 tables, and every job asks this several times. duckdb_views() is short
   * (views are few) and binding the name costs well under a millisecond.
   */
  async objectType(datasetId: string, tableId: string): Promise<'TABLE' | 'VIEW' | undefined> {
    const views = await this.metaConn.runAndReadAll(
      `SELECT 1 FROM duckdb_views() WHERE database_name = ${quoteLiteral(this.databaseName)} AND schema_name = ${quoteLiteral(datasetId)} AND view_name = ${quoteLiteral(tableId)} AND NOT temporary`,
    );
    if (views.currentRowCount > 0) return 'VIEW';
    try {
      await this.metaConn.runAndReadAll(`SELECT 1 FROM ${this.qualified(datasetId, tableId)} LIMIT 0`);
      return 'TABLE';
    } catch {
      return undefined;
    }
  }

  private qualified(datasetId: string, tableId: string): string {
    return `${quoteIdent(this.databaseName)}.${quoteIdent(datasetId)}.${quoteIdent(tableId)}`;
  }

  async listTables(datasetId: string): Promise<Array<{ tableId: string; type: 'TABLE' | 'VIEW' }>> {
    const r = await this.metaConn.runAndReadAll(
      `SELECT table_name, 'TABLE' FROM duckdb_tables() WHERE schema_name = ${quoteLiteral(datasetId)} AND NOT temporary
       UNION ALL SELECT view_name, 'VIEW' FROM duckdb_views() WHERE schema_name = ${quoteLiteral(datasetId)} AND NOT temporary ORDER BY 1`,
    );
    return r.getRows().map((row) => ({ tableId: String(row[0]), type: row[1] as 'TABLE' | 'VIEW' }));
  }

  /** The BigQuery schema of a table or view, from DuckDB's columns plus stored descriptions. */
  async tableSchema(datasetId: string, tableId: string, conn: DuckDBConnection = this.metaConn): Promise<FieldSchema[]> {
    let r;
    try {
      r = await conn.runAndReadAll(`SELECT * FROM ${quoteIdent(datasetId)}.${quoteIdent(tableId)} LIMIT 0`);
    } catch {
      throw notFound(`Table ${this.projectId}:${datasetId}.${tableId}`);
    }
    // pragma_table_info reads one table; duckdb_columns() lists the columns of every table (the time-travel versions
    // too). DuckDB's pragma does not parse a doubled quote inside a name (BigQuery names never hold one).
    const nn = /"/.test(datasetId + tableId)
      ? await conn.runAndReadAll(`SELECT column_name FROM duckdb_columns() WHERE schema_name = ${quoteLiteral(datasetId)} AND table_name = ${quoteLiteral(tableId)} AND NOT is_nullable`)
      : await conn.runAndReadAll(`SELECT name FROM pragma_table_info(${quoteLiteral(this.qualified(datasetId, tableId))}) WHERE "notnull"`);
    const required = new Set(nn.getRows().map((row) => String(row[0])));
    const meta = this.catalog.table(datasetId, tableId);
    return r.columnNames().map((name, k) => {
      const field = duckTypeToField(name, r.columnType(k) as DuckDBType, !required.has(name) && !meta?.requiredFields?.includes(name));
      const description = meta?.fieldDescriptions?.[name];
      return description ? { ...field, description } : field;
    });
  }

  async numRows(datasetId: string, tableId: string): Promise<number> {
    const r = await this.metaConn.runAndReadAll(`SELECT count(*) FROM ${quoteIdent(datasetId)}.${quoteIdent(tableId)}`);
    return Number(r.getRows()[0][0]);
  }

  async close(): Promise<void> {
    this.sessionConnections.close();
    this.metaConn.closeSync();
    this.instance.closeSync();
    rmSync(this.stagingDir, { recursive: true, force: true });
  }
}

export function conflictError(projectId: string, key: string): BigQueryError {
  const [ds, t] = key.split('.');
  return new BigQueryError(400, 'invalidQuery', `Transaction is aborted due to concurrent update against table ${projectId}:${ds}.${t}.`);
}

export const isDuckConflict = (e: unknown) => /conflict/i.test(e instanceof Error ? e.message : String(e));

/** A database file created before the emulator needed v1.4.0 storage cannot take its macros: say what to do. */
function rethrowOldStorage(e: unknown, file: string): never {
  const msg = e instanceof Error ? e.message : String(e);
  if (/only supported for storage versions/i.test(msg))
    throw new Error(
      `The emulator database ${file} was created with an older DuckDB storage version than the emulator needs (v1.4.0). Export what you need from it, then delete it (or choose another --file) so it is created anew. (${msg.split('\n')[0]})`,
      { cause: e },
    );
  throw e;
}

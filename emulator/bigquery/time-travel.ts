/**
 * Time travel: before a table's committed contents change (DML, CREATE OR REPLACE, DROP, copy or load onto it,
 * rename, ALTER ADD/DROP COLUMN, expiration), a full copy of them is kept in the `__gg_tt` schema together with
 * the interval it was current for. `FOR SYSTEM_TIME AS OF`, `CREATE ... CLONE t FOR SYSTEM_TIME AS OF` and copy
 * jobs from `table@<epoch ms>` read these copies. Copies older than the window (BigQuery: 7 days) are dropped;
 * so are the oldest ones beyond a per-table count and a total row budget, which keeps memory bounded under
 * heavy DML (a read before the oldest copy kept fails with a message saying so). Dataset deletion keeps nothing.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableMeta } from './catalog.ts';
import { BigQueryError, notFound } from './errors.ts';
import { quoteIdent, quoteLiteral } from './sql/quote.ts';

export interface TimeTravelOptions {
  /** How far back reads may go (default 7 days, as BigQuery); 0 keeps no history. */
  windowMs?: number;
  /** Copies kept per table (default 50). */
  maxVersionsPerTable?: number;
  /** Rows kept in all copies together (default 2,000,000). */
  maxRows?: number;
}

interface Version {
  id: number;
  datasetId: string;
  tableId: string;
  /** When these contents became current (ms). */
  validFrom: number;
  /** When they stopped being current (ms). */
  validTo: number;
  /** The table was dropped (or replaced by nothing) at validTo. */
  deleted: boolean;
  rows: number;
  meta?: TableMeta;
}

const SCHEMA = '__gg_tt';
const DAY_MS = 24 * 60 * 60 * 1000;

export class TimeTravel {
  readonly windowMs: number;
  private readonly maxPerTable: number;
  private readonly maxRows: number;
  private versions: Version[] = [];
  private nextId = 1;
  /** Oldest time each table can still be read at, after copies were evicted early (ms). */
  private evictedBefore = new Map<string, number>();

  private constructor(
    private conn: DuckDBConnection,
    opts: TimeTravelOptions,
  ) {
    this.windowMs = opts.windowMs ?? 7 * DAY_MS;
    this.maxPerTable = opts.maxVersionsPerTable ?? 50;
    this.maxRows = opts.maxRows ?? 2_000_000;
  }

  static async open(conn: DuckDBConnection, opts: TimeTravelOptions = {}): Promise<TimeTravel> {
    const tt = new TimeTravel(conn, opts);
    await conn.run(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await conn.run('CREATE TABLE IF NOT EXISTS __gg_meta.versions (id BIGINT PRIMARY KEY, body VARCHAR)');
    const rows = (await conn.runAndReadAll('SELECT id, body FROM __gg_meta.versions ORDER BY id')).getRows();
    tt.versions = rows.map((r) => JSON.parse(String(r[1])) as Version);
    tt.nextId = tt.versions.reduce((m, v) => Math.max(m, v.id), 0) + 1;
    await tt.prune();
    return tt;
  }

  get enabled(): boolean {
    return this.windowMs > 0;
  }

  /**
   * Keeps the committed contents of ds.t (current since meta.lastModifiedTime) as a version ending at `now`.
   * Call under the table's lock, before the change commits. `read` is a connection that sees committed data.
   */
  async keep(read: DuckDBConnection, ds: string, t: string, meta: TableMeta | undefined, now: number, deleted = false): Promise<void> {
    if (!this.enabled) return;
    const id = this.nextId++;
    const name = `${quoteIdent(SCHEMA)}.${quoteIdent(`v${id}`)}`;
    await read.run(`CREATE TABLE ${name} AS SELECT * FROM ${quoteIdent(ds)}.${quoteIdent(t)}`);
    const rows = Number((await read.runAndReadAll(`SELECT count(*) FROM ${name}`)).getRows()[0][0]);
    const v: Version = { id, datasetId: ds, tableId: t, validFrom: meta?.lastModifiedTime ?? meta?.creationTime ?? 0, validTo: now, deleted, rows, meta };
    this.versions.push(v);
    await this.conn.run(`INSERT INTO __gg_meta.versions VALUES (${id}, ${quoteLiteral(JSON.stringify(v))})`);
    await this.prune(now);
  }

  /**
   * The DuckDB table holding ds.t as of `at` (ms), or undefined when the current table is the answer.
   * `current`: the table's metadata if it exists now.
   */
  resolve(projectId: string, ds: string, t: string, at: number, current: TableMeta | undefined, currentExists: boolean, now = Date.now()): { schema: string; table: string; meta?: TableMeta } | undefined {
    const key = `${projectId}:${ds}.${t}`;
    if (at > now + 1000) throw new BigQueryError(400, 'invalid', `Invalid snapshot time ${at} for table ${key}. Cannot read from the future.`);
    const oldest = Math.max(now - this.windowMs, this.evictedBefore.get(`${ds}.${t}`) ?? -Infinity);
    if (at < now - this.windowMs) {
      throw new BigQueryError(400, 'invalid', `Invalid snapshot time ${at} for table ${key}. Cannot read before ${Math.ceil(now - this.windowMs)}`);
    }
    if (currentExists && at >= (current?.lastModifiedTime ?? current?.creationTime ?? 0)) return undefined;
    const v = this.versions.find((x) => x.datasetId === ds && x.tableId === t && x.validFrom <= at && at < x.validTo);
    if (v) return { schema: SCHEMA, table: `v${v.id}`, meta: v.meta };
    if (at < oldest) {
      throw new BigQueryError(400, 'invalid', `Invalid snapshot time ${at} for table ${key}. Cannot read before ${oldest}: the local emulator kept no older copy (see docs/local-stack.md, time travel limits)`);
    }
    throw notFound(`Table ${key} did not exist at ${new Date(at).toISOString()}`);
  }

  /** Drops copies outside the window, then the oldest ones beyond the count and row limits. */
  async prune(now = Date.now()): Promise<void> {
    const drop: Version[] = this.versions.filter((v) => v.validTo < now - this.windowMs);
    const kept = this.versions.filter((v) => !drop.includes(v));
    const perTable = new Map<string, Version[]>();
    for (const v of kept) perTable.set(`${v.datasetId}.${v.tableId}`, [...(perTable.get(`${v.datasetId}.${v.tableId}`) ?? []), v]);
    for (const list of perTable.values()) if (list.length > this.maxPerTable) drop.push(...list.slice(0, list.length - this.maxPerTable));
    let rows = kept.filter((v) => !drop.includes(v)).reduce((n, v) => n + v.rows, 0);
    for (const v of kept) {
      if (rows <= this.maxRows) break;
      if (drop.includes(v)) continue;
      drop.push(v);
      rows -= v.rows;
    }
    if (!drop.length) return;
    for (const v of drop) {
      if (v.validTo >= now - this.windowMs) {
        const key = `${v.datasetId}.${v.tableId}`;
        this.evictedBefore.set(key, Math.max(this.evictedBefore.get(key) ?? 0, v.validTo));
      }
      await this.conn.run(`DROP TABLE IF EXISTS ${quoteIdent(SCHEMA)}.${quoteIdent(`v${v.id}`)}`);
      await this.conn.run(`DELETE FROM __gg_meta.versions WHERE id = ${v.id}`);
    }
    this.versions = this.versions.filter((v) => !drop.includes(v));
  }
}

/** `t@1700000000000` (absolute epoch ms) or `t@-3600000` (ms ago), as `bq cp` sends them. */
export function parseDecorator(tableId: string, now = Date.now()): { tableId: string; at?: number } {
  const m = /^(.+)@(-?\d+)$/.exec(tableId);
  if (!m) return { tableId };
  const n = Number(m[2]);
  return { tableId: m[1], at: n < 0 ? now + n : n };
}

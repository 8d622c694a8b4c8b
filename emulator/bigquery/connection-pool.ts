/**
 * Idle DuckDB connections for jobs' statements. Opening a connection per job and closing it after cost more of an
 * ordinary statement's time than anything else the emulator adds (the connect is one more trip through libuv's
 * thread pool, and on a busy machine each trip waits to be scheduled). A connection comes back here only when its job
 * left nothing on it (Session decides: no temp tables or functions, no transaction, no error); its only state is the
 * search_path of the job's default dataset, so idle connections are kept per default dataset, and those with a
 * search_path are dropped when any dataset is dropped: a new job's `SET search_path` to a missing dataset fails, and
 * a kept connection must not answer differently.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from './sql/quote.ts';

/** Enough for the jobs a client runs one after another and a few at once; more idle ones only hold memory. */
const IDLE_KEPT = 8;

export interface PooledConnection {
  conn: DuckDBConnection;
  defaultDataset?: string;
  /** The job's time zone (DuckDB's TimeZone setting of this connection); undefined is UTC. */
  timeZone?: string;
  /** The dataset drops counted when its search_path was set. */
  drops: number;
}

export class ConnectionPool {
  private readonly idle: PooledConnection[] = [];
  private drops = 0;
  private closed = false;

  constructor(private readonly open: () => Promise<DuckDBConnection>) {}

  /**
   * A connection whose unqualified names resolve in `defaultDataset` (then main) and whose civil times are in
   * `timeZone` (DuckDB's TimeZone is per connection), as a new one would.
   */
  async acquire(defaultDataset?: string, timeZone?: string): Promise<PooledConnection> {
    for (let k = this.idle.length - 1; k >= 0; k--) {
      if (this.idle[k].defaultDataset === defaultDataset && this.idle[k].timeZone === timeZone) return this.idle.splice(k, 1)[0];
    }
    const pooled: PooledConnection = { conn: await this.open(), defaultDataset, timeZone, drops: this.drops };
    try {
      if (defaultDataset !== undefined) await pooled.conn.run(`SET search_path = ${quoteLiteral(`${defaultDataset},main`)}`);
      if (timeZone !== undefined) await pooled.conn.run(`SET TimeZone = ${quoteLiteral(timeZone)}`);
    } catch (e) {
      pooled.conn.closeSync();
      throw e;
    }
    return pooled;
  }

  /** Takes back a connection its job left clean; anything else is closed by the caller instead. */
  release(pooled: PooledConnection): void {
    const stale = pooled.defaultDataset !== undefined && pooled.drops !== this.drops;
    if (this.closed || stale || this.idle.length >= IDLE_KEPT) {
      pooled.conn.closeSync();
      return;
    }
    this.idle.push(pooled);
  }

  /** A dataset was dropped: connections whose search_path may name it are closed. */
  datasetDropped(): void {
    this.drops++;
    for (let k = this.idle.length - 1; k >= 0; k--) {
      if (this.idle[k].defaultDataset !== undefined) this.idle.splice(k, 1)[0].conn.closeSync();
    }
  }

  close(): void {
    this.closed = true;
    for (const p of this.idle.splice(0)) p.conn.closeSync();
  }
}

/**
 * DuckDB's reach into the file system, switched off: its table functions (read_text, read_csv, read_parquet, glob…),
 * COPY TO, ATTACH, EXPORT/IMPORT and extension installs would otherwise let any SQL the emulator runs read and write
 * the developer's files. DuckDB keeps access only to a staging folder of this emulator, where load jobs stage their
 * data and extract jobs write before the file is moved into the local bucket folder; its own database file, WAL and
 * spill folder stay usable. DuckDB itself refuses to switch access back on, or to widen the allowed folders, while the
 * database runs. The configuration is not locked: a locked one would also fix every connection's TimeZone, and a job's
 * `time_zone` connection property sets its connection's (time-zone.ts). No statement of a client reaches DuckDB as a
 * SET or PRAGMA: the emulator translates BigQuery statements, whose SET assigns a script variable.
 */
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from './sql/quote.ts';

/** A fresh folder for this emulator's staged files (removed when it stops). */
export function createStagingDir(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'gg-bq-staging-')));
}

/** Settings every connection inherits; call once on the first connection, before any other statement. */
export async function lockDownFileAccess(conn: DuckDBConnection, stagingDir: string): Promise<void> {
  // New connections inherit UTC, BigQuery's default time zone; a job with another sets its own connection's.
  await conn.run("SET GLOBAL TimeZone = 'UTC'");
  await conn.run(`SET allowed_directories = [${quoteLiteral(stagingDir + sep)}]`);
  await conn.run('SET enable_external_access = false');
}

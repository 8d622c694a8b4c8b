/**
 * DuckDB's reach into the file system, switched off: its table functions (read_text, read_csv, read_parquet, glob…),
 * COPY TO, ATTACH, EXPORT/IMPORT and extension installs would otherwise let any SQL the emulator runs read and write
 * the developer's files. DuckDB keeps access only to a staging folder of this emulator, where load jobs stage their
 * data and extract jobs write before the file is moved into the local bucket folder; its own database file, WAL and
 * spill folder stay usable. The configuration is then locked, so no statement can switch access back on.
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
  // Connections cannot SET TimeZone once the configuration is locked: they inherit it from here.
  await conn.run("SET GLOBAL TimeZone = 'UTC'");
  await conn.run(`SET allowed_directories = [${quoteLiteral(stagingDir + sep)}]`);
  await conn.run('SET enable_external_access = false');
  await conn.run('SET lock_configuration = true');
}

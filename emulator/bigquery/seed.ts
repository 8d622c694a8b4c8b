/**
 * An in-memory emulator started from a copy of a database file another emulator wrote (e.g. a stack the dataform CLI
 * deployed once): the tables, views, their rows, the catalog and the time-travel history, as they were. The file is
 * read, never written. The catalog names the project the file was written under; it is renamed to the new emulator's,
 * so `datasets.get` and the views' SQL name the project that serves them.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from './sql/quote.ts';

export interface DatabaseSeed {
  /** A DuckDB file an emulator wrote (and closed). */
  file: string;
  /** The project id that emulator served. */
  projectId: string;
}

const SEED_ALIAS = '__gg_seed';

export async function copySeed(conn: DuckDBConnection, seed: DatabaseSeed, projectId: string): Promise<void> {
  await conn.run(`ATTACH ${quoteLiteral(seed.file)} AS ${SEED_ALIAS} (READ_ONLY)`);
  try {
    await conn.run(`COPY FROM DATABASE ${SEED_ALIAS} TO memory`);
  } finally {
    await conn.run(`DETACH ${SEED_ALIAS}`);
  }
  if (seed.projectId === projectId) return;
  const rows = (await conn.runAndReadAll('SELECT key, body FROM __gg_meta.objects')).getRowObjects();
  for (const row of rows) {
    const renamed = renameProject(String(row.body), seed.projectId, projectId);
    if (renamed !== row.body) await conn.run(`UPDATE __gg_meta.objects SET body = ${quoteLiteral(renamed)} WHERE key = ${quoteLiteral(String(row.key))}`);
  }
}

/**
 * The catalog entry with `from` renamed `to` wherever it names the project: the `projectId` field and the first part
 * of a view's table paths (the DuckDB view itself names no project).
 */
function renameProject(body: string, from: string, to: string): string {
  const entry = JSON.parse(body) as { projectId?: string; viewQuery?: string };
  if (entry.projectId === from) entry.projectId = to;
  // Only where it is the first part of a table path (`from.ds.t`, `from`.ds.t): a string literal keeps its text.
  if (entry.viewQuery) entry.viewQuery = entry.viewQuery.replace(new RegExp(`(?<![\\w.:-])${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=\`?\\.)`, 'g'), to);
  return JSON.stringify(entry);
}

/**
 * Test process: what a `npm start --keep-running` holds — the state directory's lock and a BigQuery emulator on the
 * directory's DuckDB file with a row in it. Prints `{ url }` once ready, then stays up until killed.
 */
import { join } from 'node:path';
import { startBigQueryEmulator } from '@gradeguard/bigquery-emulator';
import { lockStateDir } from '../../tools/demo/state-dir-lock.ts';
import { mkdirSync } from 'node:fs';

const dir = process.argv[2]!;
mkdirSync(dir, { recursive: true });
lockStateDir(dir);
const emulator = await startBigQueryEmulator({ port: 0, file: join(dir, 'bigquery.duckdb') });
const query = async (sql: string) => {
  const r = await fetch(`${emulator.url}/bigquery/v2/projects/${emulator.projectId}/queries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: sql, useLegacySql: false }),
  });
  if (!r.ok) throw new Error(await r.text());
};
await query('CREATE SCHEMA IF NOT EXISTS live');
await query("CREATE TABLE live.rows AS SELECT 'still here' AS note");
process.stdout.write(JSON.stringify({ url: emulator.url, projectId: emulator.projectId }) + '\n');
setInterval(() => undefined, 60_000);

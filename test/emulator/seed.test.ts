/**
 * An emulator started from a copy of another's database file (the `seed` option): the rows, tables, views and catalog
 * as they were, the project renamed to the new emulator's everywhere it is named, and the file itself never written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigQuery } from '@google-cloud/bigquery';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startBigQueryEmulator, type BigQueryEmulator } from '@gradeguard/bigquery-emulator';

const dir = mkdtempSync(join(tmpdir(), 'gg-seed-'));
const file = join(dir, 'seed.duckdb');
const seed = { file, projectId: 'seed-origin' };
const started: BigQueryEmulator[] = [];

async function seeded(projectId: string): Promise<BigQuery> {
  const emulator = await startBigQueryEmulator({ port: 0, projectId, seed });
  started.push(emulator);
  return new BigQuery({ projectId, apiEndpoint: emulator.url });
}

beforeAll(async () => {
  process.env.METADATA_SERVER_DETECTION = 'none';
  const origin = await startBigQueryEmulator({ port: 0, file, projectId: seed.projectId });
  const bq = new BigQuery({ projectId: seed.projectId, apiEndpoint: origin.url });
  await bq.createDataset('ds');
  await bq.query('CREATE TABLE ds.t (id INT64, name STRING) OPTIONS (description = "people")');
  await bq.query("INSERT ds.t (id, name) VALUES (1, 'a'), (2, 'b')");
  // A longer project id that starts with the origin's, and a string literal of the origin's, must keep their text.
  await bq.query('CREATE VIEW ds.v AS SELECT id, "seed-origin-2" AS label, \'seed-origin\' AS origin FROM `seed-origin.ds.t` WHERE id > 1');
  await origin.stop();
});
afterAll(async () => {
  for (const emulator of started) await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a seeded emulator serves the copy under its own project: rows, table options, views and their SQL', async () => {
  const bq = await seeded('seed-copy');
  const [rows] = await bq.query('SELECT id, name FROM ds.t ORDER BY id');
  expect(rows).toEqual([
    { id: 1, name: 'a' },
    { id: 2, name: 'b' },
  ]);
  const [table] = await bq.dataset('ds').table('t').getMetadata();
  expect(table).toMatchObject({ id: 'seed-copy:ds.t', description: 'people', type: 'TABLE' });
  const [dataset] = await bq.dataset('ds').getMetadata();
  expect(dataset.id).toBe('seed-copy:ds');
  const [view] = await bq.dataset('ds').table('v').getMetadata();
  // Renamed where it is a table path's project; a string literal keeps its text (and the view still returns it).
  expect(view.view.query).toBe('SELECT id, "seed-origin-2" AS label, \'seed-origin\' AS origin FROM `seed-copy.ds.t` WHERE id > 1');
  const [viewRows] = await bq.query('SELECT * FROM `seed-copy.ds.v`');
  expect(viewRows).toEqual([{ id: 2, label: 'seed-origin-2', origin: 'seed-origin' }]);
});

test('writes go to the copy, never to the file: the next emulator seeded from it starts from the same rows', async () => {
  const first = await seeded('seed-writer');
  await first.query('DELETE ds.t WHERE TRUE');
  await first.query('DROP VIEW ds.v');
  const [[{ n }]] = await first.query('SELECT COUNT(*) AS n FROM ds.t');
  expect(n).toBe(0);
  const second = await seeded('seed-reader');
  const [rows] = await second.query('SELECT COUNT(*) AS n FROM ds.t');
  expect(rows).toEqual([{ n: 2 }]);
  const [exists] = await second.dataset('ds').table('v').exists();
  expect(exists).toBe(true);
});

test('a seed starts an in-memory emulator: with a database file it is refused', async () => {
  await expect(startBigQueryEmulator({ port: 0, file: join(dir, 'other.duckdb'), seed })).rejects.toThrow('A seed starts an in-memory emulator');
});

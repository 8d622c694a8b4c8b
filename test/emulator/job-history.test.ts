/**
 * The emulator keeps a bounded recent set of finished jobs (BigQuery keeps job information for six months, jobs.list
 * reference): without a bound a long-lived emulator (npm start --keep-running, chaos, the benches) held every job
 * and its result rows forever. A job dropped from the history answers 404 saying the local emulator dropped it, and its
 * id stays taken (BigQuery refuses a reused job id). The bound is an option, so this needs three jobs, not a thousand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBigQueryEmulator, type BigQueryEmulator } from '@gradeguard/bigquery-emulator';
import { rest } from '../helpers/bigquery.ts';

let emulator: BigQueryEmulator;
let base: string;
const jobsPath = () => `/projects/${emulator.projectId}/jobs`;

beforeAll(async () => {
  emulator = await startBigQueryEmulator({ port: 0, file: ':memory:', finishedJobsKept: 2 });
  base = emulator.url;
});
afterAll(() => emulator?.stop());

async function finishedQuery(jobId: string, sql: string): Promise<void> {
  const inserted = await rest(base, 'POST', jobsPath(), { jobReference: { jobId }, configuration: { query: { query: sql, useLegacySql: false } } });
  expect(inserted.status, JSON.stringify(inserted.json)).toBe(200);
  const results = await rest(base, 'GET', `/projects/${emulator.projectId}/queries/${jobId}?timeoutMs=60000`);
  expect(results.json.jobComplete).toBe(true);
}

describe('finished-job history', () => {
  it('keeps the last finishedJobsKept finished jobs; an older one answers 404 naming the bound, and its id stays taken', async () => {
    await finishedQuery('history_first', 'SELECT 1 AS n');
    await finishedQuery('history_second', 'SELECT 2 AS n');
    await finishedQuery('history_third', 'SELECT 3 AS n');

    const listed = await rest(base, 'GET', jobsPath());
    expect(listed.json.jobs.map((j: any) => j.jobReference.jobId).sort()).toEqual(['history_second', 'history_third']);
    expect((await rest(base, 'GET', `${jobsPath()}/history_second`)).json.status.state).toBe('DONE');

    const dropped = await rest(base, 'GET', `${jobsPath()}/history_first`);
    expect(dropped.status).toBe(404);
    expect(dropped.json.error.errors[0].reason).toBe('notFound');
    expect(dropped.json.error.message).toBe(
      `Not found: Job ${emulator.projectId}:US.history_first (not supported by the local emulator: it keeps only the last 2 finished jobs; BigQuery keeps job information for six months)`,
    );

    const reused = await rest(base, 'POST', jobsPath(), { jobReference: { jobId: 'history_first' }, configuration: { query: { query: 'SELECT 4', useLegacySql: false } } });
    expect(reused.status).toBe(409);
    expect(reused.json.error.message).toBe(`Already Exists: Job ${emulator.projectId}:US.history_first`);
  });

  it('refuses a bound that is not a positive integer', async () => {
    await expect(startBigQueryEmulator({ port: 0, file: ':memory:', finishedJobsKept: 0 })).rejects.toThrow('finishedJobsKept must be a positive integer, got 0');
  });
});

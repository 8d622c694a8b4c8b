/**
 * The emulator's opt-in trace of transaction jobs (what the chaos suite times its faults from): a line when a job
 * opening a transaction is inserted and one when its client sees it done, with the run id its SQL carries. Real HTTP.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBigQueryEmulator, type BigQueryEmulator } from '@gradeguard/bigquery-emulator';
import { rest } from '../helpers/bigquery.ts';

let emu: BigQueryEmulator;
const lines: any[] = [];

beforeAll(async () => {
  emu = await startBigQueryEmulator({ port: 0, traceTransactions: (line) => void lines.push(JSON.parse(line)) });
  await rest(emu.url, 'POST', `/projects/${emu.projectId}/datasets`, { datasetReference: { datasetId: 'tx' } });
  await rest(emu.url, 'POST', `/projects/${emu.projectId}/queries`, { query: 'CREATE TABLE tx.t (k INT64, run_id STRING)', useLegacySql: false });
});
afterAll(() => emu?.stop());

async function runJob(query: string, queryParameters?: unknown[]): Promise<string> {
  const r = await rest(emu.url, 'POST', `/projects/${emu.projectId}/jobs`, { configuration: { query: { query, useLegacySql: false, ...(queryParameters ? { queryParameters, parameterMode: 'NAMED' } : {}) } } });
  const id = r.json.jobReference.jobId;
  for (;;) {
    const j = await rest(emu.url, 'GET', `/projects/${emu.projectId}/jobs/${id}`);
    if (j.json.status.state === 'DONE') return id;
    await new Promise((res) => setTimeout(res, 20));
  }
}

it('traces a transaction job begun and done with its run id and table; other jobs are not traced', async () => {
  await runJob('SELECT 1 AS x');
  expect(lines).toEqual([]);
  const id = await runJob("BEGIN TRANSACTION;\nDELETE FROM `tx.t` WHERE k = 1;\nINSERT INTO tx.t SELECT 1 AS k, 'grade-20260105-x1' AS run_id;\nCOMMIT TRANSACTION;");
  expect(lines.map((l) => [l.event, l.job_id, l.run_id, l.table, l.error ?? null])).toEqual([
    ['transaction_job_inserted', id, 'grade-20260105-x1', 't', null],
    ['transaction_job_done', id, 'grade-20260105-x1', 't', null],
  ]);
  lines.length = 0;
  const byParam = await runJob('BEGIN TRANSACTION;\nDELETE FROM tx.t WHERE run_id = @run_id;\nCOMMIT TRANSACTION;', [
    { name: 'run_id', parameterType: { type: 'STRING' }, parameterValue: { value: 'remediate-7' } },
  ]);
  expect(lines.map((l) => [l.event, l.job_id, l.run_id])).toEqual([
    ['transaction_job_inserted', byParam, 'remediate-7'],
    ['transaction_job_done', byParam, 'remediate-7'],
  ]);
});

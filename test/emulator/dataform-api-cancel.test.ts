/**
 * The local Dataform API stand-in's cancel is real: cancelling a running invocation stops its `dataform run`, so no
 * further action runs. The invocation (grading + reporting of one date) is cancelled the moment the BigQuery emulator
 * reports its first transaction done — before the CLI can see that job finish — and afterwards not one more job of the
 * run reached BigQuery: the reporting tables hold nothing of it, every action not reported is CANCELLED.
 */
import { BigQuery } from '@google-cloud/bigquery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBigQueryEmulator, type BigQueryEmulator } from '@gradeguard/bigquery-emulator';
import type { DataformApi } from '../../emulator/dataform-api/index.ts';
import { startLocalDataformApi } from '../../src/runner/executors/local-dataform-api.ts';
import { dataformApiClient } from '../../src/runner/executors/dataform-api-executor.ts';
import { generateSeason, loadSeason } from '../../tools/synthetic/season.ts';
import { projectConfig } from '../../src/warehouse/target.ts';
import { deployLocal } from '../helpers/deploy.ts';
import { deployedSeed } from '../helpers/deployed-seed.ts';

const DATE = '2026-02-03';
const RUN_ID = 'cancel-test-1';
const config = projectConfig();
let emulator: BigQueryEmulator;
let api: DataformApi;
let bigquery: BigQuery;
const transactions: Array<{ event: string; run_id: string | null; table: string | null }> = [];
const REPORTING = ['system_daily_performance', 'performance_summary'];
let cancelled = false;

beforeAll(async () => {
  process.env.METADATA_SERVER_DETECTION = 'none';
  const seed = deployedSeed();
  emulator = await startBigQueryEmulator({
    port: 0,
    seed,
    // Runs synchronously before the emulator answers: the cancel (which kills the CLI) happens before the CLI can learn
    // that its first transaction is done and go on to the next action.
    traceTransactions: (line) => {
      const event = JSON.parse(line) as { event: string; run_id: string | null; table: string | null };
      transactions.push(event);
      if (event.event === 'transaction_job_done' && event.run_id === RUN_ID && !cancelled) {
        cancelled = true;
        for (const invocation of api.state.invocationList()) api.state.cancel(invocation.name);
      }
    },
  });
  bigquery = new BigQuery({ projectId: emulator.projectId, apiEndpoint: emulator.url });
  // Deployed first (the views and pipeline tables, npm run deploy), as every stack is: runs never create them.
  if (!seed) await deployLocal(bigquery, { projectId: emulator.projectId, emulatorUrl: emulator.url });
  await loadSeason(bigquery, config.defaultSchema, generateSeason({ seed: 5, dates: 1, players: 10, systems: 2, teams: 4, gamesPerDate: 2, startDate: DATE }));
  api = await startLocalDataformApi({ bigquery: { projectId: emulator.projectId, location: config.defaultLocation, emulatorUrl: emulator.url } });
}, 180_000);
afterAll(async () => {
  await api?.stop();
  await emulator?.stop();
});

describe('local Dataform API stand-in: workflowInvocations.cancel', () => {
  it('stops a running invocation: no action runs after the cancel', async () => {
    const client = dataformApiClient({ emulatorUrl: api.url });
    try {
      const [compilation] = await client.createCompilationResult({
        parent: api.repository,
        compilationResult: { gitCommitish: 'main', codeCompilationConfig: { vars: { date_tokens: `${DATE}:1`, run_id: RUN_ID, operation: 'grading' }, assertionSchema: 'cancel_test_assertions' } },
      });
      expect(compilation.compilationErrors ?? []).toEqual([]);
      const [created] = await client.createWorkflowInvocation({
        parent: api.repository,
        workflowInvocation: { compilationResult: compilation.name, invocationConfig: { includedTags: ['grading', 'reporting'] } },
      });
      let state = String(created.state);
      for (let i = 0; i < 1_200 && (state === 'RUNNING' || state === 'CANCELING'); i++) {
        await new Promise((r) => setTimeout(r, 250));
        state = String((await client.getWorkflowInvocation({ name: created.name! }))[0].state);
      }
      expect(state).toBe('CANCELLED');
      expect(cancelled).toBe(true);

      // The run's transactions that reached BigQuery were the grading ones running when the cancel came; the reporting
      // actions, which depend on them, never sent one.
      const sent = transactions.filter((t) => t.event === 'transaction_job_inserted' && t.run_id === RUN_ID);
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.filter((t) => REPORTING.includes(t.table ?? ''))).toEqual([]);
      const actions: Array<{ state?: unknown; target?: { name?: string | null } | null }> = [];
      for await (const action of client.queryWorkflowInvocationActionsAsync({ name: created.name! }, { autoPaginate: false })) actions.push(action);
      const reporting = actions.filter((a) => REPORTING.includes(a.target?.name ?? ''));
      expect(reporting.map((a) => a.state)).toEqual(['CANCELLED', 'CANCELLED']);
      expect(actions.filter((a) => a.state === 'RUNNING' || a.state === 'PENDING')).toEqual([]);
      for (const table of REPORTING) {
        const [exists] = await bigquery.dataset(config.defaultSchema).table(table).exists();
        if (!exists) continue;
        const [rows] = await bigquery.query({ query: `SELECT COUNT(*) AS n FROM \`${emulator.projectId}.${config.defaultSchema}.${table}\` WHERE run_id = @id`, params: { id: RUN_ID } });
        expect(rows, table).toEqual([{ n: 0 }]);
      }
    } finally {
      await client.close();
    }
  }, 600_000);
});

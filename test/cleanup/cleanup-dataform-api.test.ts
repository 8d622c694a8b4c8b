/**
 * `cleanup run --executor dataform-api`: the reporting recompute goes through the Dataform API executor, as grade's
 * does. Real processes: the cleanup command drives Google's @google-cloud/dataform client against the local Dataform API
 * stand-in (which compiles and runs with the real dataform CLI against the BigQuery emulator). The invocations are read
 * back through the stand-in's API (list, compilation result, actions) and the recomputed reporting reconciles with the
 * hand-deduplicated rows.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DataformApi } from '../../emulator/dataform-api/index.ts';
import { startLocalDataformApi } from '../../src/runner/executors/local-dataform-api.ts';
import { dataformApiClient } from '../../src/runner/executors/dataform-api-executor.ts';
import { BROKEN_MESSAGE, brokenProject } from '../helpers/broken-project.ts';
import { expectedDailyPerformance, expectedFigures, type IncidentRow } from './incident.ts';
import { said, startHarness, type Harness } from './harness.ts';

let h: Harness;
let api: DataformApi;
let rows: IncidentRow[];
const DS = 'nba_predictions';

beforeAll(async () => {
  h = await startHarness();
  api = await startLocalDataformApi({ bigquery: h.target });
  rows = await h.reset();
}, 180_000);
afterEach(() => h?.killChildren());
afterAll(async () => {
  await api?.stop();
  await h?.stop();
});

describe('cleanup run --executor dataform-api', () => {
  it('a project that does not compile stops the cleanup before it locks or writes anything (exit 1, the errors printed)', async () => {
    const broken = await startLocalDataformApi({ bigquery: h.target, projectDir: brokenProject() });
    try {
      const tables = await h.rows(`SELECT table_name FROM ${DS}.INFORMATION_SCHEMA.TABLES ORDER BY table_name`);
      const run = await h.cli(['run', '--table', 'prediction_accuracy', '--confirm', '--executor', 'dataform-api'], { DATAFORM_EMULATOR_HOST: broken.url, GRADEGUARD_DATAFORM_REPOSITORY: broken.repository });
      expect(run.code, said(run)).toBe(1);
      expect(run.stderr).toContain('cleanup: the project does not compile; no lock was taken and nothing was written');
      expect(run.stderr).toContain(BROKEN_MESSAGE);
      expect(await h.rows(`SELECT table_name FROM ${DS}.INFORMATION_SCHEMA.TABLES ORDER BY table_name`)).toEqual(tables);
      expect((await h.firestore.collection('cleanup_state').get()).size).toBe(0);
      expect((await h.firestore.collection('cleanup_locks').get()).size).toBe(0);
      expect((await h.firestore.collection('grading_locks').get()).size).toBe(0);
      expect(broken.state.invocationList()).toEqual([]);
    } finally {
      await broken.stop();
    }
  }, 300_000);

  it('recomputes the reporting through workflow invocations of the Dataform API, fenced with the grading tokens, and reconciles', async () => {
    const run = await h.cli(['run', '--table', 'prediction_accuracy', '--confirm', '--json', '--executor', 'dataform-api'], {
      DATAFORM_EMULATOR_HOST: api.url,
      GRADEGUARD_DATAFORM_REPOSITORY: api.repository,
    });
    expect(run.code, said(run)).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.status).toBe('done');
    expect(run.stderr).toContain(`the Dataform API, repository ${api.repository}`);

    // Read back through the API: the invocations this cleanup created, their compilations and their actions.
    const client = dataformApiClient({ emulatorUrl: api.url });
    try {
      const [invocations] = await client.listWorkflowInvocations({ parent: api.repository });
      expect(invocations.length).toBeGreaterThan(0);
      const affected = expectedFigures(rows)
        .dates.filter((d) => d.removed > 0)
        .map((d) => d.date);
      const recomputed: string[] = [];
      for (const invocation of invocations) {
        expect(invocation.state).toBe('SUCCEEDED');
        expect(invocation.invocationConfig?.includedTags).toEqual(['reporting']);
        const [compilation] = await client.getCompilationResult({ name: invocation.compilationResult! });
        const vars = compilation.codeCompilationConfig?.vars ?? {};
        expect(vars.operation).toBe('cleanup');
        expect(vars.run_id).toMatch(new RegExp(`^${report.cleanupId.replace(/[.]/g, '\\.')}\\.recompute\\.`));
        const tokens = vars.date_tokens!.split('+').map((t) => t.split(':'));
        for (const [date, token] of tokens) {
          recomputed.push(date);
          // Each date fenced by the token of the grading lease the cleanup held: the recomputed rows carry it.
          const written = await h.rows<{ run_id: string; lock_token: number }>(`SELECT DISTINCT run_id, lock_token FROM ${DS}.system_daily_performance WHERE game_date = CAST(@d AS DATE)`, { d: date });
          expect(written, date).toEqual([{ run_id: vars.run_id, lock_token: Number(token) }]);
          expect(Number(token)).toBeGreaterThan(0);
        }
        const actions: Array<{ state?: unknown; target?: { name?: string | null } | null }> = [];
        for await (const action of client.queryWorkflowInvocationActionsAsync({ name: invocation.name! }, { autoPaginate: false })) actions.push(action);
        expect(actions.map((a) => a.target?.name)).toEqual(expect.arrayContaining(['system_daily_performance', 'performance_summary']));
        expect(
          actions.every((a) => a.state === 'SUCCEEDED'),
          JSON.stringify(actions),
        ).toBe(true);
      }
      expect(recomputed.sort()).toEqual(affected);

      // The recomputed reporting = the metrics counted from the hand-deduplicated rows.
      const perf = await h.rows<{ game_date: string; system_id: string; predictions: number; decided: number; correct: number }>(
        `SELECT CAST(game_date AS STRING) AS game_date, system_id, predictions, decided, correct FROM ${DS}.system_daily_performance ORDER BY game_date, system_id`,
      );
      expect(new Map(perf.map((p) => [`${p.game_date}|${p.system_id}`, { predictions: p.predictions, decided: p.decided, correct: p.correct }]))).toEqual(expectedDailyPerformance(rows, affected));
      const [step] = await h.rows(`SELECT status FROM ${DS}.grading_runs WHERE STARTS_WITH(run_id, @id) AND operation = 'cleanup.recompute'`, { id: report.cleanupId });
      expect(step).toEqual({ status: 'succeeded' });
    } finally {
      await client.close();
    }
  }, 600_000);
});

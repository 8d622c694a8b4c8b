/**
 * Runs that need no data, on an emulator with no dataset at all: `dataform test` (the unit tests of the grading rules in
 * definitions/grading/tests), a run before the deploy (it fails: runs create no table or view), the deploy, and a first
 * reporting-only run after it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { DEPLOYED_OBJECTS, SOURCE_TABLES } from '../../src/runner/deploy.ts';
import { deployLocal } from '../helpers/deploy.ts';
import { DATASET, output, startExecutionStack, type ExecutionStack } from './execution-stack.ts';

let stack: ExecutionStack;
const unitTests = readdirSync(join(repoRoot, 'definitions/grading/tests'))
  .filter((file) => file.endsWith('.sqlx'))
  .map((file) => file.replace(/\.sqlx$/, ''));

beforeAll(async () => {
  stack = await startExecutionStack(undefined, { deploy: false });
});

afterAll(async () => {
  await stack?.bq.stop();
});

describe('dataform test on the emulator', () => {
  it('every unit test of the grading rules passes', async () => {
    expect(unitTests.length).toBeGreaterThanOrEqual(10);
    // The unit tests do not depend on the run's date, but the project compiles only with one (includes/run_vars.js).
    const result = await stack.dataform(['test', '.', '--vars=game_date=2026-01-17']);
    expect(result.code, output(result)).toBe(0);
    const passed = [...result.stdout.matchAll(/^(\S+): passed$/gm)].map((m) => m[1]).sort();
    expect(passed).toEqual([...unitTests].sort());
    expect(result.stdout).toContain(`Running ${unitTests.length} unit tests`);
  }, 120_000);

  it('a run on a dataset never deployed fails: runs create no table and no view', async () => {
    const run = await stack.run(['--tags', 'reporting'], { game_date: '2026-01-17', run_id: 'undeployed-report' });
    expect(run.code, output(run)).not.toBe(0);
    const [tables] = await stack.bq.client
      .dataset(DATASET)
      .getTables()
      .catch(() => [[]]);
    expect((tables as Array<{ id?: string }>).map((t) => t.id)).not.toContain('prediction_accuracy_deduped');
  }, 120_000);

  it('the deploy creates every table and view; a reporting-only run after it writes no rows; a second deploy changes nothing', async () => {
    const deployed = await deployLocal(stack.bq.client, stack.bq.target);
    expect(deployed).toMatchObject({ ok: true, attempts: 1 });
    const [tables] = await stack.bq.client.dataset(DATASET).getTables();
    expect(tables.map((t) => t.id)).toEqual(expect.arrayContaining([...DEPLOYED_OBJECTS, ...SOURCE_TABLES]));
    const first = await stack.run(['--tags', 'reporting'], { game_date: '2026-01-17', run_id: 'fresh-report' });
    expect(first.code, output(first)).toBe(0);
    const [counts] = await stack.rows(`SELECT (SELECT COUNT(*) FROM ${stack.table('system_daily_performance')}) AS daily, (SELECT COUNT(*) FROM ${stack.table('performance_summary')}) AS summary`);
    expect(counts).toEqual({ daily: 0, summary: 0 });
    const [run] = await stack.rows(`SELECT status FROM ${stack.table('grading_runs')} WHERE run_id = 'fresh-report'`);
    expect(run).toEqual({ status: 'succeeded' });
    // Idempotent: the tables keep their rows (IF NOT EXISTS), the views are the same text again.
    expect(await deployLocal(stack.bq.client, stack.bq.target)).toMatchObject({ ok: true });
    const [after] = await stack.rows(`SELECT COUNT(*) AS n FROM ${stack.table('grading_runs')}`);
    expect(after).toEqual({ n: 1 });
  }, 240_000);
});

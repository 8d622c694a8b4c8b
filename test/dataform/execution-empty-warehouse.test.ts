/**
 * Runs that need no data, on an emulator with no dataset at all: `dataform test` (the unit tests of the grading rules in
 * definitions/grading/tests) and a first reporting-only run, which must create every table it reads before its views.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { DATASET, output, startExecutionStack, type ExecutionStack } from './execution-stack.ts';

let stack: ExecutionStack;
const unitTests = readdirSync(join(repoRoot, 'definitions/grading/tests')).filter((file) => file.endsWith('.sqlx')).map((file) => file.replace(/\.sqlx$/, ''));

beforeAll(async () => {
  stack = await startExecutionStack();
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

  it('a reporting-only run on a fresh dataset creates the tables before the views over them, and writes no rows', async () => {
    const first = await stack.run(['--tags', 'reporting'], { game_date: '2026-01-17', run_id: 'fresh-report' });
    expect(first.code, output(first)).toBe(0);
    const [tables] = await stack.bq.client.dataset(DATASET).getTables();
    expect(tables.map((t) => t.id)).toEqual(expect.arrayContaining(['prediction_accuracy', 'prediction_accuracy_deduped', 'system_daily_performance', 'performance_summary']));
    const [counts] = await stack.rows(
      `SELECT (SELECT COUNT(*) FROM ${stack.table('system_daily_performance')}) AS daily, (SELECT COUNT(*) FROM ${stack.table('performance_summary')}) AS summary`,
    );
    expect(counts).toEqual({ daily: 0, summary: 0 });
    const [run] = await stack.rows(`SELECT status FROM ${stack.table('grading_runs')} WHERE run_id = 'fresh-report'`);
    expect(run).toEqual({ status: 'succeeded' });
  }, 120_000);
});

/**
 * Every command example in README.md and docs/ that can run without Google Cloud and without destroying anything
 * runs here as a real process against one shared local stack (the BigQuery and Firestore emulators with a small
 * synthetic season, as the demo seeds them), and must exit as documented: 0, or for check / monitor / locks stuck a
 * findings code (never 1 or 2). Examples that would write run with --dry-run added; the others are listed as skipped
 * with the reason (examples.ts).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureTables } from '../../src/warehouse/pipeline-tables.ts';
import { runScript, type ScriptResult } from '../locks-cli/cli.ts';
import { loadTestSeason, startRunnerStack, type RunnerStack, STACK_SETUP_TIMEOUT_MS } from '../runner/stack.ts';
import { docExamples, expandSynopsis, helpExamples, plan, type Example, type Plan } from './examples.ts';

let stack: RunnerStack;
beforeAll(async () => {
  stack = await startRunnerStack();
  await loadTestSeason(stack, { seed: 3, dates: 7, players: 12, systems: 2, teams: 4, gamesPerDate: 2, startDate: '2026-01-14' });
  await ensureTables(stack.bq.client, stack.target, ['prediction_accuracy', 'grading_runs', 'grading_duplicate_audit']);
  // The Java emulator answers its first queries slowly: warm it, so a cold start is not mistaken for a broken example.
  await stack.firestoreClient().collection('gradeguard_circuits').limit(1).get();
}, STACK_SETUP_TIMEOUT_MS);
afterAll(async () => stack?.stop());

const examples = [...docExamples(), ...helpExamples()].flatMap(expandSynopsis);
const planned = examples.map((example) => ({ example, plan: plan(example) }));

test('the docs have examples, and every skip says why', () => {
  expect(planned.filter((p) => p.plan.kind === 'run').length).toBeGreaterThan(20);
  const skipped = planned.filter((p): p is { example: Example; plan: Extract<Plan, { kind: 'skip' }> } => p.plan.kind === 'skip');
  for (const { example, plan: skip } of skipped) expect(skip.reason, `${example.file}: ${example.line}`).toMatch(/\w{3,}/);
  process.stdout.write(`docs examples skipped:\n${skipped.map(({ example, plan: skip }) => `  ${example.file}: ${example.line}  -- ${skip.reason}`).join('\n')}\n`);
});

test('every runnable example exits as documented against the shared stack', async () => {
  const runs = planned.filter((p): p is { example: Example; plan: Extract<Plan, { kind: 'run' }> } => p.plan.kind === 'run');
  const unique = [...new Map(runs.map((r) => [`${r.plan.script} ${r.plan.args.join(' ')}`, r])).values()];
  const env = { ...stack.env, GOOGLE_CLOUD_PROJECT: stack.target.projectId, SLACK_WEBHOOK_URL: '' } as Record<string, string>;
  const results: Array<{ name: string; expect: number[]; result: ScriptResult }> = [];
  // A few at a time: each is a Node process with tsx on a busy machine.
  for (let i = 0; i < unique.length; i += 3) {
    const batch = unique.slice(i, i + 3);
    const done = await Promise.all(batch.map((r) => runScript(r.plan.script, r.plan.args, env)));
    batch.forEach((r, j) => results.push({ name: `${r.example.file}: ${r.example.line}${r.plan.note ? ` (${r.plan.note})` : ''}`, expect: r.plan.expect, result: done[j] }));
  }
  const unexpected = results
    .filter((r) => !r.expect.includes(r.result.code ?? -1))
    .map((r) => `${r.name}\n  exit ${r.result.code} (expected ${r.expect.join(' or ')})\n  ${r.result.stderr.trim().split('\n').slice(-3).join('\n  ')}`);
  expect(unexpected, unexpected.join('\n')).toEqual([]);
}, 600_000);

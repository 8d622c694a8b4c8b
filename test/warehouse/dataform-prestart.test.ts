/**
 * The prestarted dataform CLI (dataform-cli.ts prestartDataform): the process a locked command starts while it takes its
 * lock must run exactly what a cold start runs, and must never outlive an unused start. Real CLI, offline compile.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DATAFORM_TMP_ROOT, prestartDataform, repoRoot, runDataform } from '../../src/warehouse/dataform-cli.ts';

const target = { projectId: 'local-project', location: 'US', emulatorUrl: 'http://127.0.0.1:9' };
const compile = (vars: string) => ['compile', '.', '--json', `--vars=${vars}`];

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// How long a real CLI process may take to notice and exit. It only bounds a wait that returns as soon as the process is
// gone, so it is generous: on a loaded 2-core machine loading the CLI alone has taken over 30 s.
const EXIT_BOUND_MS = 120_000;
const TEST_TIMEOUT_MS = EXIT_BOUND_MS + 60_000;

async function until(condition: () => boolean): Promise<boolean> {
  for (const end = Date.now() + EXIT_BOUND_MS; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (condition()) return true;
  return condition();
}

test('a prestarted CLI given its arguments later prints what a cold start prints, byte for byte', async () => {
  const vars = 'game_date=2026-01-17,run_id=t,lock_token=7';
  const cold = await runDataform(compile(vars), { projectDir: repoRoot, target });
  const prestarted = prestartDataform({ projectDir: repoRoot, target });
  // The command's lock and probes take a while: the process must wait for its arguments, however long.
  await new Promise((r) => setTimeout(r, 1_000));
  const warm = await runDataform(compile(vars), { projectDir: repoRoot, target, prestarted });
  expect(cold.code, cold.stderr).toBe(0);
  expect(warm.code, warm.stderr).toBe(0);
  expect(warm.stdout).toBe(cold.stdout);
  expect(JSON.parse(warm.stdout).tables.length).toBeGreaterThan(0);
  // Taken once: a second run starts its own process (a rerun after a transient error).
  expect(prestarted.take(compile(vars))).toBeUndefined();
}, 120_000);

test("the CLI's refusal of bad vars comes back from a prestarted process as from a cold one", async () => {
  const prestarted = prestartDataform({ projectDir: repoRoot, target });
  const warm = await runDataform(compile('game_date=2026-13-45,run_id=t'), { projectDir: repoRoot, target, prestarted });
  expect(warm.code).toBe(1);
  expect(warm.stderr).toMatch(/Invalid var game_date="2026-13-45"/);
}, 120_000);

test(
  'an unused prestart ends on dispose and leaves no temp folder',
  async () => {
    const prestarted = prestartDataform({ projectDir: repoRoot, target });
    const pid = prestarted.pid!;
    expect(alive(pid)).toBe(true);
    expect(existsSync(prestarted.tmp)).toBe(true);
    await prestarted.dispose();
    expect(await until(() => !alive(pid))).toBe(true);
    // Its own folder, by name: other test files run dataform meanwhile, and their folders come and go in the same root.
    expect(prestarted.tmp.startsWith(DATAFORM_TMP_ROOT)).toBe(true);
    expect(existsSync(prestarted.tmp)).toBe(false);
    expect(prestarted.take(compile('game_date=2026-01-17'))).toBeUndefined();
  },
  TEST_TIMEOUT_MS,
);

test(
  'an aborted run of a prestarted process stops it and reports 130',
  async () => {
    const prestarted = prestartDataform({ projectDir: repoRoot, target });
    const controller = new AbortController();
    const running = runDataform(compile('game_date=2026-01-17,run_id=t,lock_token=1'), { projectDir: repoRoot, target, prestarted, signal: controller.signal });
    controller.abort(new Error('lease lost'));
    const result = await running;
    expect(result.code).toBe(130);
    expect(await until(() => !alive(prestarted.pid!))).toBe(true);
  },
  TEST_TIMEOUT_MS,
);

test(
  'a prestarted process that died before its arguments fails the run with its exit, not the command',
  async () => {
    const prestarted = prestartDataform({ projectDir: repoRoot, target });
    process.kill(prestarted.pid!, 'SIGKILL');
    expect(await until(() => !alive(prestarted.pid!))).toBe(true);
    const result = await runDataform(compile('game_date=2026-01-17,run_id=t,lock_token=1'), { projectDir: repoRoot, target, prestarted });
    expect(result.code).not.toBe(0);
  },
  TEST_TIMEOUT_MS,
);

test(
  'a prestarted process outlives no command: its parent gone without running it, it exits',
  async () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'test', 'fixtures', 'prestart', 'exit-without-run.ts')], { cwd: repoRoot, encoding: 'utf8', timeout: EXIT_BOUND_MS });
    expect(child.status, child.stderr).toBe(0);
    const pid = Number(child.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    // Its stdin closed with the parent: it finishes loading, reads no arguments and exits.
    expect(await until(() => !alive(pid))).toBe(true);
  },
  TEST_TIMEOUT_MS,
);

/**
 * `.local/tmp` stays bounded: the dataform CLI leaves a tmp-* folder per run in its TMPDIR, so each run gets its own
 * folder, removed when it ends (it grew by one folder per run before). Real CLI, offline compile.
 */
import { existsSync, readdirSync } from 'node:fs';
import { expect, test } from 'vitest';
import { DATAFORM_TMP_ROOT, prestartDataform, repoRoot, runDataform } from '../../src/warehouse/dataform-cli.ts';

test('a dataform run leaves nothing behind in .local/tmp', async () => {
  const target = { projectId: 'local-project', location: 'US', emulatorUrl: 'http://127.0.0.1:9' };
  // Started ahead so the test knows the run's folder by name: other test files run dataform meanwhile in the same root.
  const prestarted = prestartDataform({ projectDir: repoRoot, target });
  expect(prestarted.tmp.startsWith(DATAFORM_TMP_ROOT)).toBe(true);
  expect(existsSync(prestarted.tmp)).toBe(true);
  let sawCliTmp = false;
  const watch = setInterval(() => {
    if (existsSync(prestarted.tmp) && readdirSync(prestarted.tmp).some((name) => name.startsWith('tmp-'))) sawCliTmp = true;
  }, 20);
  const result = await runDataform(['compile', '.', '--json', '--vars=game_date=2026-01-17,run_id=t,lock_token=1'], { projectDir: repoRoot, target, prestarted }).finally(() => clearInterval(watch));
  expect(result.code, result.stderr).toBe(0);
  expect(JSON.parse(result.stdout).tables.length).toBeGreaterThan(0);
  expect(existsSync(prestarted.tmp)).toBe(false);
  // What the folder is for: the CLI did write its tmp-* there (seen while it ran), so removing the folder is what bounds it.
  expect(sawCliTmp).toBe(true);
}, 120_000);

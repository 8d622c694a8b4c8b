/**
 * `.local/tmp` stays bounded: the dataform CLI leaves a tmp-* folder per run in its TMPDIR, so each run gets its own
 * folder, removed when it ends (it grew by one folder per run before). Real CLI, offline compile.
 */
import { existsSync, readdirSync } from 'node:fs';
import { expect, test } from 'vitest';
import { DATAFORM_TMP_ROOT, repoRoot, runDataform } from '../../src/warehouse/dataform-cli.ts';

const entries = () => (existsSync(DATAFORM_TMP_ROOT) ? readdirSync(DATAFORM_TMP_ROOT) : []);

test('a dataform run leaves nothing behind in .local/tmp', async () => {
  const before = new Set(entries());
  const result = await runDataform(['compile', '.', '--json', '--vars=game_date=2026-01-17,run_id=t,lock_token=1'], {
    projectDir: repoRoot,
    target: { projectId: 'local-project', location: 'US', emulatorUrl: 'http://127.0.0.1:9' },
  });
  expect(result.code, result.stderr).toBe(0);
  // Other test files may run dataform meanwhile: only folders this run could have made count (none may remain).
  const added = entries().filter((name) => !before.has(name) && name.startsWith('tmp-'));
  expect(added).toEqual([]);
  expect(JSON.parse(result.stdout).tables.length).toBeGreaterThan(0);
}, 120_000);

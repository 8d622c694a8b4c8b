/**
 * Production paths never load the local stack: `grade --help` (and every other command of the container image) resolve
 * no emulator module, no DuckDB and no polyglot. Fails if anything on the command's static import graph imports emulator/ again.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';

function modulesLoadedBy(script: string, args: string[]): { code: number | null; modules: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'gg-modules-'));
  const log = join(dir, 'modules.txt');
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', join(repoRoot, 'test/helpers/record-modules.mjs'), join(repoRoot, script), ...args], {
      cwd: repoRoot,
      env: { ...process.env, GRADEGUARD_MODULE_LOG: log },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { code: run.status, modules: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const LOCAL_ONLY = /\/emulator\/|@duckdb|@polyglot-sql|duckdb/;

describe('module graph of production commands', () => {
  it.each([
    ['scripts/grade.ts', ['--help']],
    ['scripts/consolidate.ts', ['--help']],
    ['scripts/locks.ts', ['--help']],
    // The rest of the container's commands (Dockerfile: the image has no emulator/ folder at all).
    ['scripts/cleanup.ts', ['--help']],
    ['scripts/check.ts', ['--help']],
    ['scripts/monitor.ts', ['--help']],
    ['scripts/remediate.ts', ['--help']],
  ])('%s %s loads no emulator, DuckDB or polyglot module', (script, args) => {
    const { code, modules } = modulesLoadedBy(script, args);
    expect(code).toBe(0);
    // The recorder saw the command's own modules (a hook that recorded nothing would pass vacuously).
    expect(modules.some((m) => m.endsWith('/src/cli/command.ts'))).toBe(true);
    expect(modules.filter((m) => LOCAL_ONLY.test(m))).toEqual([]);
  }, 120_000);
});

/**
 * Production paths never load the local stack: `grade --help` (and every other command of the container image, and
 * grade through the `gradeguard` dispatcher) resolve no emulator module, no DuckDB and no polyglot. Fails if
 * anything on the command's static import graph imports emulator/ again.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';

function modulesLoadedBy(script: string, args: string[], env: Record<string, string> = {}): { code: number | null; modules: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'gg-modules-'));
  const log = join(dir, 'modules.txt');
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', join(repoRoot, 'test/helpers/record-modules.mjs'), join(repoRoot, script), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env, GRADEGUARD_MODULE_LOG: log },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { code: run.status, modules: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const LOCAL_ONLY = /\/emulator\/|bigquery-emulator|@duckdb|@polyglot-sql|duckdb/;
// Loaded on first use (src/cloud/libraries.ts): --help and bad input never pay for them.
const GOOGLE_CLIENTS = /@google-cloud\/|google-auth-library|google-gax/;

describe('module graph of production commands', () => {
  it.each([
    ['scripts/grade.ts', ['--help'], '/src/cli/command.ts'],
    ['scripts/consolidate.ts', ['--help'], '/src/cli/command.ts'],
    ['scripts/locks.ts', ['--help'], '/src/cli/command.ts'],
    // The rest of the container's commands (Dockerfile: the image has no emulator/ folder at all).
    ['scripts/cleanup.ts', ['--help'], '/src/cli/command.ts'],
    ['scripts/check.ts', ['--help'], '/src/cli/command.ts'],
    ['scripts/monitor.ts', ['--help'], '/src/cli/command.ts'],
    ['scripts/remediate.ts', ['--help'], '/src/cli/command.ts'],
    // The dispatcher loads only the chosen command's module; its own --help not even the command frame.
    ['scripts/gradeguard.ts', ['--help'], '/src/cli/invocation.ts'],
    ['scripts/gradeguard.ts', ['grade', '--help'], '/src/cli/command.ts'],
  ])(
    '%s %s loads no emulator, DuckDB, polyglot or Google client module',
    (script, args, seen) => {
      const { code, modules } = modulesLoadedBy(script, args);
      expect(code).toBe(0);
      // The recorder saw the command's own modules (a hook that recorded nothing would pass vacuously).
      expect(modules.some((m) => m.endsWith(seen))).toBe(true);
      expect(modules.filter((m) => LOCAL_ONLY.test(m))).toEqual([]);
      expect(modules.filter((m) => GOOGLE_CLIENTS.test(m))).toEqual([]);
    },
    120_000,
  );

  it('grade off a terminal (a scheduled job, a pipe) does not load log-update: the live view is for terminals only', () => {
    const { code, modules } = modulesLoadedBy('scripts/gradeguard.ts', ['grade', '--help']);
    expect(code).toBe(0);
    expect(modules.some((m) => m.endsWith('/src/cli/live-tasks.ts'))).toBe(true);
    expect(modules.filter((m) => /\/node_modules\/(log-update|ansi-escapes|cli-cursor|wrap-ansi|slice-ansi)\//.test(m))).toEqual([]);
  }, 120_000);

  it('gradeguard --help loads no command: none of scripts/ but the dispatcher, nothing of the library but invocation.ts', () => {
    const { code, modules } = modulesLoadedBy('scripts/gradeguard.ts', ['--help']);
    expect(code).toBe(0);
    const own = modules.filter((m) => m.startsWith('file://') && !m.includes('/node_modules/'));
    expect([...new Set(own.map((m) => m.slice(m.lastIndexOf('/', m.lastIndexOf('/') - 1) + 1)))].sort()).toEqual(['cli/invocation.ts', 'scripts/gradeguard.ts']);
  }, 120_000);

  it('a local command reusing running emulators loads neither: they are imported only to start one', () => {
    // Closed ports: the command takes the local path, reuses the named emulators, finds BigQuery down and exits 1.
    const reused = { BIGQUERY_EMULATOR_HOST: 'http://127.0.0.1:9', FIRESTORE_EMULATOR_HOST: '127.0.0.1:9', GOOGLE_CLOUD_PROJECT: 'module-graph-test', SLACK_WEBHOOK_URL: '' };
    const { code, modules } = modulesLoadedBy('scripts/check.ts', [], reused);
    expect(code).toBe(1);
    expect(modules.some((m) => m.endsWith('/src/warehouse/local-stack.ts'))).toBe(true);
    expect(modules.filter((m) => LOCAL_ONLY.test(m))).toEqual([]);
  }, 120_000);
});

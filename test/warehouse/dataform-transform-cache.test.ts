/**
 * The local stack's memo of vm2's instrumentation (src/warehouse/dataform-transform-cache.ts) changes nothing the CLI
 * compiles: the real `dataform compile` of this project gives the same graph without the memo, filling it, and reading
 * it; a second run reads every entry it needs (writes none); an entry that is garbage is computed again, not trusted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { transformCacheEnv } from '../../src/warehouse/dataform-transform-cache.ts';

const cacheDir = mkdtempSync(join(tmpdir(), 'gg-transform-cache-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

const bundle = join(dirname(createRequire(import.meta.url).resolve('@dataform/cli/package.json')), 'bundle.js');

function compile(env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, 'compile', '.', '--json', '--timeout=5m', '--vars=game_date=2026-01-17,run_id=t,lock_token=1,operation=grade'], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`dataform compile exited ${code}: ${stderr}`))));
  });
}

const entries = () =>
  readdirSync(cacheDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();

test('the compiled graph is the same without the memo, filling it and reading it; garbage entries are recomputed', async () => {
  const cached = transformCacheEnv(cacheDir, process.env);
  const [plain, filling] = await Promise.all([compile(process.env), compile(cached)]);
  expect(JSON.parse(plain).tables.length).toBeGreaterThan(0);
  expect(filling).toBe(plain);

  const written = entries();
  // @dataform/core and this project's files that vm2 instruments.
  expect(written.length).toBeGreaterThan(5);
  const mtimes = written.map((f) => statSync(f).mtimeMs);
  expect(await compile(cached)).toBe(plain);
  expect(entries()).toEqual(written);
  expect(written.map((f) => statSync(f).mtimeMs)).toEqual(mtimes);

  // The largest entry (the core bundle's) replaced by garbage: computed again, rewritten, same graph.
  const largest = written.reduce((a, b) => (statSync(a).size >= statSync(b).size ? a : b));
  writeFileSync(largest, '{"code": 1');
  expect(await compile(cached)).toBe(plain);
  expect(statSync(largest).size).toBeGreaterThan(100_000);
}, 300_000);

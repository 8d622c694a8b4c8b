/**
 * The local stack's memo of vm2's instrumentation (src/warehouse/dataform-transform-cache.ts) changes nothing the CLI
 * compiles: the real `dataform compile` of this project gives the same graph without the memo, filling it, and reading
 * it; a second run reads every entry it needs (writes none); an entry that is garbage is computed again, not trusted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { dataformBin, repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { transformCacheEnv } from '../../src/warehouse/dataform-transform-cache.ts';

const cacheDir = mkdtempSync(join(tmpdir(), 'gg-transform-cache-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

/** `node ARGS` in the repository with `env`: its stdout, or a rejection with its stderr when it exits non-zero. */
function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`node ${args[0]} exited ${code}: ${stderr}`))));
  });
}

const compile = (env: NodeJS.ProcessEnv) => runNode([dataformBin(), 'compile', '.', '--json', '--timeout=5m', '--vars=game_date=2026-01-17,run_id=t,lock_token=1,operation=grade'], env);

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
  // @dataform/core's bundle, which both of the compile's sandboxes load (small files are not kept).
  expect(written.length).toBeGreaterThanOrEqual(2);
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

/** vm2's transformer over code it must instrument (catch bindings, with, import(), its internal name), in a process. */
const TRANSFORM_SCRIPT = `
const { createRequire } = require('node:module');
const path = createRequire(process.cwd() + '/').resolve('@dataform/cli/package.json');
const transformerPath = createRequire(path).resolve('vm2/lib/transformer');
const { transformer } = createRequire(transformerPath)(transformerPath);
const pad = '/*' + ' '.repeat(20000) + '*/\\n';
const bodies = [
  'try { f(); } catch (e) { g(e); }',
  'try { f(); } catch ({ message }) { g(message); }',
  'with (o) { x = 1; }',
  'async function a() { await import("x"); }',
].map((b) => pad + b);
process.stdout.write(JSON.stringify(bodies.map((b) => { const r = transformer(null, b, false, false, 'f.js'); return [b, r.code, r.hasAsync]; })));
`;

const transformInProcess = async (env: NodeJS.ProcessEnv) => JSON.parse(await runNode(['-e', TRANSFORM_SCRIPT], env)) as Array<[string, string, boolean]>;

test("the memo's entries are vm2's own instrumentation: the same code as the transformer computes, on a miss and a hit", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gg-transform-direct-'));
  try {
    const memo = transformCacheEnv(dir, process.env);
    const plain = await transformInProcess(process.env);
    // What vm2 does to these bodies is what a memo must not lose: each comes back changed.
    expect(plain.filter(([body, code]) => code === body)).toEqual([]);
    expect(await transformInProcess(memo)).toEqual(plain);
    const written = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(written.length).toBe(plain.length);
    expect(await transformInProcess(memo)).toEqual(plain);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

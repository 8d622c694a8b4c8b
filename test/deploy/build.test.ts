/**
 * `npm run build` (deploy/build.mjs): the toolkit as JavaScript with declarations, run by plain `node` — no tsx, no
 * TypeScript source loaded — finding the Dataform project (dataform.json, includes/) from inside the build folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';

// The run's build (test/helpers/built-toolkit.ts, from the global setup): `deploy/build.mjs --out-dir`, as `npm run
// build` runs it, inside the repository as dist/ is (the build finds the project root by walking up to dataform.json).
// A build of its own here was two more tsc compilations, about 25 CPU-s of a suite that is CPU-bound on two cores.
// The build folder is shared with every test that spawns a command: the module logs go to a folder of this file's.
const out = inject('builtToolkit');
const logs = mkdtempSync(join(repoRoot, '.local', 'build-test-'));
afterAll(() => rmSync(logs, { recursive: true, force: true }));

// Closed ports: a command that tried to connect would fail differently from bad input.
const nowhere = { BIGQUERY_EMULATOR_HOST: 'http://127.0.0.1:9', FIRESTORE_EMULATOR_HOST: '127.0.0.1:9', GOOGLE_CLOUD_PROJECT: 'local-project', SLACK_WEBHOOK_URL: '' };
const node = (args: string[], env: Record<string, string> = {}, timeout = 120_000) =>
  spawnSync(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...nowhere, ...env }, encoding: 'utf8', timeout });
const gradeguard = (args: string[]) => node([join(out, 'scripts', 'gradeguard.js'), ...args]);

describe('the build', () => {
  it('has JavaScript, declarations and the includes the library imports', () => {
    for (const file of [
      'scripts/gradeguard.js',
      'src/cli/command.js',
      'src/cli/command.d.ts',
      'node_modules/@gradeguard/bigquery-emulator/index.js',
      'node_modules/@gradeguard/bigquery-emulator/package.json',
      'includes/business_keys.js',
      'includes/package.json',
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    // The .ts specifiers were rewritten: plain node cannot load a .ts import.
    expect(readFileSync(join(out, 'scripts', 'gradeguard.js'), 'utf8')).toMatch(/import\(['"]\.\/grade\.js['"]\)/);
  });

  it('gradeguard --help and gradeguard grade --help answer under plain node, loading no TypeScript, tsx, local engine or Google client', () => {
    const log = join(logs, 'modules.txt');
    for (const args of [['--help'], ['grade', '--help']]) {
      rmSync(log, { force: true });
      const run = node(['--import', join(repoRoot, 'test/helpers/record-modules.mjs'), join(out, 'scripts', 'gradeguard.js'), ...args], { GRADEGUARD_MODULE_LOG: log });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(args.length === 1 ? /^Usage: gradeguard <command>/ : /^Usage: gradeguard grade /);
      const modules = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      expect(modules.some((m) => m.endsWith('/scripts/gradeguard.js'))).toBe(true);
      expect(modules.filter((m) => /\.ts$|\/tsx\/|\/emulator\/|bigquery-emulator|@duckdb|@polyglot-sql|@google-cloud\/|google-auth-library/.test(m))).toEqual([]);
    }
  });

  it('--target local finds the built emulator package by its name and serves a query under plain node', () => {
    // The compiled library's dynamic import('@gradeguard/bigquery-emulator') resolves to dist/node_modules/..., not
    // the repository's TypeScript source (node_modules/@gradeguard/bigquery-emulator links to emulator/bigquery).
    const script = `
      const { startLocalEndpoints } = await import(${JSON.stringify(join(out, 'src/warehouse/local-stack.js'))});
      const logger = { debug() {}, info() {}, warn() {}, error() {} };
      const local = await startLocalEndpoints({ env: {}, logger, bigqueryFile: ':memory:', needsFirestore: false });
      const response = await fetch(local.emulatorUrl + '/bigquery/v2/projects/' + local.projectId + '/queries', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'SELECT 1 + 1 AS two', useLegacySql: false }) });
      console.log(JSON.stringify((await response.json()).rows));
      for (const stop of local.stops) await stop();`;
    const log = join(logs, 'modules-local.txt');
    const run = node(['--import', join(repoRoot, 'test/helpers/record-modules.mjs'), '--input-type=module', '-e', script], { GRADEGUARD_MODULE_LOG: log });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([{ f: [{ v: '2' }] }]);
    const modules = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    expect(modules.some((m) => m.includes(`${out}/node_modules/@gradeguard/bigquery-emulator/index.js`))).toBe(true);
    expect(modules.filter((m) => /\.ts$|\/tsx\//.test(m))).toEqual([]);
  });

  it("the emulator package's own bin runs under plain node: --help, and a bad flag exits 2", () => {
    const bin = join(out, 'node_modules/@gradeguard/bigquery-emulator/bin.js');
    const help = node([bin, '--help']);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: bigquery-emulator \[--port 9050\]/);
    const bad = node([bin, '--port', 'many']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('Invalid --port many: expected an integer from 0 to 65535\n');
  });

  it('a command reading the Dataform project refuses bad input with exit 2, nothing touched', () => {
    // cleanup checks --table against includes/business_keys.js before opening anything.
    const run = gradeguard(['cleanup', 'status', '--table', 'nope_table']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^cleanup: No such table "nope_table" for cleanup: expected a table with a business key \(.*prediction_accuracy/);
    expect(run.stdout).toBe('');
  });

  it('an unknown command: exit 2 with the list', () => {
    const run = gradeguard(['nope']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^gradeguard: unknown command "nope"\n\nUsage: gradeguard <command>[\s\S]*\n {2}grade {2,}/);
  });

  it('resolves the Dataform project root to the repository, not the build folder', () => {
    const run = node(['--input-type=module', '-e', `import { repoRoot } from ${JSON.stringify(join(out, 'src/warehouse/dataform-cli.js'))}; console.log(repoRoot)`]);
    expect(run.stdout.trim(), run.stderr).toBe(repoRoot);
  });
});

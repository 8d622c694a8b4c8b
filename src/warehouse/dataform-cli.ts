/**
 * Runs the real `dataform` CLI as a child process against a target (local emulator or BigQuery).
 * `run` and `test` insist on a credentials file and, for offline compiles, on a real `node_modules/@dataform/core`
 * inside the project; both are arranged here. The credentials file is ours, per target, under .local/ and passed with
 * `--credentials`: a user's own `.df-credentials.json` is never overwritten, and concurrent runs against different
 * targets never read each other's (or a half-written) file.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessPromise } from 'zx/core';
import { transformCacheDir, transformCacheEnv } from './dataform-transform-cache.ts';

/**
 * The Dataform project's root (dataform.json, definitions/, includes/, node_modules/@dataform/core): the nearest folder
 * above this module holding dataform.json — the repository from src/, the package root from the build in dist/.
 */
export const repoRoot = projectRootAbove(dirname(fileURLToPath(import.meta.url)));

function projectRootAbove(dir: string): string {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'dataform.json'))) return at;
    if (dirname(at) === at) throw new Error(`No dataform.json in any folder above ${dir}: gradeguard runs from its repository or package`);
  }
}
const require = createRequire(import.meta.url);

export interface DataformTarget {
  /** BigQuery project the jobs run in (and the default database). */
  projectId: string;
  location: string;
  /** The emulator's base URL; undefined for real BigQuery. */
  emulatorUrl?: string;
}

export interface DataformResult {
  code: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/**
 * Environment for the CLI (or any Google client) talking to the local emulator without credentials; the local stack's
 * CLI also memoizes vm2's instrumentation of the code it compiles (dataform-transform-cache.ts).
 */
function localClientEnv(target: DataformTarget, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, NO_COLOR: '1' };
  if (target.emulatorUrl) {
    const gcloudConfig = join(repoRoot, '.local', 'gcloud-empty');
    mkdirSync(gcloudConfig, { recursive: true });
    env.BIGQUERY_EMULATOR_HOST = target.emulatorUrl;
    env.METADATA_SERVER_DETECTION = 'none';
    env.CLOUDSDK_CONFIG = gcloudConfig;
    delete env.GOOGLE_APPLICATION_CREDENTIALS;
    return transformCacheEnv(transformCacheDir(repoRoot), env);
  }
  return env;
}

/** Writes (atomically, once) the credentials file for a target and returns its path. */
function writeCredentials(target: DataformTarget): string {
  const dir = join(repoRoot, '.local', 'dataform-credentials');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${encodeURIComponent(target.projectId)}.${encodeURIComponent(target.location)}.json`);
  const content = JSON.stringify({ projectId: target.projectId, location: target.location }) + '\n';
  if (existsSync(file) && readFileSync(file, 'utf8') === content) return file;
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
  return file;
}

const TAKES_CREDENTIALS = new Set(['run', 'test']);
/** Commands that compile the project first, within the CLI's own --timeout (60 s unless given). */
const COMPILES = new Set(['run', 'test', 'compile']);

/**
 * A Dataform project the CLI can compile offline: projects without their own node_modules (test
 * fixtures) are copied to a scratch folder next to a copy of the installed @dataform/core.
 */
export function prepareProject(sourceDir: string): string {
  if (existsSync(join(sourceDir, 'node_modules', '@dataform', 'core'))) return sourceDir;
  const scratch = join(repoRoot, '.local', 'dataform-projects');
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(join(scratch, 'p-'));
  cpSync(sourceDir, dir, { recursive: true });
  const core = dirname(require.resolve('@dataform/core/package.json'));
  cpSync(core, join(dir, 'node_modules', '@dataform', 'core'), { recursive: true });
  return dir;
}

/** The CLI's entry point (its bundle.js): run with `node`, as runDataform does. */
export function dataformBin(): string {
  return join(dirname(require.resolve('@dataform/cli/package.json')), 'bundle.js');
}

/**
 * zx, what runs the CLI: loaded on the first run, not with this module (`gradeguard grade --help` stays as fast as it
 * is). Its CommonJS build, synchronously (25 ms): a prestarted process then spawns the moment the target is known, not
 * after the Google clients' loading that follows it (an import() waited 0.4 s for that).
 */
type Zx = typeof import('zx/core');
let zx: Zx | undefined;
const zxCore = (): Zx => (zx ??= require('zx/core') as Zx);

interface RunOptions {
  projectDir: string;
  target: DataformTarget;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** A CLI process started ahead (prestartDataform) for this project and target: used if it is still unused. */
  prestarted?: PrestartedDataform;
}

export async function runDataform(args: string[], opts: RunOptions): Promise<DataformResult> {
  if (TAKES_CREDENTIALS.has(args[0]) && !args.some((a) => a.startsWith('--credentials'))) {
    args = [args[0], ...args.slice(1), `--credentials=${writeCredentials(opts.target)}`];
  }
  // The caller's bound is the compilation's too: under the CLI's hidden 60 s default, compilations on a busy machine
  // (a 2.5 CPU-second compile given a small share of the cores) failed runs that had all the time their caller allowed.
  if (COMPILES.has(args[0]) && opts.timeoutMs && !args.some((a) => a.startsWith('--timeout'))) {
    args = [...args, `--timeout=${Math.max(1, Math.ceil(opts.timeoutMs / 1_000))}s`];
  }
  const started = performance.now();
  const cli = opts.prestarted?.take(args) ?? startCli(opts, [dataformBin(), ...args], 'ignore');
  // The bound and the abort apply from here: a prestarted process may have waited for its arguments (the lock) first.
  if (opts.timeoutMs) void cli.process.timeout(opts.timeoutMs, 'SIGKILL');
  const abort = () => {
    try {
      cli.process.abort();
    } catch {
      // already ended: nothing to stop
    }
  };
  if (opts.signal?.aborted) abort();
  opts.signal?.addEventListener('abort', abort, { once: true });
  try {
    const output = await cli.process;
    const durationMs = performance.now() - started;
    // 130, as a shell reports a run stopped by an interrupt: the caller reads the abort from its signal as well.
    if (opts.signal?.aborted) return { code: 130, stdout: output.stdout, stderr: output.stderr + '\naborted', durationMs };
    return { code: output.exitCode ?? 1, stdout: output.stdout, stderr: output.stderr, durationMs };
  } finally {
    opts.signal?.removeEventListener('abort', abort);
    rmSync(cli.tmp, { recursive: true, force: true });
  }
}

interface CliProcess {
  process: ProcessPromise;
  /** The CLI leaves a tmp-* folder per run in TMPDIR: each run gets its own, removed when it ends. */
  tmp: string;
}

function startCli(opts: Pick<RunOptions, 'projectDir' | 'target' | 'env'>, argv: string[], stdin: 'ignore' | 'pipe'): CliProcess {
  const tmp = runTempDir();
  const env = { ...localClientEnv(opts.target, opts.env ?? process.env), TMPDIR: tmp };
  const { $ } = zxCore();
  // zx's $ quotes every argument (no shell interpretation of vars or paths) and captures both streams; runDataform sets
  // the timeout (SIGKILL) and wires the abort (a lost lease) once the run's arguments are known.
  const process_ = $({ cwd: opts.projectDir, env, stdio: [stdin, 'pipe', 'pipe'], nothrow: true, quiet: true, verbose: false })`${process.execPath} ${argv}`;
  return { process: process_, tmp };
}

/**
 * Node and the CLI's modules take about 0.4 s to load (the Google clients it bundles), before it compiles anything. A
 * command that will run Dataform starts the process early (cli-executor.ts), so that loading overlaps the command's own
 * start-up and lock; the process then waits for its arguments on stdin and runs the unchanged CLI with them. Its stdin
 * ending without arguments (disposed, or this process gone) makes it exit 0 having done nothing.
 */
const PRESTART_SCRIPT = `
const { createRequire } = require('node:module');
const bundle = process.argv[1];
const load = createRequire(bundle);
for (const [, name] of require('node:fs').readFileSync(bundle, 'utf8').matchAll(/require\\(['"]([^'"./][^'"]*)['"]\\)/g)) {
  try { load(name); } catch {}
}
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  if (!input) process.exit(0);
  process.argv = [process.argv[0], bundle, ...JSON.parse(input)];
  load(bundle);
});`;

export interface PrestartedDataform {
  /** The waiting process (diagnostics, tests). */
  readonly pid: number | undefined;
  /** Its temp folder (diagnostics, tests): removed when the run that took it ends, or on dispose. */
  readonly tmp: string;
  /** The waiting process, given its arguments; undefined if it was already taken or disposed (then start one). */
  take(args: string[]): CliProcess | undefined;
  /** Ends the process if no run took it. */
  dispose(): Promise<void>;
}

export function prestartDataform(opts: Pick<RunOptions, 'projectDir' | 'target' | 'env'>): PrestartedDataform {
  let waiting: CliProcess | undefined = startCli(opts, ['-e', PRESTART_SCRIPT, dataformBin()], 'pipe');
  const claim = () => {
    const claimed = waiting;
    waiting = undefined;
    return claimed;
  };
  return {
    pid: waiting.process.pid,
    tmp: waiting.tmp,
    take(args) {
      const cli = claim();
      cli?.process.stdin.end(JSON.stringify(args));
      return cli;
    },
    async dispose() {
      const cli = claim();
      if (!cli) return;
      try {
        cli.process.abort();
      } catch {
        // already ended
      }
      await cli.process;
      rmSync(cli.tmp, { recursive: true, force: true });
    },
  };
}

/** Runs' temp folders live here; a killed process's folder is swept once it is a day old. */
export const DATAFORM_TMP_ROOT = join(repoRoot, '.local', 'tmp');
const STALE_TMP_MS = 24 * 3_600_000;

function runTempDir(): string {
  mkdirSync(DATAFORM_TMP_ROOT, { recursive: true });
  const now = Date.now();
  for (const name of readdirSync(DATAFORM_TMP_ROOT)) {
    const path = join(DATAFORM_TMP_ROOT, name);
    try {
      if (now - statSync(path).mtimeMs > STALE_TMP_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // gone meanwhile (another process swept it)
    }
  }
  return mkdtempSync(join(DATAFORM_TMP_ROOT, 'dataform-'));
}

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

/** Environment for any Google client talking to the local emulator without credentials. */
function localClientEnv(target: DataformTarget, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, NO_COLOR: '1' };
  if (target.emulatorUrl) {
    const gcloudConfig = join(repoRoot, '.local', 'gcloud-empty');
    mkdirSync(gcloudConfig, { recursive: true });
    env.BIGQUERY_EMULATOR_HOST = target.emulatorUrl;
    env.METADATA_SERVER_DETECTION = 'none';
    env.CLOUDSDK_CONFIG = gcloudConfig;
    delete env.GOOGLE_APPLICATION_CREDENTIALS;
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

function dataformBin(): string {
  return join(dirname(require.resolve('@dataform/cli/package.json')), 'bundle.js');
}

/**
 * zx, what runs the CLI: loaded on the first run, not with this module (`gradeguard grade --help` stays as fast as it
 * is). A command that will run Dataform calls it early (cli-executor.ts), so the loading fills the lock's round trips.
 */
export const loadDataformRunner = () => import('zx/core');

export async function runDataform(args: string[], opts: { projectDir: string; target: DataformTarget; env?: NodeJS.ProcessEnv; signal?: AbortSignal; timeoutMs?: number }): Promise<DataformResult> {
  if (TAKES_CREDENTIALS.has(args[0]) && !args.some((a) => a.startsWith('--credentials'))) {
    args = [args[0], ...args.slice(1), `--credentials=${writeCredentials(opts.target)}`];
  }
  // The caller's bound is the compilation's too: under the CLI's hidden 60 s default, compilations on a busy machine
  // (a 2.5 CPU-second compile given a small share of the cores) failed runs that had all the time their caller allowed.
  if (COMPILES.has(args[0]) && opts.timeoutMs && !args.some((a) => a.startsWith('--timeout'))) {
    args = [...args, `--timeout=${Math.max(1, Math.ceil(opts.timeoutMs / 1_000))}s`];
  }
  // The CLI leaves a tmp-* folder per run in TMPDIR: give each run its own, removed when it ends.
  const tmp = runTempDir();
  const env = { ...localClientEnv(opts.target, opts.env ?? process.env), TMPDIR: tmp };
  const started = performance.now();
  const { $ } = await loadDataformRunner();
  try {
    // zx's $ quotes every argument (no shell interpretation of vars or paths), captures both streams, kills the process
    // when the signal aborts (a lost lease) and SIGKILLs it at the timeout, as node's spawn did here before.
    const output = await $({
      cwd: opts.projectDir,
      env,
      signal: opts.signal,
      timeout: opts.timeoutMs,
      timeoutSignal: 'SIGKILL',
      stdio: ['ignore', 'pipe', 'pipe'],
      nothrow: true,
      quiet: true,
      verbose: false,
    })`${process.execPath} ${[dataformBin(), ...args]}`;
    const durationMs = performance.now() - started;
    // 130, as a shell reports a run stopped by an interrupt: the caller reads the abort from its signal as well.
    if (opts.signal?.aborted) return { code: 130, stdout: output.stdout, stderr: output.stderr + '\naborted', durationMs };
    return { code: output.exitCode ?? 1, stdout: output.stdout, stderr: output.stderr, durationMs };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
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

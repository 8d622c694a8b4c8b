// Runs the real Dataform CLI (`dataform compile --json`, offline) on this repository and returns the compiled graph.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformCacheDir, transformCacheEnv } from '../../src/warehouse/dataform-transform-cache.ts';

export const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DATAFORM_CLI = path.join(PROJECT_DIR, 'node_modules/.bin/dataform');
// Every compile leaves an empty tmp-* folder in its TMPDIR: each compile gets its own folder under the git-ignored
// scratch area, removed when it ends (test/warehouse/dataform-tmp.test.ts watches that nothing is left behind).
const SCRATCH_TMP = path.join(PROJECT_DIR, '.local/tmp');

export interface Target {
  database: string;
  schema: string;
  name: string;
}

export interface ActionDescriptor {
  description?: string;
  columns?: { path: string[]; description?: string }[];
}

interface CompiledAction {
  target: Target;
  fileName: string;
  tags?: string[];
  dependencyTargets?: Target[];
  actionDescriptor?: ActionDescriptor;
}

export interface CompiledTable extends CompiledAction {
  type: string;
  query: string;
}

export interface CompiledOperation extends CompiledAction {
  queries: string[];
  hasOutput?: boolean;
}

export interface CompiledAssertion extends CompiledAction {
  query: string;
}

export interface CompiledTest {
  name: string;
  fileName: string;
  testQuery: string;
  expectedOutputQuery: string;
}

export interface CompiledGraph {
  tables?: CompiledTable[];
  operations?: CompiledOperation[];
  assertions?: CompiledAssertion[];
  declarations?: CompiledAction[];
  tests?: CompiledTest[];
  projectConfig: {
    warehouse: string;
    defaultDatabase: string;
    defaultSchema: string;
    assertionSchema: string;
    defaultLocation: string;
    vars?: Record<string, string>;
  };
  graphErrors: { compilationErrors?: { fileName: string; message: string }[] };
}

export interface CompileResult {
  exitCode: number;
  graph: CompiledGraph;
  stderr: string;
}

/**
 * `dataform compile --json [--vars=k=v,...]` of the project. Never throws on a non-zero exit: callers assert on it.
 * A compile's output is a function of the project's sources, the Dataform versions and the arguments, so it is kept
 * under their hash (.local/tmp/compile-cache): test files compiling the same project with the same vars, and reruns
 * with no change to the project, reuse it instead of starting the CLI again. Any edit to the project is a new hash.
 */
export async function compileProject(vars: Record<string, string> = {}): Promise<CompileResult> {
  mkdirSync(SCRATCH_TMP, { recursive: true });
  // The CLI's own bound is 60 s, which several compiles at once overrun on a busy machine.
  const args = ['compile', '--json', '--timeout=10m', PROJECT_DIR];
  const pairs = Object.entries(vars).map(([key, value]) => `${key}=${value}`);
  if (pairs.length > 0) args.push(`--vars=${pairs.join(',')}`);
  const cached = path.join(COMPILE_CACHE, `${compileKey(args)}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as CompileResult;
  const result = await oneAtATime(() => runCompile(args));
  mkdirSync(COMPILE_CACHE, { recursive: true });
  const partial = `${cached}.${process.pid}`;
  writeFileSync(partial, JSON.stringify(result));
  renameSync(partial, cached);
  return result;
}

const COMPILE_CACHE = path.join(SCRATCH_TMP, 'compile-cache');
/** What `dataform compile` reads: the project's config and sources, and the Dataform packages that compile them. */
const COMPILE_INPUTS = ['dataform.json', 'workflow_settings.yaml', 'package.json', 'definitions', 'includes', 'node_modules/@dataform/core/package.json', 'node_modules/@dataform/cli/package.json'];

function compileKey(args: string[]): string {
  const hash = createHash('sha256').update(JSON.stringify(args));
  for (const input of COMPILE_INPUTS) {
    for (const file of filesUnder(path.join(PROJECT_DIR, input))) hash.update(`\0${path.relative(PROJECT_DIR, file)}\0`).update(readFileSync(file));
  }
  return hash.digest('hex');
}

/** The file itself, or every file under the folder (sorted); nothing when it does not exist. */
function filesUnder(full: string): string[] {
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full)
    .sort()
    .flatMap((name) => filesUnder(path.join(full, name)));
}

// A file's compiles run one after another: at once they only compete for the same two cores and all finish late.
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(run: () => Promise<T>): Promise<T> {
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}

function runCompile(args: string[]): Promise<CompileResult> {
  const tmp = mkdtempSync(path.join(SCRATCH_TMP, 'dataform-'));
  return new Promise<CompileResult>((resolve, reject) => {
    // The local stack's memo of vm2's instrumentation, as every local CLI run has it (src/warehouse/dataform-transform-cache.ts).
    const env = transformCacheEnv(transformCacheDir(PROJECT_DIR), { ...process.env, NO_COLOR: '1', TMPDIR: tmp });
    execFile(DATAFORM_CLI, args, { cwd: PROJECT_DIR, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      try {
        resolve({ exitCode, graph: JSON.parse(stdout) as CompiledGraph, stderr });
      } catch {
        reject(new Error(`dataform compile printed no JSON (exit ${exitCode}): ${stderr || String(error)}`));
      }
    });
  }).finally(() => rmSync(tmp, { recursive: true, force: true }));
}

/** Every action of the graph with its kind, by name. */
export function actionsByName(graph: CompiledGraph): Map<string, { kind: string } & (CompiledTable | CompiledOperation | CompiledAssertion | CompiledAction)> {
  const byName = new Map<string, { kind: string } & CompiledAction>();
  const add = (kind: string, actions: CompiledAction[] | undefined) => {
    for (const action of actions ?? []) byName.set(action.target.name, { kind, ...action });
  };
  add('table', graph.tables);
  add('operation', graph.operations);
  add('assertion', graph.assertions);
  add('declaration', graph.declarations);
  return byName;
}

export function operation(graph: CompiledGraph, name: string): CompiledOperation {
  const found = graph.operations?.find((candidate) => candidate.target.name === name);
  if (!found) throw new Error(`no operation ${name}`);
  return found;
}

export function table(graph: CompiledGraph, name: string): CompiledTable {
  const found = graph.tables?.find((candidate) => candidate.target.name === name);
  if (!found) throw new Error(`no table/view ${name}`);
  return found;
}

export function assertion(graph: CompiledGraph, name: string): CompiledAssertion {
  const found = graph.assertions?.find((candidate) => candidate.target.name === name);
  if (!found) throw new Error(`no assertion ${name}`);
  return found;
}

/** The CREATE TABLE IF NOT EXISTS statement of one table, from the create_pipeline_tables script. */
export function tableDdl(graph: CompiledGraph, tableName: string): string {
  const script = operation(graph, 'create_pipeline_tables').queries.join('\n');
  const statement = script.split(/;\s*\n/).find((candidate) => candidate.includes(`CREATE TABLE IF NOT EXISTS \`gradeguard-local.nba_predictions.${tableName}\` (`));
  if (!statement) throw new Error(`create_pipeline_tables does not create ${tableName}`);
  return statement.trim();
}

export function dependencyNames(action: { dependencyTargets?: Target[] }): string[] {
  return (action.dependencyTargets ?? []).map((target) => target.name);
}

/**
 * The toolkit compiled once per test run (deploy/build.mjs into .local/test-dist), so that tests spawning our commands
 * start `node <build>/scripts/<command>.js` rather than `node --import tsx scripts/<command>.ts`: tsx compiles every
 * module at each start, about 0.6 CPU-s more per `grade` process (4.7 vs 4.1 CPU-s with its dataform child, measured
 * side by side), and the e2e tier starts hundreds of them on two cores.
 *
 * The build is reused only while its sources are byte for byte the same (a hash of every input the build reads), so a
 * test can never run a stale build: a changed source rebuilds before the first test.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';

const BUILT_TOOLKIT_DIR = join(repoRoot, '.local', 'test-dist');
const HASH_FILE = join(BUILT_TOOLKIT_DIR, '.sources.sha256');

/** What deploy/build.mjs compiles or copies, and what decides how. */
const SOURCE_DIRS = ['src', 'scripts', 'tools', 'includes', 'emulator'];
const SOURCE_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'deploy/build.mjs'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !e.parentPath.includes('node_modules'))
    .map((e) => relative(repoRoot, join(e.parentPath, e.name)))
    .sort();
}

function sourcesHash(): string {
  const hash = createHash('sha256');
  for (const file of [...SOURCE_FILES, ...SOURCE_DIRS.flatMap(sourceFiles)])
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(repoRoot, file)))
      .update('\0');
  return hash.digest('hex');
}

/** Builds the toolkit into BUILT_TOOLKIT_DIR unless a build of the same sources is there; returns the directory. */
export async function buildToolkitForTests(): Promise<string> {
  const hash = sourcesHash();
  if (existsSync(HASH_FILE) && readFileSync(HASH_FILE, 'utf8') === hash) return BUILT_TOOLKIT_DIR;
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [join(repoRoot, 'deploy', 'build.mjs'), '--out-dir', BUILT_TOOLKIT_DIR], { cwd: repoRoot, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`building the toolkit for the tests failed (${error.message}):\n${stdout}${stderr}`)) : resolve(),
    ),
  );
  writeFileSync(HASH_FILE, hash);
  return BUILT_TOOLKIT_DIR;
}

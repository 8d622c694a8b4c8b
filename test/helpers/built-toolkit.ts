/**
 * The toolkit compiled once per test run (deploy/build.mjs into .local/test-dist), so that tests spawning our commands
 * start `node <build>/scripts/<command>.js` rather than `node --import tsx scripts/<command>.ts`: tsx compiles every
 * module at each start, about 0.6 CPU-s more per `grade` process (4.7 vs 4.1 CPU-s with its dataform child, measured
 * side by side), and the e2e tier starts hundreds of them on two cores.
 *
 * Each build lives in a folder named by a hash of every input the build reads, so a test never runs a stale build (a
 * changed source builds a new folder before the first test), and two runs at once in one checkout never build over
 * each other's folder. A build is marked complete only if the sources did not change while it ran.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';

const BUILDS_DIR = join(repoRoot, '.local', 'test-dist');
const COMPLETE = '.complete';
/** Older builds are removed once no run can still be using them (a whole suite takes well under this). */
const STALE_BUILD_MS = 6 * 3_600_000;

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

/** Builds the toolkit for the current sources unless that build is there; returns its folder. */
export async function buildToolkitForTests(): Promise<string> {
  const hash = sourcesHash();
  const dir = join(BUILDS_DIR, hash.slice(0, 16));
  if (existsSync(join(dir, COMPLETE))) {
    // In use again: not stale for another STALE_BUILD_MS.
    utimesSync(dir, new Date(), new Date());
    return dir;
  }
  removeStaleBuilds();
  // Built aside, then renamed into place: runs starting together never build into one folder.
  const building = `${dir}.building-${process.pid}`;
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [join(repoRoot, 'deploy', 'build.mjs'), '--out-dir', building], { cwd: repoRoot, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`building the toolkit for the tests failed (${error.message}):\n${stdout}${stderr}`)) : resolve(),
    ),
  );
  // Sources edited during the build: this run uses what it built, the next builds again.
  if (sourcesHash() !== hash) return building;
  writeFileSync(join(building, COMPLETE), hash);
  try {
    renameSync(building, dir);
    return dir;
  } catch {
    // Another run finished the same build first: use its folder.
    if (!existsSync(join(dir, COMPLETE))) return building;
    rmSync(building, { recursive: true, force: true });
    return dir;
  }
}

function removeStaleBuilds(): void {
  if (!existsSync(BUILDS_DIR)) return;
  for (const name of readdirSync(BUILDS_DIR)) {
    const path = join(BUILDS_DIR, name);
    if (Date.now() - statSync(path).mtimeMs > STALE_BUILD_MS) rmSync(path, { recursive: true, force: true });
  }
}

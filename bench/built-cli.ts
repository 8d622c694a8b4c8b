/**
 * The commands as production runs them: the built JavaScript through the package's bin (`node dist/scripts/gradeguard.js
 * grade ...`, the Dockerfile's entry point), not tsx compiling TypeScript at start-up. The bench builds its own copy
 * (npm run build -- --production, as the image: no emulator package; the commands reuse the bench's running emulators) under .local/, so a
 * stale dist/ is never measured.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../src/warehouse/dataform-cli.ts';

const OUT_DIR = join(repoRoot, '.local', 'bench-dist');
const BIN = join(OUT_DIR, 'scripts', 'gradeguard.js');
let built = false;

/** `node <bin> <command>` as the process is started, for the markdown. */
export const builtCommandLine = (command: string) => `node dist/scripts/gradeguard.js ${command}`;

function buildOnce(): void {
  if (built) return;
  const r = spawnSync(process.execPath, [join(repoRoot, 'deploy', 'build.mjs'), '--out-dir', OUT_DIR, '--production'], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  built = true;
}

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `gradeguard <command> args` from the build, as its own OS process; `nodeArgs` go to that process's node alone. */
export function runBuiltCommand(command: string, args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<CommandRun> {
  buildOnce();
  const child = spawn(process.execPath, [...nodeArgs, BIN, command, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Wall time of `gradeguard <command> --help` from the build: Node, the dispatcher and the command's modules, then exit. */
export function builtHelpMs(command: string): number {
  buildOnce();
  const started = performance.now();
  const r = spawnSync(process.execPath, [BIN, command, '--help'], { cwd: repoRoot, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`gradeguard ${command} --help exited ${r.status}`);
  return performance.now() - started;
}

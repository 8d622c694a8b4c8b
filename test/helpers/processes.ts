/** Child processes for tests: start `npm run emulator` style processes and read their JSON line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';

/** The run's compiled toolkit (the global setup's, test/helpers/built-toolkit.ts); none in the unit tier or outside vitest. */
function builtToolkit(): string | undefined {
  try {
    return inject('builtToolkit');
  } catch {
    return undefined;
  }
}

/**
 * The node command line of one of our scripts (repository-relative, e.g. `scripts/grade.ts`), as one process (the tsx
 * CLI would put a wrapper process in between, hiding kill -9): its compiled copy in the run's build when the build has
 * it (the toolkit's own scripts), else the TypeScript through `node --import tsx` (test fixtures, deploy/ tools).
 */
export function nodeCommand(script: string, args: string[]): readonly [string, string[]] {
  const built = builtToolkit();
  const compiled = built && join(built, script.replace(/\.ts$/, '.js'));
  if (compiled && existsSync(compiled)) return [process.execPath, [compiled, ...args]];
  return [process.execPath, ['--import', 'tsx', join(repoRoot, script), ...args]];
}

export interface EmulatorProcess {
  child: ChildProcess;
  url: string;
  projectId: string;
}

/** Starts scripts/emulator.ts in its own process; resolves once it prints its JSON line. */
export function spawnEmulator(args: string[]): Promise<EmulatorProcess> {
  return new Promise((resolve, reject) => {
    const [cmd, argv] = nodeCommand('scripts/emulator.ts', ['--json', '--port', '0', ...args]);
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: repoRoot });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        const info = JSON.parse(line);
        resolve({ child, url: info.url, projectId: info.projectId });
      }
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(Object.assign(new Error(`emulator exited with ${code}: ${err.trim()}`), { code, stderr: err })));
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(child.exitCode) : child.on('exit', (c) => r(c))));
}

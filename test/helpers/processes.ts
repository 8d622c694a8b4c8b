/** Child processes for tests: start `npm run emulator` style processes and read their JSON line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';

/** `node --import tsx script`: one process (the tsx CLI would put a wrapper process in between, hiding kill -9). */
export const nodeWithTsx = (script: string, args: string[]) => [process.execPath, ['--import', 'tsx', join(repoRoot, script), ...args]] as const;

export interface EmulatorProcess {
  child: ChildProcess;
  url: string;
  projectId: string;
}

/** Starts scripts/emulator.ts in its own process; resolves once it prints its JSON line. */
export function spawnEmulator(args: string[]): Promise<EmulatorProcess> {
  return new Promise((resolve, reject) => {
    const [cmd, argv] = nodeWithTsx('scripts/emulator.ts', ['--json', '--port', '0', ...args]);
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

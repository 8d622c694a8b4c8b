/** Runs a gradeguard script as its own process against the test Firestore (and optionally BigQuery). */
import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { nodeCommand } from '../helpers/processes.ts';

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runScript(script: string, args: string[], env: Record<string, string>): Promise<ScriptResult> {
  const [cmd, argv] = nodeCommand(script, args);
  const child = spawn(cmd, argv, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  // 'close', not 'exit': the exit event can come before the last of stderr has been read (seen on a busy machine).
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** A lock holder in its own process (tools/harness/lock-contender.ts in hold mode); resolves once it holds. */
export function spawnHolder(env: Record<string, string>): Promise<{ child: ChildProcess; token: number }> {
  const [cmd, argv] = nodeCommand('tools/harness/lock-contender.ts', []);
  const child = spawn(cmd, argv, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CONTENDER_MODE: 'hold', ...env } });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, token: JSON.parse(line).token });
    });
    child.on('exit', (code) => reject(new Error(`holder exited ${code}: ${err}`)));
  });
}

/**
 * Runs a gradeguard command as its own OS process (what a scheduler or an operator does), with its JSON result on
 * stdout and its log lines kept in a file under .local/ so the story's terminal output stays readable.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../warehouse/dataform-cli.ts';

export interface CliResult {
  code: number;
  stdout: string;
  /** stdout parsed as JSON when it is JSON. */
  json?: any;
  durationMs: number;
  logFile: string;
}

/** `script` is a path relative to the repository (scripts/grade.ts, ...). */
export function runCli(script: string, args: string[], options: { env: NodeJS.ProcessEnv; logDir: string; label: string }): Promise<CliResult> {
  mkdirSync(options.logDir, { recursive: true });
  const logFile = join(options.logDir, `${options.label}.log`);
  const log = createWriteStream(logFile);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, script), ...args], {
      cwd: repoRoot,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.pipe(log);
    child.on('error', reject);
    child.on('close', (code) => {
      log.end();
      let json: unknown;
      try {
        json = stdout.trim() ? JSON.parse(stdout) : undefined;
      } catch {
        json = undefined;
      }
      resolve({ code: code ?? 1, stdout, json, durationMs: performance.now() - started, logFile });
    });
  });
}

/**
 * Runs a gradeguard command as its own OS process (what a scheduler or an operator does), with its JSON result on
 * stdout and its log lines kept in a file under .local/ so the story's terminal output stays readable. The process
 * itself is the chaos suite's Actor (own process group, stdout parsed, stderr to a log file).
 */
import { Actor } from '../chaos/actors.ts';

export interface CliResult {
  code: number;
  /** stdout parsed as JSON when it is JSON. */
  json?: any;
  durationMs: number;
  logFile: string;
}

/** `script` is a path relative to the repository (scripts/grade.ts, ...). */
export async function runCli(script: string, args: string[], options: { env: NodeJS.ProcessEnv; logDir: string; label: string }): Promise<CliResult> {
  const outcome = await new Actor({ name: options.label, kind: 'command', script, args }, options.env, options.logDir).done;
  return { code: outcome.code ?? 1, json: outcome.json, durationMs: outcome.endedAt - outcome.startedAt, logFile: outcome.logFile };
}

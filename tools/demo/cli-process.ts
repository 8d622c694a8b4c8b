/**
 * Runs a gradeguard command as its own OS process (what a scheduler or an operator does), with its JSON result on
 * stdout and its log lines kept in a file under .local/ so the story's terminal output stays readable. The process
 * itself is the chaos suite's Actor (own process group, stdout parsed, stderr to a log file); the story also reads
 * the JSON log lines as they come (progress events) to show and to draw the timeline.
 */
import { Actor } from '../harness/actors.ts';

export interface CliResult {
  code: number;
  /** stdout parsed as JSON when it is JSON. */
  json?: any;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  logFile: string;
  /** The process's JSON log lines (parsed), in order. */
  events: Array<Record<string, any>>;
}

export interface CliOptions {
  env: NodeJS.ProcessEnv;
  logDir: string;
  label: string;
  /** Each JSON log line of the process as it comes. */
  onEvent?: (event: Record<string, any>) => void;
}

/** `script` is a path relative to the repository (scripts/grade.ts, ...). */
export async function runCli(script: string, args: string[], options: CliOptions): Promise<CliResult> {
  const events: Array<Record<string, any>> = [];
  const onLine = (line: string) => {
    try {
      const event = JSON.parse(line) as Record<string, any>;
      events.push(event);
      options.onEvent?.(event);
    } catch {
      // Not a log line (a stack trace of a crash): the log file keeps it.
    }
  };
  const outcome = await new Actor({ name: options.label, kind: 'command', script, args }, options.env, options.logDir, onLine).done;
  return { code: outcome.code ?? 1, json: outcome.json, startedAt: outcome.startedAt, endedAt: outcome.endedAt, durationMs: outcome.endedAt - outcome.startedAt, logFile: outcome.logFile, events };
}

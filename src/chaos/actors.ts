/**
 * The processes a chaos round runs: gradeguard commands (scheduled grade, backfill grade, consolidation) or, in the
 * test-only unsafe mode, the seed's unprotected DELETE + INSERT grading. Each runs in its own process group so a
 * fault hits the command and its `dataform` child together, as a crashed or frozen container would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../warehouse/dataform-cli.ts';

export type ActorKind = 'scheduled' | 'backfill' | 'consolidation' | 'unsafe' | 'command';

export interface ActorSpec {
  name: string;
  kind: ActorKind;
  /** Script path relative to the repository and its arguments. */
  script: string;
  args: string[];
}

export interface ActorOutcome {
  name: string;
  kind: ActorKind;
  code: number | null;
  signal: NodeJS.Signals | null;
  killed: boolean;
  paused: boolean;
  json?: any;
  startedAt: number;
  endedAt: number;
  logFile: string;
}

export class Actor {
  readonly spec: ActorSpec;
  readonly done: Promise<ActorOutcome>;
  private readonly child: ChildProcess;
  private killed = false;
  private paused = false;

  /** `onStderrLine` sees each line of the process's stderr (its log) as it comes, besides the log file. */
  constructor(spec: ActorSpec, env: NodeJS.ProcessEnv, logDir: string, onStderrLine?: (line: string) => void) {
    this.spec = spec;
    mkdirSync(logDir, { recursive: true });
    const logFile = join(logDir, `${spec.name}.log`);
    const log = createWriteStream(logFile);
    const startedAt = Date.now();
    this.child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, spec.script), ...spec.args], {
      cwd: repoRoot,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    this.child.stdout!.on('data', (chunk) => (stdout += chunk));
    this.child.stderr!.pipe(log);
    if (onStderrLine) {
      let partial = '';
      this.child.stderr!.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) onStderrLine(line);
      });
    }
    this.done = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        log.end();
        let json: unknown;
        try {
          json = stdout.trim() ? JSON.parse(stdout) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ name: spec.name, kind: spec.kind, code, signal, killed: this.killed, paused: this.paused, json, startedAt, endedAt: Date.now(), logFile });
      });
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (!this.child.pid) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // The group is gone already.
    }
  }

  kill9(): void {
    if (!this.running) return;
    this.killed = true;
    this.signalGroup('SIGKILL');
  }

  /** Freezes the whole process group (a GC pause, a frozen VM): its lease runs out while it is stopped. */
  pause(): void {
    if (!this.running) return;
    this.paused = true;
    this.signalGroup('SIGSTOP');
  }

  resume(): void {
    this.signalGroup('SIGCONT');
  }
}

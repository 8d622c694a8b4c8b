/**
 * The processes a chaos round runs: gradeguard commands (scheduled grade, backfill grade, consolidation, and the
 * repair paths remediate / cleanup / restore) or, in the test-only unsafe mode, the seed's unprotected DELETE + INSERT
 * grading. Each runs in its own process group so a fault hits the command and its `dataform` child together, as a
 * crashed or frozen container would. Its JSON log lines (stderr) are read as they come, so faults can be timed from
 * what the process is doing (lock acquired, dataform started, a cleanup step recorded).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { ownScriptArgs } from './own-script.ts';

type ActorKind = 'scheduled' | 'backfill' | 'consolidation' | 'unsafe' | 'command' | 'remediate' | 'cleanup' | 'restore';

/** One JSON log line of an actor, with when it was read. */
export interface ActorEvent {
  at: number;
  line: Record<string, any>;
}

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
  private exited = false;
  readonly events: ActorEvent[] = [];
  /** Run ids the process logged (its fenced transactions carry them). */
  readonly runIds = new Set<string>();
  private readonly listeners = new Set<() => void>();

  /** `onStderrLine` sees each line of the process's stderr (its log) as it comes, besides the log file. */
  constructor(spec: ActorSpec, env: NodeJS.ProcessEnv, logDir: string, onStderrLine?: (line: string) => void) {
    this.spec = spec;
    mkdirSync(logDir, { recursive: true });
    const logFile = join(logDir, `${spec.name}.log`);
    const log = createWriteStream(logFile);
    const startedAt = Date.now();
    this.child = spawn(process.execPath, ownScriptArgs(spec.script, spec.args), {
      cwd: repoRoot,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    this.child.stdout!.on('data', (chunk) => (stdout += chunk));
    this.child.stderr!.pipe(log);
    let pending = '';
    this.child.stderr!.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const text of lines) {
        this.record(text);
        onStderrLine?.(text);
      }
    });
    this.done = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.exited = true;
        this.notify();
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

  private record(text: string): void {
    if (!text.startsWith('{')) return;
    try {
      const line = JSON.parse(text);
      this.events.push({ at: Date.now(), line });
      if (typeof line.run_id === 'string') this.runIds.add(line.run_id);
      this.notify();
    } catch {
      // not a log line
    }
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** The first log line from now on that `matches`, or undefined once the process has exited (or after timeoutMs). */
  waitFor(matches: (line: Record<string, any>) => boolean, timeoutMs = 600_000): Promise<ActorEvent | undefined> {
    const from = this.events.length;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const finish = (event: ActorEvent | undefined) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(event);
      };
      const check = () => {
        const hit = this.events.slice(from).find((e) => matches(e.line));
        if (hit) finish(hit);
        else if (this.exited) finish(undefined);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** The command's own process id (the holder pid its lock documents record). */
  get pid(): number | undefined {
    return this.child.pid;
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

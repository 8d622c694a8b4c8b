/**
 * A live task list on a terminal: one line per active task (waiting for a lock, running), a header with counts, and
 * the latest log event; a task that ends is printed once, above the live region, and never redrawn. log-update
 * redraws the region (diffed, clipped to the terminal's height, so a long list never scrolls stale copies of itself
 * into the scrollback). While the view is up, the project's text log lines go through it (src/log/logger.ts): warnings
 * and errors print above the region, INFO and DEBUG become its "last event" line, so no log line lands inside it.
 * Off a terminal there is no view at all (callers log JSON lines instead), and log-update is not even loaded.
 */
import { routeTerminalLogs, type Severity } from '../log/logger.ts';

// log-update and its ANSI helpers cost a command about as much start-up as the rest of its own modules, and serve only a
// terminal: a process writing to no terminal (a scheduled job, CI, a pipe) never loads them.
const logUpdate = process.stderr.isTTY || process.stdout.isTTY ? await import('log-update') : undefined;

export type TaskState = 'queued' | 'waiting' | 'running' | 'done' | 'failed' | 'skipped';

export interface LiveTasks {
  /** Creates the task on first use; a final state (done, failed, skipped) prints it above the region for good. */
  set(id: string, state: TaskState, detail?: string): void;
  /** The region's last-event line. */
  note(text: string): void;
  /** Prints text above the region, for good. */
  print(text: string): void;
  /** Removes the region (tasks still active are printed as they are), gives the terminal back to plain writes. */
  stop(): void;
}

const FINAL = new Set<TaskState>(['done', 'failed', 'skipped']);
const MARK: Record<TaskState, string> = { queued: '·', waiting: '…', running: '▸', done: '✔', failed: '✖', skipped: '↷' };
const LOUD = new Set<Severity>(['NOTICE', 'WARNING', 'ERROR', 'CRITICAL']);

export interface LiveTasksOptions {
  title: string;
  stream?: NodeJS.WriteStream;
  /** Tasks known up front, shown as queued. */
  ids?: readonly string[];
  /** Redraw interval for the elapsed times (tests need no timing: every event redraws). */
  tickMs?: number;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;

/** A live view on a TTY, or undefined when the stream is not one. */
export function createLiveTasks(options: LiveTasksOptions): LiveTasks | undefined {
  const stream = options.stream ?? process.stderr;
  if (!stream.isTTY || !logUpdate) return undefined;
  const update = logUpdate.createLogUpdate(stream);
  const started = Date.now();
  const tasks = new Map<string, { state: TaskState; detail: string; since: number; first: number }>();
  const width = () => Math.max(...[...tasks.keys()].map((k) => k.length), 10);
  let last = '';
  let stopped = false;
  const line = (id: string, t: { state: TaskState; detail: string; since: number; first: number }, now: number) =>
    `  ${MARK[t.state]} ${id.padEnd(width())}  ${FINAL.has(t.state) ? `${t.detail}  ${secs(now - t.first)}` : `${t.detail.padEnd(24)} ${secs(now - t.since)}`}`;
  const render = () => {
    if (stopped) return;
    const now = Date.now();
    const count = (s: TaskState) => [...tasks.values()].filter((t) => t.state === s).length;
    const active = [...tasks].filter(([, t]) => t.state === 'waiting' || t.state === 'running');
    const ended = count('done') + count('failed') + count('skipped');
    const header = [
      `${options.title}: ${ended} of ${tasks.size} finished`,
      count('failed') ? `${count('failed')} failed` : '',
      count('running') ? `${count('running')} running` : '',
      count('waiting') ? `${count('waiting')} waiting` : '',
      count('queued') ? `${count('queued')} queued` : '',
      secs(now - started),
    ].filter(Boolean);
    update([header.join(' · '), ...active.map(([id, t]) => line(id, t, now)), ...(last ? [`  last: ${last}`] : [])].join('\n'));
  };
  const above = (text: string) => {
    update.clear();
    stream.write(text.endsWith('\n') ? text : text + '\n');
    render();
  };
  for (const id of options.ids ?? []) tasks.set(id, { state: 'queued', detail: 'queued', since: started, first: started });
  const unroute = routeTerminalLogs({
    stream,
    write(severity, text) {
      if (LOUD.has(severity)) above(text);
      else {
        last = text.replace(/\s+$/, '').slice(0, Math.max(20, (stream.columns ?? 100) - 10));
        render();
      }
    },
  });
  const timer = setInterval(render, options.tickMs ?? 1_000);
  timer.unref();
  render();
  return {
    set(id, state, detail = state) {
      if (stopped) return;
      const now = Date.now();
      const previous = tasks.get(id);
      if (previous && FINAL.has(previous.state)) return;
      const task = { state, detail, since: previous?.state === state ? previous.since : now, first: previous && previous.state !== 'queued' ? previous.first : now };
      tasks.set(id, task);
      if (FINAL.has(state)) above(line(id, task, now));
      else render();
    },
    note(text) {
      last = text;
      render();
    },
    print(text) {
      if (stopped) stream.write(text.endsWith('\n') ? text : text + '\n');
      else above(text);
    },
    stop() {
      if (stopped) return;
      clearInterval(timer);
      const now = Date.now();
      const unfinished = [...tasks].filter(([, t]) => !FINAL.has(t.state) && t.state !== 'queued');
      update.clear();
      stopped = true;
      unroute();
      for (const [id, t] of unfinished) stream.write(line(id, t, now) + '\n');
      update.done();
    },
  };
}

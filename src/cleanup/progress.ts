/**
 * The cleanup's progress on a TTY: its locks and then each step as a live task list (src/cli/live-tasks.ts), created
 * on the first event (so `plan` and `status` never draw one) and removed by finish(); lock and step log lines stay out
 * of it. Silent otherwise (the JSON logs tell the story).
 */
import { createLiveTasks, type LiveTasks } from '../cli/live-tasks.ts';

export interface Progress {
  /** Waiting for the cleanup lock and the grading lock of each date. */
  locks(count: number): void;
  step(name: string, index: number, total: number): void;
  rows(rows: number): void;
  /** The current step failed (finish() follows). */
  fail(message: string): void;
  finish(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, enabled = Boolean(stream.isTTY)): Progress {
  let view: LiveTasks | undefined;
  let current: string | undefined;
  let label = '';
  const show = () => (view ??= enabled ? createLiveTasks({ title: 'cleanup', stream }) : undefined);
  const advance = (next: string, detail: string) => {
    const live = show();
    if (current && current !== next) live?.set(current, 'done');
    current = next;
    live?.set(next, next === 'locks' ? 'waiting' : 'running', detail);
  };
  return {
    locks(count) {
      advance('locks', `waiting for the cleanup lock and ${count} date lock${count === 1 ? '' : 's'}`);
    },
    step(name, index, total) {
      label = `step ${index}/${total}`;
      advance(name, label);
    },
    rows(n) {
      if (current) view?.set(current, 'running', `${label} · ${n.toLocaleString('en-US')} done`);
    },
    fail(message) {
      if (current) view?.set(current, 'failed', `failed: ${message.split('\n')[0].slice(0, 80)}`);
    },
    finish() {
      if (current) view?.set(current, 'done');
      view?.stop();
      view = undefined;
      current = undefined;
    },
  };
}

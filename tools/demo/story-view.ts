/**
 * What `npm start` shows while it runs. On a terminal: its steps as a live task list (src/cli/live-tasks.ts), each
 * step's detail following what its processes report (a date waiting for its lock, dataform running, ...), and the
 * narrative printed above it. Off a terminal: the narrative on stdout and one JSON log line per step event on stderr,
 * with a heartbeat line whenever nothing was said for a few seconds, so there is never a silent gap.
 */
import { createLiveTasks } from '../../src/cli/live-tasks.ts';
import type { Logger } from '../../src/log/logger.ts';

export interface StepHandle {
  detail(text: string): void;
  done(summary?: string): void;
  fail(message: string): void;
}

export interface StoryView {
  /** Narrative: what happened and what it means. */
  say(text: string): void;
  step(id: string, title: string): StepHandle;
  stop(): void;
}

export function createStoryView(options: { log: Logger; stdout?: NodeJS.WriteStream; stderr?: NodeJS.WriteStream; heartbeatMs?: number }): StoryView {
  const stdout = options.stdout ?? process.stdout;
  const view = createLiveTasks({ title: 'npm start', stream: options.stderr ?? process.stderr });
  // The narrative goes through the view only when both share the terminal; redirected stdout gets plain lines.
  const say = (text: string) => (view && stdout.isTTY ? view.print(text) : stdout.write(text + '\n'));
  if (view) {
    return {
      say,
      step(id, title) {
        view.set(id, 'running', title);
        return {
          detail: (text) => view.set(id, 'running', `${title}: ${text}`),
          done: (summary) => view.set(id, 'done', summary ? `${title}: ${summary}` : title),
          fail: (message) => view.set(id, 'failed', `${title}: ${message}`),
        };
      },
      stop: () => view.stop(),
    };
  }
  let lastSaid = Date.now();
  let current: { id: string; title: string; since: number; detail: string } | undefined;
  const event = (message: string, fields: Record<string, unknown>) => {
    lastSaid = Date.now();
    options.log.info(message, { event: 'story', ...fields });
  };
  const heartbeat = setInterval(() => {
    if (current && Date.now() - lastSaid >= (options.heartbeatMs ?? 5_000)) {
      event('story_step_running', { step: current.id, title: current.title, detail: current.detail, elapsed_s: Math.round((Date.now() - current.since) / 1000) });
    }
  }, 1_000);
  heartbeat.unref();
  return {
    say(text) {
      lastSaid = Date.now();
      say(text);
    },
    step(id, title) {
      current = { id, title, since: Date.now(), detail: '' };
      const mine = current;
      event('story_step_started', { step: id, title });
      const end = (message: string, fields: Record<string, unknown>) => {
        if (current === mine) current = undefined;
        event(message, { step: id, title, seconds: Number(((Date.now() - mine.since) / 1000).toFixed(1)), ...fields });
      };
      return {
        detail(text) {
          mine.detail = text;
          event('story_step_progress', { step: id, detail: text });
        },
        done: (summary) => end('story_step_done', { summary }),
        fail: (message) => end('story_step_failed', { error: message }),
      };
    },
    stop: () => clearInterval(heartbeat),
  };
}

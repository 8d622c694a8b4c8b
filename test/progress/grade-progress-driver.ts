/**
 * Drives the runner's progress view through a multi-date run's events exactly as src/runner/run-dates.ts reports them
 * (3 dates at a time, lock waits, a retry, a failure), with the command's logger writing INFO and WARNING lines in
 * between. Run in a pseudo-terminal by test/progress/tty-progress.test.ts; argv: number of dates.
 */
import { createLogger } from '../../src/log/logger.ts';
import { createProgress } from '../../src/runner/progress.ts';
import { addDays } from '../../src/runner/dates.ts';

const count = Number(process.argv[2] ?? 40);
const dates = Array.from({ length: count }, (_, i) => addDays('2026-01-01', i));
const log = createLogger('grade');
const progress = createProgress(dates, log);
const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

async function one(date: string, index: number): Promise<void> {
  const dateLog = log.child({ game_date: date });
  progress.onPhase(date, 'circuit');
  await tick();
  progress.onPhase(date, 'waiting_for_lock');
  dateLog.info('lock acquired', { lock_key: `grading_${date}` });
  await tick();
  progress.onPhase(date, 'running', { attempt: 1 });
  dateLog.info('dataform run started');
  await tick();
  if (index % 7 === 3) {
    dateLog.warn(`concurrent update aborted the run of ${date}; retrying`);
    progress.onPhase(date, 'running', { attempt: 2 });
    await tick();
  }
  progress.onPhase(date, 'validating');
  await tick();
  const status = index === 11 ? 'failed' : 'succeeded';
  if (status === 'failed') dateLog.error(`run of ${date} failed`);
  progress.onPhase(date, 'done', { status, exit_code: status === 'failed' ? 1 : 0 });
  dateLog.info('lock released');
}

const queue = dates.map((date, index) => ({ date, index }));
await Promise.all(
  Array.from({ length: 3 }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await one(next.date, next.index);
  }),
);
progress.stop();
process.stdout.write(`summary: ${count} dates\n`);

/**
 * Drives the cleanup's progress view as src/cleanup/run.ts reports to it: waiting for its locks (the lock's INFO lines,
 * one per date, while it waits), then each step, the recompute counting dates, then finish. Run in a pseudo-terminal
 * by test/progress/tty-progress.test.ts; argv: `ok` or `fail`.
 */
import { createProgress } from '../../src/cleanup/progress.ts';
import { createLogger } from '../../src/log/logger.ts';
import { addDays } from '../../src/runner/dates.ts';

const outcome = process.argv[2] ?? 'ok';
const log = createLogger('cleanup');
const lockLog = log.child({ component: 'lock' });
const progress = createProgress();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const steps = ['backup', 'audit_duplicates', 'dedupe', 'verify', 'swap', 'verify_live', 'recompute'];
try {
  progress.locks(30);
  lockLog.info('waiting for lock', { lock_key: 'cleanup_nba_predictions.prediction_accuracy', holder: 'grade-2026-01-12' });
  // Long enough for the test to see the waiting state on screen.
  await sleep(1_500);
  for (let i = 0; i < 30; i++) {
    lockLog.info('lock acquired', { lock_key: `grading_${addDays('2026-01-01', i)}` });
    await sleep(2);
  }
  for (const [i, step] of steps.entries()) {
    progress.step(step, i + 1, steps.length);
    await sleep(20);
    if (step === 'swap' && outcome === 'fail') throw new Error('the deduped copy changed under the swap');
    if (step === 'recompute') for (let n = 1; n <= 30; n += 10) progress.rows(n);
    log.info(`cleanup step ${step} done`);
  }
} catch (error) {
  progress.fail((error as Error).message);
  log.error('cleanup failed', { error: (error as Error).message });
} finally {
  progress.finish();
}
process.stdout.write(`cleanup report: ${outcome}\n`);

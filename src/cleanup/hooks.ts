/**
 * Test hook: GRADEGUARD_CLEANUP_PAUSE=<step>:<start|done> makes the cleanup stop at that point (after the step's
 * `started` record, or after its work but before its `done` record; `planned:done` is after the first read of the
 * table, before any lock), print one JSON line on stderr and wait, so a test can kill -9 the real process exactly
 * there, or act and then let it go on with SIGUSR2. Unset in production; the value is only compared, never executed.
 */
import type { StepName } from './types.ts';

export async function pausePoint(step: StepName | 'locked' | 'planned', phase: 'start' | 'done'): Promise<void> {
  const wanted = process.env.GRADEGUARD_CLEANUP_PAUSE;
  if (!wanted || wanted !== `${step}:${phase}`) return;
  await new Promise<void>((resolve) => {
    const keepAlive = setInterval(() => undefined, 60_000);
    process.once('SIGUSR2', () => {
      clearInterval(keepAlive);
      resolve();
    });
    // Only once the handler is in place: a SIGUSR2 sent on this line before it would end the process (its default).
    process.stderr.write(JSON.stringify({ cleanup_hook: 'paused', step, phase, pid: process.pid }) + '\n');
  });
}

/**
 * `npm start`: the whole story on the embedded local stack — the incident, the cleanup, the fix, a report.
 * Logic: tools/demo/story.ts.
 */
import { resolve } from 'node:path';
import { oneOf, positiveInt, runCommand } from '../src/cli/command.ts';
import { StateDirBusyError } from '../tools/demo/state-dir-lock.ts';
import { runStory, SIZES, type StorySize } from '../tools/demo/story.ts';
import { ExitCode } from '../src/runner/exit-codes.ts';

await runCommand({
  name: 'start',
  usage: `Usage: npm start [-- --size small|medium|large] [--seed N] [--keep-running] [--state-dir DIR]

Starts the local stack (BigQuery emulator on DuckDB, Google's Firestore emulator, a Slack stand-in), seeds a synthetic
season, reproduces the incident (the seed's unprotected DELETE + INSERT grading by a scheduled run and a backfill, their
jobs interleaved in an order the seed chooses), runs the cleanup (plan, then run), runs an overlapping backfill and
scheduled \`grade\` again under the lock (the second starts once the first holds the shared date's lock), and writes
.local/report.html. No cloud account needed. The same seed gives the same incident figures.

  --size S         small (default: 30 dates, 300 players, 6 systems), medium, large
  --seed N         seed of the synthetic season and of the incident's interleaving (default 7)
  --keep-running   leave the stack up afterwards and print how to connect grade, check and bq to it
  --state-dir DIR  where the stack keeps its files (default .local/start; the report goes beside it as
                   <DIR>-report.html). One npm start per directory: a second one exits 4 and touches nothing.`,
  options: { size: { type: 'string' }, seed: { type: 'string' }, 'keep-running': { type: 'boolean' }, 'state-dir': { type: 'string' } },
  async run({ values, log }) {
    const size = oneOf('--size', values.size, Object.keys(SIZES) as StorySize[], 'small');
    const seed = positiveInt('--seed', values.seed, 7);
    const started = performance.now();
    try {
      const { exitCode } = await runStory({ size, seed, keepRunning: Boolean(values['keep-running']), stateDir: values['state-dir'] ? resolve(values['state-dir']) : undefined, log });
      process.stdout.write(`\nDone in ${((performance.now() - started) / 1000).toFixed(0)} s (exit ${exitCode}).\n`);
      return exitCode;
    } catch (error) {
      if (!(error instanceof StateDirBusyError)) throw error;
      process.stderr.write(`start: ${error.message}\n`);
      return ExitCode.lockNotAcquired;
    }
  },
});

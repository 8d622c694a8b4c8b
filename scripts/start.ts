/**
 * `npm start`: the whole story on the embedded local stack — the incident, the cleanup, the fix, a report.
 * Logic: src/demo/story.ts.
 */
import { oneOf, positiveInt, runCommand } from '../src/cli/command.ts';
import { runStory, SIZES, type StorySize } from '../src/demo/story.ts';

await runCommand({
  name: 'start',
  usage: `Usage: npm start [-- --size small|medium|large] [--seed N] [--keep-running]

Starts the local stack (BigQuery emulator on DuckDB, Google's Firestore emulator, a Slack stand-in), seeds a synthetic
season, reproduces the incident (the seed's unprotected DELETE + INSERT grading, a backfill overlapping the scheduled
run), runs the cleanup (plan, then run), runs overlapping backfill and scheduled \`grade\` processes again under the lock,
and writes .local/report.html. No cloud account needed.

  --size S         small (default: 30 dates, 300 players, 6 systems), medium, large
  --seed N         seed of the synthetic season (default 7)
  --keep-running   leave the stack up afterwards and print how to connect grade, dataform and bq to it`,
  options: { size: { type: 'string' }, seed: { type: 'string' }, 'keep-running': { type: 'boolean' } },
  async run({ values, log }) {
    const size = oneOf('--size', values.size, Object.keys(SIZES) as StorySize[], 'small');
    const started = performance.now();
    const { exitCode } = await runStory({
      size,
      seed: positiveInt('--seed', values.seed, 7),
      keepRunning: Boolean(values['keep-running']),
      say: (text) => process.stdout.write(text + '\n'),
      log,
    });
    process.stdout.write(`\nDone in ${((performance.now() - started) / 1000).toFixed(0)} s (exit ${exitCode}).\n`);
    return exitCode;
  },
});

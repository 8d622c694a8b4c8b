/** `npm run chaos`: randomised fault rounds against the local stack, then invariant checks (see docs/operations.md). */
import { join } from 'node:path';
import { positiveInt, runCommand } from '../src/cli/command.ts';
import { formatChaosReport } from '../src/chaos/report.ts';
import { runChaos } from '../src/chaos/rounds.ts';
import { repoRoot } from '../src/warehouse/dataform-cli.ts';

await runCommand({
  name: 'chaos',
  usage: `Usage: npm run chaos -- [--rounds N] [--seed N] [--unsafe] [--dir PATH] [--json]

Runs overlapping scheduled, backfill and consolidation processes on the local stack while faults strike at random
(kill -9 of lock holders, holders frozen past their lease, a Firestore outage, the BigQuery emulator killed and
restarted on its file, the alert webhook down); after each round one clean backfill recovers and the invariants are
checked: every business key exactly once in every keyed table, prediction_accuracy holds exactly the expected keys,
system_daily_performance equals a recomputation, every failed run left a grading_runs row.

  --rounds N     rounds to run (default 5)
  --seed N       PRNG seed: the same seed replays the same faults (default 1)
  --unsafe       TEST ONLY: grade with the seed's unprotected DELETE + INSERT path; the suite must find violations
  --dir PATH     working directory for the stack's files and process logs (default .local/chaos; wiped first)
  --json         print the report as JSON
Exit 0 when no violation was found (with --unsafe: when violations were found, i.e. the suite is sensitive), 1 otherwise.`,
  options: { rounds: { type: 'string' }, seed: { type: 'string' }, unsafe: { type: 'boolean' }, json: { type: 'boolean' }, dir: { type: 'string' } },
  async run({ values, log }) {
    const report = await runChaos({
      rounds: positiveInt('--rounds', values.rounds, 5, 1000),
      seed: positiveInt('--seed', values.seed, 1),
      unsafe: Boolean(values.unsafe),
      dir: values.dir ?? join(repoRoot, '.local', 'chaos'),
      logger: log,
    });
    process.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : formatChaosReport(report));
    const found = report.totals.violations + report.totals.failuresWithoutRunRow;
    return report.unsafe ? (report.totals.violations > 0 ? 0 : 1) : found === 0 ? 0 : 1;
  },
});

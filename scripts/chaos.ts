/** `npm run chaos`: randomised fault rounds against the local stack, then invariant checks (see docs/operations.md). */
import { join } from 'node:path';
import { positiveInt, runCommand } from '../src/cli/command.ts';
import { formatChaosReport } from '../tools/chaos/report.ts';
import { runChaos } from '../tools/chaos/rounds.ts';
import { repoRoot } from '../src/warehouse/dataform-cli.ts';

await runCommand({
  name: 'chaos',
  usage: `Usage: npm run chaos -- [--rounds N] [--seed N] [--unsafe] [--every-fault] [--dir PATH] [--json]

Runs overlapping scheduled, backfill and consolidation processes on the local stack — and the repair paths
(remediate, the cleanup killed and resumed, restore) — while faults strike at the moments that matter: kill -9 or a
freeze past the lease when a lock is acquired, dataform starts, a fenced transaction begins or commits, a cleanup step
is recorded; a Firestore outage longer than the lease; the BigQuery emulator killed mid-transaction; the webhook down.
Before recovery: no duplicate or lost key, every row's lock_token equal to the fence, the fence never lower. After one
clean backfill: the same, plus system_daily_performance and performance_summary equal recomputations, no lock still
held, every failed run left a grading_runs row; grading_runs rows left 'running' are reported.

  --rounds N     rounds to run (default 5)
  --seed N       PRNG seed: the same seed replays the same faults (default 1)
  --unsafe       TEST ONLY: grade with the seed's unprotected DELETE + INSERT path; the suite must find violations
                 in every round where both unsafe writers ran
  --every-fault  arm every kind of fault in every round (instead of each with its own chance)
  --dir PATH     working directory for the stack's files and process logs (default .local/chaos; wiped first)
  --json         print the report as JSON
Exit 0 when no violation was found (with --unsafe: when every round where both writers ran found violations, and
at least one did, i.e. the suite is sensitive), 1 otherwise.`,
  options: { rounds: { type: 'string' }, seed: { type: 'string' }, unsafe: { type: 'boolean' }, 'every-fault': { type: 'boolean' }, json: { type: 'boolean' }, dir: { type: 'string' } },
  async run({ values, log }) {
    const report = await runChaos({
      rounds: positiveInt('--rounds', values.rounds, 5, 1000),
      seed: positiveInt('--seed', values.seed, 1),
      unsafe: Boolean(values.unsafe),
      everyFault: Boolean(values['every-fault']),
      dir: values.dir ?? join(repoRoot, '.local', 'chaos'),
      logger: log,
    });
    process.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : formatChaosReport(report));
    const found = report.totals.violations + report.totals.failuresWithoutRunRow;
    const t = report.totals;
    if (report.unsafe) return t.unsafeRoundsCounted > 0 && t.unsafeRoundsWithViolations === t.unsafeRoundsCounted ? 0 : 1;
    return found === 0 ? 0 : 1;
  },
});

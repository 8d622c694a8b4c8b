/**
 * `npm run remediate -- --date D`: removes duplicate rows of prediction_accuracy for one date in one transaction,
 * under the date's grading lock, after a verified backup. Above --max-duplicates it refuses: use the cleanup.
 */
import { alerterForCommand } from '../src/alerts/index.ts';
import { duration, leaseDuration, oneOf, positiveInt, runCommand } from '../src/cli/command.ts';
import { DEFAULT_MAX_DUPLICATES, remediate, type Keep } from '../src/remediation/index.ts';
import { parseDate } from '../src/runner/dates.ts';
import { UsageError } from '../src/runner/exit-codes.ts';
import { openStack } from '../src/warehouse/stack.ts';
import { parseTargetKind } from '../src/warehouse/target.ts';

await runCommand({
  name: 'remediate',
  usage: `Usage: npm run remediate -- --date YYYY-MM-DD [--max-duplicates ${DEFAULT_MAX_DUPLICATES}] [--keep earliest|latest] [--lock-wait 0s] [--lease 5m] [--target local|bigquery] [--json]

Under the grading lock of the date: records the duplicate keys (grading_duplicate_audit, processor remediate),
copies the date's rows to prediction_accuracy_remediation_backup_<date>_<run> and verifies the copy, then replaces
the date's rows by one row per business key in one transaction (fenced by the lock token), and verifies zero
duplicates and an unchanged key set (if not, restoring the backup in a transaction fenced like the write, so never
over a newer run's rows). Leaves a grading_runs row and an alert.
  --date D              the game date to remediate (required)
  --max-duplicates N    refuse (exit 3) above N duplicate rows (rows beyond one per key); default ${DEFAULT_MAX_DUPLICATES}
  --keep WHICH          which row of a key survives: earliest (default) or latest graded_at
  --lock-wait DURATION  wait this long for the grading lock of the date, e.g. 30s or 5m (default 0s: exit 4 at once when held)
  --lease DURATION      lease of the grading lock, renewed every third while held (default 5m, 3s to 10m)
  --target KIND         local (emulators) or bigquery
  --json                the result as JSON on stdout`,
  alerts: true,
  options: {
    date: { type: 'string' },
    'max-duplicates': { type: 'string' },
    keep: { type: 'string' },
    'lock-wait': { type: 'string' },
    lease: { type: 'string' },
    target: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, log, webhookUrl }) {
    if (values.date === undefined) throw new UsageError('--date is required');
    const date = parseDate(values.date, '--date');
    const maxDuplicates = positiveInt('--max-duplicates', values['max-duplicates'], DEFAULT_MAX_DUPLICATES);
    const keep = oneOf<Keep>('--keep', values.keep, ['earliest', 'latest'], 'earliest');
    const lockWaitMs = duration('--lock-wait', values['lock-wait'], 0, { max: 24 * 3_600_000 });
    const leaseMs = leaseDuration('--lease', values.lease, 5 * 60_000);
    const kind = parseTargetKind(values.target);
    const stack = await openStack({ kind, logger: log });
    try {
      const alerter = alerterForCommand({ webhookUrl, logger: log, stack });
      const result = await remediate({ bigquery: stack.bigquery, target: stack.target, firestore: stack.firestore, alerter, logger: log, date, maxDuplicates, keep, lockWaitMs, leaseMs });
      if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else process.stdout.write(summary(result) + '\n');
      return result.exitCode;
    } finally {
      await stack.close();
    }
  },
});

function summary(r: Awaited<ReturnType<typeof remediate>>): string {
  const before = r.before ? `${r.before.rows} rows, ${r.before.keys} keys, ${r.before.duplicateKeys} duplicate keys, ${r.before.extraRows} extra rows` : '';
  switch (r.status) {
    case 'clean':
      return `${r.date}: no duplicates (${before}); nothing to do`;
    case 'remediated':
      return `${r.date}: removed ${r.removedRows} duplicate rows (${before}; kept the ${r.keep} graded_at); backup ${r.backupTable}; run ${r.runId}`;
    case 'refused':
      return `${r.date}: REFUSED: ${r.error}`;
    case 'lock_not_acquired':
      return `${r.date}: the grading lock is held by another run; nothing changed (${r.error})`;
    default:
      return `${r.date}: FAILED: ${r.error}`;
  }
}

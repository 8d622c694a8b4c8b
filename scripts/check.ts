/**
 * `npm run check`: duplicate keys, duplication rate and its week-over-week trend for every keyed table, and
 * ungraded predictions, over the last N days; missing tables, empty windows, ungraded and zero-row dates. Exit codes in --help.
 */
import { alerterForCommand } from '../src/alerts/index.ts';
import { DEFAULT_CHECK_DAYS, DEFAULT_UNGRADED_GRACE_DAYS, formatCheckReport, MAX_CHECK_DAYS, runCheck, validateTables } from '../src/checks/index.ts';
import { positiveInt, runCommand } from '../src/cli/command.ts';
import { parseDate } from '../src/runner/dates.ts';
import { UsageError } from '../src/runner/exit-codes.ts';
import { openStack } from '../src/warehouse/stack.ts';
import { parseTargetKind } from '../src/warehouse/target.ts';

await runCommand({
  name: 'check',
  usage: `Usage: npm run check -- [--days ${DEFAULT_CHECK_DAYS}] [--as-of YYYY-MM-DD] [--table NAME ...] [--target local|bigquery] [--json]

Checks the last N days (ending at --as-of, default today UTC) of every table with a business key: duplicate keys
and duplication rate per date, the week-over-week trend of the rate (a rise of more than 10% is a finding), and
predictions with actuals but no grade. Duplicate keys are appended to grading_duplicate_audit (processor check);
every finding is an alert (Slack when configured, always a log line). A check that read nothing does not pass:
missing tables (exit 5), a table without a row in the window (6), dates with predictions but no grade and no
grading run (7), dates graded successfully into 0 rows (8) each have their own status and alert.
  --days N             days to check, 1..${MAX_CHECK_DAYS} (default ${DEFAULT_CHECK_DAYS})
  --as-of DATE         last day checked (default today, UTC)
  --table NAME         only this table (repeatable)
  --ungraded-grace-days N  count ungraded predictions only on dates at least N days before --as-of (default ${DEFAULT_UNGRADED_GRACE_DAYS}; 0 includes --as-of)
  --target KIND        local (emulators) or bigquery (default GRADEGUARD_TARGET or local)
  --json               the full report as JSON on stdout`,
  alerts: true,
  options: {
    days: { type: 'string' },
    'as-of': { type: 'string' },
    table: { type: 'string', multiple: true },
    'ungraded-grace-days': { type: 'string' },
    target: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, log, webhookUrl }) {
    const days = positiveInt('--days', values.days, DEFAULT_CHECK_DAYS, MAX_CHECK_DAYS);
    const asOf = values['as-of'] === undefined ? new Date().toISOString().slice(0, 10) : parseDate(values['as-of'], '--as-of');
    const tables = validateTables(values.table);
    const graceText = values['ungraded-grace-days'];
    if (graceText !== undefined && !/^\d{1,2}$/.test(graceText)) throw new UsageError(`Invalid --ungraded-grace-days ${JSON.stringify(graceText)}: expected 0..99`);
    const ungradedGraceDays = graceText === undefined ? DEFAULT_UNGRADED_GRACE_DAYS : Number(graceText);
    const kind = parseTargetKind(values.target);
    const stack = await openStack({ kind, logger: log, needsFirestore: false });
    try {
      const alerter = alerterForCommand({ webhookUrl, logger: log, stack });
      const report = await runCheck({ bigquery: stack.bigquery, target: stack.target, alerter, logger: log, asOf, days, tables, ungradedGraceDays });
      process.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : formatCheckReport(report));
      return report.exitCode;
    } finally {
      await stack.close();
    }
  },
});

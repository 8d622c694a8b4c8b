/**
 * `npm run monitor`: one pass (for a scheduler) or `--watch`. Alerts on locks held longer than --stuck-after,
 * force-releases them past --release-after only with --auto-release, alerts on open circuit breakers, and runs
 * `check` once a day (the last run date is kept in Firestore, so several monitors run it once).
 */
import { alerterForCommand } from '../src/alerts/index.ts';
import { duration, formatDuration, MAX_LEASE_MS } from '../src/cli/duration.ts';
import { runCommand } from '../src/cli/command.ts';
import { DEFAULT_RELEASE_AFTER_MS, DEFAULT_STUCK_AFTER_MS, DEFAULT_UNLEASED_RUN_AFTER_MS, monitorPass, openFirestore, type MonitorReport } from '../src/monitor/index.ts';
import { ExitCode, UsageError } from '../src/runner/exit-codes.ts';
import { openStack } from '../src/warehouse/stack.ts';
import { parseTargetKind } from '../src/warehouse/target.ts';

await runCommand({
  name: 'monitor',
  usage: `Usage: npm run monitor -- [--watch [--interval 60s]] [--auto-release] [--stuck-after 10m] [--release-after 15m] [--unleased-run-after 6h] [--skip-check] [--target local|bigquery] [--json]

  --watch              repeat passes until interrupted (default: one pass; exit 3 when it found anything)
  --interval D         time between passes with --watch (default 60s)
  --stuck-after D      alert on locks held longer than this (default 10m)
  --release-after D    with --auto-release, force-release locks held longer than this (default 15m; must exceed 10m,
                       the longest lease, and be >= --stuck-after)
  --unleased-run-after D
                       close grading_runs rows left running this long by runs that hold no lease (a --no-lock run,
                       or a Dataform run no runner started, e.g. one the fence refused) as abandoned (default 6h,
                       BigQuery's limit for one job; at least 10m). Runs with a lease are judged by it instead.
  --auto-release       force-release overdue (and expired) locks; audited in <type>_lock_audit and alerted
  --skip-check         do not run the daily check in this pass
  --target KIND        local (emulators) or bigquery
  --json               each pass's report as one JSON line on stdout
  Durations need a unit: 500ms, 30s, 10m, 1h.`,
  alerts: true,
  options: {
    watch: { type: 'boolean' },
    interval: { type: 'string' },
    'stuck-after': { type: 'string' },
    'release-after': { type: 'string' },
    'unleased-run-after': { type: 'string' },
    'auto-release': { type: 'boolean' },
    'skip-check': { type: 'boolean' },
    target: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, log, webhookUrl }) {
    const intervalMs = duration('--interval', values.interval, 60_000, { min: 1_000 });
    if (values.interval !== undefined && !values.watch) throw new UsageError('--interval applies to --watch only');
    const stuckAfterMs = duration('--stuck-after', values['stuck-after'], DEFAULT_STUCK_AFTER_MS, { min: 1_000 });
    const releaseAfterMs = duration('--release-after', values['release-after'], DEFAULT_RELEASE_AFTER_MS);
    // A live holder renews within a third of its lease: only age beyond the longest lease says it is hung.
    if (releaseAfterMs <= MAX_LEASE_MS)
      throw new UsageError(
        `Invalid --release-after ${JSON.stringify(values['release-after'])}: must exceed ${formatDuration(MAX_LEASE_MS)}, the longest lease a command takes (a younger lock may be a healthy run)`,
      );
    if (releaseAfterMs < stuckAfterMs) throw new UsageError('--release-after must not be shorter than --stuck-after');
    const unleasedRunAfterMs = duration('--unleased-run-after', values['unleased-run-after'], DEFAULT_UNLEASED_RUN_AFTER_MS, { min: 10 * 60_000 });
    const kind = parseTargetKind(values.target);

    const skipCheck = Boolean(values['skip-check']);
    const stack = skipCheck ? undefined : await openStack({ kind, logger: log });
    const fsOnly = stack ? undefined : await openFirestore(kind, log);
    const firestore = stack?.firestore ?? fsOnly!.firestore;
    const alerter = alerterForCommand({ webhookUrl, logger: log, stack: stack ?? { target: { kind, firestoreHost: fsOnly!.emulatorHost }, firestore } });
    const pass = () =>
      monitorPass({
        firestore,
        alerter,
        logger: log,
        stuckAfterMs,
        releaseAfterMs,
        unleasedRunAfterMs,
        autoRelease: Boolean(values['auto-release']),
        warehouse: stack && { bigquery: stack.bigquery, target: stack.target },
        dailyCheck: !skipCheck,
      });
    const print = (report: MonitorReport) => process.stdout.write(values.json ? JSON.stringify(report) + '\n' : describe(report));
    try {
      if (!values.watch) {
        const report = await pass();
        print(report);
        return report.findings ? ExitCode.duplicatesOrAssertion : ExitCode.ok;
      }
      const stop = new AbortController();
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
      while (!stop.signal.aborted) {
        try {
          print(await pass());
        } catch (error) {
          log.error('monitor_pass_failed', { event: 'monitor_pass_failed', error: (error as Error).message });
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, intervalMs);
          stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
        });
      }
      return ExitCode.ok;
    } finally {
      await stack?.close();
      await fsOnly?.close();
    }
  },
});

function describe(report: MonitorReport): string {
  const lines = [`monitor pass ${report.at}`];
  for (const s of report.stuck) lines.push(`  lock ${s.lockKey}: ${s.expired ? 'expired' : `held ${s.heldFor}`} by ${s.holder} (token ${s.token})${s.released ? ' -> force-released' : ''}`);
  for (const c of report.openCircuits) lines.push(`  circuit ${c.operation}: ${c.state} (${c.consecutiveFailures} failures)`);
  for (const r of report.abandonedRuns) lines.push(`  grading_runs ${r}: left running by a run with no live lease (or none, past --unleased-run-after) -> abandoned`);
  lines.push(`  check: ${report.check.ran ? `ran (${report.check.clean ? 'clean' : 'findings'}, run ${report.check.runId})` : `not run (${report.check.reason ?? 'skipped'})`}`);
  if (!report.stuck.length && !report.openCircuits.length) lines.push('  no stuck locks, no open circuits');
  return lines.join('\n') + '\n';
}

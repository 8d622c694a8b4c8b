/**
 * The `cleanup` command behind scripts/cleanup.ts: its flags validated before anything is touched (bad input: exit 2),
 * then plan, status, run, resume or restore on the opened stack, and what each prints (a text, or JSON with --json).
 * Errors go on to runCommand, which maps them (exitCodeOf: a failed verification 3, a busy lock 4).
 */
import { alerterForCommand } from '../alerts/index.ts';
import { duration, leaseDuration, oneOf, type ParsedValues } from '../cli/command.ts';
import type { Logger } from '../log/logger.ts';
import { ExitCode, UsageError } from '../runner/exit-codes.ts';
import { describeExecutor, executorOptions, executorUsage, openExecutor, parseExecutor, refuseUncompilable } from '../runner/executors/open-executor.ts';
import { keyedTableNames } from '../warehouse/duplicates.ts';
import { openStack } from '../warehouse/stack.ts';
import { assertIdentifier, parseTargetKind } from '../warehouse/target.ts';
import { counterFor, type CleanupContext } from './context.ts';
import { planCleanup } from './plan.ts';
import { createProgress } from './progress.ts';
import { formatReport } from './report.ts';
import { restoreBackup } from './restore.ts';
import { runCleanup } from './run.ts';
import { CleanupStateStore } from './state.ts';
import { KEEP_RULES } from './types.ts';

const SUBCOMMANDS = ['plan', 'run', 'resume', 'restore', 'status'] as const;

export const cleanupUsage = `Usage:
  cleanup plan    --table T [--keep earliest|latest] [--backup NAME]   what a run would do; writes nothing
  cleanup run     --table T --confirm [--keep earliest|latest] [--backup NAME]
  cleanup resume  --table T --confirm                                    continue a crashed or stopped cleanup
  cleanup restore --backup NAME --confirm [--table T] [--keep-newer|--discard-newer]
                                                                         put a backup back (atomic, fenced, verified)
  cleanup status  [--table T]                                            cleanups recorded and their steps

Options:
  --table T         a table with a business key in includes/business_keys.js (prediction_accuracy, player_prop_predictions, ...)
  --keep RULE       which row of a duplicated key stays: earliest (default, the seed's rule) or latest write
  --backup NAME     backup table name (run default: <table>_backup_<YYYYMMDD>)
  --confirm         required by run, resume and restore (they replace the table's content)
  --keep-newer      restore: dates written after the backup (graded since) stay as they are; every other date is restored
  --discard-newer   restore: replace those dates too (the live table is first kept in a verified snapshot);
                    without either, a restore that would lose newer data refuses (exit 3) and lists it
  --lease DURATION  lease of each lock, renewed while held (default 2m; 3s..10m; durations need a unit: 500ms, 30s, 10m, 1h)
  --wait DURATION   how long to wait for a busy lock before exit 4 (default 30s)
  --target KIND     local (emulators, default) or bigquery
${executorUsage}
  --json            machine-readable result on stdout`;

export const cleanupOptions = {
  table: { type: 'string' },
  keep: { type: 'string' },
  backup: { type: 'string' },
  confirm: { type: 'boolean' },
  'keep-newer': { type: 'boolean' },
  'discard-newer': { type: 'boolean' },
  lease: { type: 'string' },
  wait: { type: 'string' },
  target: { type: 'string' },
  json: { type: 'boolean' },
  ...executorOptions,
} as const;

export async function runCleanupCommand({
  values,
  positionals,
  log,
  webhookUrl,
}: {
  values: ParsedValues<typeof cleanupOptions>;
  positionals: string[];
  log: Logger;
  webhookUrl: string | undefined;
}): Promise<number> {
  if (positionals.length !== 1) throw new UsageError(`expected one subcommand (${SUBCOMMANDS.join(', ')})`);
  const sub = oneOf('subcommand', positionals[0], SUBCOMMANDS, 'plan');
  const kind = parseTargetKind(values.target);
  // The reporting recompute (run, resume, restore) runs Dataform through the same executor as grade.
  const executorChoice = parseExecutor(values, kind);
  const keep = oneOf('--keep', values.keep, KEEP_RULES, 'earliest');
  const leaseMs = leaseDuration('--lease', values.lease, 120_000);
  const maxWaitMs = duration('--wait', values.wait, 30_000, { max: 24 * 3_600_000 });
  const table = values.table === undefined ? undefined : assertIdentifier('table', values.table);
  if (table !== undefined && !(keyedTableNames() as string[]).includes(table)) {
    throw new UsageError(`No such table ${JSON.stringify(table)} for cleanup: expected a table with a business key (${keyedTableNames().join(', ')})`);
  }
  const backup = values.backup === undefined ? undefined : assertIdentifier('backup', values.backup);
  if (['plan', 'run', 'resume'].includes(sub) && !table) throw new UsageError(`cleanup ${sub} needs --table`);
  if (sub === 'restore' && !backup) throw new UsageError('cleanup restore needs --backup');
  if (['run', 'resume', 'restore'].includes(sub) && !values.confirm) throw new UsageError(`cleanup ${sub} replaces the table's content: add --confirm (see cleanup plan first)`);
  if (values['keep-newer'] && values['discard-newer']) throw new UsageError('--keep-newer and --discard-newer exclude each other');
  if (sub !== 'restore' && (values['keep-newer'] || values['discard-newer'])) throw new UsageError('--keep-newer and --discard-newer are options of cleanup restore');
  const newer = values['keep-newer'] ? 'keep' : values['discard-newer'] ? 'discard' : 'refuse';
  if (sub === 'resume' && (values.keep || values.backup)) throw new UsageError('cleanup resume continues with the settings the cleanup started with (no --keep or --backup)');

  // plan reads the backup register where a Firestore is configured, but starts no emulator for it.
  const runsDataform = ['run', 'resume', 'restore'].includes(sub);
  const stack = await openStack({ kind, logger: log, needsFirestore: sub !== 'plan', dataform: runsDataform ? describeExecutor(executorChoice) : undefined });
  const opened = runsDataform
    ? await openExecutor(executorChoice, stack.target, log, { prestart: false }).catch(async (error) => {
        await stack.close();
        throw error;
      })
    : undefined;
  const scans: string[] = [];
  const ctx: CleanupContext = {
    bigquery: stack.bigquery,
    firestore: stack.firestore,
    target: stack.target,
    executor: opened?.executor ?? { run: () => Promise.reject(new Error(`cleanup ${sub} runs no Dataform`)) },
    log,
    alerter: alerterForCommand({ webhookUrl, logger: log.child({ component: 'alerts' }), stack: sub === 'plan' ? undefined : stack }),
    progress: createProgress(process.stderr, Boolean(process.stderr.isTTY) && !values.json),
    scans,
    counter: counterFor(scans),
  };
  const out = (value: unknown, text: string) => process.stdout.write(values.json ? JSON.stringify(value, null, 2) + '\n' : text);
  try {
    if (sub === 'plan') {
      const plan = await planCleanup(ctx, { table: table!, keep, backup, now: new Date() });
      const { original: _original, ...shown } = plan;
      out(shown, formatPlan(plan));
      return ExitCode.ok;
    }
    if (sub === 'status') {
      const states = (await new CleanupStateStore(stack.firestore).list()).filter((s) => !table || s.table === table);
      out(
        states.map(({ original: _o, shape: _s, ...rest }) => rest),
        states
          .map(
            (s) =>
              `${s.dataset}.${s.table}  ${s.cleanupId}  ${s.status}  steps: ${
                Object.entries(s.steps)
                  .map(([n, r]) => `${n}=${r?.status}`)
                  .join(' ') || 'none'
              }${s.error ? `\n  error: ${s.error}` : ''}\n`,
          )
          .join('') || 'No cleanups recorded.\n',
      );
      return ExitCode.ok;
    }
    // The reporting recompute's project must compile before the cleanup locks or writes anything (as grade's).
    const refused = await refuseUncompilable('cleanup', ctx.executor, { date: new Date().toISOString().slice(0, 10), operation: 'cleanup', target: stack.target, log });
    if (refused !== undefined) return refused;
    const locks = { leaseMs, maxWaitMs };
    if (sub === 'restore') {
      const report = await restoreBackup(ctx, { backup: backup!, table, locks, newer });
      const kept =
        report.newerDates.length === 0
          ? ''
          : report.newer === 'keep'
            ? `; kept as they are (newer than the backup): ${report.newerDates.join(', ')}`
            : `; newer data discarded on ${report.newerDates.join(', ')}, kept in ${report.keptLive}`;
      out(
        report,
        `Restored ${report.table} from ${report.backup}: ${report.rowsBefore} -> ${report.rowsAfter} rows, ${report.restoredDates.length} dates equal to the backup${kept}; reporting recomputed for ${report.recomputedDates.length} dates\n`,
      );
      return ExitCode.ok;
    }
    const report = await runCleanup(ctx, { table: table!, keep, backup, resume: sub === 'resume', locks });
    out(report, formatReport(report));
    return ExitCode.ok;
  } finally {
    // A failed verification (exit 3) or a busy lock (exit 4) goes on to runCommand, which maps every error (exitCodeOf).
    await opened?.close();
    await stack.close();
  }
}

function formatPlan(plan: Awaited<ReturnType<typeof planCleanup>>): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const affected = plan.dates.filter((d) => d.removed > 0);
  return [
    `Plan for ${plan.dataset}.${plan.table} (nothing written):`,
    `  rows ${n(plan.rows)}, unique keys ${n(plan.uniqueKeys)}, duplicate rows ${n(plan.duplicateRows)} over ${n(plan.duplicateKeys)} keys`,
    `  keep per key: ${plan.keep} write; copies differing beyond the run columns: ${n(plan.differingKeys)} keys`,
    `  would keep ${n(plan.uniqueKeys)} rows and remove ${n(plan.duplicateRows)}`,
    `  backup: ${plan.dataset}.${plan.backup}; deduped copy: ${plan.dataset}.${plan.deduped} (dropped once the swap is verified)`,
    ...(plan.collisions.length > 0 ? ['  a run would refuse, these names are taken:', ...plan.collisions.map((c) => `    ${c}`)] : []),
    `  dates with duplicates: ${affected.length} of ${plan.dates.length}`,
    ...affected.map((d) => `    ${d.date}  ${n(d.rows)} rows, ${n(d.uniqueKeys)} keys: keep ${n(d.kept)}, remove ${n(d.removed)}`),
    `  reporting to recompute: ${plan.recomputeDates.length} dates`,
    '  bytes read per step (dry-run estimates):',
    ...Object.entries(plan.bytes).map(([step, bytes]) => `    ${step.padEnd(18)} ${n(bytes)}`),
    `  full reads of the table by a run: ${plan.plannedScans} (${plan.plannedReads.join(', ')})`,
    '',
  ].join('\n');
}

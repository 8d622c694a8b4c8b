/**
 * The shared body of `grade` and `consolidate`: every flag validated before anything is touched (bad input: exit 2,
 * no stack, no lock, nothing written), then either the dry-run plan or the locked batch runs, progress, and the
 * summary (a table, or one JSON document with --json).
 */
import { alerterForCommand, type Alerter } from '../alerts/index.ts';
import { duration, leaseDuration, oneOf, positiveInt, type ParsedValues } from '../cli/command.ts';
import type { Logger } from '../log/logger.ts';
import { openStack } from '../warehouse/stack.ts';
import { parseTargetKind, type TargetKind } from '../warehouse/target.ts';
import { selectDates, MAX_RANGE_DAYS } from './dates.ts';
import { dryRunPlan } from './dry-run.ts';
import { ExitCode, UsageError } from './exit-codes.ts';
import { describeExecutor, executorOptions, executorUsage, openCliExecutor, openExecutor, parseExecutor, refuseUncompilable, type ExecutorChoice, type OpenedExecutor } from './executors/open-executor.ts';
import type { IfLocked, LockPolicy, OnLockError } from './lock-gate.ts';
import { OPERATIONS, type OperationName } from './operations.ts';
import { createProgress, summaryTable } from './progress.ts';
import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE, runDates } from './run-dates.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retryable.ts';
import { missingDeployedObjects, notDeployedMessage } from './deploy.ts';

export const lockedCommandOptions = {
  date: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  dates: { type: 'string' },
  yesterday: { type: 'boolean' },
  'max-days': { type: 'string' },
  parallel: { type: 'string' },
  'batch-size': { type: 'string' },
  'if-locked': { type: 'string' },
  'lock-timeout': { type: 'string' },
  lease: { type: 'string' },
  'no-lock': { type: 'boolean' },
  'on-lock-error': { type: 'string' },
  'dataform-timeout': { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  target: { type: 'string' },
  ...executorOptions,
} as const;

export type LockedCommandValues = ParsedValues<typeof lockedCommandOptions>;

export const lockedCommandUsage = (command: string, what: string) => `Usage: npm run ${command} -- (--date D | --from D1 --to D2 | --dates D1,D2,... | --yesterday) [options]

${what}

Dates (YYYY-MM-DD, UTC):
  --date D                 one date
  --from D1 --to D2        every date from D1 to D2 inclusive (at most --max-days, default ${MAX_RANGE_DAYS})
  --dates D1,D2,...        a list
  --yesterday              yesterday (UTC): what the scheduled job runs
  --max-days N             refuse a selection of more than N dates (default ${MAX_RANGE_DAYS}, at most 3660)
Options:
  --batch-size N           dates per locked run (default ${DEFAULT_BATCH_SIZE}, at most ${MAX_BATCH_SIZE}): the leases of a batch's
                           dates are taken in date order, then ONE dataform run writes them all
  --parallel N             batches in flight at once (default 1). Every batch writes the same tables and
                           BigQuery detects transaction conflicts per table, so more only makes them rerun
  --if-locked wait|skip|fail
                           when a date's lock is busy: wait up to --lock-timeout (default), skip the date
                           (exit 0, status skipped: what the scheduled job uses), or fail at once (exit 4)
  --lock-timeout DUR       how long --if-locked wait waits (default 30m; e.g. 90s, 10m, 1h)
  --lease DUR              lock lease, renewed every third (default 5m; 3s..10m)
  --no-lock                run without the lock (also GRADING_USE_LOCK=false): token 0, WARNING + alert;
                           only the atomic write protects the date, and the fence refuses it on dates already
                           written under the lock
  --on-lock-error fail|proceed
                           Firestore unavailable: fail (default, exit 4) or proceed without the lock (CRITICAL alert)
  --dataform-timeout DUR   bound on one dataform run (default 30m)
  Durations need a unit: 500ms, 30s, 10m, 1h.
  --dry-run                print the plan and the SQL Dataform would run; writes nothing, takes no lock
  --json                   print one JSON result on stdout instead of the summary table
  --target local|bigquery  local (default: reuse BIGQUERY_EMULATOR_HOST/FIRESTORE_EMULATOR_HOST or start the
                           emulators) or bigquery (GOOGLE_CLOUD_PROJECT, BIGQUERY_LOCATION, application default
                           credentials, real Firestore)
${executorUsage}
  -h, --help               this help
Environment: GRADING_USE_LOCK=false (= --no-lock), GRADEGUARD_CIRCUIT_COOL_DOWN (how long an open circuit breaker
refuses runs, default 5m), GRADEGUARD_FIRESTORE_TIMEOUT (how long one lock or circuit call to Firestore may take
before Firestore counts as unavailable, default 20s for the lock and 10s for the circuit), GRADEGUARD_RETRY_BACKOFF (first backoff before rerunning after a transient BigQuery error:
concurrent update, DML queue full, rate limit; default 1s, doubling, at most ${DEFAULT_RETRY_POLICY.retries} reruns).
The exit code of several dates is the most serious one: 1, then 3, then 4, then 0.`;

export interface ParsedLockedCommand {
  dates: string[];
  batchSize: number;
  parallel: number;
  policy: LockPolicy;
  leaseMs: number;
  dataformTimeoutMs: number;
  /** GRADEGUARD_CIRCUIT_COOL_DOWN (duration): how long an open circuit refuses runs (default 5m). */
  circuitCoolDownMs: number;
  /** GRADEGUARD_FIRESTORE_TIMEOUT (duration): bound of one lock or circuit call to Firestore (default 20s / 10s). */
  firestoreTimeoutMs?: number;
  /** Reruns after BigQuery's transient errors; GRADEGUARD_RETRY_BACKOFF (duration) sets the first backoff. */
  retryPolicy: RetryPolicy;
  dryRun: boolean;
  json: boolean;
  targetKind: TargetKind;
  executor: ExecutorChoice;
}

function parseLockedCommand(values: LockedCommandValues, env: NodeJS.ProcessEnv = process.env): ParsedLockedCommand {
  const targetKind = parseTargetKind(values.target);
  const maxDays = positiveInt('--max-days', values['max-days'], MAX_RANGE_DAYS, 3_660);
  const dates = selectDates({ date: values.date, from: values.from, to: values.to, dates: values.dates, yesterday: values.yesterday, maxDays });
  const envLock = env.GRADING_USE_LOCK;
  if (envLock !== undefined && !['true', 'false'].includes(envLock)) throw new UsageError(`Invalid GRADING_USE_LOCK ${JSON.stringify(envLock)}: expected true or false`);
  const useLock = !values['no-lock'] && envLock !== 'false';
  const lockTimeoutMs = duration('--lock-timeout', values['lock-timeout'], 30 * 60_000, { max: 24 * 3_600_000 });
  const leaseMs = leaseDuration('--lease', values.lease, 5 * 60_000);
  return {
    dates,
    batchSize: positiveInt('--batch-size', values['batch-size'], DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE),
    parallel: positiveInt('--parallel', values.parallel, 1, 8),
    policy: {
      useLock,
      ifLocked: oneOf<IfLocked>('--if-locked', values['if-locked'], ['wait', 'skip', 'fail'], 'wait'),
      lockTimeoutMs,
      onLockError: oneOf<OnLockError>('--on-lock-error', values['on-lock-error'], ['fail', 'proceed'], 'fail'),
    },
    leaseMs,
    dataformTimeoutMs: duration('--dataform-timeout', values['dataform-timeout'], 30 * 60_000, { min: 1, max: 24 * 3_600_000 }),
    circuitCoolDownMs: duration('GRADEGUARD_CIRCUIT_COOL_DOWN', env.GRADEGUARD_CIRCUIT_COOL_DOWN, 5 * 60_000, { min: 1_000 }),
    firestoreTimeoutMs: env.GRADEGUARD_FIRESTORE_TIMEOUT === undefined ? undefined : duration('GRADEGUARD_FIRESTORE_TIMEOUT', env.GRADEGUARD_FIRESTORE_TIMEOUT, 20_000, { min: 100, max: 5 * 60_000 }),
    retryPolicy: { ...DEFAULT_RETRY_POLICY, baseBackoffMs: duration('GRADEGUARD_RETRY_BACKOFF', env.GRADEGUARD_RETRY_BACKOFF, DEFAULT_RETRY_POLICY.baseBackoffMs, { min: 1, max: 60_000 }) },
    dryRun: Boolean(values['dry-run']),
    json: Boolean(values.json),
    targetKind,
    executor: parseExecutor(values, targetKind, env),
  };
}

export async function runLockedCommand(
  operation: OperationName,
  values: LockedCommandValues,
  log: Logger,
  options: { alerter?: Alerter; stdout?: NodeJS.WritableStream; webhookUrl?: string } = {},
): Promise<number> {
  const parsed = parseLockedCommand(values);
  const spec = OPERATIONS[operation];
  const stdout = options.stdout ?? process.stdout;
  if (parsed.dryRun) {
    const plan = await dryRunPlan(operation, parsed);
    stdout.write(parsed.json ? JSON.stringify(plan) + '\n' : plan.text);
    return plan.exitCode;
  }
  let early: OpenedExecutor | undefined;
  const stack = await openStack({
    kind: parsed.targetKind,
    logger: log,
    needsFirestore: parsed.policy.useLock,
    probeFirestore: false,
    warmFirestore: parsed.policy.useLock,
    dataform: describeExecutor(parsed.executor),
    // The CLI's process loads while the clients load, the stack is probed and the lock is taken (dataform-cli.ts).
    onTarget: (target) => {
      if (parsed.executor.kind === 'cli') early = openCliExecutor(target);
    },
  }).catch(async (error) => {
    await early?.close();
    throw error;
  });
  try {
    // Before any lock: a dataset never deployed (npm run deploy) is refused with what to run, not a BigQuery error
    // mid-run. One tables.list.
    const missing = await missingDeployedObjects(stack.bigquery, stack.target);
    if (missing.length) {
      const message = notDeployedMessage(stack.target, missing);
      log.error('not_deployed', { event: 'not_deployed', missing: missing.join(',') });
      process.stderr.write(`${operation}: ${message}\n`);
      return ExitCode.runFailed;
    }
    const { executor, close } = early ?? (await openExecutor(parsed.executor, stack.target, log));
    try {
      // Compile before any lock: a project that does not compile exits without locking or writing (1; 2 for bad vars).
      const refused = await refuseUncompilable(operation, executor, { date: parsed.dates[0], operation: spec.name, target: stack.target, log });
      if (refused !== undefined) return refused;
      const progress = createProgress(parsed.dates, log);
      const summary = await runDates(
        {
          operation,
          dates: parsed.dates,
          batchSize: parsed.batchSize,
          parallel: parsed.parallel,
          policy: parsed.policy,
          leaseMs: parsed.leaseMs,
          dataformTimeoutMs: parsed.dataformTimeoutMs,
          retryPolicy: parsed.retryPolicy,
          executor,
          circuit: { coolDownMs: parsed.circuitCoolDownMs },
          firestoreTimeoutMs: parsed.firestoreTimeoutMs,
        },
        {
          target: stack.target,
          bigquery: stack.bigquery,
          firestore: parsed.policy.useLock ? stack.firestore : undefined,
          // Firestore-backed dedupe: the same alert is not repeated within an hour across scheduled and backfill processes.
          alerter: options.alerter ?? alerterForCommand({ webhookUrl: options.webhookUrl, logger: log.child({ component: 'alerts' }), stack: parsed.policy.useLock ? stack : undefined }),
          log,
          onPhase: progress.onPhase,
        },
      ).finally(() => progress.stop());
      stdout.write(parsed.json ? JSON.stringify(summary) + '\n' : summaryTable(summary));
      return summary.exitCode;
    } finally {
      await close();
    }
  } finally {
    // Unused when the command stopped before its executor was opened (close() is idempotent).
    await early?.close();
    await stack.close();
  }
}

/**
 * Randomised chaos rounds over a small synthetic season. Each round runs overlapping scheduled, backfill and
 * consolidation processes — and at times the repair paths: remediate of a date given duplicates, the one-time cleanup
 * killed at a recorded step and resumed, a restore of its backup — while faults strike at the moments that matter
 * (tools/chaos/faults.ts: a lock acquired, dataform started, a fenced transaction begun or committed, a cleanup step
 * recorded). Before any recovery the round's state is checked (no duplicate, no lost key, every row's token equal to
 * the fence, the fence never lower); then one clean backfill recovers, and everything is checked again, with the
 * aggregates, the locks and the run rows (tools/chaos/invariants.ts, fence-invariants.ts).
 *
 * Safety switched off (`unsafe`): two writers with the seed's unprotected DELETE + INSERT grading instead, started
 * together and never faulted; every round in which both ran must show violations. That is what shows the checks can.
 */
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { createLogger, type Logger } from '../../src/log/logger.ts';
import { addDays } from '../../src/runner/dates.ts';
import { bigQueryClient, localTarget, tableRef, type WarehouseTarget } from '../../src/warehouse/target.ts';
import { deployProject } from '../../src/runner/deploy.ts';
import { cliExecutor } from '../../src/runner/executors/cli-executor.ts';
import { generateSeason, loadSeason, toStagingRows, loadRows, type PredictionRow } from '../synthetic/season.ts';
import { createFirestoreClient } from '../../src/lock/index.ts';
import { Actor, type ActorOutcome, type ActorSpec } from '../harness/actors.ts';
import { armFaults, killAt } from './faults.ts';
import { fenceRegressions, readFence, runningRows, staleTokenViolations, summaryViolations, unreleasedLocks, type FenceSnapshot } from './fence-invariants.ts';
import { checkInvariants, duplicateViolations, keySetViolations, type Violation } from './invariants.ts';
import { startProcessStack, type ProcessStack } from './process-stack.ts';
import { seededRandom, type Random } from '../synthetic/prng.ts';
import { cleanupSpec, injectDuplicates, remediateSpec, remediateTakesLease, restoreSpec } from './repairs.ts';
import type { Firestore } from '@google-cloud/firestore';

export interface ChaosOptions {
  rounds: number;
  seed: number;
  /** Test-only: the seed's unprotected write path instead of `grade` (must produce violations). */
  unsafe: boolean;
  /** Working directory for the stack's files and the processes' logs. */
  dir: string;
  dates?: number;
  players?: number;
  systems?: number;
  /** Lease of the runs' locks: short, so frozen holders lose it within a round. */
  leaseMs?: number;
  /**
   * Grading rows of grading_runs left `running` by ended processes count as violations (default: runs close the rows
   * of dead runs on the dates they lock); false: reported as findings, as rows of other operations always are.
   */
  runningRowsAreViolations?: boolean;
  /** Test knob: every kind of fault armed in every round. */
  everyFault?: boolean;
  logger?: Logger;
}

interface RoundReport {
  round: number;
  dates: string[];
  actors: Array<Pick<ActorOutcome, 'name' | 'kind' | 'code' | 'signal' | 'killed' | 'paused'>>;
  faults: string[];
  recovery: { code: number | null; attempts: number };
  violations: Violation[];
  /** What the round showed that is not (yet) counted as a violation, e.g. grading_runs rows left `running`. */
  findings: string[];
  failuresWithoutRunRow: string[];
  alertsReceived: number;
  /** Unsafe mode: both unsafe writers ran to the end (only then must the round show violations). */
  unsafeWritersRan?: boolean;
}

export interface ChaosReport {
  seed: number;
  unsafe: boolean;
  rounds: RoundReport[];
  totals: {
    rounds: number;
    processes: number;
    kills: number;
    freezes: number;
    firestoreOutages: number;
    bigqueryRestarts: number;
    webhookOutages: number;
    /** Faults whose moment never came (the process ended first). */
    missedFaults: number;
    /** Faults by the moment they struck at. */
    faultsAt: Record<string, number>;
    repairs: number;
    violations: number;
    findings: number;
    failuresWithoutRunRow: number;
    /** Unsafe mode: rounds where both writers ran, and how many of those showed violations. */
    unsafeRoundsCounted: number;
    unsafeRoundsWithViolations: number;
  };
}

const START_DATE = '2026-01-05';
const RECOVERY_ATTEMPTS = 3;

function actorSpecs(random: Random, round: number, roundDates: string[], unsafe: boolean, leaseMs: number, goFile: string): ActorSpec[] {
  const lease = ['--lease', `${leaseMs}ms`];
  const first = roundDates[0]!;
  const last = roundDates[roundDates.length - 1]!;
  const mid = roundDates[Math.floor(roundDates.length / 2)]!;
  if (unsafe) {
    // The seed's incident: a scheduled run with lookback and a backfill over the same dates at the same time. Both
    // wait at the go file until both are ready, so the overlap does not depend on their start-up times.
    const go = ['--go-file', goFile];
    return [
      { name: `r${round}-scheduled`, kind: 'unsafe', script: 'tools/chaos/unsafe-grade-process.ts', args: ['--from', first, '--to', last, '--run-id', `r${round}-scheduled`, '--pause', '1500', ...go] },
      { name: `r${round}-backfill`, kind: 'unsafe', script: 'tools/chaos/unsafe-grade-process.ts', args: ['--from', first, '--to', last, '--run-id', `r${round}-backfill`, '--pause', '1500', ...go] },
    ];
  }
  const specs: ActorSpec[] = [
    { name: `r${round}-scheduled`, kind: 'scheduled', script: 'scripts/grade.ts', args: ['--date', last, '--if-locked', 'skip', ...lease, '--json'] },
    { name: `r${round}-backfill-a`, kind: 'backfill', script: 'scripts/grade.ts', args: ['--from', first, '--to', last, '--if-locked', 'wait', '--parallel', '2', ...lease, '--json'] },
    { name: `r${round}-backfill-b`, kind: 'backfill', script: 'scripts/grade.ts', args: ['--from', mid, '--to', last, '--if-locked', 'wait', '--parallel', '2', ...lease, '--json'] },
  ];
  if (random.chance(0.6)) {
    specs.push({ name: `r${round}-consolidation`, kind: 'consolidation', script: 'scripts/consolidate.ts', args: ['--date', random.pick(roundDates), '--if-locked', 'wait', ...lease, '--json'] });
  }
  return specs;
}

/** New prediction versions staged by "workers" for a date, so the consolidation has work and keys can change. */
function stagedRevisions(random: Random, predictions: PredictionRow[], date: string, round: number): PredictionRow[] {
  const ofDate = predictions.filter((p) => p.game_date === date);
  const picked = ofDate.filter(() => random.chance(0.2));
  return picked.map((p) => ({
    ...p,
    prediction_id: `${p.prediction_id}-r${round}`,
    predicted_points: Math.round((p.predicted_points + (random.next() - 0.5) * 4) * 10) / 10,
    prediction_version: p.prediction_version + round,
    created_at: `${addDays(date, 0)} 20:${String(round % 60).padStart(2, '0')}:00+00`,
  }));
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.logger ?? createLogger('chaos');
  const random = seededRandom(options.seed);
  const leaseMs = options.leaseMs ?? 6_000;
  rmSync(options.dir, { recursive: true, force: true });
  mkdirSync(options.dir, { recursive: true });
  // A killed remediate holds its date until its lease ends: it is a fault victim only when its lease is settable.
  const remediateLease = !options.unsafe && remediateTakesLease() ? leaseMs : undefined;
  const stack = await startProcessStack({ dir: options.dir });
  const target = localTarget({ projectId: stack.env.GOOGLE_CLOUD_PROJECT!, emulatorUrl: stack.bigqueryUrl, firestoreHost: stack.firestore.host });
  // A short circuit cool-down: the rounds provoke failures on purpose, and recovery must not wait 5 minutes.
  const env: NodeJS.ProcessEnv = { ...stack.env, GRADEGUARD_CIRCUIT_COOL_DOWN: '3s', GRADEGUARD_LOG_LEVEL: 'INFO' };
  const bigquery = bigQueryClient(target);
  const firestore = createFirestoreClient({ emulatorHost: stack.firestore.host, projectId: stack.firestore.projectId });
  const rounds: RoundReport[] = [];
  try {
    const season = generateSeason({ seed: options.seed, dates: options.dates ?? 4, players: options.players ?? 60, systems: options.systems ?? 3, startDate: START_DATE });
    await loadSeason(bigquery, target.dataset, season);
    // The tables and views, deployed once as on every stack (npm run deploy): the rounds' runs never recreate them.
    const deployed = await deployProject({ executor: cliExecutor(target), bigquery, target, log, timeoutMs: 600_000 });
    if (!deployed.ok) throw new Error(`The deploy failed: ${deployed.message}`);
    log.info('Chaos: season loaded', { predictions: season.predictions.length, dates: season.gameDates.length });
    const initial = await new Actor(
      options.unsafe
        ? { name: 'initial', kind: 'unsafe', script: 'tools/chaos/unsafe-grade-process.ts', args: ['--from', season.gameDates[0]!, '--to', season.gameDates.at(-1)!, '--run-id', 'initial'] }
        : { name: 'initial', kind: 'backfill', script: 'scripts/grade.ts', args: ['--from', season.gameDates[0]!, '--to', season.gameDates.at(-1)!, '--parallel', '2', '--json'] },
      env,
      join(options.dir, 'logs'),
    ).done;
    if (initial.code !== 0) throw new Error(`The initial grading failed (exit ${initial.code}); see ${initial.logFile}`);
    // The one-time cleanup runs once per chaos run (its deduped table keeps its name for the day).
    const cleanupRound = !options.unsafe && options.rounds >= 2 ? random.int(2, options.rounds) : 0;
    let fence = options.unsafe ? new Map<string, number>() : await readFence(bigquery, target, season.gameDates);
    for (let round = 1; round <= options.rounds; round++) {
      const ctx: RoundContext = {
        round,
        random,
        stack,
        env,
        bigquery,
        firestore,
        target,
        seasonDates: season.gameDates,
        predictions: season.predictions,
        unsafe: options.unsafe,
        leaseMs,
        remediateLease,
        cleanup: round === cleanupRound,
        runningRowsAreViolations: options.runningRowsAreViolations ?? true,
        everyFault: Boolean(options.everyFault),
        fence,
        dir: options.dir,
        log,
      };
      const report = await runRound(ctx);
      fence = ctx.fence;
      rounds.push(report);
      // One line per round as it ends, so a long run that is stopped still leaves what it found.
      appendFileSync(join(options.dir, 'rounds.jsonl'), JSON.stringify(report) + '\n');
    }
  } finally {
    await firestore.terminate().catch(() => undefined);
    await stack.stop();
  }
  return { seed: options.seed, unsafe: options.unsafe, rounds, totals: totalsOf(rounds) };
}

function totalsOf(rounds: RoundReport[]): ChaosReport['totals'] {
  const sum = (f: (r: RoundReport) => number) => rounds.reduce((acc, r) => acc + f(r), 0);
  const faultCount = (name: string) => sum((r) => r.faults.filter((f) => f.startsWith(name)).length);
  const faultsAt: Record<string, number> = {};
  for (const fault of rounds.flatMap((r) => r.faults)) {
    const m = /^(?!missed)\S.* at (lock_acquired|dataform_started|transaction_begun|committed|step_recorded)\b/.exec(fault);
    if (m) faultsAt[m[1]!] = (faultsAt[m[1]!] ?? 0) + 1;
  }
  const counted = rounds.filter((r) => r.unsafeWritersRan);
  return {
    rounds: rounds.length,
    processes: sum((r) => r.actors.length),
    kills: faultCount('kill'),
    freezes: faultCount('freeze'),
    firestoreOutages: faultCount('firestore'),
    bigqueryRestarts: faultCount('bigquery'),
    webhookOutages: faultCount('webhook'),
    missedFaults: faultCount('missed'),
    faultsAt,
    repairs: sum((r) => r.actors.filter((a) => a.kind === 'remediate' || a.kind === 'cleanup' || a.kind === 'restore').length),
    violations: sum((r) => r.violations.length),
    findings: sum((r) => r.findings.length),
    failuresWithoutRunRow: sum((r) => r.failuresWithoutRunRow.length),
    unsafeRoundsCounted: counted.length,
    unsafeRoundsWithViolations: counted.filter((r) => r.violations.length > 0).length,
  };
}

interface RoundContext {
  round: number;
  random: Random;
  stack: ProcessStack;
  env: NodeJS.ProcessEnv;
  bigquery: BigQuery;
  firestore: Firestore;
  target: WarehouseTarget;
  seasonDates: string[];
  predictions: PredictionRow[];
  unsafe: boolean;
  leaseMs: number;
  /** Lease passed to remediate (undefined: it does not take one, so it is never a fault victim). */
  remediateLease: number | undefined;
  /** This round runs the one-time cleanup (killed at a recorded step, resumed, maybe restored). */
  cleanup: boolean;
  runningRowsAreViolations: boolean;
  everyFault: boolean;
  /** The fence as last seen (updated by the round). */
  fence: FenceSnapshot;
  dir: string;
  log: Logger;
}

async function runRound(ctx: RoundContext): Promise<RoundReport> {
  const { random, round, stack } = ctx;
  const span = random.int(2, Math.min(4, ctx.seasonDates.length));
  const start = random.int(0, ctx.seasonDates.length - span);
  const roundDates = ctx.seasonDates.slice(start, start + span);
  const revisionDate = random.pick(roundDates);
  const revisions = stagedRevisions(random, ctx.predictions, revisionDate, round);
  if (!ctx.unsafe && revisions.length) await loadRows(ctx.bigquery, ctx.target.dataset, 'player_prop_predictions_staging', toStagingRows(revisions, `chaos-r${round}`));
  const logDir = join(ctx.dir, 'logs');
  const goFile = join(ctx.dir, `go-r${round}`);

  const specs = actorSpecs(random, round, roundDates, ctx.unsafe, ctx.leaseMs, goFile);
  // Repairs: remediate of a date given duplicates; the cleanup once per chaos run.
  const remediateDate = !ctx.unsafe && random.chance(0.3) ? random.pick(roundDates) : undefined;
  if (remediateDate) {
    await injectDuplicates(ctx.bigquery, ctx.target, remediateDate);
    specs.push(remediateSpec(round, remediateDate, ctx.remediateLease));
  }
  if (ctx.cleanup) specs.push(cleanupSpec(round, ctx.leaseMs, 'run'));

  const alertsBefore = stack.webhook.requests.length;
  const faults: string[] = [];
  const outages: Array<{ from: number; to: number }> = [];
  const actors = specs.map((spec) => new Actor(spec, ctx.env, logDir));
  const victims = actors.filter((a) => a.spec.kind === 'scheduled' || a.spec.kind === 'backfill' || a.spec.kind === 'consolidation' || (a.spec.kind === 'remediate' && ctx.remediateLease));
  const faultCtx = { random, stack, victims, leaseMs: ctx.leaseMs, faults, outages, everyFault: ctx.everyFault };
  const tasks = armFaults(faultCtx);
  const cleanupActor = actors.find((a) => a.spec.kind === 'cleanup');
  if (cleanupActor && random.chance(0.8)) tasks.push(killAt(faultCtx, cleanupActor, 'step_recorded', random.pick(['backup', 'dedupe', 'swap'])));
  if (ctx.unsafe) tasks.push(startTogether(actors, goFile));

  const outcomes = await Promise.all(actors.map((a) => a.done));
  await Promise.all(tasks);
  stack.webhook.setFallback({ status: 200, body: 'ok' });
  stack.resumeFirestore();
  // The cleanup killed part-way is resumed; a finished cleanup's backup is then restored, after the round's grading.
  const cleanupOutcome = outcomes.find((o) => o.kind === 'cleanup');
  const later: Actor[] = [];
  if (cleanupOutcome) {
    let cleanedUp = cleanupOutcome.code === 0;
    if (cleanupOutcome.killed) {
      const resume = new Actor(cleanupSpec(round, ctx.leaseMs, 'resume'), ctx.env, logDir);
      later.push(resume);
      cleanedUp = (await resume.done).code === 0;
    }
    if (cleanedUp && random.chance(0.6)) {
      const restore = new Actor(restoreSpec(round), ctx.env, logDir);
      later.push(restore);
      await restore.done;
    }
  }
  const laterOutcomes = await Promise.all(later.map((a) => a.done));
  const all = [...outcomes, ...laterOutcomes];

  // "Never duplicated, never lost, never stale" holds at every moment, not only after a repair: check before recovery.
  const remediated = outcomes.find((o) => o.kind === 'remediate');
  const excused = (v: Violation) => v.kind === 'duplicate_key' && v.table === 'prediction_accuracy' && v.date === remediateDate && remediated?.code !== 0;
  const findings: string[] = [];
  const duringRound: Violation[] = [];
  for (const v of await duplicateViolations(ctx.bigquery, ctx.target, roundDates, ctx.unsafe ? ['player_prop_predictions', 'prediction_accuracy'] : undefined)) {
    if (excused(v)) findings.push(`duplicates injected on ${v.date} left by a remediate that did not succeed (exit ${remediated?.code ?? 'none'}); the recovery re-grades the date`);
    else duringRound.push({ ...v, detail: `before recovery: ${v.detail}` });
  }
  duringRound.push(...(await keySetViolations(ctx.bigquery, ctx.target, roundDates)).map((v) => ({ ...v, detail: `before recovery: ${v.detail}` })));
  let fenceNow = ctx.fence;
  if (!ctx.unsafe) {
    duringRound.push(...(await staleTokenViolations(ctx.bigquery, ctx.target, roundDates, 'before recovery')));
    fenceNow = await readFence(ctx.bigquery, ctx.target, ctx.seasonDates);
    duringRound.push(...fenceRegressions(ctx.fence, fenceNow, 'during the round'));
  }

  // Recovery: one clean backfill of the round's dates (waits for leases of killed holders to expire). The round's
  // failures may have opened the circuit breaker, whose half-open state lets one date through: retry after its
  // cool-down (3 s here), so the checks below always see a recovered state.
  const recoveryActors: Actor[] = [];
  let recovery: ActorOutcome | undefined;
  for (let attempt = 1; attempt <= RECOVERY_ATTEMPTS && recovery?.code !== 0; attempt++) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 4_000));
    const name = `r${round}-recovery${attempt > 1 ? `-${attempt}` : ''}`;
    const actor = new Actor(
      ctx.unsafe
        ? { name, kind: 'unsafe', script: 'tools/chaos/unsafe-grade-process.ts', args: ['--from', roundDates[0]!, '--to', roundDates.at(-1)!, '--run-id', name] }
        : { name, kind: 'backfill', script: 'scripts/grade.ts', args: ['--from', roundDates[0]!, '--to', roundDates.at(-1)!, '--if-locked', 'wait', '--parallel', '2', '--json'] },
      ctx.env,
      logDir,
    );
    recoveryActors.push(actor);
    recovery = await actor.done;
  }

  const violations = [...duringRound, ...(await checkInvariants(ctx.bigquery, ctx.target, roundDates, { withAggregates: !ctx.unsafe }))];
  if (!ctx.unsafe) {
    violations.push(...(await summaryViolations(ctx.bigquery, ctx.target, roundDates)));
    violations.push(...(await staleTokenViolations(ctx.bigquery, ctx.target, roundDates, 'after recovery')));
    const fenceAfter = await readFence(ctx.bigquery, ctx.target, ctx.seasonDates);
    violations.push(...fenceRegressions(fenceNow, fenceAfter, 'during the recovery'));
    ctx.fence = fenceAfter;
    const everyone = [...actors, ...later, ...recoveryActors];
    const killedPids = new Set(actors.filter((a, k) => outcomes[k]!.killed && a.pid).map((a) => a.pid!));
    violations.push(...(await unreleasedLocks(ctx.firestore, killedPids)));
    // The recovery held every round date's grading lock, and a run taking a lock closes the rows of dead runs on its
    // dates: a grading row still `running` is a violation. Other operations' rows wait for their next run or monitor.
    for (const row of await runningRows(
      ctx.bigquery,
      ctx.target,
      everyone.flatMap((a) => [...a.runIds]),
    )) {
      const text = `grading_runs ${row.runId} (${row.operation}) left running by a process that has ended`;
      if (ctx.runningRowsAreViolations && row.operation === 'grading') violations.push({ kind: 'running_row_left', table: 'grading_runs', date: null, detail: text });
      else findings.push(text);
    }
    for (const o of all) if ((o.kind === 'cleanup' || o.kind === 'restore' || o.kind === 'remediate') && !o.killed && o.code !== 0) findings.push(`${o.name} exit ${o.code} (see ${o.logFile})`);
  }
  const failuresWithoutRunRow = ctx.unsafe
    ? []
    : await failuresMissingRunRows(
        ctx,
        outcomes.filter((o) => o.kind !== 'cleanup' && o.kind !== 'restore' && o.kind !== 'remediate'),
        outages,
      );
  const unsafeWritersRan = ctx.unsafe ? outcomes.every((o) => o.code === 0) : undefined;
  ctx.log.info('Chaos round done', { round, dates: roundDates, faults, violations: violations.length, findings: findings.length, recovery: recovery!.code, recovery_attempts: recoveryActors.length });
  return {
    round,
    dates: roundDates,
    actors: all.map(({ name, kind, code, signal, killed, paused }) => ({ name, kind, code, signal, killed, paused })),
    faults,
    recovery: { code: recovery!.code, attempts: recoveryActors.length },
    violations,
    findings,
    failuresWithoutRunRow,
    alertsReceived: stack.webhook.requests.length - alertsBefore,
    ...(unsafeWritersRan === undefined ? {} : { unsafeWritersRan }),
  };
}

/** Unsafe mode: releases both writers at once when both are ready (or as soon as one has ended, not to hang). */
async function startTogether(actors: Actor[], goFile: string): Promise<void> {
  await Promise.all(actors.map((a) => a.waitFor((line) => line.event === 'unsafe_ready', 300_000)));
  writeFileSync(goFile, 'go\n');
}
/**
 * Every run that failed on its own (not killed, not overlapping a BigQuery outage, which makes writing its row
 * impossible) must have left a grading_runs row that is not 'succeeded'. Run ids come from the command's --json result.
 */
async function failuresMissingRunRows(ctx: RoundContext, outcomes: ActorOutcome[], outages: Array<{ from: number; to: number }>): Promise<string[]> {
  const missing: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.killed || outcome.code === 0 || outcome.code === null) continue;
    if (outages.some((o) => o.from <= outcome.endedAt && o.to >= outcome.startedAt)) continue;
    // A grade's refresh of later dates' summaries runs under locks of its own; its failures count too.
    const entries = [...(outcome.json?.dates ?? outcome.json?.results ?? []), ...(outcome.json?.summaryRefresh ?? [])];
    const runIds: string[] = entries.filter((d: any) => d.status !== 'succeeded' && d.runId).map((d: any) => String(d.runId));
    if (runIds.length === 0) {
      missing.push(`${outcome.name}: exit ${outcome.code} without run ids in its --json result`);
      continue;
    }
    const [rows] = await ctx.bigquery.query({
      query: `SELECT run_id, status FROM ${tableRef(ctx.target, 'grading_runs')} WHERE run_id IN UNNEST(@ids)`,
      params: { ids: runIds },
    });
    const found = new Map(rows.map((r: any) => [r.run_id, r.status]));
    for (const id of runIds) if (!found.has(id)) missing.push(`${outcome.name}: no grading_runs row for ${id}`);
  }
  return missing;
}

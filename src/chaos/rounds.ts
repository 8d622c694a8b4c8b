/**
 * Randomised chaos rounds over a small synthetic season. Each round runs overlapping scheduled, backfill and
 * consolidation processes while faults strike at random times (kill -9 of lock holders, holders frozen past their
 * lease, a Firestore outage, the BigQuery emulator killed and restarted on its file, the alert webhook down), then
 * lets the system recover with one clean backfill and checks the invariants (src/chaos/invariants.ts).
 *
 * Safety switched off (`unsafe`): the same rounds with the seed's unprotected DELETE + INSERT grading instead of
 * `grade`. The suite must find violations then; that is what shows it can.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { createLogger, type Logger } from '../log/logger.ts';
import { addDays } from '../runner/dates.ts';
import { bigQueryClient, localTarget, tableRef, type WarehouseTarget } from '../warehouse/target.ts';
import { generateSeason, loadSeason, toStagingRows, loadRows, type PredictionRow } from '../warehouse/synthetic-season.ts';
import { Actor, type ActorOutcome, type ActorSpec } from './actors.ts';
import { checkInvariants, duplicateViolations, type Violation } from './invariants.ts';
import { startProcessStack, type ProcessStack } from './process-stack.ts';
import { seededRandom, type Random } from './prng.ts';

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
  logger?: Logger;
}

export interface RoundReport {
  round: number;
  dates: string[];
  actors: Array<Pick<ActorOutcome, 'name' | 'kind' | 'code' | 'signal' | 'killed' | 'paused'>>;
  faults: string[];
  recovery: { code: number | null };
  violations: Violation[];
  failuresWithoutRunRow: string[];
  alertsReceived: number;
}

export interface ChaosReport {
  seed: number;
  unsafe: boolean;
  rounds: RoundReport[];
  totals: { rounds: number; processes: number; kills: number; freezes: number; firestoreOutages: number; bigqueryRestarts: number; webhookOutages: number; violations: number; failuresWithoutRunRow: number };
}

const START_DATE = '2026-01-05';

function actorSpecs(random: Random, round: number, roundDates: string[], unsafe: boolean, leaseMs: number): ActorSpec[] {
  const lease = ['--lease', `${leaseMs}ms`];
  const first = roundDates[0]!;
  const last = roundDates[roundDates.length - 1]!;
  const mid = roundDates[Math.floor(roundDates.length / 2)]!;
  if (unsafe) {
    return [
      // The seed's incident: a scheduled run with lookback and a backfill over the same dates at the same time. The
      // DELETE-to-INSERT window is wider than the processes' start-up jitter, so the overlap does not depend on luck.
      { name: `r${round}-scheduled`, kind: 'unsafe', script: 'src/chaos/unsafe-grade-process.ts', args: ['--from', first, '--to', last, '--run-id', `r${round}-scheduled`, '--pause', '1500'] },
      { name: `r${round}-backfill`, kind: 'unsafe', script: 'src/chaos/unsafe-grade-process.ts', args: ['--from', first, '--to', last, '--run-id', `r${round}-backfill`, '--pause', '1500'] },
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.logger ?? createLogger('chaos');
  const random = seededRandom(options.seed);
  const leaseMs = options.leaseMs ?? 6_000;
  rmSync(options.dir, { recursive: true, force: true });
  mkdirSync(options.dir, { recursive: true });
  const stack = await startProcessStack({ dir: options.dir });
  const target = localTarget({ projectId: stack.env.GOOGLE_CLOUD_PROJECT!, emulatorUrl: stack.bigqueryUrl, firestoreHost: stack.firestore.host });
  // A short circuit cool-down: the rounds provoke failures on purpose, and recovery must not wait 5 minutes.
  const env: NodeJS.ProcessEnv = { ...stack.env, GRADEGUARD_CIRCUIT_COOL_DOWN: '3s', GRADEGUARD_LOG_LEVEL: 'INFO' };
  const bigquery = bigQueryClient(target);
  const rounds: RoundReport[] = [];
  try {
    const season = generateSeason({ seed: options.seed, dates: options.dates ?? 4, players: options.players ?? 60, systems: options.systems ?? 3, startDate: START_DATE });
    await loadSeason(bigquery, target.dataset, season);
    log.info('Chaos: season loaded', { predictions: season.predictions.length, dates: season.gameDates.length });
    const initial = await new Actor(
      options.unsafe
        ? { name: 'initial', kind: 'unsafe', script: 'src/chaos/unsafe-grade-process.ts', args: ['--from', season.gameDates[0]!, '--to', season.gameDates.at(-1)!, '--run-id', 'initial'] }
        : { name: 'initial', kind: 'backfill', script: 'scripts/grade.ts', args: ['--from', season.gameDates[0]!, '--to', season.gameDates.at(-1)!, '--parallel', '2', '--json'] },
      env,
      join(options.dir, 'logs'),
    ).done;
    if (initial.code !== 0) throw new Error(`The initial grading failed (exit ${initial.code}); see ${initial.logFile}`);

    for (let round = 1; round <= options.rounds; round++) {
      rounds.push(await runRound({ round, random, stack, env, bigquery, target, seasonDates: season.gameDates, predictions: season.predictions, unsafe: options.unsafe, leaseMs, dir: options.dir, log }));
    }
  } finally {
    await stack.stop();
  }
  const sum = (f: (r: RoundReport) => number) => rounds.reduce((acc, r) => acc + f(r), 0);
  const faultCount = (name: string) => sum((r) => r.faults.filter((f) => f.startsWith(name)).length);
  return {
    seed: options.seed,
    unsafe: options.unsafe,
    rounds,
    totals: {
      rounds: rounds.length,
      processes: sum((r) => r.actors.length),
      kills: faultCount('kill'),
      freezes: faultCount('freeze'),
      firestoreOutages: faultCount('firestore'),
      bigqueryRestarts: faultCount('bigquery'),
      webhookOutages: faultCount('webhook'),
      violations: sum((r) => r.violations.length),
      failuresWithoutRunRow: sum((r) => r.failuresWithoutRunRow.length),
    },
  };
}

interface RoundContext {
  round: number;
  random: Random;
  stack: ProcessStack;
  env: NodeJS.ProcessEnv;
  bigquery: BigQuery;
  target: WarehouseTarget;
  seasonDates: string[];
  predictions: PredictionRow[];
  unsafe: boolean;
  leaseMs: number;
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

  const alertsBefore = stack.webhook.requests.length;
  const faults: string[] = [];
  const actors = actorSpecs(random, round, roundDates, ctx.unsafe, ctx.leaseMs).map((spec) => new Actor(spec, ctx.env, join(ctx.dir, 'logs')));
  const outages: Array<{ from: number; to: number }> = [];

  // Faults, each at a random moment of the round.
  const faultTasks: Promise<void>[] = [];
  const at = async (ms: number, action: () => Promise<void> | void) => {
    await sleep(ms);
    await action();
  };
  if (random.chance(0.7)) {
    const victim = random.pick(actors);
    const delay = random.int(500, 8_000);
    faultTasks.push(at(delay, () => {
      if (victim.running) {
        faults.push(`kill -9 ${victim.spec.name} at ${delay} ms`);
        victim.kill9();
      }
    }));
  }
  if (!ctx.unsafe && random.chance(0.5)) {
    const victim = random.pick(actors);
    const delay = random.int(500, 6_000);
    faultTasks.push(at(delay, async () => {
      if (!victim.running) return;
      faults.push(`freeze ${victim.spec.name} at ${delay} ms for ${ctx.leaseMs * 2} ms (lease ${ctx.leaseMs} ms)`);
      victim.pause();
      await sleep(ctx.leaseMs * 2);
      victim.resume();
    }));
  }
  if (random.chance(0.35)) {
    const delay = random.int(500, 6_000);
    const length = random.int(2_000, 5_000);
    faultTasks.push(at(delay, async () => {
      faults.push(`firestore outage at ${delay} ms for ${length} ms`);
      stack.pauseFirestore();
      await sleep(length);
      stack.resumeFirestore();
    }));
  }
  if (random.chance(0.3)) {
    const delay = random.int(1_000, 8_000);
    faultTasks.push(at(delay, async () => {
      faults.push(`bigquery emulator kill -9 at ${delay} ms, restarted on its file`);
      const from = Date.now();
      await stack.killBigQuery();
      await sleep(500);
      await stack.startBigQuery();
      outages.push({ from, to: Date.now() });
    }));
  }
  const webhookDown = random.chance(0.3);
  if (webhookDown) {
    faults.push('webhook down (503) for the round');
    stack.webhook.setFallback({ status: 503, body: 'outage' });
  }

  const outcomes = await Promise.all(actors.map((a) => a.done));
  await Promise.all(faultTasks);
  stack.webhook.setFallback({ status: 200, body: 'ok' });
  stack.resumeFirestore();
  // "Never duplicated" holds at every moment, not only after a repair: check right after the round, before recovery.
  const duringRound = (await duplicateViolations(ctx.bigquery, ctx.target, roundDates, ctx.unsafe ? ['player_prop_predictions', 'prediction_accuracy'] : undefined)).map(
    (v) => ({ ...v, detail: `before recovery: ${v.detail}` }),
  );

  // Recovery: one clean backfill of the round's dates (waits for leases of killed holders to expire).
  const recoveryActor = new Actor(
    ctx.unsafe
      ? { name: `r${round}-recovery`, kind: 'unsafe', script: 'src/chaos/unsafe-grade-process.ts', args: ['--from', roundDates[0]!, '--to', roundDates.at(-1)!, '--run-id', `r${round}-recovery`] }
      : { name: `r${round}-recovery`, kind: 'backfill', script: 'scripts/grade.ts', args: ['--from', roundDates[0]!, '--to', roundDates.at(-1)!, '--if-locked', 'wait', '--parallel', '2', '--json'] },
    ctx.env,
    join(ctx.dir, 'logs'),
  );
  const recovery = await recoveryActor.done;

  const violations = [...duringRound, ...(await checkInvariants(ctx.bigquery, ctx.target, roundDates, { withAggregates: !ctx.unsafe }))];
  const failuresWithoutRunRow = ctx.unsafe ? [] : await failuresMissingRunRows(ctx, outcomes, outages);
  ctx.log.info('Chaos round done', { round, dates: roundDates, faults, violations: violations.length, recovery: recovery.code });
  return {
    round,
    dates: roundDates,
    actors: outcomes.map(({ name, kind, code, signal, killed, paused }) => ({ name, kind, code, signal, killed, paused })),
    faults,
    recovery: { code: recovery.code },
    violations,
    failuresWithoutRunRow,
    alertsReceived: stack.webhook.requests.length - alertsBefore,
  };
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
    const runIds: string[] = (outcome.json?.dates ?? outcome.json?.results ?? [])
      .filter((d: any) => d.status !== 'succeeded' && d.runId)
      .map((d: any) => String(d.runId));
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

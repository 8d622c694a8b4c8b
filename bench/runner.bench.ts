/**
 * Benchmarks the runner (`scripts/grade.ts`) as real OS processes on one BigQuery emulator and one Firestore emulator
 * (test/runner/stack.ts), printing a markdown section to stdout:
 *
 *  1. One date with 100,000 predictions, three contenders interleaved round by round: `grade --date D` (lock: Firestore
 *     lease, circuit breaker, fencing token; plus validation and audit), `grade --date D --no-lock` (the same command
 *     without the lock and breaker: it still validates and audits), and a bare `dataform run` of the same actions with
 *     the same vars (runDataform, what the command wraps). Locked/unlocked is the lock's cost; locked/bare is everything
 *     the command adds (process start, lock, validation, audit).
 *  2. A backfill of 30 dates (~3,000 predictions each): `grade --from D1 --to D30` as ONE locked run (the default) vs
 *     the per-date runs the runner made before (`--batch-size 1`: one lock, compile and `dataform run` per date),
 *     interleaved, re-grading the same dates each time (every run replaces every date atomically: the same work).
 *  3. A backfill of 365 small dates as locked runs of the default batch size: wall time, and peak memory of the `grade`
 *     process and of the emulator (this process).
 *
 * Every run is checked (exit 0, status succeeded, rows written = the dates' distinct business keys): a wrong run throws.
 * One failure is reported instead of thrown: a run the runner gave up on after its last retry of a transient error
 * (its dates checked to still hold their earlier rows, complete, no duplicates).
 *
 *   npx tsx bench/runner.bench.ts            (BENCH_QUICK=1: 10,000 predictions, 2 rounds; 4 dates × ~1,000, 1 run each; 30 small dates)
 *   BENCH_RUNNER_ONLY=one-date|backfill|year one part alone; BENCH_BACKFILL_RUNS=N runs of each backfill setting
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { partSlot } from './sections.ts';
import { machineLine, median } from './summary.ts';
import { createLogger } from '../src/log/logger.ts';
import { classifyDataformRun } from '../src/runner/dataform-outcome.ts';
import { assertionDatasetFor } from '../src/runner/run-id.ts';
import { repoRoot, runDataform } from '../src/warehouse/dataform-cli.ts';
import { generateSeason, loadSeason, type PredictionRow, type Season } from '../tools/synthetic/season.ts';
import { findDuplicateKeys } from '../src/warehouse/duplicates.ts';
import { dataformTargetArgs } from '../src/warehouse/target.ts';
import { logEvents, startRunnerStack, type RunnerStack } from '../test/runner/stack.ts';
import { builtCommandLine, builtHelpMs, runBuiltCommand } from './built-cli.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const PREDICTIONS = QUICK ? 10_000 : 100_000;
const ROUNDS = Number(process.env.BENCH_ONE_DATE_ROUNDS ?? (QUICK ? 2 : 5)); // rounds of the one-date contenders
const DATE = '2026-01-17';
const BACKFILL_DATES = QUICK ? 4 : 30;
const BACKFILL_PLAYERS = QUICK ? 126 : 380; // every player plays every date (gamesPerDate 15): ~7.9 predictions each
const BACKFILL_RUNS = Number(process.env.BENCH_BACKFILL_RUNS ?? (QUICK ? 1 : 2)); // runs of each backfill setting
const BACKFILL_START = '2026-01-01';
const YEAR_DATES = QUICK ? 30 : 365;
const log = createLogger('runner-bench');

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const n = (x: number) => x.toLocaleString('en-US');
const pct = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)} %`;

/** Distinct prediction_accuracy business keys of a date: what a complete grading of it writes. */
function expectedKeys(predictions: PredictionRow[], date: string): number {
  return new Set(predictions.filter((p) => p.game_date === date).map((p) => `${p.game_id}|${p.player_lookup}|${p.system_id}|${p.current_points_line}`)).size;
}

/** Phases of a one-date `grade` process, from its JSON log lines (wall clocks of one machine). */
const PHASES = {
  node: "spawn → target line (Node, the command's modules, flags)",
  clients: 'target line → first progress line (Google clients, BigQuery probe, deployed check)',
  breaker: 'circuit breaker check',
  lock: 'lock acquire (or the no-lock warning)',
  runRow: 'lock acquired → dataform started',
  dataform: 'the `dataform run`',
  validation: 'validation + audit (and the abandoned-runs check alongside)',
  exit: 'release, breaker update, summary, exit',
} as const;
type PhaseName = keyof typeof PHASES;

interface DateSummary {
  date: string;
  runId: string;
  status: string;
  rows: number | null;
  locked: boolean;
  dataformAttempts: number;
  error?: string;
}

interface GradeRun {
  wallMs: number;
  exitCode: number;
  /** One-date runs only (several dates overlap). */
  phases: Record<PhaseName, number>;
  /** dataform_retry events (reruns after a transient BigQuery error). */
  retries: number;
  /** Dates the runner gave up on after its last retry (checked: the date's earlier rows intact). */
  abortedDates: DateSummary[];
  summary: { exitCode: number; dates: DateSummary[]; runs: number; dataformAttempts: number };
  /** Peak RSS of the grade process (kB), when it was started with the RSS hook. */
  maxRssKb?: number;
  /** CPU time (user + system) of the grade process itself, its dataform child not included. */
  cpuMs: number;
}

const TRANSIENT = /concurrent update|DML statements outstanding|Exceeded rate limits/i;
const FAILURES_DIR = join(repoRoot, '.local', 'bench');

/**
 * `grade <args> --json` as its own process. Every date must have succeeded with rows written = its distinct keys;
 * the one failure tolerated (with `allowAbortedDates`) is the runner giving up on a date after its last retry of a
 * concurrent-update abort, and then the date must still hold its earlier grading complete and without duplicates (the
 * atomic replace rolled back). Anything else throws, with the process's log saved under .local/bench/.
 */
/**
 * Prints the process's own CPU time at exit as a JSON line on stderr (a node flag of the grade process alone: its
 * dataform child neither runs it nor counts). CPU time, unlike wall time, barely grows with the machine's load.
 */
const CPU_HOOK = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('\\n'+JSON.stringify({bench_cpu_ms:(u.userCPUTime+u.systemCPUTime)/1000})+'\\n')})`;

async function grade(stack: RunnerStack, args: string[], expected: Map<string, number>, what: string, allowAbortedDates = false, env: NodeJS.ProcessEnv = stack.env): Promise<GradeRun> {
  const spawnedAt = Date.now();
  const started = performance.now();
  const done = await runBuiltCommand('grade', [...args, '--json'], env, ['--import', CPU_HOOK]);
  const wallMs = performance.now() - started;
  const exitedAt = spawnedAt + wallMs;
  let summary: GradeRun['summary'] | undefined;
  try {
    summary = JSON.parse(done.stdout);
  } catch {
    summary = undefined;
  }
  const fail = (why: string) => {
    mkdirSync(FAILURES_DIR, { recursive: true });
    const logFile = join(FAILURES_DIR, `runner-bench-${what.replace(/[^A-Za-z0-9-]+/g, '_')}.log`);
    writeFileSync(logFile, `exit ${done.code}\n--- stdout\n${done.stdout}\n--- stderr\n${done.stderr}`);
    const failed = summary?.dates.filter((d) => d.status !== 'succeeded').map((d) => JSON.stringify(d));
    return new Error(`${what}: ${why} (exit ${done.code}; the process's output: ${logFile})\n` + (failed ? `dates not succeeded:\n${failed.join('\n')}` : `stdout: ${done.stdout.slice(-2000)}`));
  };
  if (!summary || done.code !== summary.exitCode) throw fail("no summary, or an exit code other than its summary's");
  if (summary.dates.length !== expected.size) throw fail(`graded ${summary.dates.length} dates, expected ${expected.size}`);
  const written = new Map(
    (
      await stack.rows<{ run_id: string; rows_written: number }>(`SELECT run_id, rows_written FROM ${stack.table('grading_runs')} WHERE run_id IN UNNEST(@ids)`, {
        ids: summary.dates.map((d) => d.runId),
      })
    ).map((r) => [r.run_id, Number(r.rows_written)]),
  );
  // A locked run writes several dates: its grading_runs.rows_written is the sum of theirs.
  const runWants = new Map<string, number>();
  for (const d of summary.dates) runWants.set(d.runId, (runWants.get(d.runId) ?? 0) + (expected.get(d.date) ?? 0));
  const abortedDates: DateSummary[] = [];
  for (const d of summary.dates) {
    const want = expected.get(d.date);
    if (d.status === 'succeeded' && d.rows === want && written.get(d.runId) === runWants.get(d.runId)) continue;
    if (allowAbortedDates && d.status === 'failed' && TRANSIENT.test(d.error ?? '')) {
      const [count] = await stack.rows(`SELECT COUNT(*) AS n FROM ${stack.table('prediction_accuracy')} WHERE game_date = DATE(@date)`, { date: d.date });
      const duplicates = await findDuplicateKeys(stack.bq.client, stack.target, 'prediction_accuracy', [d.date]);
      if (Number(count.n) !== want || duplicates.length) throw fail(`${d.date} failed and left ${count.n} rows (${duplicates.length} duplicate keys), expected its earlier ${want}`);
      abortedDates.push(d);
      continue;
    }
    throw fail(`${d.date}: status ${d.status}, rows ${d.rows} (expected ${want}), grading_runs.rows_written ${written.get(d.runId)} (expected ${runWants.get(d.runId)})`);
  }
  if ((done.code === 0) !== (abortedDates.length === 0)) throw fail('exit code and date statuses disagree');
  const events = logEvents(done.stderr);
  const first = (...messages: string[]) => Date.parse(events.find((e) => messages.includes(e.message))?.time ?? 'NaN');
  const last = (message: string) => Date.parse(events.filter((e) => e.message === message).at(-1)?.time ?? 'NaN');
  const progress = Date.parse(events.find((e) => e.event === 'progress' && e.phase !== 'queued')?.time ?? 'NaN');
  const gate = first('date_waiting_for_lock');
  const locked = first('lock_acquired', 'running_without_lock');
  const dataform = first('dataform_started');
  const validating = first('date_validating');
  const dateDone = first('date_done');
  const phases: Record<PhaseName, number> = {
    node: Date.parse(events.find((e) => e.event === 'target')?.time ?? 'NaN') - spawnedAt,
    clients: progress - Date.parse(events.find((e) => e.event === 'target')?.time ?? 'NaN'),
    breaker: gate - progress,
    lock: locked - gate,
    runRow: dataform - locked,
    dataform: last('dataform_finished') - dataform,
    validation: dateDone - validating,
    exit: exitedAt - dateDone,
  };
  const rss = events.filter((e) => typeof e.bench_max_rss_kb === 'number').at(-1)?.bench_max_rss_kb as number | undefined;
  const cpuMs = events.filter((e) => typeof e.bench_cpu_ms === 'number').at(-1)?.bench_cpu_ms as number | undefined;
  if (cpuMs === undefined) throw fail('no CPU figure from the exit hook');
  return { wallMs, exitCode: done.code, phases, retries: events.filter((e) => e.event === 'dataform_retry').length, abortedDates, summary, maxRssKb: rss, cpuMs };
}

/**
 * A token-0 run (unlocked or bare) is refused by the fence once a locked run committed a token for the date; the bench
 * replaces the date again and again, so it resets the date's fence rows (untimed) before every run, whatever its kind.
 */
async function resetFence(stack: RunnerStack, date: string): Promise<void> {
  await stack.bq.client.query({ query: `UPDATE ${stack.table('grading_write_fence')} SET max_lock_token = -1, run_id = NULL WHERE game_date = DATE(@date)`, params: { date } });
}

/** What `grade` wraps: the `dataform run` of src/runner/run-batch.ts for one date (its game_date form), token 0. */
async function bareDataform(stack: RunnerStack, date: string, runId: string, expected: number): Promise<number> {
  const args = [
    'run',
    '.',
    '--tags',
    'grading',
    'reporting',
    `--vars=game_date=${date},lookback_days=0,run_id=${runId},lock_token=0,operation=grading`,
    `--assertion-schema=${assertionDatasetFor(stack.target.assertionDataset, date, 'grading')}`,
    ...dataformTargetArgs(stack.target),
  ];
  const r = await runDataform(args, { projectDir: repoRoot, target: stack.target, timeoutMs: 600_000 });
  const outcome = classifyDataformRun(r);
  if (outcome.kind !== 'success') throw new Error(`${runId}: bare dataform run ${outcome.kind}: ${outcome.message}\n${r.stderr.slice(-3000)}`);
  const [row] = await stack.rows(`SELECT rows_written FROM ${stack.table('grading_runs')} WHERE run_id = @id`, { id: runId });
  if (Number(row?.rows_written) !== expected) throw new Error(`${runId}: wrote ${row?.rows_written} rows, expected ${expected}`);
  return r.durationMs;
}

async function oneDate(): Promise<string[]> {
  const stack = await startRunnerStack();
  try {
    const day = generateSeason({ seed: 17, dates: 1, players: Math.ceil(PREDICTIONS / 7.5), systems: 8, startDate: DATE, gamesPerDate: 15 });
    if (day.predictions.length < PREDICTIONS) throw new Error(`generated only ${day.predictions.length} predictions`);
    const benchDay: Season = { ...day, predictions: day.predictions.slice(0, PREDICTIONS) };
    const load = await loadSeason(stack.bq.client, stack.target.dataset, benchDay);
    const keys = expectedKeys(benchDay.predictions, DATE);
    const expected = new Map([[DATE, keys]]);
    log.info('one date loaded', { predictions: PREDICTIONS, keys, load_ms: Math.round(load.ms) });

    // Untimed warm-up: the first grading of the date (from empty tables) and the emulator's first translations.
    await grade(stack, ['--date', DATE], expected, 'warm-up');
    const locked: GradeRun[] = [];
    const unlocked: GradeRun[] = [];
    const bare: number[] = [];
    // Each round runs the three back to back, in an order rotated round by round: a machine whose load drifts (other
    // work shares it) favours no contender by position.
    const contenders = [
      async (round: number) => void locked.push(await grade(stack, ['--date', DATE], expected, `locked ${round}`)),
      async (round: number) => void unlocked.push(await grade(stack, ['--date', DATE, '--no-lock'], expected, `unlocked ${round}`)),
      async (round: number) => void bare.push(await bareDataform(stack, DATE, `bench-bare-${round}`, keys)),
    ];
    for (let round = 1; round <= ROUNDS; round++) {
      for (let i = 0; i < contenders.length; i++) {
        await resetFence(stack, DATE);
        await contenders[(i + round - 1) % contenders.length](round);
      }
      log.info('round finished', { round, locked_ms: Math.round(locked.at(-1)!.wallMs), unlocked_ms: Math.round(unlocked.at(-1)!.wallMs), bare_ms: Math.round(bare.at(-1)!) });
    }
    if (!locked.every((r) => r.summary.dates[0].locked) || unlocked.some((r) => r.summary.dates[0].locked)) throw new Error('a run did not take (or skip) the lock as asked');
    const startups = [builtHelpMs('grade'), builtHelpMs('grade'), builtHelpMs('grade')];

    const L = median(locked.map((r) => r.wallMs));
    const U = median(unlocked.map((r) => r.wallMs));
    const B = median(bare);
    const part = (runs: GradeRun[], phase: PhaseName) => s(median(runs.map((r) => r.phases[phase])));
    const phaseMedian = (runs: GradeRun[], ...phases: PhaseName[]) => median(runs.map((r) => phases.reduce((sum, p) => sum + r.phases[p], 0)));
    const lockPhases = phaseMedian(locked, 'breaker', 'lock', 'exit') - phaseMedian(unlocked, 'breaker', 'lock', 'exit');
    const retries = [...locked, ...unlocked].reduce((sum, r) => sum + r.retries, 0);
    return [
      `### Locked vs unlocked \`grade\` of one date with ${n(PREDICTIONS)} predictions`,
      '',
      `Three contenders on one date (${n(PREDICTIONS)} predictions of 8 systems, ${n(keys)} business keys), run one after another in`,
      `${ROUNDS} rounds (the three back to back, their order rotated each round; medians), each a separate OS process against the same emulators, each replacing the`,
      'whole date (after an untimed first grading):',
      '- **locked**: `grade --date D` (the deployed check, circuit breaker check, Firestore lease + fencing token, the',
      '  `dataform run`, validation (duplicate keys of the date in three tables, row count) and audit beside the abandoned-runs',
      '  check, release, breaker update);',
      '- **unlocked**: `grade --date D --no-lock`: the same command without the breaker and the lock (token 0). It **still**',
      '  validates and audits, so locked vs unlocked measures the lock alone;',
      '- **bare**: `dataform run --tags grading reporting` with the same vars and assertion schema (token 0), started directly',
      '  by the bench: what the command wraps. Locked vs bare is everything the command adds: its Node process, the lock,',
      '  validation and audit. The stack is deployed once before (npm run deploy): neither recreates the views.',
      '',
      "Both commands start the `dataform` CLI's process (Node and its modules, about 0.4 s) the moment they know the target, and",
      'hand it its arguments once the lock is held (src/warehouse/dataform-cli.ts, prestartDataform): that loading overlaps',
      'their own start-up, probes and lock, which the bare run, started cold, cannot do. The CLI itself runs unchanged.',
      '',
      'Token-0 runs are refused by the storage fence once a locked run committed a token for the date, so the bench resets',
      "the date's fence rows before every run (untimed). Every run is checked: exit 0, status succeeded, `grading_runs.rows_written`",
      'and the validated row count equal to the distinct keys.',
      '',
      '| round | locked | unlocked | bare dataform run | locked / bare |',
      '|---|---:|---:|---:|---:|',
      ...locked.map((r, i) => `| ${i + 1} | ${s(r.wallMs)} | ${s(unlocked[i].wallMs)} | ${s(bare[i])} | ${(r.wallMs / bare[i]).toFixed(3)}× |`),
      `| **median** | **${s(L)}** | **${s(U)}** | **${s(B)}** | ${median(locked.map((r, i) => r.wallMs / bare[i])).toFixed(3)}× (of the rounds) |`,
      '',
      `- Lock overhead (locked / unlocked): **${(L / U).toFixed(3)}× (${pct(L / U)})**, target < 5 %, aim 2 %.`,
      `- Lock + validation + audit + the command's process (locked / bare): **${(L / B).toFixed(3)}× (${pct(L / B)})** (ratio of the medians), target < +15 %;`,
      `  the median of the rounds' own ratios: ${median(locked.map((r, i) => r.wallMs / bare[i])).toFixed(3)}×. Locked minus bare (medians): ${s(L - B)}.`,
      `- Unlocked / bare (validation, audit and the process without the lock): ${(U / B).toFixed(3)}× (${pct(U / B)}).`,
      `- The lock's own phases (circuit breaker check + lock acquire + release/exit, locked minus unlocked medians): ${s(lockPhases)},`,
      `  ${((100 * lockPhases) / U).toFixed(1)} % of the unlocked median: an estimate of the lock's cost that the run-to-run noise of the`,
      '  `dataform run` (the bulk of every run) does not blur.',
      '',
      'Where the command time goes (medians; from the JSON log lines of each process, wall clocks of one machine):',
      '',
      '| phase | locked | unlocked |',
      '|---|---:|---:|',
      ...(Object.keys(PHASES) as PhaseName[]).map((p) => `| ${PHASES[p]} | ${part(locked, p)} | ${part(unlocked, p)} |`),
      '',
      `CPU time of the \`grade\` process itself (user + system, its \`dataform\` child not included; it grows far less with the load than wall time), medians: locked ${s(median(locked.map((r) => r.cpuMs)))}, unlocked ${s(median(unlocked.map((r) => r.cpuMs)))}.`,
      `Start-up alone (\`${builtCommandLine('grade --help')}\`: Node, the dispatcher and the command's modules, then exit), median of 3: ${s(median(startups))}.`,
      `Reruns after transient errors in these runs: ${retries}. Loading the date (\`loadSeason\`): ${s(load.ms)}.`,
    ];
  } finally {
    await stack.stop();
  }
}

async function backfill(): Promise<string[]> {
  const stack = await startRunnerStack();
  try {
    const season = generateSeason({ seed: 30, dates: BACKFILL_DATES, players: BACKFILL_PLAYERS, systems: 8, startDate: BACKFILL_START, gamesPerDate: 15 });
    const load = await loadSeason(stack.bq.client, stack.target.dataset, season);
    const expected = new Map(season.gameDates.map((d) => [d, expectedKeys(season.predictions, d)]));
    const perDate = [...expected.values()];
    const first = season.gameDates[0];
    const last = season.gameDates[season.gameDates.length - 1];
    log.info('backfill loaded', { dates: BACKFILL_DATES, predictions: season.predictions.length, load_ms: Math.round(load.ms) });

    // Untimed first grading of every date in one `dataform run --tags grading` (lookback over the range; token 0, which
    // any locked run outranks), so every timed run re-grades graded dates whose earlier dates are graded too
    // (performance_summary's windows read them): the same work each time, DELETE + INSERT of each date in a fenced
    // transaction. The aggregates are first written by the first timed run (a few hundred rows).
    const warmUp = await runDataform(
      ['run', '.', '--tags', 'grading', `--vars=game_date=${last},lookback_days=${BACKFILL_DATES - 1},run_id=bench-backfill-warm-up,lock_token=0`, ...dataformTargetArgs(stack.target)],
      { projectDir: repoRoot, target: stack.target, timeoutMs: 600_000 },
    );
    if (classifyDataformRun(warmUp).kind !== 'success') throw new Error(`backfill warm-up failed\n${warmUp.stderr.slice(-3000)}`);
    const settings = { 'one locked run': [] as string[], 'per-date runs (--batch-size 1)': ['--batch-size', '1'] };
    const names = Object.keys(settings) as Array<keyof typeof settings>;
    const runs = new Map<string, GradeRun[]>(names.map((name) => [name, []]));
    for (let run = 1; run <= BACKFILL_RUNS; run++) {
      for (const name of names) {
        const r = await grade(stack, ['--from', first, '--to', last, ...settings[name]], expected, `backfill ${name} #${run}`, true);
        runs.get(name)!.push(r);
        log.info('backfill run finished', { run, setting: name, wall_ms: Math.round(r.wallMs), exit_code: r.exitCode, retries: r.retries, aborted_dates: r.abortedDates.map((d) => d.date) });
      }
    }
    const medians = new Map(names.map((name) => [name, median(runs.get(name)!.map((r) => r.wallMs))]));
    const speedUp = medians.get(names[1])! / medians.get(names[0])!;
    const aborted = [...runs.entries()].flatMap(([name, rs]) => rs.flatMap((r, i) => r.abortedDates.map((d) => ({ name, run: i + 1, ...d }))));
    return [
      `### Backfill of ${BACKFILL_DATES} dates: one locked run vs per-date runs`,
      '',
      `\`grade --from ${first} --to ${last}\` (${n(season.predictions.length)} predictions, ${n(Math.min(...perDate))}–${n(Math.max(...perDate))} business keys a date),`,
      `one process per run, ${BACKFILL_RUNS} run${BACKFILL_RUNS > 1 ? 's' : ''} of each setting interleaved, after an untimed first grading of every date: every`,
      'timed run re-grades the same dates, so each does the same work. **One locked run** (the default): the leases of all',
      'dates in date order, one `dataform run` with `date_tokens`, validation of all dates in one query per table, release.',
      '**Per-date runs**: `--batch-size 1`, what the runner did before: one lease, one compile and one `dataform run` per',
      'date, one after another. Every date of every run is checked (succeeded, rows written = its distinct keys).',
      ...(BACKFILL_RUNS === 2 ? ['A median of two runs is their mean.'] : []),
      '',
      '| setting | run | wall | exit | locked runs | dataform attempts | reruns (transient errors) |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...names.flatMap((name) => runs.get(name)!.map((r, i) => `| ${name} | ${i + 1} | ${s(r.wallMs)} | ${r.exitCode} | ${r.summary.runs} | ${r.summary.dataformAttempts} | ${r.retries} |`)),
      '',
      '| setting | median wall | per date |',
      '|---|---:|---:|',
      ...names.map((name) => `| ${name} | **${s(medians.get(name)!)}** | ${s(medians.get(name)! / BACKFILL_DATES)} |`),
      '',
      `One locked run is **${speedUp.toFixed(1)}×** faster than per-date runs (medians; target ≥ 10×).`,
      ...(aborted.length
        ? ['', `**${aborted.length} date(s) FAILED** after the last retry:`, ...aborted.map((d) => `- ${d.name} run ${d.run}: ${d.date}, ${d.dataformAttempts} attempts: ${(d.error ?? '').slice(0, 160)}`)]
        : []),
      '',
      `Loading the dates: ${s(load.ms)}.`,
    ];
  } finally {
    await stack.stop();
  }
}

/** Linux: the process's peak RSS (kB) since the last reset. */
function peakRssKb(pid: number | 'self' = 'self'): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}
/** Prints the process's own maxRSS as a JSON line on stderr at exit (preloaded into the grade process). */
const RSS_HOOK = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\n'+JSON.stringify({bench_max_rss_kb:process.resourceUsage().maxRSS})+'\\n'))`;

async function year(): Promise<string[]> {
  const stack = await startRunnerStack();
  try {
    const season = generateSeason({ seed: 365, dates: YEAR_DATES, players: 24, systems: 2, teams: 6, startDate: '2025-01-01', gamesPerDate: 3 });
    const load = await loadSeason(stack.bq.client, stack.target.dataset, season);
    const expected = new Map(season.gameDates.map((d) => [d, expectedKeys(season.predictions, d)]));
    log.info('year loaded', { dates: YEAR_DATES, predictions: season.predictions.length, load_ms: Math.round(load.ms) });
    try {
      writeFileSync('/proc/self/clear_refs', '5');
    } catch {
      /* not Linux: the peak then covers the load too */
    }
    const env = { ...stack.env, NODE_OPTIONS: `${stack.env.NODE_OPTIONS ?? ''} --import=${RSS_HOOK}`.trim() };
    const r = await grade(stack, ['--from', season.gameDates[0], '--to', season.gameDates.at(-1)!], expected, `year of ${YEAR_DATES} dates`, false, env);
    const emulatorPeak = peakRssKb();
    const mb = (kb: number | undefined) => (kb === undefined || Number.isNaN(kb) ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);
    return [
      `### Backfill of ${YEAR_DATES} dates`,
      '',
      `\`grade --from ${season.gameDates[0]} --to ${season.gameDates.at(-1)}\` over ${n(season.predictions.length)} predictions (${n(Math.round(season.predictions.length / YEAR_DATES))} a date), from`,
      `empty tables, in locked runs of the default batch size (${r.summary.runs} runs, ${r.summary.dataformAttempts} dataform attempts, ${r.retries} reruns). Every date checked.`,
      '',
      '| wall | per date | peak RSS of the grade process | peak RSS of the bench process (BigQuery emulator) |',
      '|---:|---:|---:|---:|',
      `| **${s(r.wallMs)}** | ${s(r.wallMs / YEAR_DATES)} | ${mb(r.maxRssKb)} | ${mb(emulatorPeak)} |`,
      '',
      `Loading the dates: ${s(load.ms)}. The grade process's peak is its own \`process.resourceUsage().maxRSS\` (its \`dataform\``,
      "children not included); the bench process's is VmHWM after a reset, so it covers the runs, not the load.",
    ];
  } finally {
    await stack.stop();
  }
}

/** A part's own machine line: the parts of the section can come from different runs (BENCH_RUNNER_ONLY). */
async function timedPart(name: string, part: () => Promise<string[]>): Promise<string[]> {
  const started = performance.now();
  const lines = await part();
  const only = process.env.BENCH_RUNNER_ONLY ? ` (BENCH_RUNNER_ONLY=${process.env.BENCH_RUNNER_ONLY})` : '';
  return [...lines, '', machineLine(`${s(performance.now() - started)} for this part, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${only}`), ''];
}

async function main(): Promise<void> {
  const only = process.env.BENCH_RUNNER_ONLY; // one-date | backfill | year: one part alone, when investigating it
  const parts = { 'one-date': oneDate, backfill, year };
  if (only && !Object.hasOwn(parts, only)) throw new Error(`BENCH_RUNNER_ONLY must be one of ${Object.keys(parts).join(', ')}, not ${only}`);
  const slots: string[] = [];
  // Every part's slot is printed; a part not run leaves its slot empty and bench/run.ts keeps its earlier results there.
  for (const [name, part] of Object.entries(parts)) slots.push(...partSlot(name, !only || only === name ? await timedPart(name, part) : []), '');
  const lines = [
    '## The runner: locked vs unlocked `grade`, and backfills as one locked run',
    '',
    'What the lock costs a scheduled run, and what one locked run per backfill buys, measured with the real `grade` command as OS',
    `processes started as production starts them (\`${builtCommandLine('grade')}\`: the built JavaScript, built by the bench) and the`,
    'real dataform CLI, against one in-memory BigQuery emulator (in the bench process)',
    `and one Firestore emulator${QUICK ? ' (BENCH_QUICK: a smaller variant)' : ''}. Each part names its own machine load: the parts can`,
    'come from different runs (`BENCH_RUNNER_ONLY=one-date|backfill|year` runs one part and keeps the others).',
    '',
    ...slots,
  ];
  process.stdout.write(lines.join('\n'));
}

await main();

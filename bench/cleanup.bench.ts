/**
 * The full one-time cleanup on the local stack: `cleanup run --table prediction_accuracy --confirm --json` of 500,000
 * rows with 38% duplicate rows, run as its own OS process (`node --import tsx scripts/cleanup.ts`) against a BigQuery
 * emulator in another process (which holds DuckDB) and Google's Firestore emulator. The incident has the seed's shape
 * (ten dates, 2026-01-10 far worse than the rest, some keys with three copies, a few copies that differ beyond the run
 * columns), made inside the emulator with one INSERT ... SELECT over GENERATE_ARRAY, and is made again before every run.
 *
 * Reports per run: wall time, peak RSS of the cleanup process (its own process.resourceUsage().maxRSS, printed by a
 * preloaded exit hook) and of its process tree (GNU time: the largest of it and its Dataform CLI children), peak RSS of
 * the emulator process during the run (VmHWM after resetting it through /proc/<pid>/clear_refs), and the reads of the
 * table counted from the emulator's own job list (query jobs whose totalBytesProcessed is the whole table, per step).
 * Every run is checked (rows after = unique keys, removed = duplicates, per date) and the bench fails if one is wrong.
 *
 *   npx tsx bench/cleanup.bench.ts            (BENCH_QUICK=1: 100,000 rows, 2 runs; BENCH_TIMELINE=1: every job of each
 *                                             run on stderr, with its duration and the idle gap before it)
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dryRunBytes, machineLine, median } from './summary.ts';
import { join } from 'node:path';
import { BigQuery } from '@google-cloud/bigquery';
import { startFirestoreEmulator, wipe } from '../emulator/firestore.ts';
import { createFirestoreClient } from '../src/lock/firestore-client.ts';
import { createLogger } from '../src/log/logger.ts';
import { repoRoot } from '../src/warehouse/dataform-cli.ts';
import { createTableIfNotExistsSql } from '../src/warehouse/pipeline-tables.ts';
import { projectConfig, type WarehouseTarget } from '../src/warehouse/target.ts';
import { listJobs, probeReads } from './cleanup-jobs.ts';
import { PIPELINE_TABLES } from '../test/cleanup/incident.ts';
import { exited, spawnEmulator } from '../test/helpers/processes.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const ROWS = QUICK ? 100_000 : 500_000;
const RUNS = QUICK ? 2 : 3;
const TABLE = 'prediction_accuracy';
const log = createLogger('cleanup-bench');

// ---- The incident's shape. Row i < KEYS is key i's first copy; the rest are extra copies. ----
const KEYS = Math.round(ROWS * 0.62);
const WORST = Math.round((KEYS * 265) / 310); // keys on 2026-01-10 (the seed: 263,274 of 306,489)
const EXTRAS = ROWS - KEYS;
const OTHER_EXTRAS = Math.round(EXTRAS * 0.01); // a few duplicates on two other dates
const WORST_EXTRAS = EXTRAS - OTHER_EXTRAS;
const CYCLE = Math.round((WORST * 160) / 265); // worst-day extras cycle over this many keys: some keys get 3 copies
const DIFFERING_EVERY = 997; // every 997th extra copy was graded from a revised prediction
const OTHER_DATES = ['2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09', '2026-01-11', '2026-01-12', '2026-01-13', '2026-01-14', '2026-01-15'];
if (WORST_EXTRAS > 2 * CYCLE || 9 * OTHER_EXTRAS + 8 >= KEYS - WORST) throw new Error('incident parameters out of range');

/** The same mapping as the SQL below, in JavaScript: the expected figures, independent of the cleanup's SQL. */
function expectedFigures(): { rows: number; keys: number; dates: Map<string, { rows: number; keys: number }> } {
  const dateOf = (k: number) => (k < WORST ? '2026-01-10' : OTHER_DATES[(k - WORST) % 9]);
  const dates = new Map<string, { rows: number; keys: number }>();
  const add = (k: number, first: boolean) => {
    const d = dates.get(dateOf(k)) ?? { rows: 0, keys: 0 };
    d.rows++;
    if (first) d.keys++;
    dates.set(dateOf(k), d);
  };
  for (let k = 0; k < KEYS; k++) add(k, true);
  for (let j = 0; j < EXTRAS; j++) add(j < WORST_EXTRAS ? j % CYCLE : WORST + 9 * (j - WORST_EXTRAS) + ((j - WORST_EXTRAS) % 2 === 0 ? 2 : 6), false);
  return { rows: ROWS, keys: KEYS, dates: new Map([...dates].sort(([a], [b]) => a.localeCompare(b))) };
}

/** One INSERT ... SELECT inside the emulator (the constants are the bench's own, not input). */
function incidentSql(ds: string): string {
  const j = `(i - ${KEYS})`;
  const otherK = `${WORST} + 9 * (${j} - ${WORST_EXTRAS}) + IF(MOD(${j} - ${WORST_EXTRAS}, 2) = 0, 2, 6)`;
  const idx = `MOD(k - ${WORST}, 9)`;
  return `INSERT INTO ${ds}.${TABLE} (prediction_id, game_id, game_date, player_lookup, system_id, prediction_version, line_value,
  predicted_points, actual_points, absolute_error, signed_error, recommendation, outcome, prediction_correct, within_3_points,
  within_5_points, confidence_score, graded_at, run_id, lock_token)
SELECT CONCAT('p-', CAST(k AS STRING)), CONCAT('g-', CAST(d AS STRING), '-', CAST(MOD(k, 15) AS STRING)), d,
  CONCAT('player_', CAST(DIV(k, 8) AS STRING)), CONCAT('system_', CAST(MOD(k, 8) AS STRING)), 1, line,
  predicted, actual, ABS(predicted - actual), predicted - actual,
  IF(line IS NULL, 'PASS', IF(predicted > line, 'OVER', 'UNDER')),
  IF(line IS NULL, 'pass', IF((predicted > line) = (actual > line), 'correct', 'incorrect')),
  IF(line IS NULL, NULL, (predicted > line) = (actual > line)),
  ABS(predicted - actual) <= 3, ABS(predicted - actual) <= 5, 0.5 + MOD(k, 5) / 10,
  TIMESTAMP_ADD(TIMESTAMP(d), INTERVAL 360 + copy * 7 MINUTE), CONCAT('grade-', CAST(d AS STRING), '-', CAST(copy AS STRING)), copy
FROM (
  SELECT k, copy, IF(k < ${WORST}, DATE '2026-01-10', DATE_ADD(DATE '2026-01-05', INTERVAL ${idx} + IF(${idx} >= 4, 2, 1) DAY)) AS d,
    IF(MOD(k, 9) = 4, NULL, 10.5 + MOD(k, 15)) AS line, MOD(k * 7, 31) AS actual,
    CAST(8 + MOD(k * 13, 25) + IF(revised, 10, 0) AS FLOAT64) AS predicted
  FROM (
    SELECT IF(i < ${KEYS}, i, IF(${j} < ${WORST_EXTRAS}, MOD(${j}, ${CYCLE}), ${otherK})) AS k,
      IF(i < ${KEYS}, 0, IF(${j} < ${WORST_EXTRAS}, 1 + DIV(${j}, ${CYCLE}), 1)) AS copy,
      i >= ${KEYS} AND MOD(${j}, ${DIFFERING_EVERY}) = 0 AS revised
    FROM UNNEST(GENERATE_ARRAY(0, ${ROWS - 1})) AS i
  )
)`;
}

// ---- Helpers ----
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const gib = (kb: number) => `${(kb / 2 ** 20).toFixed(2)} GiB`;
const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;
const n = (v: number) => v.toLocaleString('en-US');
/** Kilobytes, as /proc and getrusage report them. */
function vmHwmKb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmHWM for ${pid}`);
  return Number(m[1]);
}
/** Resets the process's peak RSS (Linux: writing 5 to clear_refs), so VmHWM covers only what follows. */
function resetHwm(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

interface Measured {
  wallMs: number;
  elapsedMs: number;
  cleanupMaxRssKb: number;
  treeMaxRssKb: number | null;
  emulatorHwmKb: number;
  emulatorHwmReset: boolean;
  steps: Array<{ name: string; seconds: number; jobs: number; fullScans: number; tableEquivalents: number }>;
  fullScans: number;
  tableEquivalents: number;
  reads: string[];
  copies: string[];
  reportedScans: number;
}

async function main(): Promise<void> {
  process.env.METADATA_SERVER_DETECTION = 'none';
  const config = projectConfig();
  const ds = config.defaultSchema;
  // The reads are counted from the emulator's job list: keep every job of every run (the default keeps the last 1,000).
  const emulator = await spawnEmulator(['--memory', '--finished-jobs-kept', '1000000']);
  const emulatorPid = emulator.child.pid!;
  const fs = await startFirestoreEmulator({ projectId: emulator.projectId });
  const firestore = createFirestoreClient({ projectId: emulator.projectId, emulatorHost: fs.host });
  const target: WarehouseTarget = {
    kind: 'local',
    projectId: emulator.projectId,
    location: config.defaultLocation,
    emulatorUrl: emulator.url,
    firestoreHost: fs.host,
    dataset: ds,
    assertionDataset: config.assertionSchema,
  };
  const bq = new BigQuery({ projectId: emulator.projectId, apiEndpoint: emulator.url, location: target.location });
  const query = async <T = Record<string, unknown>>(sql: string): Promise<T[]> => (await bq.query({ query: sql, location: target.location }))[0] as T[];
  const env = {
    ...process.env,
    BIGQUERY_EMULATOR_HOST: emulator.url,
    FIRESTORE_EMULATOR_HOST: fs.host,
    GOOGLE_CLOUD_PROJECT: emulator.projectId,
    METADATA_SERVER_DETECTION: 'none',
  };
  const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const expected = expectedFigures();
  const measured: Measured[] = [];
  const loads: number[] = [];
  let plannedScans = 0;
  let tableBytes = 0;
  let keptBytes = 0;
  let probed: Array<{ name: string; perRun: number; ms: number }> = [];

  try {
    for (let run = 1; run <= RUNS; run++) {
      // A fresh incident: dataset, pipeline tables, rows, no cleanup state or lock.
      await bq
        .dataset(ds)
        .delete({ force: true })
        .catch(() => undefined);
      await bq.createDataset(ds, { location: target.location });
      await wipe(fs.host, emulator.projectId);
      for (const table of PIPELINE_TABLES) await query(createTableIfNotExistsSql(target, table));
      const loadStarted = performance.now();
      await query(incidentSql(ds));
      loads.push(performance.now() - loadStarted);
      const [made] = await query<{ rows: number; keys: number }>(
        `SELECT COUNT(*) AS rows, COUNT(DISTINCT TO_JSON_STRING(STRUCT(game_date, game_id, player_lookup, system_id, line_value))) AS keys FROM ${ds}.${TABLE}`,
      );
      if (made.rows !== expected.rows || made.keys !== expected.keys) throw new Error(`incident has ${made.rows} rows / ${made.keys} keys, expected ${expected.rows} / ${expected.keys}`);
      tableBytes = await dryRunBytes(bq, `SELECT * FROM ${ds}.${TABLE}`);
      if (run === 1) {
        const plan = await cleanup(['plan', '--table', TABLE, '--json'], env, null);
        if (plan.code !== 0) throw new Error(`plan exited ${plan.code}: ${plan.stderr.slice(-2000)}`);
        plannedScans = JSON.parse(plan.stdout).plannedScans;
      }

      const hwmReset = resetHwm(emulatorPid);
      const since = Date.now();
      const r = await cleanup(['run', '--table', TABLE, '--confirm', '--json'], env, gnuTime);
      const until = Date.now();
      const emulatorHwmKb = vmHwmKb(emulatorPid);
      if (r.code !== 0) throw new Error(`cleanup run exited ${r.code}: ${r.stderr.slice(-3000)}`);
      const report = JSON.parse(r.stdout);

      // The result, checked against the incident's figures and read back from the tables.
      const wrong: string[] = [];
      if (report.status !== 'done') wrong.push(`status ${report.status}`);
      if (report.before.rows !== expected.rows || report.after.rows !== expected.keys || report.removed !== expected.rows - expected.keys) {
        wrong.push(`before ${report.before.rows}, after ${report.after.rows}, removed ${report.removed}; expected ${expected.rows}, ${expected.keys}, ${expected.rows - expected.keys}`);
      }
      const want = [...expected.dates].map(([date, d]) => [date, d.rows, d.keys, d.rows - d.keys]);
      const got = report.dates.map((d: any) => [d.date, d.before, d.kept, d.removed]);
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`per date ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
      const failedChecks = report.checks.filter((c: any) => !c.ok).map((c: any) => c.name);
      if (failedChecks.length) wrong.push(`failed checks ${failedChecks.join(', ')}`);
      const [live] = await query<{ rows: number; keys: number }>(
        `SELECT COUNT(*) AS rows, COUNT(DISTINCT TO_JSON_STRING(STRUCT(game_date, game_id, player_lookup, system_id, line_value))) AS keys FROM ${ds}.${TABLE}`,
      );
      const [backup] = await query<{ rows: number }>(`SELECT COUNT(*) AS rows FROM ${ds}.${report.backup.split('.')[1]}`);
      if (live.rows !== expected.keys || live.keys !== expected.keys) wrong.push(`live table ${live.rows} rows / ${live.keys} keys`);
      if (backup.rows !== expected.rows) wrong.push(`backup ${backup.rows} rows`);
      if (wrong.length) throw new Error(`run ${run} is wrong: ${wrong.join('; ')}`);
      keptBytes = await dryRunBytes(bq, `SELECT * FROM ${ds}.${TABLE}`);

      // The reads of the table and its copies, from the emulator's job list, attributed to steps by time.
      const state = (await firestore.collection('cleanup_state').doc(`${ds}.${TABLE}`).get()).data() as any;
      const jobs = (await listJobs(emulator.url, emulator.projectId)).filter((j) => j.created >= since && j.created <= until && !j.dryRun);
      const steps = Object.entries(state.steps as Record<string, { startedAt: string; finishedAt: string }>)
        .map(([name, st]) => ({ name, from: Date.parse(st.startedAt), to: Date.parse(st.finishedAt) }))
        .sort((a, b) => a.from - b.from);
      const swapAt = jobs.find((j) => j.type === 'COPY' && j.destination === TABLE)?.created ?? Infinity;
      const fullOf = (name: string, at: number) => (name === 'live' ? (at > swapAt ? keptBytes : tableBytes) : name === 'backup' ? tableBytes : keptBytes);
      const stepOf = (at: number) => steps.find((st) => at >= st.from && at <= st.to)?.name ?? (at < (steps[0]?.from ?? 0) ? 'locks + plan' : 'finish');
      if (process.env.BENCH_TIMELINE) {
        // Every job of the run, in order, with its duration and the gap since the previous one ended (time spent
        // in the cleanup process, Firestore or the Dataform CLI rather than in the warehouse).
        let previousEnd = since;
        for (const j of [...jobs].sort((a, b) => a.created - b.created)) {
          const text = j.type === 'COPY' ? `copy ${j.source} -> ${j.destination}` : j.query.replace(/\s+/g, ' ').trim().slice(0, 90);
          process.stderr.write(
            `timeline ${stepOf(j.created).padEnd(16)} +${((j.created - since) / 1000).toFixed(2)}s gap ${(j.created - previousEnd).toString().padStart(5)}ms job ${(j.ended - j.created).toString().padStart(5)}ms ${text}\n`,
          );
          previousEnd = Math.max(previousEnd, j.ended);
        }
      }
      const perStep = new Map<string, { jobs: number; fullScans: number; tableEquivalents: number }>();
      const reads: string[] = [];
      const copies: string[] = [];
      for (const j of jobs) {
        const step = stepOf(j.created);
        const entry = perStep.get(step) ?? { jobs: 0, fullScans: 0, tableEquivalents: 0 };
        entry.jobs++;
        perStep.set(step, entry);
        if (j.type === 'COPY') {
          if ([j.source, j.destination].some((t) => t?.startsWith(TABLE))) copies.push(`${step}: copy ${j.source} → ${j.destination} (${n(j.rows ?? 0)} rows)`);
          continue;
        }
        // Tables read: named outside string literals (run ids contain the table's name) and not as the INSERT target.
        const text = j.query.replace(/'(?:[^'\\]|\\.)*'/g, "''").replace(/INSERT\s+INTO\s+`?[\w.-]+`?/gi, 'INSERT INTO target');
        const refs = [
          /prediction_accuracy(?![A-Za-z0-9_])/.test(text) ? 'live' : null,
          /prediction_accuracy_backup_\d+/.test(text) ? 'backup' : null,
          /prediction_accuracy_deduped_\d+/.test(text) ? 'deduped' : null,
        ].filter((x): x is string => x !== null);
        if (refs.length === 0 || j.bytes === 0) continue;
        const whole = refs.reduce((a, t) => a + fullOf(t, j.created), 0);
        const share = j.bytes / whole;
        entry.tableEquivalents += j.bytes / tableBytes;
        // A full scan reads every row: no filter on the partitioning column (which is what the emulator, like
        // BigQuery, prunes on). Bytes cannot tell here: 2026-01-10 alone holds 90% of the rows, and the emulator's
        // estimate leaves out columns read only through a whole-row reference (TO_JSON_STRING(t)).
        const scoped = /\bgame_date\s*(=|IN\s*\(|BETWEEN\b|>=|<=|>|<)/i.test(text);
        if (!scoped) entry.fullScans += refs.length;
        reads.push(
          `${step}: ${scoped ? 'date-scoped' : '**full**'} read of ${refs.join(' + ')}, ${(share * 100).toFixed(0)}% of ${refs.length > 1 ? 'their' : 'its'} bytes — ${j.query.replace(/\s+/g, ' ').trim().slice(0, 70)}…`,
        );
        if (process.env.BENCH_DEBUG) process.stderr.write(`--- ${step} ${scoped ? 'scoped' : 'FULL'} ${j.bytes}\n${j.query}\n`);
      }
      const stepRows = [...steps.map((st) => st.name), ...[...perStep.keys()].filter((k) => !steps.some((st) => st.name === k))].map((name) => {
        const st = steps.find((x) => x.name === name);
        const e = perStep.get(name) ?? { jobs: 0, fullScans: 0, tableEquivalents: 0 };
        return { name, seconds: st ? (st.to - st.from) / 1000 : NaN, ...e };
      });
      const m: Measured = {
        wallMs: r.wallMs,
        elapsedMs: report.elapsedMs,
        cleanupMaxRssKb: r.maxRssKb,
        treeMaxRssKb: r.treeMaxRssKb,
        emulatorHwmKb,
        emulatorHwmReset: hwmReset,
        steps: stepRows,
        fullScans: stepRows.reduce((a, x) => a + x.fullScans, 0),
        tableEquivalents: stepRows.reduce((a, x) => a + x.tableEquivalents, 0),
        reads,
        copies,
        reportedScans: report.scans,
      };
      measured.push(m);
      log.info('cleanup run measured', {
        run,
        wallMs: Math.round(m.wallMs),
        cleanupMaxRssKb: m.cleanupMaxRssKb,
        emulatorHwmKb,
        fullScans: m.fullScans,
        steps: stepRows.map((x) => `${x.name}=${x.seconds}s`).join(' '),
      });
      if (run === RUNS) probed = await probeReads(bq, target, TABLE, report.backup.split('.')[1], QUICK ? 1 : 3);
    }
  } finally {
    await firestore.terminate().catch(() => undefined);
    await fs.stop().catch(() => undefined);
    emulator.child.kill('SIGTERM');
    await exited(emulator.child);
  }

  const wall = median(measured.map((m) => m.wallMs));
  const rss = median(measured.map((m) => m.cleanupMaxRssKb));
  const trees = measured.map((m) => m.treeMaxRssKb).filter((x): x is number => x !== null);
  const emu = median(measured.map((m) => m.emulatorHwmKb));
  const last = measured[measured.length - 1];
  const worst = expected.dates.get('2026-01-10')!;
  const lines = [
    '## Cleanup of 500,000 rows (`cleanup run` on the emulator)'.replace('500,000', n(ROWS)),
    '',
    `\`cleanup run --table ${TABLE} --confirm --json\` as its own process (\`node --import tsx scripts/cleanup.ts\`) against the`,
    'BigQuery emulator in another process (it holds DuckDB, in memory) and the Firestore emulator; locks, backup snapshot,',
    'duplicate audit, dedupe, verification, swap, live verification and the reporting recompute (one `dataform run` for',
    `all the dates to recompute, each fenced by its own lease's token through \`date_tokens\`). The incident: ${n(expected.rows)} rows, ${n(expected.keys)} unique keys, ${n(expected.rows - expected.keys)} duplicate rows`,
    `(${((100 * (expected.rows - expected.keys)) / expected.rows).toFixed(0)}%) over ${expected.dates.size} dates; 2026-01-10 holds ${n(worst.rows)} rows for ${n(worst.keys)} keys (the seed: 452,220 for`,
    `263,274), two other dates a few duplicates, some keys three copies, every ${DIFFERING_EVERY}th extra copy differing beyond the run`,
    `columns. Made in the emulator by one INSERT … SELECT over GENERATE_ARRAY (${s(median(loads))}), again before each of ${RUNS} runs;`,
    'each run is checked (rows after = unique keys, removed = duplicates, per date, all checks passed, live and backup counted).',
    '',
    '| run | wall (process) | cleanup elapsed | peak RSS cleanup process | peak RSS incl. Dataform children | peak RSS emulator (DuckDB) | full scans |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...measured.map(
      (m, i) =>
        `| ${i + 1} | ${s(m.wallMs)} | ${s(m.elapsedMs)} | ${mib(m.cleanupMaxRssKb)} | ${m.treeMaxRssKb === null ? 'n/a' : mib(m.treeMaxRssKb)} | ${mib(m.emulatorHwmKb)}${m.emulatorHwmReset ? '' : ' (lifetime)'} | ${m.fullScans} |`,
    ),
    `| **median** | **${s(wall)}** ${wall < 15_000 ? '✓' : '✗'} (< 15 s) | ${s(median(measured.map((m) => m.elapsedMs)))} | **${gib(rss)}** ${rss < 1.5 * 2 ** 20 ? '✓' : '✗'} (< 1.5 GiB) | ${trees.length ? mib(median(trees)) : 'n/a'} | ${gib(emu)} | ${median(measured.map((m) => m.fullScans))} |`,
    '',
    'Peak RSS of the cleanup process: its own `process.resourceUsage().maxRSS` at exit (a preloaded hook). Including',
    "children: GNU time's maximum resident set size for the process tree (the largest single process: the cleanup or one",
    'of its `dataform run` children). Emulator: VmHWM of the emulator process, reset through /proc/<pid>/clear_refs just',
    'before the run and read just after it (the table, its snapshot, copies and time-travel versions live there).',
    '',
    `Per step (run ${measured.length}; seconds from the cleanup's state document, query and copy jobs from the emulator's job list by creation time):`,
    '',
    '| step | seconds | jobs | full scans | bytes read (table-equivalents) |',
    '|---|---:|---:|---:|---:|',
    ...last.steps.map((x) => `| ${x.name} | ${Number.isNaN(x.seconds) ? '' : x.seconds.toFixed(1)} | ${x.jobs} | ${x.fullScans} | ${x.tableEquivalents.toFixed(2)} |`),
    `| **total** | | ${last.steps.reduce((a, x) => a + x.jobs, 0)} | **${last.fullScans}** | ${last.tableEquivalents.toFixed(2)} |`,
    '',
    "A full scan: a query job (from the emulator's job list) that reads the table, its backup or its deduped copy with no",
    "filter on the partitioning column, i.e. every row (a query over two of them counts two). Dataform's recompute reads one",
    'date each. Bytes (`totalBytesProcessed`) are listed per read below but cannot decide it: 2026-01-10 alone holds 90% of',
    "the rows, and the emulator's estimate omits columns read only through a whole-row reference (`TO_JSON_STRING(t)`), so",
    `the checksum profiles show 33–79% of the table (on BigQuery they read all of it). The table is ${(tableBytes / 1e6).toFixed(1)} MB before the swap and ${(keptBytes / 1e6).toFixed(1)} MB after.`,
    "Table-equivalents: the bytes of the step's queries over the original's size.",
    `Copy jobs (no bytes billed on BigQuery, but each reads a whole table): ${last.copies.length} — ${last.copies.join('; ')}.`,
    `The plan's own figure (\`plannedScans\`, hand-counted in src/cleanup/plan.ts): ${plannedScans}; the process's own count (\`scans\` in its report): ${last.reportedScans}.`,
    '',
    '<details><summary>Every query that read the table or its copies (last run)</summary>',
    '',
    ...last.reads.map((x) => `- ${x.replace(/\|/g, '\\|')}`),
    '',
    '</details>',
    '',
    `Each of the run's reads alone (one after another, nothing else on the emulator; median of ${QUICK ? 1 : 3}), on the last run's backup`,
    '(the original rows) and a deduped copy made for this: the warehouse work the checks cost, without the process, Firestore',
    "and the Dataform CLI around them (the copy jobs, the audit INSERT and the recompute's jobs are not in it).",
    '',
    '| read | alone | times per run |',
    '|---|---:|---:|',
    ...probed.map((x) => `| ${x.name} | ${s(x.ms)} | ${x.perRun} |`),
    `| **sum over a run** | **${s(probed.reduce((a, x) => a + x.ms * x.perRun, 0))}** | |`,
    '',
    machineLine(),
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

// Prints the process's own peak RSS (kB) as one JSON line on stderr when it exits, however it exits normally.
const RSS_HOOK = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\n'+JSON.stringify({bench_max_rss_kb:process.resourceUsage().maxRSS})+'\\n'))`;

/** Runs the cleanup command as its own process (under GNU time when available) and measures it. */
function cleanup(
  args: string[],
  env: NodeJS.ProcessEnv,
  gnuTime: string | null,
): Promise<{ code: number | null; stdout: string; stderr: string; wallMs: number; maxRssKb: number; treeMaxRssKb: number | null }> {
  const timeFile = join(repoRoot, '.local', `cleanup-bench-time-${process.pid}.txt`);
  const node = [process.execPath, '--import', 'tsx', '--import', RSS_HOOK, join(repoRoot, 'scripts', 'cleanup.ts'), ...args];
  const argv = gnuTime ? [gnuTime, '-f', '%M', '-o', timeFile, ...node] : node;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const hook = /\{"bench_max_rss_kb":(\d+)\}/.exec(stderr);
      let treeMaxRssKb: number | null = null;
      if (gnuTime && existsSync(timeFile)) {
        const kb = Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop());
        if (Number.isFinite(kb) && kb > 0) treeMaxRssKb = kb;
      }
      resolve({ code, stdout, stderr, wallMs, maxRssKb: hook ? Number(hook[1]) : NaN, treeMaxRssKb });
    });
  });
}

await main();

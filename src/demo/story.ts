/**
 * `npm start`: the incident and the fix, end to end on the local stack, with no cloud account.
 *   1. start the BigQuery emulator (DuckDB), Google's Firestore emulator and a local Slack stand-in;
 *   2. seed a deterministic synthetic season;
 *   3. the incident: the seed's unprotected DELETE + INSERT grading, as a backfill overlapping the scheduled run;
 *   4. the cleanup: `cleanup plan`, then `cleanup run`, as separate processes;
 *   5. the fix: backfill and scheduled `grade` processes overlapping again, now locked, fenced and atomic;
 *   6. a self-contained HTML report in .local/report.html.
 * Every command runs as its own OS process against the same stack, exactly as an operator would run it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBigQueryEmulator } from '../../emulator/bigquery/index.ts';
import { startFirestoreEmulator } from '../../emulator/firestore.ts';
import { ALERT_KINDS } from '../alerts/types.ts';
import type { Logger } from '../log/logger.ts';
import { renderStoryReport, type LockWait, type StoryReportData } from '../report/html-report.ts';
import { addDays } from '../runner/dates.ts';
import { repoRoot } from '../warehouse/dataform-cli.ts';
import { generateSeason, loadSeason } from '../warehouse/synthetic-season.ts';
import { bigQueryClient, localTarget, tableRef } from '../warehouse/target.ts';
import { runCli, type CliResult } from './cli-process.ts';
import { accuracyPerSystem, duplicationPerDate } from './measures.ts';
import { startWebhookReceiver, type RecordedRequest } from './webhook-receiver.ts';

export const SIZES = {
  small: { dates: 30, players: 300, systems: 6, incidentDates: 8, fixDates: 4 },
  medium: { dates: 30, players: 450, systems: 8, incidentDates: 10, fixDates: 6 },
  large: { dates: 60, players: 600, systems: 8, incidentDates: 14, fixDates: 10 },
} as const;
export type StorySize = keyof typeof SIZES;

export interface StoryOptions {
  size: StorySize;
  seed: number;
  keepRunning: boolean;
  /** Narrative for the terminal. */
  say: (text: string) => void;
  log: Logger;
}

const START_DATE = '2026-01-01';
const pct = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : '0%');

export async function runStory(options: StoryOptions): Promise<{ reportPath: string; exitCode: number }> {
  const { say } = options;
  const size = SIZES[options.size];
  const dir = join(repoRoot, '.local', 'start');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const steps: StoryReportData['steps'] = [];
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    steps.push({ name, seconds: (performance.now() - started) / 1000 });
    return result;
  };

  say(`gradeguard — the incident and the fix, on the local stack (size ${options.size}, seed ${options.seed})\n`);
  const { bigqueryEmulator, firestore, webhook } = await timed('start the local stack', async () => ({
    bigqueryEmulator: await startBigQueryEmulator({ port: 0, file: join(dir, 'bigquery.duckdb') }),
    firestore: await startFirestoreEmulator(),
    webhook: await startWebhookReceiver(),
  }));
  const target = localTarget({ projectId: bigqueryEmulator.projectId, emulatorUrl: bigqueryEmulator.url, firestoreHost: firestore.host });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BIGQUERY_EMULATOR_HOST: bigqueryEmulator.url,
    FIRESTORE_EMULATOR_HOST: firestore.host,
    GOOGLE_CLOUD_PROJECT: bigqueryEmulator.projectId,
    METADATA_SERVER_DETECTION: 'none',
    SLACK_WEBHOOK_URL: webhook.url,
  };
  const logDir = join(dir, 'logs');
  const cli = (label: string, script: string, args: string[]) => runCli(script, args, { env, logDir, label });
  const bigquery = bigQueryClient(target);
  say(`1. Local stack: BigQuery emulator ${bigqueryEmulator.url} (DuckDB), Firestore emulator ${firestore.host}, Slack stand-in ${webhook.url}`);

  let exitCode = 0;
  try {
    // 2. The season.
    const season = generateSeason({ seed: options.seed, dates: size.dates, players: size.players, systems: size.systems, startDate: START_DATE });
    await timed('seed the season', () => loadSeason(bigquery, target.dataset, season));
    const nullLines = season.predictions.filter((p) => p.current_points_line === null).length;
    const passes = season.predictions.filter((p) => p.recommendation === 'PASS').length;
    say(
      `2. Seeded a synthetic season: ${season.gameDates.length} game dates from ${season.gameDates[0]}, ${size.players} players, ${season.systemIds.length} systems, ` +
        `${season.predictions.length} predictions (${nullLines} without a line, ${passes} PASS), ${season.actuals.length} actuals (some missing).`,
    );

    // 3. The incident: the seed's grading, then a backfill overlapping the scheduled run on the same dates.
    const first = season.gameDates[0]!;
    const last = season.gameDates.at(-1)!;
    const incidentFrom = season.gameDates[Math.floor((season.gameDates.length - size.incidentDates) / 2)]!;
    const incidentTo = addDays(incidentFrom, size.incidentDates - 1);
    await timed('grade the season the old way', async () => {
      const initial = await cli('legacy-grading', 'src/chaos/unsafe-grade-process.ts', ['--from', first, '--to', last, '--run-id', 'legacy', '--pause', '0']);
      if (initial.code !== 0) throw new Error(`the legacy grading failed; see ${initial.logFile}`);
    });
    await timed('the incident', async () => {
      const [scheduled, backfill] = await Promise.all([
        cli('incident-scheduled', 'src/chaos/unsafe-grade-process.ts', ['--from', incidentFrom, '--to', incidentTo, '--run-id', 'scheduled', '--pause', '400']),
        cli('incident-backfill', 'src/chaos/unsafe-grade-process.ts', ['--from', incidentFrom, '--to', incidentTo, '--run-id', 'backfill', '--pause', '400']),
      ]);
      if (scheduled.code !== 0 || backfill.code !== 0) throw new Error(`an incident process failed; see ${scheduled.logFile} and ${backfill.logFile}`);
    });
    const incident = await duplicationPerDate(bigquery, target);
    const accuracy = await accuracyPerSystem(bigquery, target);
    const totals = incident.reduce((acc, d) => ({ rows: acc.rows + d.rows, keys: acc.keys + d.uniqueKeys }), { rows: 0, keys: 0 });
    const hit = incident.filter((d) => d.rows > d.uniqueKeys);
    say(
      `3. The incident: the seed's DELETE job + INSERT job grading, a backfill of ${incidentFrom}..${incidentTo} overlapping the scheduled run.\n` +
        `   prediction_accuracy: ${totals.rows} rows for ${totals.keys} business keys — ${totals.rows - totals.keys} duplicate rows (${pct(totals.rows - totals.keys, totals.rows)}) on ${hit.length} dates:`,
    );
    for (const d of hit) say(`     ${d.date}  ${d.rows} rows, ${d.uniqueKeys} keys, ${d.rows - d.uniqueKeys} duplicates (${pct(d.rows - d.uniqueKeys, d.rows)})`);
    say('   Accuracy as a dashboard reading the table saw it, and with one row per key:');
    for (const a of accuracy) {
      say(
        `     ${a.systemId.padEnd(24)} graded ${String(a.withDuplicates.graded).padStart(6)} (inflated from ${a.deduplicated.graded}), ` +
          `accuracy ${pct(a.withDuplicates.correct, a.withDuplicates.graded)} vs ${pct(a.deduplicated.correct, a.deduplicated.graded)}`,
      );
    }

    // 4. The cleanup.
    const plan = await timed('cleanup plan', () => cli('cleanup-plan', 'scripts/cleanup.ts', ['plan', '--table', 'prediction_accuracy', '--json']));
    if (plan.code !== 0) throw new Error(`cleanup plan failed (exit ${plan.code}); see ${plan.logFile}`);
    const run = await timed('cleanup run', () => cli('cleanup-run', 'scripts/cleanup.ts', ['run', '--table', 'prediction_accuracy', '--confirm', '--json']));
    if (run.code !== 0) throw new Error(`cleanup run failed (exit ${run.code}); see ${run.logFile}`);
    const cleanupFigures = summariseCleanup(run);
    const afterCleanup = await duplicationPerDate(bigquery, target);
    say(`4. The cleanup (cleanup plan, then cleanup run --confirm, each its own process):`);
    for (const [name, value] of Object.entries(cleanupFigures)) say(`     ${name.padEnd(34)} ${value}`);

    // 5. The fix: the same overlap, now through `grade`.
    const fixFrom = addDays(last, -(size.fixDates - 1));
    const lockWaits: LockWait[] = [];
    const [backfillRun, scheduledRun] = await timed('protected overlapping runs', () =>
      Promise.all([
        cli('fix-backfill', 'scripts/grade.ts', ['--from', fixFrom, '--to', last, '--if-locked', 'wait', '--parallel', '2', '--json']),
        cli('fix-scheduled', 'scripts/grade.ts', ['--dates', `${addDays(last, -1)},${last}`, '--if-locked', 'wait', '--json']),
      ]),
    );
    for (const [name, result] of [['backfill', backfillRun], ['scheduled', scheduledRun]] as const) {
      for (const d of result.json?.dates ?? []) lockWaits.push({ run: name, date: d.date, waitMs: d.lockWaitMs ?? 0, status: d.status });
      if (result.code !== 0) {
        exitCode = 1;
        say(`   ${name} grade exited ${result.code}; see ${result.logFile}`);
      }
    }
    const afterFix = (await duplicationPerDate(bigquery, target)).filter((d) => d.date >= fixFrom);
    const fixDuplicates = afterFix.reduce((n, d) => n + d.rows - d.uniqueKeys, 0);
    const [[auditRows], [runs]] = await Promise.all([
      bigquery.query({ query: `SELECT COUNT(*) AS n FROM ${tableRef(target, 'grading_duplicate_audit')}`, location: target.location }),
      bigquery.query({
        query: `SELECT status, COUNT(*) AS n FROM ${tableRef(target, 'grading_runs')} GROUP BY status ORDER BY status`,
        location: target.location,
      }),
    ]);
    say(
      `5. The fix: a backfill of ${fixFrom}..${last} (--parallel 2) and the scheduled run of the last two dates, overlapping, now under the per-date lock,\n` +
        `   fenced and atomic: ${fixDuplicates} duplicate rows on ${afterFix.length} dates (exit codes: backfill ${backfillRun.code}, scheduled ${scheduledRun.code}).`,
    );
    const waited = lockWaits.filter((w) => w.waitMs > 500);
    say(`   Lock waits: ${waited.length ? waited.map((w) => `${w.run} ${w.date} waited ${(w.waitMs / 1000).toFixed(1)} s`).join('; ') : 'none over 0.5 s'}.`);
    say(`   Audit: grading_runs ${runs.map((r: any) => `${r.status}=${r.n}`).join(', ')}; grading_duplicate_audit ${auditRows[0]?.n} rows (the cleanup's evidence).`);
    const alerts = webhook.requests.filter((r) => r.method === 'POST' && r.json);
    say(`   Alerts received by the Slack stand-in: ${alerts.length}${alerts.length ? ` (${[...new Set(alerts.map(alertKind))].join(', ')})` : ''}.`);
    if (fixDuplicates !== 0) exitCode = 1;

    // 6. The report.
    const reportPath = join(repoRoot, '.local', 'report.html');
    const data: StoryReportData = {
      generatedAt: new Date().toISOString(),
      size: options.size,
      seed: options.seed,
      season: { dates: season.gameDates.length, predictions: season.predictions.length, systems: season.systemIds.length, players: size.players },
      incident,
      afterCleanup,
      afterFix,
      accuracy,
      lockWaits,
      cleanup: cleanupFigures,
      alerts: alerts.map((r) => ({ kind: alertKind(r), title: String(r.json.text ?? '').split('\n')[0] ?? '' })),
      steps,
    };
    writeFileSync(reportPath, renderStoryReport(data));
    say(`6. Report: ${reportPath}`);
    say(`   Steps: ${steps.map((s) => `${s.name} ${s.seconds.toFixed(1)} s`).join(', ')}.`);

    if (options.keepRunning) {
      say(
        `\nThe stack stays up. In another shell:\n` +
          `  export BIGQUERY_EMULATOR_HOST=${bigqueryEmulator.url} FIRESTORE_EMULATOR_HOST=${firestore.host} GOOGLE_CLOUD_PROJECT=${target.projectId} METADATA_SERVER_DETECTION=none\n` +
          `  npm run grade -- --date ${last}        npm run check        npm run locks -- list\n` +
          `  npx dataform run . --tags grading reporting --vars=game_date=${last}   (with a .df-credentials.json: see docs/local-stack.md)\n` +
          `  bq: see docs/local-stack.md for the bq recipe against ${bigqueryEmulator.url}\n` +
          `Stop with Ctrl-C.`,
      );
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
    return { reportPath, exitCode };
  } finally {
    await webhook.stop();
    await firestore.stop();
    await bigqueryEmulator.stop();
  }
}

/** The alert kind a Slack message names (src/alerts/messages.ts puts it in the message). */
function alertKind(request: RecordedRequest): string {
  return ALERT_KINDS.find((kind) => new RegExp(`\\b${kind}\\b`).test(request.body)) ?? String(request.json?.text ?? '').slice(0, 40);
}

/** The cleanup's verification figures, from `cleanup run --json` (src/cleanup/report.ts). */
function summariseCleanup(run: CliResult): Record<string, string | number> {
  const r = run.json;
  if (!r?.before || !r?.after) throw new Error(`cleanup run printed no report; see ${run.logFile}`);
  const figures: Record<string, string | number> = {
    'rows before': r.before.rows,
    'unique business keys before': r.before.uniqueKeys,
    'duplicate rows before': r.before.duplicateRows,
    'rows after': r.after.rows,
    'rows removed': r.removed,
    'reconciles (before = after + removed)': r.before.rows === r.after.rows + r.removed ? 'yes' : 'NO',
    'kept per key': `${r.keep} write`,
    'backup (verified rows + checksum)': r.backup,
    'dates with duplicates': (r.dates ?? []).filter((d: { removed: number }) => d.removed > 0).length,
    'reporting recomputed for dates': (r.recomputedDates ?? []).length,
    'checks passed': `${(r.checks ?? []).filter((c: { ok: boolean }) => c.ok).length} of ${(r.checks ?? []).length}`,
    'cleanup run time': `${(run.durationMs / 1000).toFixed(1)} s`,
  };
  return figures;
}

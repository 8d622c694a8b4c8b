/**
 * `npm start`: the incident and the fix, end to end on the local stack, with no cloud account.
 *   1. take the state directory (one `npm start` per directory), start the BigQuery emulator (DuckDB), Google's
 *      Firestore emulator and a local Slack stand-in;
 *   2..5. the steps of tools/demo/story-steps.ts: seed a season, the old grading, the incident (two unprotected writers,
 *      interleaved in the seed's order), the cleanup, the fix (overlapping locked `grade` runs that really contend);
 *   6. a self-contained HTML report.
 * Every command runs as its own OS process against the same stack, exactly as an operator would run it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBigQueryEmulator } from '@gradeguard/bigquery-emulator';
import { startFirestoreEmulator } from '../../emulator/firestore.ts';
import { ALERT_KINDS } from '../../src/alerts/types.ts';
import { createFirestoreClient } from '../../src/lock/index.ts';
import type { Logger } from '../../src/log/logger.ts';
import { renderStoryReport, type StoryReportData } from './report/html-report.ts';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { generateSeason } from '../synthetic/season.ts';
import { bigQueryClient, localTarget, tableRef } from '../../src/warehouse/target.ts';
import { runCli } from './cli-process.ts';
import { lockStateDir } from './state-dir-lock.ts';
import { STORY_STEPS, type StoryContext, type StoryRecord } from './story-steps.ts';
import { createStoryView } from './story-view.ts';
import { startWebhookReceiver, type RecordedRequest } from '../harness/webhook-receiver.ts';

export const SIZES = {
  small: { dates: 30, players: 300, systems: 6, incidentDates: 8, fixDates: 2 },
  medium: { dates: 30, players: 450, systems: 8, incidentDates: 10, fixDates: 3 },
  large: { dates: 60, players: 600, systems: 8, incidentDates: 14, fixDates: 4 },
} as const;
export type StorySize = keyof typeof SIZES;

export interface StoryOptions {
  size: StorySize;
  seed: number;
  keepRunning: boolean;
  /** Where the stack keeps its files (DuckDB, logs); default .local/start. The report goes beside it. */
  stateDir?: string;
  log: Logger;
}

const START_DATE = '2026-01-01';

export async function runStory(options: StoryOptions): Promise<{ reportPath: string; exitCode: number; record: StoryRecord; steps: StoryReportData['steps'] }> {
  const size = SIZES[options.size];
  const dir = options.stateDir ?? join(repoRoot, '.local', 'start');
  mkdirSync(join(dir, '..'), { recursive: true });
  // Before anything is deleted: a second npm start on the same directory stops here, the first one's files untouched.
  const stateLock = lockStateDir(dir);
  const view = createStoryView({ log: options.log });
  const say = view.say;
  const steps: StoryReportData['steps'] = [];
  const stopping: Array<() => Promise<unknown>> = [];
  try {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    say(`gradeguard — the incident and the fix, on the local stack (size ${options.size}, seed ${options.seed})\n`);
    const stackStep = view.step('stack', 'start the local stack');
    const stackStarted = performance.now();
    const [bigqueryEmulator, firestore, webhook] = await Promise.all([
      startBigQueryEmulator({ port: 0, file: join(dir, 'bigquery.duckdb') }).then((s) => (stopping.push(() => s.stop()), s)),
      startFirestoreEmulator().then((s) => (stopping.push(() => s.stop()), s)),
      startWebhookReceiver().then((s) => (stopping.push(() => s.stop()), s)),
    ]);
    steps.push({ name: 'start the local stack', seconds: (performance.now() - stackStarted) / 1000 });
    stackStep.done();
    const target = localTarget({ projectId: bigqueryEmulator.projectId, emulatorUrl: bigqueryEmulator.url, firestoreHost: firestore.host });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      BIGQUERY_EMULATOR_HOST: bigqueryEmulator.url,
      FIRESTORE_EMULATOR_HOST: firestore.host,
      GOOGLE_CLOUD_PROJECT: bigqueryEmulator.projectId,
      METADATA_SERVER_DETECTION: 'none',
      SLACK_WEBHOOK_URL: webhook.url,
      // The commands' progress lines are INFO: the story follows them and draws the timeline from them.
      GRADEGUARD_LOG_LEVEL: 'INFO',
    };
    const logDir = join(dir, 'logs');
    // The webhook's path stands for a Slack secret: only the origin is ever printed.
    say(`1. Local stack: BigQuery emulator ${bigqueryEmulator.url} (DuckDB in ${dir}), Firestore emulator ${firestore.host}, Slack stand-in on ${webhook.origin}. Logs: ${logDir}`);

    const firestoreClient = createFirestoreClient({ emulatorHost: firestore.host, projectId: bigqueryEmulator.projectId });
    stopping.push(() => firestoreClient.terminate());
    const ctx: StoryContext = {
      seed: options.seed,
      size,
      season: generateSeason({ seed: options.seed, dates: size.dates, players: size.players, systems: size.systems, startDate: START_DATE }),
      target,
      bigquery: bigQueryClient(target),
      firestore: firestoreClient,
      cli: (label, script, args, onEvent) => runCli(script, args, { env, logDir, label, onEvent }),
      say,
      record: { incidentDates: [], overlappedDates: [], incident: [], accuracy: [], cleanup: {}, afterCleanup: [], fixDates: [], lockWaits: [], afterFix: [], problems: [] },
    };
    for (const step of STORY_STEPS) {
      const handle = view.step(step.id, step.title);
      const started = performance.now();
      try {
        const summary = await step.run(ctx, handle);
        handle.done(summary ?? undefined);
      } catch (error) {
        handle.fail((error as Error).message.split('\n')[0]!);
        throw error;
      } finally {
        steps.push({ name: step.title, seconds: (performance.now() - started) / 1000 });
      }
    }

    const [[auditRows], [runs]] = await Promise.all([
      ctx.bigquery.query({ query: `SELECT COUNT(*) AS n FROM ${tableRef(target, 'grading_duplicate_audit')}`, location: target.location }),
      ctx.bigquery.query({ query: `SELECT status, COUNT(*) AS n FROM ${tableRef(target, 'grading_runs')} GROUP BY status ORDER BY status`, location: target.location }),
    ]);
    say(`   Audit: grading_runs ${runs.map((r: any) => `${r.status}=${r.n}`).join(', ')}; grading_duplicate_audit ${auditRows[0]?.n} rows (the cleanup's evidence).`);
    const alerts = webhook.requests.filter((r) => r.method === 'POST' && r.json);
    say(`   Alerts received by the Slack stand-in: ${alerts.length}${alerts.length ? ` (${[...new Set(alerts.map(alertKind))].join(', ')})` : ''}.`);

    const reportPath = join(dir, '..', options.stateDir ? `${basename(dir)}-report.html` : 'report.html');
    const data: StoryReportData = {
      generatedAt: new Date().toISOString(),
      size: options.size,
      seed: options.seed,
      season: { dates: ctx.season.gameDates.length, predictions: ctx.season.predictions.length, systems: ctx.season.systemIds.length, players: size.players },
      ...ctx.record,
      alerts: alerts.map((r) => ({ kind: alertKind(r), text: String(r.json.text ?? '') })),
      steps,
    };
    writeFileSync(reportPath, renderStoryReport(data));
    say(`6. Report: ${reportPath}`);
    say(`   Steps: ${steps.map((s) => `${s.name} ${s.seconds.toFixed(1)} s`).join(', ')}.`);
    const exitCode = ctx.record.problems.length ? 1 : 0;

    if (options.keepRunning) {
      view.stop();
      say(
        `\nThe stack stays up. In another shell:\n` +
          `  export BIGQUERY_EMULATOR_HOST=${bigqueryEmulator.url} FIRESTORE_EMULATOR_HOST=${firestore.host} GOOGLE_CLOUD_PROJECT=${target.projectId} METADATA_SERVER_DETECTION=none\n` +
          `  npm run grade -- --date ${ctx.season.gameDates.at(-1)}        npm run check        npm run locks -- list\n` +
          `  bq: see docs/local-stack.md for the bq recipe against ${bigqueryEmulator.url}\n` +
          `Stop with Ctrl-C.`,
      );
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
    return { reportPath, exitCode, record: ctx.record, steps };
  } finally {
    view.stop();
    for (const stop of stopping.reverse()) await stop().catch(() => undefined);
    stateLock.release();
  }
}

const basename = (path: string) => path.split('/').filter(Boolean).at(-1) ?? 'start';

/** The alert kind a Slack message names (src/alerts/messages.ts puts it in the message). */
function alertKind(request: RecordedRequest): string {
  return ALERT_KINDS.find((kind) => new RegExp(`\\b${kind}\\b`).test(request.body)) ?? String(request.json?.text ?? '').slice(0, 40);
}

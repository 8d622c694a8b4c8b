/**
 * The steps of `npm start`, in order, as a list: each has an id, a title for the progress view, and a body that tells
 * the story of its figures and records them for the report. A new step (another way to run the pipeline, say) is one
 * more entry here.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { Firestore } from '@google-cloud/firestore';
import type { DateDuplication, LockWait, SystemAccuracy } from './report/html-report.ts';
import type { Timeline } from './report/timeline.ts';
import { addDays } from '../../src/runner/dates.ts';
import { gradeDateUnsafe } from '../synthetic/unsafe-grading.ts';
import type { Season } from '../synthetic/season.ts';
import { loadSeason } from '../synthetic/season.ts';
import type { WarehouseTarget } from '../../src/warehouse/target.ts';
import type { CliResult } from './cli-process.ts';
import { runIncident, type RunCli } from './incident.ts';
import { accuracyPerSystem, duplicationPerDate } from './measures.ts';
import { runProtected } from './protected-runs.ts';
import type { StepHandle } from './story-view.ts';

interface StorySizeSpec {
  dates: number;
  players: number;
  systems: number;
  incidentDates: number;
  fixDates: number;
}

export interface StoryContext {
  seed: number;
  size: StorySizeSpec;
  season: Season;
  target: WarehouseTarget;
  bigquery: BigQuery;
  firestore: Firestore;
  cli: RunCli;
  say(text: string): void;
  /** What the report shows, filled in by the steps. */
  record: StoryRecord;
}

export interface StoryRecord {
  incidentDates: string[];
  overlappedDates: string[];
  incident: DateDuplication[];
  accuracy: SystemAccuracy[];
  incidentTimeline?: Timeline;
  cleanup: Record<string, string | number>;
  afterCleanup: DateDuplication[];
  fixDates: string[];
  sharedDate?: string;
  lockWaits: LockWait[];
  afterFix: DateDuplication[];
  protectedTimeline?: Timeline;
  /** Exit codes of the protected runs that were not 0, and duplicates after them: the fix did not hold. */
  problems: string[];
}

export interface StoryStep {
  id: string;
  title: string;
  run(ctx: StoryContext, handle: StepHandle): Promise<string | void>;
}

const pct = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : '0%');
const duplicates = (list: DateDuplication[]) => list.reduce((n, d) => n + d.rows - d.uniqueKeys, 0);

export const STORY_STEPS: StoryStep[] = [
  {
    id: 'seed',
    title: 'deploy the tables and views, seed a synthetic season',
    async run({ season, bigquery, target, size, say, cli }) {
      // Once per stack, as in production: runs never recreate the views (docs/operations.md, deploy once).
      const deploy = await cli('deploy', 'scripts/deploy.ts', ['--json']);
      if (deploy.code !== 0) throw new Error(`npm run deploy failed (exit ${deploy.code}); see ${deploy.logFile}`);
      await loadSeason(bigquery, target.dataset, season);
      const nullLines = season.predictions.filter((p) => p.current_points_line === null).length;
      const passes = season.predictions.filter((p) => p.recommendation === 'PASS').length;
      say(
        `2. Deployed the pipeline's tables and views once (npm run deploy, ${(deploy.durationMs / 1000).toFixed(1)} s). Seeded a synthetic season: ${season.gameDates.length} game dates from ${season.gameDates[0]}, ${size.players} players, ${season.systemIds.length} systems, ` +
          `${season.predictions.length} predictions (${nullLines} without a line, ${passes} PASS), ${season.actuals.length} actuals (some missing).`,
      );
      return `${season.predictions.length} predictions`;
    },
  },
  {
    id: 'legacy',
    title: 'grade the season the old way',
    async run({ season, bigquery, target }) {
      // What the nightly job had written before the incident: one DELETE job and one INSERT job over the season.
      const { inserted } = await gradeDateUnsafe(bigquery, target, season.gameDates[0]!, { runId: 'legacy', through: season.gameDates.at(-1) });
      return `${inserted} rows over ${season.gameDates.length} dates`;
    },
  },
  {
    id: 'incident',
    title: 'the incident: two unprotected writers',
    async run(ctx, handle) {
      const { season, size, record, say } = ctx;
      const from = season.gameDates[Math.floor((season.gameDates.length - size.incidentDates) / 2)]!;
      record.incidentDates = Array.from({ length: size.incidentDates }, (_, i) => addDays(from, i));
      const incident = await runIncident(ctx.seed, record.incidentDates, ctx.cli, handle);
      record.overlappedDates = incident.overlappedDates;
      record.incidentTimeline = incident.timeline;
      record.incident = await duplicationPerDate(ctx.bigquery, ctx.target);
      record.accuracy = await accuracyPerSystem(ctx.bigquery, ctx.target);
      const rows = record.incident.reduce((n, d) => n + d.rows, 0);
      const hit = record.incident.filter((d) => d.rows > d.uniqueKeys);
      say(
        `3. The incident: the scheduled run and a backfill of ${record.incidentDates[0]}..${record.incidentDates.at(-1)}, each the seed's DELETE job + INSERT job per date, no lock.\n` +
          `   Their jobs interleaved in the seed's order: on ${incident.overlappedDates.length} of ${record.incidentDates.length} dates both DELETEs ran before either INSERT.\n` +
          `   prediction_accuracy: ${rows} rows, ${duplicates(record.incident)} duplicate rows (${pct(duplicates(record.incident), rows)}) on ${hit.length} dates:`,
      );
      for (const d of hit) say(`     ${d.date}  ${d.rows} rows, ${d.uniqueKeys} keys, ${d.rows - d.uniqueKeys} duplicates (${pct(d.rows - d.uniqueKeys, d.rows)})`);
      say('   Accuracy as a dashboard reading the table saw it, and with one row per key:');
      for (const a of record.accuracy) {
        say(
          `     ${a.systemId.padEnd(24)} graded ${String(a.withDuplicates.graded).padStart(6)} (inflated from ${a.deduplicated.graded}), ` +
            `accuracy ${pct(a.withDuplicates.correct, a.withDuplicates.graded)} vs ${pct(a.deduplicated.correct, a.deduplicated.graded)}`,
        );
      }
      return `${duplicates(record.incident)} duplicate rows on ${hit.length} dates`;
    },
  },
  {
    id: 'cleanup',
    title: 'the cleanup: plan, then run',
    async run(ctx, handle) {
      const plan = await ctx.cli('cleanup-plan', 'scripts/cleanup.ts', ['plan', '--table', 'prediction_accuracy', '--json']);
      if (plan.code !== 0) throw new Error(`cleanup plan failed (exit ${plan.code}); see ${plan.logFile}`);
      handle.detail(`plan: remove ${plan.json?.duplicateRows ?? '?'} rows; running`);
      const run = await ctx.cli('cleanup-run', 'scripts/cleanup.ts', ['run', '--table', 'prediction_accuracy', '--confirm', '--json'], (event) => {
        if (typeof event.step === 'string' && /step .* done/.test(String(event.message))) handle.detail(`step ${event.step} done`);
      });
      if (run.code !== 0) throw new Error(`cleanup run failed (exit ${run.code}); see ${run.logFile}`);
      ctx.record.cleanup = summariseCleanup(run);
      ctx.record.afterCleanup = await duplicationPerDate(ctx.bigquery, ctx.target);
      ctx.say(`4. The cleanup (cleanup plan, then cleanup run --confirm, each its own process):`);
      for (const [name, value] of Object.entries(ctx.record.cleanup)) ctx.say(`     ${name.padEnd(38)} ${value}`);
      return `${ctx.record.cleanup['rows removed']} rows removed`;
    },
  },
  {
    id: 'protected',
    title: 'the fix: overlapping grade runs, locked',
    async run(ctx, handle) {
      const { record, say } = ctx;
      const last = ctx.season.gameDates.at(-1)!;
      const runs = await runProtected({ last, dates: ctx.size.fixDates, firestore: ctx.firestore, cli: ctx.cli, handle });
      record.fixDates = runs.backfillDates;
      record.sharedDate = runs.sharedDate;
      record.protectedTimeline = runs.timeline;
      for (const [name, result] of [
        ['backfill', runs.backfill],
        ['scheduled', runs.scheduled],
      ] as const) {
        for (const d of result.json?.dates ?? []) record.lockWaits.push({ run: name, date: d.date, waitMs: d.lockWaitMs ?? 0, status: d.status, token: d.lockToken });
        if (result.code !== 0) record.problems.push(`${name} grade exited ${result.code}; see ${result.logFile}`);
      }
      record.afterFix = (await duplicationPerDate(ctx.bigquery, ctx.target)).filter((d) => d.date >= runs.backfillDates[0]!);
      const fixDuplicates = duplicates(record.afterFix);
      if (fixDuplicates !== 0) record.problems.push(`${fixDuplicates} duplicate rows after the protected runs`);
      const shared = record.lockWaits.find((w) => w.run === 'scheduled' && w.date === last);
      say(
        `5. The fix: a backfill of ${runs.backfillDates[0]}..${last} and the scheduled run of ${last}, started once the backfill held ${last}'s lock:\n` +
          `   ${fixDuplicates} duplicate rows on ${record.afterFix.length} dates (exit codes: backfill ${runs.backfill.code}, scheduled ${runs.scheduled.code}).`,
      );
      say(
        shared && shared.waitMs > 0
          ? `   The scheduled run waited ${(shared.waitMs / 1000).toFixed(1)} s for the backfill's lock on ${last}, then wrote with token ${shared.token} (the backfill's was lower).`
          : `   The scheduled run did not wait for ${last}: the backfill had finished it before the scheduled run asked (no contention this time).`,
      );
      for (const problem of record.problems) say(`   PROBLEM: ${problem}`);
      return `${fixDuplicates} duplicates; scheduled waited ${shared ? (shared.waitMs / 1000).toFixed(1) : '?'} s`;
    },
  },
  {
    id: 'dataform-api',
    title: 'a scheduled run through the Dataform API',
    async run(ctx) {
      const last = ctx.season.gameDates.at(-1)!;
      // The same grade, executed by the Dataform API under the lock: a compilation result with the run's vars and a
      // workflow invocation (the command starts the local stand-in of the API, emulator/dataform-api/).
      const run = await ctx.cli('dataform-api', 'scripts/grade.ts', ['--date', last, '--executor', 'dataform-api', '--if-locked', 'skip', '--json']);
      const invocations = run.events.filter((e) => e.event === 'dataform_invocation_finished').map((e) => e.state as string);
      const result = run.json?.dates?.[0];
      if (run.code !== 0) ctx.record.problems.push(`grade --executor dataform-api exited ${run.code}; see ${run.logFile}`);
      ctx.say(
        `   The scheduled run again, through the Dataform API (local stand-in): grade of ${last} as ${invocations.length} workflow invocation(s) (${invocations.join(', ') || 'none'}),\n` +
          `   status ${result?.status ?? 'none'}, lock token ${result?.lockToken ?? '?'}, exit ${run.code}.`,
      );
      return `${result?.status ?? 'no result'}; invocations ${invocations.join(', ') || 'none'}`;
    },
  },
];

/** The cleanup's verification figures, from `cleanup run --json` (src/cleanup/report.ts). */
function summariseCleanup(run: CliResult): Record<string, string | number> {
  const r = run.json;
  if (!r?.before || !r?.after) throw new Error(`cleanup run printed no report; see ${run.logFile}`);
  return {
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
}

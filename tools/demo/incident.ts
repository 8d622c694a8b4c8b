/**
 * The incident, reproduced: the scheduled run and a backfill, two real processes, each grading the same dates with the
 * seed's DELETE job + INSERT job, their jobs interleaved in the seed's order (tools/demo/turns.ts). Returns what each
 * job did and when, as timeline lanes, with a marker where a date's duplicates appeared (the second INSERT after both
 * DELETEs).
 */
import type { Timeline, TimelineLane, TimelineMarker } from './report/timeline.ts';
import type { CliResult } from './cli-process.ts';
import type { StepHandle } from './story-view.ts';
import { incidentSchedule, overlaps, startTurnServer, type Writer } from './turns.ts';

export type RunCli = (label: string, script: string, args: string[], onEvent?: (event: Record<string, any>) => void) => Promise<CliResult>;

export interface IncidentRun {
  /** Dates where both DELETEs ran before either INSERT (the seed's choice). */
  overlappedDates: string[];
  timeline: Timeline;
}

interface WriterJob {
  job: 'delete' | 'insert';
  rows: number;
  startedAt: number;
  endedAt: number;
}

export async function runIncident(seed: number, dates: readonly string[], cli: RunCli, handle: StepHandle): Promise<IncidentRun> {
  const perDate = incidentSchedule(seed, dates);
  const turns = await startTurnServer(perDate.flat());
  const graded = { scheduled: 0, backfill: 0 };
  const writer = (name: Writer) =>
    cli(`incident-${name}`, 'tools/demo/incident-writer.ts', ['--writer', name, '--dates', dates.join(','), '--turns', turns.url], (event) => {
      if (event.message !== 'date_graded_unsafely') return;
      graded[name]++;
      handle.detail(`scheduled ${graded.scheduled}/${dates.length} dates, backfill ${graded.backfill}/${dates.length}`);
    });
  let results: CliResult[];
  try {
    // A writer that dies stops the turns, so the other one fails instead of waiting for a turn that never comes.
    results = await Promise.all(
      (['scheduled', 'backfill'] as const).map((name) =>
        writer(name).then(async (r) => {
          if (r.code !== 0) await turns.stop();
          return r;
        }),
      ),
    );
  } finally {
    await turns.stop();
  }
  const failed = results.find((r) => r.code !== 0);
  if (failed) throw new Error(`an incident writer failed (exit ${failed.code}); see ${failed.logFile}`);

  const lanes: TimelineLane[] = [];
  const markers: TimelineMarker[] = [];
  const insertsEnded = new Map<string, number[]>();
  for (const [i, name] of (['scheduled', 'backfill'] as const).entries()) {
    const lane: TimelineLane = { name: `${name} run (unsafe)`, bars: [] };
    for (const d of results[i]!.json.dates as Array<{ date: string; jobs: WriterJob[] }>) {
      for (const job of d.jobs) {
        lane.bars.push({ start: job.startedAt, end: job.endedAt, kind: job.job, label: `${job.job.toUpperCase()} ${d.date}: ${job.rows} rows` });
        if (job.job === 'insert') insertsEnded.set(d.date, [...(insertsEnded.get(d.date) ?? []), job.endedAt]);
      }
    }
    lanes.push(lane);
  }
  const overlappedDates = dates.filter((_, i) => overlaps(perDate[i]!));
  for (const date of overlappedDates) {
    const ends = insertsEnded.get(date) ?? [];
    const at = Math.max(...ends);
    const lane = lanes.find((l) => l.bars.some((b) => b.kind === 'insert' && b.end === at && b.label.includes(date)))?.name ?? lanes[0]!.name;
    markers.push({ at, lane, label: `${date}: the second INSERT after both DELETEs — every key of the date is now stored twice` });
  }
  return { overlappedDates, timeline: { lanes, markers } };
}

/**
 * The fix, shown: a backfill and the scheduled run overlapping again, now as `grade` processes (lock, fence, atomic
 * write). The scheduled run is started only once the backfill holds the lock of the date they share, so it has to
 * wait for it: the contention is real, not left to the machine's timing. `--parallel 1`: no two of the backfill's
 * dataform runs write at once, so none is aborted by the other and retried. Returns both processes'
 * results and a timeline lane per process and date from their progress events (waiting for the lock, dataform, ...).
 */
import type { Firestore } from '@google-cloud/firestore';
import { DistributedLock } from '../../src/lock/index.ts';
import { addDays } from '../../src/runner/dates.ts';
import type { BarKind, Timeline, TimelineLane } from './report/timeline.ts';
import type { CliResult } from './cli-process.ts';
import type { RunCli } from './incident.ts';
import type { StepHandle } from './story-view.ts';

export interface ProtectedRuns {
  backfill: CliResult;
  scheduled: CliResult;
  backfillDates: string[];
  sharedDate: string;
  timeline: Timeline;
}

const PHASE_BAR: Record<string, BarKind | undefined> = { waiting_for_lock: 'wait', running: 'run', validating: 'validate' };

/** Lanes of one `grade` process: one per date, bars from each progress event of the date to its next one. */
export function progressLanes(run: string, result: CliResult): TimelineLane[] {
  const byDate = new Map<string, Array<{ phase: string; at: number; attempt?: number }>>();
  for (const e of result.events) {
    if (e.event !== 'progress' || typeof e.game_date !== 'string') continue;
    byDate.set(e.game_date, [...(byDate.get(e.game_date) ?? []), { phase: String(e.phase), at: Date.parse(e.time), attempt: e.attempt }]);
  }
  const firstEvent = Math.min(...[...byDate.values()].map((events) => events[0]!.at));
  return [...byDate.keys()].sort().map((date) => {
    const events = byDate.get(date)!;
    const lane: TimelineLane = { name: `${run} ${date}`, bars: [{ start: result.startedAt, end: firstEvent, kind: 'startup', label: 'process start (Node, modules, stack)' }] };
    if (events[0]!.at > firstEvent) lane.bars.push({ start: firstEvent, end: events[0]!.at, kind: 'queued', label: `queued behind the ${run}'s earlier dates` });
    events.forEach((e, i) => {
      const kind = PHASE_BAR[e.phase];
      const end = events[i + 1]?.at ?? result.endedAt;
      const retry = e.attempt && e.attempt > 1 ? ` (attempt ${e.attempt}: the previous one was aborted by a concurrent transaction)` : '';
      if (kind) lane.bars.push({ start: e.at, end, kind, label: `${e.phase.replace(/_/g, ' ')} ${date}${retry}` });
    });
    return lane;
  });
}

async function waitForHolder(firestore: Firestore, date: string, backfill: Promise<CliResult>): Promise<boolean> {
  const lock = new DistributedLock({ lockType: 'grading', firestore, operationTimeoutMs: 10_000 });
  let finished = false;
  void backfill.then(() => (finished = true));
  while (!finished) {
    const info = await lock.inspect(date);
    if (info && !info.expired) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

export async function runProtected(input: { last: string; dates: number; firestore: Firestore; cli: RunCli; handle: StepHandle }): Promise<ProtectedRuns> {
  const { last, handle } = input;
  const backfillDates = Array.from({ length: input.dates }, (_, i) => addDays(last, i - input.dates + 1));
  const status = new Map<string, string>();
  const show = () => handle.detail([...status].map(([k, v]) => `${k} ${v}`).join(', '));
  const follow = (run: string) => (event: Record<string, any>) => {
    if (event.event !== 'progress') return;
    status.set(`${run} ${String(event.game_date).slice(5)}`, String(event.phase === 'done' ? (event.status ?? 'done') : event.phase).replace(/_/g, ' '));
    show();
  };
  const backfill = input.cli('fix-backfill', 'scripts/grade.ts', ['--from', backfillDates[0]!, '--to', last, '--parallel', '1', '--if-locked', 'wait', '--json'], follow('backfill'));
  handle.detail(`backfill of ${backfillDates[0]}..${last} starting; the scheduled run starts once it holds ${last}`);
  const held = await waitForHolder(input.firestore, last, backfill);
  const scheduled = input.cli('fix-scheduled', 'scripts/grade.ts', ['--date', last, '--if-locked', 'wait', '--json'], follow('scheduled'));
  const [backfillResult, scheduledResult] = await Promise.all([backfill, scheduled]);
  if (!held) handle.detail(`the backfill finished before it was seen holding ${last}`);
  const lanes = [...progressLanes('backfill', backfillResult), ...progressLanes('scheduled', scheduledResult)];
  return { backfill: backfillResult, scheduled: scheduledResult, backfillDates, sharedDate: last, timeline: { lanes, markers: [] } };
}

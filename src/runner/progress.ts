/**
 * Progress of a multi-date command, as events per date (queued, circuit, waiting_for_lock, running, validating, done):
 * on a TTY a live task list (src/cli/live-tasks.ts: active dates redrawn in place, each finished date printed once,
 * log lines kept out of the live region); otherwise one JSON log line per event. Then the summary table.
 */
import { createLiveTasks, type TaskState } from '../cli/live-tasks.ts';
import type { Logger } from '../log/logger.ts';
import type { DateResult, Phase } from './run-context.ts';
import type { RunSummary } from './run-dates.ts';

export interface Progress {
  onPhase(date: string, phase: Phase, fields?: Record<string, unknown>): void;
  stop(): void;
}

const VIEW: Record<Exclude<Phase, 'done'>, [TaskState, string]> = {
  queued: ['queued', 'queued'],
  circuit: ['running', 'checking circuit'],
  waiting_for_lock: ['waiting', 'waiting for lock'],
  running: ['running', 'running dataform'],
  validating: ['running', 'validating'],
};

/** A finished date's state in the view, from its status. */
function finalState(status: string): TaskState {
  if (status === 'succeeded') return 'done';
  return status === 'skipped' || status === 'lock_not_acquired' ? 'skipped' : 'failed';
}

export function createProgress(dates: readonly string[], log: Logger, stream: NodeJS.WriteStream = process.stderr, title = 'dates'): Progress {
  const view = createLiveTasks({ title, stream, ids: dates });
  if (!view) {
    return {
      onPhase: (date, phase, fields) => log.info(`date_${phase}`, { event: 'progress', game_date: date, phase, ...fields }),
      stop() {},
    };
  }
  return {
    onPhase(date, phase, fields) {
      if (phase !== 'done') {
        const [state, label] = VIEW[phase];
        view.set(date, state, phase === 'running' && Number(fields?.attempt) > 1 ? `${label} (attempt ${fields?.attempt})` : label);
        return;
      }
      const status = String(fields?.status ?? 'done');
      view.set(date, finalState(status), status);
    },
    stop: () => view.stop(),
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export function summaryTable(summary: RunSummary): string {
  const header = ['date', 'lock wait', 'token', 'rows', 'duplicates', 'attempts', 'status', 'time'];
  const rows = summary.dates.map((r: DateResult) => [
    r.date,
    r.locked ? seconds(r.lockWaitMs) : r.status === 'skipped' || r.status === 'lock_not_acquired' ? seconds(r.lockWaitMs) : 'no lock',
    String(r.lockToken),
    r.rows === null ? '-' : String(r.rows),
    r.duplicateKeys === null ? '-' : String(r.duplicateKeys),
    r.retryReasons.length ? `${r.dataformAttempts} (${[...new Set(r.retryReasons)].join(', ')})` : String(r.dataformAttempts),
    r.status,
    seconds(r.durationMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const out = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
  const failed = summary.dates.filter((r) => r.error && r.status !== 'succeeded');
  for (const r of failed) out.push(`  ${r.date} ${r.runId}: ${r.error!.split('\n')[0].slice(0, 200)}`);
  const refreshed = summary.summaryRefresh ?? [];
  if (refreshed.length) {
    const statuses = [...new Set(refreshed.map((r) => r.status))].map((s) => `${refreshed.filter((r) => r.status === s).length} ${s}`).join(', ');
    out.push(`  performance_summary of ${refreshed.length} later date(s) refreshed (${refreshed[0].date}..${refreshed.at(-1)!.date}): ${statuses}`);
    for (const r of refreshed.filter((r) => r.error && r.status !== 'succeeded')) out.push(`  ${r.date} ${r.runId}: ${r.error!.split('\n')[0].slice(0, 200)}`);
  }
  out.push(`${summary.operation}: ${summary.dates.length} date(s) in ${summary.runs} locked run(s), ${summary.dataformAttempts} dataform attempt(s), ${seconds(summary.durationMs)}, exit ${summary.exitCode}`);
  return out.join('\n') + '\n';
}

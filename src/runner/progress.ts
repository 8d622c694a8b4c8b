/**
 * Progress of a multi-date command: on a TTY one live line per date (waiting for lock / running / validating / done),
 * redrawn in place; otherwise one JSON log line per event. Then the summary table.
 */
import type { Logger } from '../log/logger.ts';
import type { DateResult, Phase } from './run-date.ts';
import type { RunSummary } from './run-dates.ts';

export interface Progress {
  onPhase(date: string, phase: Phase, fields?: Record<string, unknown>): void;
  stop(): void;
}

const LABEL: Record<Phase, string> = {
  queued: 'queued',
  circuit: 'checking circuit',
  waiting_for_lock: 'waiting for lock',
  running: 'running dataform',
  validating: 'validating',
  done: 'done',
};

export function createProgress(dates: readonly string[], log: Logger, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) {
    return {
      onPhase: (date, phase, fields) => log.info(`date_${phase}`, { event: 'progress', game_date: date, phase, ...fields }),
      stop() {},
    };
  }
  const state = new Map(dates.map((d) => [d, { phase: 'queued' as Phase, since: Date.now(), note: '' }]));
  let drawn = 0;
  const draw = () => {
    if (drawn) stream.write(`\x1b[${drawn}A`);
    const lines = [...state].map(([date, s]) => `  ${date}  ${LABEL[s.phase].padEnd(17)} ${s.phase === 'done' ? s.note : `${((Date.now() - s.since) / 1000).toFixed(0)}s`}`);
    stream.write(lines.map((l) => `\x1b[2K${l}\n`).join(''));
    drawn = lines.length;
  };
  const timer = setInterval(draw, 1_000);
  timer.unref();
  draw();
  return {
    onPhase(date, phase, fields) {
      state.set(date, { phase, since: Date.now(), note: phase === 'done' ? String(fields?.status ?? '') : '' });
      draw();
    },
    stop() {
      clearInterval(timer);
      draw();
    },
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export function summaryTable(summary: RunSummary): string {
  const header = ['date', 'lock wait', 'token', 'rows', 'duplicates', 'status', 'time'];
  const rows = summary.dates.map((r: DateResult) => [
    r.date,
    r.locked ? seconds(r.lockWaitMs) : r.status === 'skipped' || r.status === 'lock_not_acquired' ? seconds(r.lockWaitMs) : 'no lock',
    String(r.lockToken),
    r.rows === null ? '-' : String(r.rows),
    r.duplicateKeys === null ? '-' : String(r.duplicateKeys),
    r.status,
    seconds(r.durationMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const out = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
  const failed = summary.dates.filter((r) => r.error && r.status !== 'succeeded');
  for (const r of failed) out.push(`  ${r.date} ${r.runId}: ${r.error!.split('\n')[0].slice(0, 200)}`);
  out.push(`${summary.operation}: ${summary.dates.length} date(s) in ${seconds(summary.durationMs)}, exit ${summary.exitCode}`);
  return out.join('\n') + '\n';
}

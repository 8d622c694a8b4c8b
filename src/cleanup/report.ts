/** The final report of a cleanup (from its state document), as JSON or as text. */
import type { Check, CleanupState, TableProfile } from './types.ts';

export interface CleanupReport {
  cleanupId: string;
  table: string;
  status: string;
  keep: string;
  backup: string;
  /** The deduped copy: dropped once the live table verified equal to it (named here when it is still there). */
  deduped: { name: string; dropped: boolean };
  before: { rows: number; uniqueKeys: number; duplicateRows: number; duplicateKeys: number; checksum: string };
  after: { rows: number; checksum: string | null };
  removed: number;
  dates: Array<{ date: string | null; before: number; kept: number; removed: number }>;
  recomputedDates: string[];
  checks: Check[];
  steps: Record<string, { status: string; seconds: number | null }>;
  scans: number;
  scanList: string[];
  elapsedMs: number;
}

export function buildReport(state: CleanupState, extra: { elapsedMs: number; scans: string[] }): CleanupReport {
  const deduped = state.steps.verify?.figures?.deduped as TableProfile | undefined;
  const kept = new Map((deduped?.dates ?? []).map((d) => [d.date, d.rows]));
  const after = deduped?.rows ?? 0;
  return {
    cleanupId: state.cleanupId,
    table: `${state.dataset}.${state.table}`,
    status: state.status,
    keep: state.keep,
    backup: `${state.dataset}.${state.backup}`,
    deduped: { name: `${state.dataset}.${state.deduped}`, dropped: state.steps.verify_live?.figures?.droppedDeduped === state.deduped },
    before: {
      rows: state.original.rows,
      uniqueKeys: state.original.uniqueKeys,
      duplicateRows: state.original.duplicateRows,
      duplicateKeys: state.original.duplicateKeys,
      checksum: state.original.checksum,
    },
    after: { rows: after, checksum: deduped?.checksum ?? null },
    removed: state.original.rows - after,
    dates: state.original.dates.map((d) => ({ date: d.date, before: d.rows, kept: kept.get(d.date) ?? 0, removed: d.rows - (kept.get(d.date) ?? 0) })),
    recomputedDates: state.recomputed,
    checks: state.checks,
    steps: Object.fromEntries(
      Object.entries(state.steps).map(([name, s]) => [name, { status: s!.status, seconds: s!.startedAt && s!.finishedAt ? (Date.parse(s!.finishedAt) - Date.parse(s!.startedAt)) / 1000 : null }]),
    ),
    scans: extra.scans.length,
    scanList: extra.scans,
    elapsedMs: extra.elapsedMs,
  };
}

const n = (v: number) => v.toLocaleString('en-US');

export function formatReport(r: CleanupReport): string {
  const affected = r.dates.filter((d) => d.removed > 0);
  const lines = [
    `Cleanup ${r.cleanupId} of ${r.table}: ${r.status}`,
    `  before: ${n(r.before.rows)} rows, ${n(r.before.uniqueKeys)} unique keys, ${n(r.before.duplicateRows)} duplicate rows (${n(r.before.duplicateKeys)} keys)`,
    `  after:  ${n(r.after.rows)} rows (kept per key: ${r.keep} write), ${n(r.removed)} removed`,
    `  backup: ${r.backup} (verified: same rows and checksum as the original)`,
    `  deduped copy: ${r.deduped.name} ${r.deduped.dropped ? 'dropped (the live table verified equal to it)' : 'still there: drop it after checking it'}`,
    `  dates with duplicates: ${affected.length} of ${r.dates.length}`,
    ...affected.slice(0, 20).map((d) => `    ${d.date}  ${n(d.before)} = ${n(d.kept)} kept + ${n(d.removed)} removed`),
    ...(affected.length > 20 ? [`    ... ${affected.length - 20} more`] : []),
    `  reporting recomputed for ${r.recomputedDates.length} dates`,
    '  checks:',
    ...r.checks.map((c) => `    ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`),
    `  ${r.scans} full reads by this process, ${(r.elapsedMs / 1000).toFixed(1)} s`,
  ];
  return lines.join('\n') + '\n';
}

/**
 * The report's bar charts as inline SVG: rows per date before and after (unique keys and duplicate rows stacked, so a
 * clean date still shows as a full bar), and lock waits.
 */
import { escapeHtml } from './escape.ts';
export interface DateDuplication {
  date: string;
  rows: number;
  uniqueKeys: number;
}

export interface LockWait {
  run: string;
  date: string;
  waitMs: number;
  status: string;
  /** The fencing token the run wrote with. */
  token?: number;
}

export const COLORS = { keys: '#adb5bd', duplicates: '#e03131', wait: '#f59f00', clean: '#2b8a3e' };

/**
 * For each date: one bar per state (incident, after cleanup, after the protected runs), unique keys in grey and
 * duplicate rows in red, with the figures written beside it.
 */
export function beforeAfterChart(dates: readonly string[], states: ReadonlyArray<{ name: string; values: readonly DateDuplication[] }>): string {
  const rows = dates.flatMap((date) => states.map((s) => ({ date, state: s.name, d: s.values.find((v) => v.date === date) })).filter((r) => r.d));
  if (rows.length === 0) return '<p>No dates to show.</p>';
  const max = Math.max(1, ...rows.map((r) => r.d!.rows));
  const width = 900;
  const left = 190;
  const right = 170;
  const barHeight = 12;
  const gap = 4;
  const groupGap = 12;
  let y = 10;
  const parts: string[] = [];
  for (const date of dates) {
    const group = rows.filter((r) => r.date === date);
    if (!group.length) continue;
    parts.push(`<text x="8" y="${y + 10}" class="date">${escapeHtml(date)}</text>`);
    for (const r of group) {
      const keysWidth = (r.d!.uniqueKeys / max) * (width - left - right);
      const dupWidth = ((r.d!.rows - r.d!.uniqueKeys) / max) * (width - left - right);
      const duplicates = r.d!.rows - r.d!.uniqueKeys;
      parts.push(
        `<text x="${left - 8}" y="${y + barHeight - 2}" text-anchor="end" class="state">${escapeHtml(r.state)}</text>`,
        `<rect x="${left}" y="${y}" width="${keysWidth.toFixed(1)}" height="${barHeight}" fill="${COLORS.keys}"><title>${escapeHtml(`${date} ${r.state}: ${r.d!.uniqueKeys} unique keys`)}</title></rect>`,
        duplicates > 0
          ? `<rect x="${(left + keysWidth).toFixed(1)}" y="${y}" width="${dupWidth.toFixed(1)}" height="${barHeight}" fill="${COLORS.duplicates}"><title>${escapeHtml(`${date} ${r.state}: ${duplicates} duplicate rows`)}</title></rect>`
          : '',
        `<text x="${(left + keysWidth + dupWidth + 6).toFixed(1)}" y="${y + barHeight - 2}" class="${duplicates > 0 ? 'bad' : 'good'}">${escapeHtml(`${r.d!.rows} rows${duplicates > 0 ? `, ${duplicates} duplicates` : ', none duplicated'}`)}</text>`,
      );
      y += barHeight + gap;
    }
    y += groupGap;
  }
  return `<svg viewBox="0 0 ${width} ${y}" role="img" aria-label="Rows per date before and after" class="chart">${parts.join('')}</svg>`;
}

/** One bar per (run, date): how long it waited for the date's lock. */
export function lockWaitChart(waits: readonly LockWait[]): string {
  if (waits.length === 0) return '<p>No locked runs.</p>';
  const max = Math.max(1000, ...waits.map((w) => w.waitMs));
  const width = 900;
  const left = 190;
  const right = 230;
  const barHeight = 16;
  const parts = waits.map((w, i) => {
    const y = 8 + i * (barHeight + 8);
    const bw = Math.max(w.waitMs > 0 ? 2 : 0, (w.waitMs / max) * (width - left - right));
    return (
      `<text x="${left - 8}" y="${y + barHeight - 3}" text-anchor="end" class="state">${escapeHtml(`${w.run} ${w.date}`)}</text>` +
      `<rect x="${left}" y="${y}" width="${bw.toFixed(1)}" height="${barHeight}" rx="2" fill="${COLORS.wait}"/>` +
      `<text x="${(left + bw + 6).toFixed(1)}" y="${y + barHeight - 3}">${escapeHtml(`${(w.waitMs / 1000).toFixed(1)} s${w.token ? `, wrote with token ${w.token}` : ''} — ${w.status}`)}</text>`
    );
  });
  return `<svg viewBox="0 0 ${width} ${8 + waits.length * (barHeight + 8)}" role="img" aria-label="Lock waits" class="chart">${parts.join('')}</svg>`;
}

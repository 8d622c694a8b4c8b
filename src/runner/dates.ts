/** Date selection for runs: --date, --from/--to, --dates, --yesterday. Strict, calendar-checked. */
import { UsageError } from './exit-codes.ts';

export const MAX_RANGE_DAYS = 400;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDate(text: string, flag: string): string {
  const m = ISO.exec(text);
  if (!m) throw new UsageError(`${flag}: "${text}" is not a date (expected YYYY-MM-DD)`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== text) throw new UsageError(`${flag}: ${text} is not a real calendar date`);
  if (Number(m[1]) < 2000 || Number(m[1]) > 2100) throw new UsageError(`${flag}: ${text} is outside 2000-01-01..2100-12-31`);
  return text;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface DateSelection {
  date?: string;
  from?: string;
  to?: string;
  dates?: string;
  yesterday?: boolean;
  maxDays?: number;
  /** For --yesterday; injectable for tests. */
  today?: string;
}

/** The distinct dates a run covers, ascending. */
export function selectDates(sel: DateSelection): string[] {
  const given = [sel.date !== undefined, sel.from !== undefined || sel.to !== undefined, sel.dates !== undefined, !!sel.yesterday].filter(Boolean).length;
  if (given !== 1) throw new UsageError('Give exactly one of --date D, --from D1 --to D2, --dates D1,D2,... or --yesterday');
  const max = sel.maxDays ?? MAX_RANGE_DAYS;
  let dates: string[];
  if (sel.date !== undefined) dates = [parseDate(sel.date, '--date')];
  else if (sel.yesterday) dates = [addDays(sel.today ?? new Date().toISOString().slice(0, 10), -1)];
  else if (sel.dates !== undefined) {
    const parts = sel.dates.split(',').map((s) => s.trim());
    if (parts.some((p) => !p)) throw new UsageError('--dates: empty entry in the list');
    dates = [...new Set(parts.map((p) => parseDate(p, '--dates')))].sort();
  } else {
    if (sel.from === undefined || sel.to === undefined) throw new UsageError('--from and --to go together');
    const from = parseDate(sel.from, '--from');
    const to = parseDate(sel.to, '--to');
    if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
    dates = [];
    for (let d = from; d <= to; d = addDays(d, 1)) {
      dates.push(d);
      if (dates.length > max) break;
    }
  }
  if (dates.length > max) throw new UsageError(`The selection covers more than ${max} days (limit --max-days ${max})`);
  return dates;
}

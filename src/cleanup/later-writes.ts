/**
 * Writes that reached the table after the cleanup put its copy live (or after its backup was taken), told apart from
 * corruption. A grading run rewrites a whole date in one fenced transaction: every row of the date then carries its
 * lease's token, which is higher than any token held before it (the grading lock's counter is monotonic per date),
 * and the fence records it. So a date that differs from what the cleanup verified is a legitimate later write when
 * every row of it carries a token above the one the cleanup held for the date at the swap, none above the date's
 * fence, and it has no duplicate key. Anything else (a partial change, token 0, a token the fence never saw) is not.
 */
import { dateParams } from '../warehouse/duplicates.ts';
import { assertIdentifier, tableRef } from '../warehouse/target.ts';
import type { CleanupContext, KeyedTableInfo } from './context.ts';
import { sameContent, summarize } from './profile.ts';
import type { Check, DateFigures, TableProfile } from './types.ts';

export interface DateTokens {
  date: string;
  rows: number;
  minToken: number | null;
  maxToken: number | null;
  /** The date's committed token in grading_write_fence for the table (null: no fence row). */
  fenceToken: number | null;
}

const TOKEN = 'lock_token';

/** Per date: rows, lowest and highest lock_token, and the fence's committed token (one read of those dates). */
export async function dateTokens(ctx: CleanupContext, info: KeyedTableInfo, dates: readonly string[], readFrom = info.table): Promise<Map<string, DateTokens>> {
  const result = new Map<string, DateTokens>(dates.map((date) => [date, { date, rows: 0, minToken: null, maxToken: null, fenceToken: null }]));
  if (dates.length === 0 || !info.key.dateColumn) return result;
  const column = assertIdentifier('column', info.key.dateColumn);
  const tokens = info.shape.columns.includes(TOKEN) ? `MIN(${TOKEN}) AS lo, MAX(${TOKEN}) AS hi` : 'CAST(NULL AS INT64) AS lo, CAST(NULL AS INT64) AS hi';
  const params = { dates: dateParams(dates), table: info.table };
  const [[rows], fence] = await Promise.all([
    ctx.bigquery.query({
      query: `SELECT CAST(${column} AS STRING) AS d, COUNT(*) AS n, ${tokens} FROM ${tableRef(ctx.target, readFrom)} WHERE ${column} IN UNNEST(@dates) GROUP BY d`,
      params: { dates: params.dates },
      location: ctx.target.location,
    }),
    ctx.bigquery
      .query({
        query: `SELECT CAST(game_date AS STRING) AS d, MAX(max_lock_token) AS t FROM ${tableRef(ctx.target, 'grading_write_fence')} WHERE table_name = @table AND game_date IN UNNEST(@dates) GROUP BY d`,
        params,
        location: ctx.target.location,
      })
      .catch((error: { code?: number }) => {
        if (error.code === 404) return [[]];
        throw error;
      }),
  ]);
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  for (const row of rows as Array<{ d: string; n: number; lo: unknown; hi: unknown }>) Object.assign(result.get(row.d)!, { rows: Number(row.n), minToken: num(row.lo), maxToken: num(row.hi) });
  for (const row of fence[0] as Array<{ d: string; t: unknown }>) result.get(row.d)!.fenceToken = num(row.t);
  return result;
}

/** Dates whose figures (rows, content checksum) differ between two profiles, or that only one of them has. */
export function differingDates(expected: TableProfile, actual: TableProfile): string[] {
  const same = (a?: DateFigures, b?: DateFigures) => a && b && a.rows === b.rows && a.rowHashSum1 === b.rowHashSum1 && a.rowHashSum2 === b.rowHashSum2;
  const byDate = (p: TableProfile) => new Map(p.dates.map((d) => [d.date ?? '', d]));
  const e = byDate(expected);
  const a = byDate(actual);
  return [...new Set([...e.keys(), ...a.keys()])].filter((date) => !same(e.get(date), a.get(date))).sort();
}

export interface LaterWrite {
  date: string;
  rows: number;
  tokens: string;
  accepted: boolean;
  reason: string;
}

/** Judges each differing date: a whole-date fenced rewrite after `heldTokens` (the cleanup's tokens at the swap), or not. */
function judgeLaterWrites(dates: readonly string[], live: TableProfile, tokens: Map<string, DateTokens>, heldTokens: Record<string, number>): LaterWrite[] {
  const liveDates = new Map(live.dates.map((d) => [d.date ?? '', d]));
  return dates.map((date) => {
    const t = tokens.get(date)!;
    const held = heldTokens[date] ?? 0;
    const figures = liveDates.get(date);
    const range = t.minToken === null ? 'no rows' : `tokens ${t.minToken}..${t.maxToken}`;
    const base = { date, rows: t.rows, tokens: `${range}, fence ${t.fenceToken ?? 'none'}, cleanup held ${held}` };
    const fenceAbove = t.fenceToken !== null && t.fenceToken > held;
    if (!figures) return { ...base, accepted: fenceAbove, reason: fenceAbove ? 'emptied by a later fenced write' : 'rows gone without a later fenced write' };
    if (figures.duplicateKeys > 0) return { ...base, accepted: false, reason: `${figures.duplicateKeys} duplicated keys` };
    if (t.minToken === null || t.minToken <= held) return { ...base, accepted: false, reason: 'holds rows not written by a later lock holder' };
    if (t.fenceToken === null || (t.maxToken ?? 0) > t.fenceToken) return { ...base, accepted: false, reason: 'rows carry a token the fence never committed' };
    return { ...base, accepted: true, reason: 'rewritten by a later fenced write' };
  });
}

/**
 * `live` equals `expected` apart from dates rewritten by later fenced writes: the check, and the dates it set aside.
 * Reads the tokens of the differing dates only (no read at all when the tables are equal).
 */
export async function equalApartFromLaterWrites(
  ctx: CleanupContext,
  info: KeyedTableInfo,
  name: string,
  expected: TableProfile,
  live: TableProfile,
  heldTokens: Record<string, number>,
): Promise<{ check: Check; later: LaterWrite[] }> {
  const exact = sameContent(name, expected, live);
  if (exact.ok) return { check: exact, later: [] };
  const dates = differingDates(expected, live);
  const later = judgeLaterWrites(dates, live, await dateTokens(ctx, info, dates), heldTokens);
  const rejected = later.filter((w) => !w.accepted);
  if (rejected.length > 0) {
    return { later, check: { ...exact, detail: `${exact.detail}; not later fenced writes: ${rejected.map((w) => `${w.date} (${w.reason}; ${w.tokens})`).join(', ')}` } };
  }
  const others = (p: TableProfile) =>
    summarize(
      p.table,
      p.dates.filter((d) => !dates.includes(d.date ?? '')),
    );
  const rest = sameContent(name, others(expected), others(live));
  const written = later.map((w) => `${w.date} (${w.rows} rows, ${w.tokens})`).join(', ');
  return { later, check: { name, ok: rest.ok, detail: `${rest.detail}; rewritten since by later fenced writes, kept as they are: ${written}` } };
}

/**
 * After a write of the cleanup (the swap, a restore): every row of each date carries the token the cleanup held for it
 * (`tokens`), and the date's fence holds that token. One read of the dates' tokens and their fence rows.
 */
export async function stampedTokens(ctx: CleanupContext, info: KeyedTableInfo, name: string, tokens: Record<string, number>): Promise<Check> {
  const dates = Object.keys(tokens).sort();
  ctx.scans.push(`tokens of ${info.table}`);
  const read = await dateTokens(ctx, info, dates);
  const off = dates.flatMap((date) => {
    const t = read.get(date)!;
    const want = tokens[date];
    const rowsOk = t.rows === 0 || (t.minToken === want && t.maxToken === want);
    return rowsOk && t.fenceToken === want ? [] : [`${date} (${t.rows} rows, tokens ${t.minToken ?? '-'}..${t.maxToken ?? '-'}, fence ${t.fenceToken ?? 'none'}, expected ${want})`];
  });
  return {
    name,
    ok: off.length === 0,
    detail: off.length === 0 ? `${dates.length} dates: every row carries its date's token and the fence holds it` : `not stamped: ${off.slice(0, 10).join(', ')}`,
  };
}

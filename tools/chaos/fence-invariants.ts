/**
 * Invariants of the fence, the locks, the run rows and the summary, checked in the warehouse and in Firestore:
 *  - every row of a fenced table carries the token the fence recorded for its date (no stale write survived);
 *  - the fence of a (table, date) never goes down;
 *  - no lock is still held once every process has ended (killed holders excepted: they cannot release);
 *  - grading_runs rows left `running` by processes that have ended (reported by the caller);
 *  - performance_summary equals a recomputation from prediction_accuracy_deduped over the same windows.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { Firestore } from '@google-cloud/firestore';
import { createRequire } from 'node:module';
import { DistributedLock } from '../../src/lock/index.ts';
import { addDays } from '../../src/runner/dates.ts';
import { dateParams, keyedTable } from '../../src/warehouse/duplicates.ts';
import { tableRef, type WarehouseTarget } from '../../src/warehouse/target.ts';
import { sameMetric, type Violation } from './invariants.ts';

const require = createRequire(import.meta.url);
const metrics: { metricColumns: Array<[string, string, string]>; metricSelectList(indent?: string): string } = require('../../includes/metrics.js');
const { SUMMARY_WINDOWS } = require('../../includes/constants.js') as { SUMMARY_WINDOWS: Array<{ name: string; days: number | null }> };
const { seasonStart } = require('../../includes/summary_windows.js') as { seasonStart(date: string): string };

/** Tables a grading run writes under the fence (player_prop_predictions is merged key by key, so tokens mix there). */
const FENCED_TABLES = ['prediction_accuracy', 'system_daily_performance', 'performance_summary'] as const;

export type FenceSnapshot = Map<string, number>;

export async function readFence(bigquery: BigQuery, target: WarehouseTarget, dates: readonly string[]): Promise<FenceSnapshot> {
  const [rows] = await bigquery.query({
    query: `SELECT table_name, CAST(game_date AS STRING) AS d, max_lock_token FROM ${tableRef(target, 'grading_write_fence')} WHERE game_date IN UNNEST(@dates)`,
    params: { dates: dateParams(dates) },
    location: target.location,
  });
  return new Map(rows.map((r: Record<string, unknown>) => [`${r.table_name}|${r.d}`, Number(r.max_lock_token)]));
}

export function fenceRegressions(before: FenceSnapshot, after: FenceSnapshot, when: string): Violation[] {
  const out: Violation[] = [];
  for (const [key, token] of before) {
    const now = after.get(key);
    if (now === undefined || now < token) {
      const [table, date] = key.split('|');
      out.push({ kind: 'fence_regressed', table: table!, date: date!, detail: `${when}: fence ${token} -> ${now ?? 'missing'}` });
    }
  }
  return out;
}

/** Rows whose lock_token differs from their date's fence (a stale write, or rows put back without moving the fence). */
export async function staleTokenViolations(bigquery: BigQuery, target: WarehouseTarget, dates: readonly string[], when: string): Promise<Violation[]> {
  const fence = await readFence(bigquery, target, dates);
  const out: Violation[] = [];
  for (const table of FENCED_TABLES) {
    const dateColumn = keyedTable(table).dateColumn!;
    const [rows] = await bigquery.query({
      query: `SELECT CAST(${dateColumn} AS STRING) AS d, lock_token, COUNT(*) AS n FROM ${tableRef(target, table)} WHERE ${dateColumn} IN UNNEST(@dates) GROUP BY 1, 2 ORDER BY 1, 2`,
      params: { dates: dateParams(dates) },
      location: target.location,
    });
    for (const r of rows as Array<{ d: string; lock_token: number; n: number }>) {
      const expected = fence.get(`${table}|${r.d}`);
      if (expected === undefined || Number(r.lock_token) !== expected) {
        out.push({ kind: 'stale_token', table, date: r.d, detail: `${when}: ${r.n} rows with lock_token ${r.lock_token}, fence ${expected ?? 'missing'}` });
      }
    }
  }
  return out;
}

/** Locks of these types whose lease is still running although every process has ended, except those of `killedPids`. */
export async function unreleasedLocks(firestore: Firestore, killedPids: ReadonlySet<number>): Promise<Violation[]> {
  const out: Violation[] = [];
  for (const lockType of ['grading', 'consolidation', 'cleanup']) {
    // A check, not a lock operation: on a loaded machine (the rounds' processes ending, the emulator's JVM catching up)
    // listing took more than the default 10 s and ended the whole suite; the check waits longer instead.
    const lock = new DistributedLock({ lockType, firestore, autoRenew: false, holderId: `chaos-check:${process.pid}`, operationTimeoutMs: 120_000 });
    for (const info of await lock.list()) {
      if (!info.expired && !killedPids.has(info.pid)) {
        out.push({
          kind: 'lock_not_released',
          table: lockType,
          date: info.scope,
          detail: `${info.lockKey} held by ${info.holderId} (pid ${info.pid}, token ${info.token}) until ${info.expiresAt.toISOString()}`,
        });
      }
    }
  }
  return out;
}

/** grading_runs rows of these runs still `running`. */
export async function runningRows(bigquery: BigQuery, target: WarehouseTarget, runIds: readonly string[]): Promise<Array<{ runId: string; operation: string }>> {
  if (!runIds.length) return [];
  const [rows] = await bigquery.query({
    query: `SELECT run_id, operation FROM ${tableRef(target, 'grading_runs')} WHERE status = 'running' AND run_id IN UNNEST(@ids) ORDER BY run_id`,
    params: { ids: [...runIds] },
    location: target.location,
  });
  return rows.map((r: Record<string, string>) => ({ runId: r.run_id, operation: r.operation }));
}

/** performance_summary of these summary dates against a recomputation over the same windows (includes/constants.js). */
export async function summaryViolations(bigquery: BigQuery, target: WarehouseTarget, dates: readonly string[]): Promise<Violation[]> {
  const names = metrics.metricColumns.map(([name]) => name);
  const windows = dates.flatMap((d) => SUMMARY_WINDOWS.map((w) => ({ d, name: w.name, start: w.days === null ? seasonStart(d) : addDays(d, -(w.days - 1)) })));
  const params: Record<string, unknown> = { dates: dateParams(dates) };
  const rowsSql = windows.map((w, k) => {
    Object.assign(params, { [`d${k}`]: w.d, [`n${k}`]: w.name, [`s${k}`]: w.start });
    return `SELECT DATE(@d${k}) AS summary_date, @n${k} AS window_name, DATE(@s${k}) AS window_start`;
  });
  const [stored] = await bigquery.query({
    query: `SELECT CAST(summary_date AS STRING) AS d, system_id, window_name, ${names.join(', ')} FROM ${tableRef(target, 'performance_summary')} WHERE summary_date IN UNNEST(@dates)`,
    params: { dates: params.dates },
    location: target.location,
  });
  const [recomputed] = await bigquery.query({
    query: `WITH summary_windows AS (
  ${rowsSql.join('\n  UNION ALL ')}
)
SELECT CAST(summary_windows.summary_date AS STRING) AS d, system_id, summary_windows.window_name,
${metrics.metricSelectList('  ')}
FROM summary_windows JOIN ${tableRef(target, 'prediction_accuracy_deduped')} AS accuracy
  ON accuracy.game_date BETWEEN summary_windows.window_start AND summary_windows.summary_date
GROUP BY summary_windows.summary_date, system_id, summary_windows.window_name`,
    params,
    location: target.location,
  });
  const key = (r: Record<string, unknown>) => `${r.d}/${r.system_id}/${r.window_name}`;
  const storedByKey = new Map((stored as Record<string, unknown>[]).map((r) => [key(r), r]));
  const out: Violation[] = [];
  for (const expected of recomputed as Record<string, unknown>[]) {
    const got = storedByKey.get(key(expected));
    storedByKey.delete(key(expected));
    const differing = got ? names.filter((n) => !sameMetric(got[n], expected[n])) : [];
    if (!got || differing.length) {
      const detail = got ? differing.map((n) => `${n} stored ${got[n]} recomputed ${expected[n]}`).join('; ') : 'row missing';
      out.push({ kind: 'aggregate_mismatch', table: 'performance_summary', date: String(expected.d), detail: `${expected.system_id} ${expected.window_name}: ${detail}` });
    }
  }
  for (const extra of storedByKey.values()) {
    out.push({ kind: 'aggregate_mismatch', table: 'performance_summary', date: String(extra.d), detail: `${extra.system_id} ${extra.window_name}: row without graded predictions` });
  }
  return out;
}

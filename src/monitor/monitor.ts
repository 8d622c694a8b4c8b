/**
 * One monitor pass: alert on locks held too long (and on expired ones nobody released), force-release them past a
 * second threshold only when auto-release is on, alert on open circuit breakers, close grading_runs rows left
 * `running` by runs whose leases are gone (abandoned-runs.ts), and run `check` once a day.
 * `--watch` repeats passes; a failed pass is logged and the next one runs.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { Firestore } from '@google-cloud/firestore';
import type { Alerter } from '../alerts/index.ts';
import { runCheck } from '../checks/index.ts';
import type { LockInfo } from '../lock/index.ts';
import type { Logger } from '../log/logger.ts';
import type { CircuitInfo } from '../runner/circuit-breaker.ts';
import type { WarehouseTarget } from '../warehouse/target.ts';
import { closeAbandonedRuns } from './abandoned-runs.ts';
import { claimDailyCheck } from './daily-check.ts';
import { adminLock, formatAge, listCircuits, stuckLocks } from './lock-admin.ts';
import { releaseIfStill } from './release.ts';

export const DEFAULT_STUCK_AFTER_MS = 10 * 60_000;
export const DEFAULT_RELEASE_AFTER_MS = 15 * 60_000;

export interface MonitorOptions {
  firestore: Firestore;
  alerter: Alerter;
  logger: Logger;
  stuckAfterMs?: number;
  releaseAfterMs?: number;
  autoRelease?: boolean;
  /** Without a warehouse the daily check is skipped. */
  warehouse?: { bigquery: BigQuery; target: WarehouseTarget };
  dailyCheck?: boolean;
  checkDays?: number;
  today?: () => string;
  /** grading_runs rows younger than this are not judged (default 60 s, see abandoned-runs.ts; tests pass 0). */
  runGraceMs?: number;
  /** grading_runs rows with no lease (token 0, or no locked operation) are closed when older than this (default 6 h). */
  unleasedRunAfterMs?: number;
}

export interface MonitorReport {
  at: string;
  stuck: Array<{ lockKey: string; holder: string; operation: string; token: number; since: string; heldFor: string; expired: boolean; released: boolean }>;
  openCircuits: CircuitInfo[];
  /** grading_runs rows this pass closed as `abandoned` (left `running` by runs that died). */
  abandonedRuns: string[];
  check: { ran: boolean; runId?: string; clean?: boolean; reason?: string };
  findings: number;
}

const isDate = (scope: string) => /^\d{4}-\d{2}-\d{2}$/.test(scope);

export async function monitorPass(options: MonitorOptions): Promise<MonitorReport> {
  const { firestore, alerter, logger } = options;
  const stuckAfterMs = options.stuckAfterMs ?? DEFAULT_STUCK_AFTER_MS;
  const releaseAfterMs = options.releaseAfterMs ?? DEFAULT_RELEASE_AFTER_MS;
  const report: MonitorReport = { at: new Date().toISOString(), stuck: [], openCircuits: [], abandonedRuns: [], check: { ran: false }, findings: 0 };

  const stuck = await stuckLocks(firestore, stuckAfterMs);
  // Judged by Firestore's clock, like stuck(): the locks also past the release threshold.
  const overdue = new Set((await stuckLocks(firestore, releaseAfterMs)).filter((l) => !l.expired).map((l) => `${l.lockKey}:${l.token}`));
  for (const lock of stuck) {
    const heldFor = formatAge(Date.now() - lock.acquiredAt.getTime());
    const isOverdue = overdue.has(`${lock.lockKey}:${lock.token}`);
    let released = false;
    if (options.autoRelease && (isOverdue || lock.expired)) {
      // Only the acquisition we judged (its token): a run that took the key since keeps it.
      const result = await releaseIfStill({
        firestore,
        lockType: lock.lockType,
        scope: lock.scope,
        token: lock.token,
        requireExpired: false,
        reason: `monitor --auto-release: ${lock.expired ? 'expired without release' : `held ${heldFor}, longer than ${formatAge(releaseAfterMs)}`}`,
        by: adminLock(firestore, lock.lockType).holderId,
        logger,
      });
      released = result.outcome === 'released';
    }
    report.stuck.push({ lockKey: lock.lockKey, holder: lock.holderId, operation: lock.operationId, token: lock.token, since: lock.acquiredAt.toISOString(), heldFor, expired: lock.expired, released });
    await alerter.send(lockAlert(lock, heldFor, released, isOverdue, stuckAfterMs));
  }

  const circuits = await listCircuits(firestore);
  report.openCircuits = circuits.filter((c) => c.state !== 'closed');
  for (const circuit of report.openCircuits) {
    await alerter.send({
      kind: 'circuit_open',
      severity: 'ERROR',
      title: `Circuit breaker of ${circuit.operation} is ${circuit.state} after ${circuit.consecutiveFailures} consecutive failures; new runs are refused`,
      nextStep: `Read the last error and the failed runs (grading_runs status failed); fix the cause; the circuit lets one trial run through ${circuit.reopensAt ? `at ${circuit.reopensAt}` : 'after its cool-down'}`,
      table: `gradeguard_circuits/${circuit.operation}`,
      operation: circuit.operation,
      counts: { consecutive_failures: circuit.consecutiveFailures },
      details: { state: circuit.state, opened_at: circuit.openedAt ?? null, reopens_at: circuit.reopensAt ?? null, last_error: circuit.lastError?.slice(0, 300) ?? null },
    });
  }

  if (options.warehouse) report.abandonedRuns = await closeAbandonedRuns(firestore, options.warehouse, logger, options.runGraceMs, options.unleasedRunAfterMs);
  if (options.dailyCheck !== false) report.check = await dailyCheck(options);
  report.findings = report.stuck.length + report.openCircuits.length + report.abandonedRuns.length + (report.check.ran && report.check.clean === false ? 1 : 0);
  logger.info('monitor_pass', {
    event: 'monitor_pass',
    stuck_locks: report.stuck.length,
    released: report.stuck.filter((s) => s.released).length,
    open_circuits: report.openCircuits.length,
    abandoned_runs: report.abandonedRuns.length,
    check_ran: report.check.ran,
    check_clean: report.check.clean ?? null,
  });
  return report;
}

function lockAlert(lock: LockInfo, heldFor: string, released: boolean, overdue: boolean, stuckAfterMs: number) {
  const common = {
    gameDate: isDate(lock.scope) ? lock.scope : undefined,
    table: `${lock.lockType}_locks`,
    runId: lock.operationId,
    operation: lock.lockType,
    counts: { token: lock.token, renewals: lock.renewals },
    details: {
      lock_key: lock.lockKey,
      holder: lock.holderId,
      since: lock.acquiredAt.toISOString(),
      held_for: heldFor,
      expires_at: lock.expiresAt.toISOString(),
      expired: lock.expired,
      host: lock.host,
      pid: lock.pid,
    },
  };
  if (released) {
    return {
      ...common,
      kind: 'lock_force_released' as const,
      severity: 'CRITICAL' as const,
      title: `monitor force-released ${lock.lockKey} (token ${lock.token}, held ${heldFor} by ${lock.holderId})`,
      nextStep: `Check that operation ${lock.operationId} did not commit (its token is now fenced out) and re-run it; audit in ${lock.lockType}_lock_audit`,
    };
  }
  return {
    ...common,
    kind: 'stuck_lock' as const,
    severity: 'ERROR' as const,
    title: lock.expired
      ? `${lock.lockKey} expired without a release (holder ${lock.holderId} likely died; token ${lock.token})`
      : `${lock.lockKey} held ${heldFor} (over ${formatAge(stuckAfterMs)}) by ${lock.holderId}, token ${lock.token}`,
    nextStep:
      overdue || lock.expired
        ? `Check the holder (host ${lock.host}, pid ${lock.pid}); if it is hung: npm run locks -- release ${lock.lockType} ${lock.scope} --force`
        : `Watch it: npm run locks -- list; past 15 minutes release it with npm run locks -- release ${lock.lockType} ${lock.scope} --force`,
  };
}

async function dailyCheck(options: MonitorOptions): Promise<MonitorReport['check']> {
  if (!options.warehouse) return { ran: false, reason: 'no warehouse' };
  const today = (options.today ?? (() => new Date().toISOString().slice(0, 10)))();
  const claim = await claimDailyCheck(options.firestore, today);
  if (!claim) return { ran: false, reason: `already ran for ${today}` };
  try {
    const report = await runCheck({ ...options.warehouse, alerter: options.alerter, logger: options.logger, asOf: today, days: options.checkDays ?? 7 });
    await claim.finish({ ok: true, runId: report.runId, clean: report.clean });
    return { ran: true, runId: report.runId, clean: report.clean };
  } catch (error) {
    await claim.finish({ ok: false });
    throw error;
  }
}

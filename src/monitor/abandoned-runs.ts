/**
 * grading_runs rows left `running` by runs that died (killed, frozen past their lease): a run whose lease is live on
 * none of its dates can no longer write, so its row is closed as `abandoned`. Judged from the locks (their holder's
 * operation id is the run id, and their expiry), so closing never depends on the dead runner. The repairs write rows
 * too and hold the grading lock of every date they touch: `remediate` (operation id = run id), the cleanup and
 * `cleanup restore` (operation id = the cleanup's or restore's id; its steps' rows `<id>.<step>` and its recompute
 * runs' rows `<id>.recompute...` belong to that holder). A killed cleanup's row closed here is opened again by
 * `cleanup resume`.
 *
 * A run that holds no lease (token 0: a --no-lock run, or a `dataform run` / Dataform workflow invocation no runner
 * started, e.g. one pinned to a date that the fence then refused) has nothing to judge it by, and nobody else closes
 * its row. It is closed by age instead, after DEFAULT_UNLEASED_RUN_AFTER_MS unless told otherwise.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { Firestore } from '@google-cloud/firestore';
import type { Logger } from '../log/logger.ts';
import { lockTypeOf } from '../runner/operations.ts';
import { markAbandoned, openRuns } from '../warehouse/runs.ts';
import type { WarehouseTarget } from '../warehouse/target.ts';
import { adminLock } from './lock-admin.ts';

/** Rows younger than this are left alone: a run opens its row only after taking its leases, but clocks differ. */
const DEFAULT_RUN_GRACE_MS = 60_000;

/**
 * 6 h is BigQuery's execution-time limit of one query or script job; one run of this project is a few jobs of minutes,
 * so a row `running` for longer, with no lease behind it, belongs to a run that stopped.
 */
export const DEFAULT_UNLEASED_RUN_AFTER_MS = 6 * 60 * 60_000;

/** The lease is the run's: held for the run itself, or for the cleanup or restore the row is a step or recompute of. */
const heldFor = (runId: string, operationId: string) => runId === operationId || runId.startsWith(`${operationId}.`);

export async function closeAbandonedRuns(
  firestore: Firestore,
  warehouse: { bigquery: BigQuery; target: WarehouseTarget },
  logger: Logger,
  graceMs = DEFAULT_RUN_GRACE_MS,
  unleasedAfterMs = DEFAULT_UNLEASED_RUN_AFTER_MS,
): Promise<string[]> {
  // One read: every run still running past the grace period, with or without a token.
  const open = await openRuns(warehouse.bigquery, warehouse.target, { startedBefore: new Date(Date.now() - graceMs), anyToken: true });
  const dead: string[] = [];
  const unleasedBefore = Date.now() - unleasedAfterMs;
  // No token, or a token but not a locked operation (a hand-made run with a token var): nothing to judge it by but its age.
  const unleased = open.filter((run) => (run.lockToken === 0 || !lockTypeOf(run.operation)) && run.startedMs < unleasedBefore).map((run) => run.runId);
  for (const run of open) {
    const lockType = lockTypeOf(run.operation);
    if (!lockType || run.lockToken === 0) continue; // judged by age above
    const lock = adminLock(firestore, lockType);
    const held = await Promise.all(run.dates.map((d) => lock.inspect(d)));
    if (!held.some((info) => info && heldFor(run.runId, info.operationId) && !info.expired)) dead.push(run.runId);
  }
  if (dead.length) await markAbandoned(warehouse.bigquery, warehouse.target, dead, 'abandoned: monitor found no live lease of the run on any of its dates');
  const hours = Math.round((unleasedAfterMs / 3_600_000) * 100) / 100;
  if (unleased.length)
    await markAbandoned(warehouse.bigquery, warehouse.target, unleased, `abandoned: running for more than ${hours} h with no lease to judge it by (a run without the lock, or a Dataform run no runner closed)`);
  const closed = [...dead, ...unleased];
  if (closed.length) logger.warn('runs_abandoned_closed', { event: 'runs_abandoned_closed', closed: closed.length, run_ids: closed.join(',') });
  return closed;
}

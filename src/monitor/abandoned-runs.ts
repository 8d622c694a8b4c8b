/**
 * grading_runs rows left `running` by runs that died (killed, frozen past their lease): a run whose lease is live on
 * none of its dates can no longer write, so its row is closed as `abandoned`. Judged from the locks (their holder's
 * operation id is the run id, and their expiry), so closing never depends on the dead runner. The repairs write rows
 * too and hold the grading lock of every date they touch: `remediate` (operation id = run id), the cleanup and
 * `cleanup restore` (operation id = the cleanup's or restore's id; its steps' rows `<id>.<step>` and its recompute
 * runs' rows `<id>.recompute...` belong to that holder). A killed cleanup's row closed here is opened again by
 * `cleanup resume`.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { Firestore } from '@google-cloud/firestore';
import type { Logger } from '../log/logger.ts';
import { OPERATIONS, type OperationName } from '../runner/operations.ts';
import { markAbandoned, openRuns } from '../warehouse/runs.ts';
import type { WarehouseTarget } from '../warehouse/target.ts';
import { adminLock } from './lock-admin.ts';

/** Rows younger than this are left alone: a run opens its row only after taking its leases, but clocks differ. */
const DEFAULT_RUN_GRACE_MS = 60_000;

/** The lock type a run of `operation` holds on each of its dates while it runs (undefined: nothing to judge it by). */
function lockTypeOf(operation: string): string | undefined {
  const spec = OPERATIONS[operation as OperationName];
  if (spec) return spec.lockType;
  if (operation === 'remediate' || operation === 'cleanup' || operation.startsWith('cleanup.')) return 'grading';
  return undefined;
}

/** The lease is the run's: held for the run itself, or for the cleanup or restore the row is a step or recompute of. */
const heldFor = (runId: string, operationId: string) => runId === operationId || runId.startsWith(`${operationId}.`);

export async function closeAbandonedRuns(
  firestore: Firestore,
  warehouse: { bigquery: BigQuery; target: WarehouseTarget },
  logger: Logger,
  graceMs = DEFAULT_RUN_GRACE_MS,
): Promise<string[]> {
  const open = await openRuns(warehouse.bigquery, warehouse.target, { startedBefore: new Date(Date.now() - graceMs) });
  const dead: string[] = [];
  for (const run of open) {
    const lockType = lockTypeOf(run.operation);
    if (!lockType) continue; // not a locked operation: nothing to judge it by
    const lock = adminLock(firestore, lockType);
    const held = await Promise.all(run.dates.map((d) => lock.inspect(d)));
    if (!held.some((info) => info && heldFor(run.runId, info.operationId) && !info.expired)) dead.push(run.runId);
  }
  if (!dead.length) return [];
  await markAbandoned(warehouse.bigquery, warehouse.target, dead, 'abandoned: monitor found no live lease of the run on any of its dates');
  logger.warn('runs_abandoned_closed', { event: 'runs_abandoned_closed', closed: dead.length, run_ids: dead.join(',') });
  return dead;
}

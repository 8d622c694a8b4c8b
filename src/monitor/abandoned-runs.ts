/**
 * grading_runs rows left `running` by runs that died (killed, frozen past their lease): a run whose lease is live on
 * none of its dates can no longer write, so its row is closed as `abandoned`. Judged from the locks (their holder's
 * operation id is the run id, and their expiry), so closing never depends on the dead runner.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { Firestore } from '@google-cloud/firestore';
import type { Logger } from '../log/logger.ts';
import { OPERATIONS, type OperationName } from '../runner/operations.ts';
import { markAbandoned, openRuns } from '../warehouse/runs.ts';
import type { WarehouseTarget } from '../warehouse/target.ts';
import { adminLock } from './lock-admin.ts';

/** Rows younger than this are left alone: a run opens its row only after taking its leases, but clocks differ. */
const GRACE_MS = 60_000;

export async function closeAbandonedRuns(firestore: Firestore, warehouse: { bigquery: BigQuery; target: WarehouseTarget }, logger: Logger): Promise<string[]> {
  const open = await openRuns(warehouse.bigquery, warehouse.target, { startedBefore: new Date(Date.now() - GRACE_MS) });
  const dead: string[] = [];
  for (const run of open) {
    const spec = OPERATIONS[run.operation as OperationName];
    if (!spec) continue; // not a locked operation of the runner: nothing to judge it by
    const lock = adminLock(firestore, spec.lockType);
    const held = await Promise.all(run.dates.map((d) => lock.inspect(d)));
    if (!held.some((info) => info && info.operationId === run.runId && !info.expired)) dead.push(run.runId);
  }
  if (!dead.length) return [];
  await markAbandoned(warehouse.bigquery, warehouse.target, dead, 'abandoned: monitor found no live lease of the run on any of its dates');
  logger.warn('runs_abandoned_closed', { event: 'runs_abandoned_closed', closed: dead.length, run_ids: dead.join(',') });
  return dead;
}

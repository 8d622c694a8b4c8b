/**
 * withLockedRun, the one skeleton of grade, remediate, the cleanup and restore: the run's row is `running` while it
 * works, a lost lease stops the work and is recorded as `lease_lost`, an error becomes its documented exit code and
 * row status, a busy lock is a refusal (exit 4, no work), and the leases are released whatever happened. Real
 * Firestore (the shared emulator) and an in-process BigQuery emulator.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { VerificationError } from '../../src/cleanup/context.ts';
import { DistributedLock, LockLostError, type Lease } from '../../src/lock/index.ts';
import { ExitCode, UsageError } from '../../src/runner/exit-codes.ts';
import { RunFailedError, withLockedRun, type LockedRunSpec } from '../../src/runner/locked-run.ts';
import { ensureTables } from '../../src/warehouse/pipeline-tables.ts';
import { tableRef } from '../../src/warehouse/target.ts';
import { targetOf } from '../checks/seed.ts';
import { startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';
import { captureLog, testFirestore, type TestFirestore } from '../lock/helpers.ts';

const DATE = '2026-02-03';
let fs: TestFirestore;
let bq: LocalBigQuery;
beforeAll(async () => {
  [fs, bq] = await Promise.all([testFirestore(), startLocalBigQuery()]);
  await ensureTables(bq.client, targetOf(bq), ['grading_runs']);
}, 120_000);
afterAll(async () => {
  await fs?.stop();
  await bq?.stop();
});
beforeEach(() => fs.wipe());

const lock = () => new DistributedLock({ lockType: 'grading', firestore: fs.client(), leaseMs: 60_000, maxWaitMs: 0, logger: captureLog().logger });
const rowOf = async (runId: string) =>
  (await bq.rows(`SELECT status, lock_token, error, finished_at IS NOT NULL AS finished FROM ${tableRef(targetOf(bq), 'grading_runs')} WHERE run_id = @id`, { id: runId }))[0];
/** Free when anyone can take it at once: the run released its lease. */
const isFree = async () => (await lock().inspect(DATE)) === undefined;

type Held = { leases: Lease[]; token: number; lease: Lease };

function spec<T>(runId: string, work: LockedRunSpec<Held, T>['work'], extra: Partial<LockedRunSpec<Held, T>> = {}): LockedRunSpec<Held, T> {
  const holder = lock();
  return {
    runId,
    operation: 'locked-run-test',
    bigquery: bq.client,
    target: targetOf(bq),
    log: captureLog().logger,
    async acquire() {
      const lease = await holder.acquire(DATE, { operationId: runId });
      return { leases: [lease], token: lease.token, lease };
    },
    opensRow: true,
    row: () => ({ dates: [DATE] }),
    work,
    finish: () => ({ status: 'succeeded' }),
    ...extra,
  };
}

test('the row is running while the work runs, then succeeded; the lease is released', async () => {
  let seen: unknown;
  const end = await withLockedRun(
    spec('run-ok', async ({ token }) => {
      seen = await rowOf('run-ok');
      expect(await isFree()).toBe(false);
      return token;
    }),
  );
  expect(end).toMatchObject({ outcome: 'done' });
  expect(seen).toMatchObject({ status: 'running', finished: false });
  expect(await rowOf('run-ok')).toMatchObject({ status: 'succeeded', lock_token: (end as { token: number }).token, finished: true });
  expect(await isFree()).toBe(true);
}, 60_000);

test('a lost lease aborts the work and is recorded as lease_lost (exit 1), whatever the work threw on its way out', async () => {
  const end = await withLockedRun(
    spec('run-lost', async ({ lease, signal }) => {
      // Someone force-released the date; the next renewal finds out and aborts the run's signal.
      await lock().forceRelease(DATE, { reason: 'test: the lease is lost' });
      await lease.renew().catch(() => undefined);
      await new Promise((_, reject) => (signal.aborted ? reject(signal.reason) : signal.addEventListener('abort', () => reject(signal.reason), { once: true })));
      throw new Error('not reached: the work waits for the abort');
    }),
  );
  expect(end).toMatchObject({ outcome: 'failed', status: 'lease_lost', exitCode: ExitCode.runFailed });
  expect((end as { error: Error }).error).toBeInstanceOf(LockLostError);
  expect(await rowOf('run-lost')).toMatchObject({ status: 'lease_lost', finished: true, error: expect.stringContaining('was lost') });
  expect(await isFree()).toBe(true);
}, 60_000);

test('each error becomes its exit code and row status; the failure is reported under the lease, which is then released', async () => {
  const cases: Array<[Error, number, string]> = [
    [new UsageError('bad input found late'), ExitCode.badInput, 'failed'],
    [new VerificationError('backup differs'), ExitCode.duplicatesOrAssertion, 'failed'],
    [new RunFailedError('fence_rejected', 'a newer token wrote the date'), ExitCode.runFailed, 'fence_rejected'],
    [new Error('BigQuery said no'), ExitCode.runFailed, 'failed'],
  ];
  for (const [i, [error, exitCode, status]] of cases.entries()) {
    const runId = `run-error-${i}`;
    let heldWhileReported: boolean | undefined;
    const end = await withLockedRun(
      spec(
        runId,
        async () => {
          throw error;
        },
        { failed: async () => void (heldWhileReported = !(await isFree())) },
      ),
    );
    expect(end, error.message).toMatchObject({ outcome: 'failed', status, exitCode, error });
    expect(await rowOf(runId), error.message).toMatchObject({ status, error: error.message, finished: true });
    expect(heldWhileReported, error.message).toBe(true);
    expect(await isFree(), error.message).toBe(true);
  }
}, 120_000);

test('a busy lock is a refusal: no work, exit 4, the refusal reported; the holder keeps its lock', async () => {
  const other = await lock().acquire(DATE, { operationId: 'someone-else' });
  try {
    let worked = false;
    let refusal: string | undefined;
    const end = await withLockedRun(
      spec('run-busy', async () => void (worked = true), {
        refused: async (error) => void (refusal = error.message),
      }),
    );
    expect(end).toMatchObject({ outcome: 'refused', exitCode: ExitCode.lockNotAcquired });
    expect(worked).toBe(false);
    expect(refusal).toContain('someone-else');
    expect(await rowOf('run-busy')).toBeUndefined();
    expect((await lock().inspect(DATE))?.token).toBe(other.token);
  } finally {
    await other.release();
  }
}, 60_000);

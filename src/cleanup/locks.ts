/**
 * The cleanup's locks: the `cleanup` lock of the table, then the `grading` lock of every date, always in that order and
 * dates ascending, so two processes taking several of them cannot deadlock. Each lease renews itself; `signal` aborts
 * when any of them is lost, and the steps check it before every write.
 */
import { hostname } from 'node:os';
import type { Firestore } from '@google-cloud/firestore';
import { DistributedLock, type Lease } from '../lock/index.ts';
import type { Logger } from '../log/logger.ts';
import { processAlive } from '../lock/process-alive.ts';

/** The held locks, as withLockedRun takes them: every lease, and the cleanup lease's token for the run's row. */
export interface CleanupLocks {
  cleanup: Lease;
  /** date -> grading lease (its token fences the reporting writes of that date). */
  grading: Map<string, Lease>;
  leases: Lease[];
  token: number;
  /** Aborts when any of the leases is lost. */
  signal: AbortSignal;
  release(): Promise<void>;
}

export interface LockSettings {
  leaseMs: number;
  maxWaitMs: number;
}

/**
 * A cleanup killed mid-way leaves its leases until they expire. On resume, a lease held for the same cleanup by a
 * process of this host that no longer exists is released at once (audited by forceRelease; the fence counter
 * survives, so the dead process could not write anyway). Leases of live processes or other hosts are waited for.
 */
async function releaseOrphan(lock: DistributedLock, scope: string, cleanupId: string, log: Logger): Promise<void> {
  const info = await lock.inspect(scope);
  if (!info || info.expired || info.operationId !== cleanupId || info.host !== hostname() || info.pid === process.pid || processAlive(info.pid)) return;
  log.warn('Releasing a lock left by a killed cleanup process', { lock_key: info.lockKey, pid: info.pid, token: info.token });
  // Only that token: if the key changed hands since we looked, the new holder keeps it.
  await lock.forceRelease(scope, { reason: `cleanup resume: process ${info.pid} of cleanup ${cleanupId} is gone`, token: info.token });
}

export async function acquireCleanupLocks(
  firestore: Firestore,
  input: { scope: string; dates: readonly string[]; cleanupId: string; resume: boolean },
  settings: LockSettings,
  log: Logger,
): Promise<CleanupLocks> {
  const options = { firestore, leaseMs: settings.leaseMs, maxWaitMs: settings.maxWaitMs, logger: log.child({ component: 'lock' }) };
  const cleanupLock = new DistributedLock({ ...options, lockType: 'cleanup' });
  const gradingLock = new DistributedLock({ ...options, lockType: 'grading' });
  const held: Lease[] = [];
  const releaseAll = async () => {
    for (const lease of held.reverse()) await lease.release().catch(() => undefined);
  };
  try {
    if (input.resume) await releaseOrphan(cleanupLock, input.scope, input.cleanupId, log);
    const cleanup = await cleanupLock.acquire(input.scope, { operationId: input.cleanupId });
    held.push(cleanup);
    const grading = new Map<string, Lease>();
    for (const date of [...input.dates].sort()) {
      if (input.resume) await releaseOrphan(gradingLock, date, input.cleanupId, log);
      const lease = await gradingLock.acquire(date, { operationId: input.cleanupId });
      held.push(lease);
      grading.set(date, lease);
    }
    return { cleanup, grading, leases: [...held], token: cleanup.token, signal: AbortSignal.any(held.map((lease) => lease.signal)), release: releaseAll };
  } catch (error) {
    await releaseAll();
    throw error;
  }
}

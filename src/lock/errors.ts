/** The lock's errors; each carries enough to act on without reading logs. */

export class InvalidLockNameError extends Error {
  override name = 'InvalidLockNameError';
}

export interface HolderSummary {
  holderId: string;
  operationId: string;
  token: number;
  acquiredAt: Date;
  expiresAt: Date;
}

/** Gave up waiting: the lock stayed held for the whole `maxWaitMs`. */
export class LockAcquisitionError extends Error {
  override name = 'LockAcquisitionError';
  constructor(
    readonly lockKey: string,
    readonly waitedMs: number,
    readonly attempts: number,
    readonly holder: HolderSummary | undefined,
  ) {
    super(
      `Could not acquire lock ${lockKey} within ${waitedMs} ms (${attempts} attempts)` +
        (holder ? `: held by ${holder.holderId} for operation ${holder.operationId} (token ${holder.token})` + ` since ${holder.acquiredAt.toISOString()} until ${holder.expiresAt.toISOString()}` : ''),
    );
  }
}

export type LockLossReason = 'lock_lost' | 'lock_expired';

/** The lease is gone (taken over, force-released, or expired without renewal): stop before committing. */
export class LockLostError extends Error {
  override name = 'LockLostError';
  constructor(
    readonly lockKey: string,
    readonly token: number,
    readonly reason: LockLossReason,
    detail: string,
  ) {
    super(`Lock ${lockKey} (token ${token}) was lost: ${detail}`);
  }
}

/** Firestore did not answer in time (down, unreachable, or misconfigured). */
export class LockUnavailableError extends Error {
  override name = 'LockUnavailableError';
}

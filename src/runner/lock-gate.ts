/**
 * Taking the date's lock as the options say: wait up to --lock-timeout, skip or fail when busy; --no-lock runs with
 * token 0; Firestore unavailable either fails or (--on-lock-error proceed, the seed's graceful degradation) runs
 * without the lock. The caller turns each outcome into a status, an exit code and an alert.
 */
import { DistributedLock, LockAcquisitionError, LockUnavailableError, type Lease } from '../lock/index.ts';

export type IfLocked = 'wait' | 'skip' | 'fail';
export type OnLockError = 'fail' | 'proceed';

export interface LockPolicy {
  useLock: boolean;
  ifLocked: IfLocked;
  /** How long `wait` waits for a busy lock. */
  lockTimeoutMs: number;
  onLockError: OnLockError;
}

export type Gate =
  | { kind: 'held'; lease: Lease; token: number; waitMs: number }
  | { kind: 'unlocked'; token: 0; waitMs: number; reason: 'no_lock' | 'lock_unavailable'; error?: string }
  | { kind: 'busy'; waitMs: number; error: string }
  | { kind: 'unavailable'; waitMs: number; error: string };

/** Shared by the dates of one command: once Firestore failed, later dates do not each wait out its timeouts again. */
export interface OutageMemo {
  error?: string;
}

export async function passGate(lock: DistributedLock | undefined, policy: LockPolicy, date: string, runId: string, outage: OutageMemo = {}): Promise<Gate> {
  const started = Date.now();
  if (!policy.useLock || !lock) return { kind: 'unlocked', token: 0, waitMs: 0, reason: 'no_lock' };
  if (outage.error) {
    const error = `Firestore was unavailable earlier in this command (not retried for ${date}): ${outage.error}`;
    return policy.onLockError === 'proceed' ? { kind: 'unlocked', token: 0, waitMs: 0, reason: 'lock_unavailable', error } : { kind: 'unavailable', waitMs: 0, error };
  }
  try {
    const lease = await lock.acquire(date, { operationId: runId, maxWaitMs: policy.ifLocked === 'wait' ? policy.lockTimeoutMs : 0 });
    return { kind: 'held', lease, token: lease.token, waitMs: Date.now() - started };
  } catch (error) {
    const waitMs = Date.now() - started;
    if (error instanceof LockAcquisitionError) return { kind: 'busy', waitMs, error: error.message };
    if (error instanceof LockUnavailableError) {
      outage.error = error.message;
      if (policy.onLockError === 'proceed') return { kind: 'unlocked', token: 0, waitMs, reason: 'lock_unavailable', error: error.message };
      return { kind: 'unavailable', waitMs, error: error.message };
    }
    throw error;
  }
}

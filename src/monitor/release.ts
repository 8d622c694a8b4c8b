/**
 * Releasing the lock we looked at, not whatever holds the key by the time we act. DistributedLock.forceRelease
 * removes the current holder, whoever it is; between `locks stuck` (or a monitor pass) seeing a dead holder's token T
 * and the release, a healthy run may have taken the key with T+1. So: re-read, and delete only if the document still
 * carries T (and, when asked, is still expired by Firestore's clock), in one batch with the audit document and an
 * update-time precondition, like the lock's own forced release (same audit shape and log event).
 */
import { hostname } from 'node:os';
import type { Firestore } from '@google-cloud/firestore';
import { readLock, toLockInfo, type LockInfo } from '../lock/lock-document.ts';
import { lockNames } from '../lock/names.ts';
import type { Logger } from '../log/logger.ts';
import { adminLock } from './lock-admin.ts';

export type ConditionalRelease = { outcome: 'released'; lock: LockInfo } | { outcome: 'not_held' } | { outcome: 'changed'; lock: LockInfo } | { outcome: 'live'; lock: LockInfo };

export async function releaseIfStill(input: {
  firestore: Firestore;
  lockType: string;
  scope: string;
  token: number;
  /** Only if the lock is expired (no live holder). */
  requireExpired: boolean;
  reason: string;
  by: string;
  logger: Logger;
}): Promise<ConditionalRelease> {
  const names = lockNames(input.lockType, input.scope);
  const ref = input.firestore.collection(names.locksCollection).doc(names.lockKey);
  const snapshot = await ref.get();
  const doc = readLock(snapshot);
  if (!doc) return { outcome: 'not_held' };
  const lock = toLockInfo(doc, snapshot.readTime);
  if (doc.token !== input.token) return { outcome: 'changed', lock };
  if (input.requireExpired && !lock.expired) return { outcome: 'live', lock };
  const batch = input.firestore.batch();
  batch.delete(ref, { lastUpdateTime: snapshot.updateTime! });
  batch.create(input.firestore.collection(names.auditCollection).doc(), {
    action: 'force_release',
    lock_key: names.lockKey,
    at: snapshot.readTime,
    by: input.by,
    host: hostname(),
    pid: process.pid,
    reason: input.reason,
    expected_token: input.token,
    lock: doc,
  });
  try {
    await batch.commit();
  } catch (error) {
    // FAILED_PRECONDITION: renewed, released or taken over since our read; the holder is alive after all.
    const code = (error as { code?: number }).code;
    if (code === 9 || code === 10) {
      const now = await ref.get();
      const current = readLock(now);
      return current ? { outcome: 'changed', lock: toLockInfo(current, now.readTime) } : { outcome: 'not_held' };
    }
    throw error;
  }
  input.logger.warn('lock_force_released', {
    event: 'lock_force_released',
    lock_key: names.lockKey,
    reason: input.reason,
    token: lock.token,
    held_by: lock.holderId,
    held_for_operation: lock.operationId,
    held_since: lock.acquiredAt.toISOString(),
    held_until: lock.expiresAt.toISOString(),
    expired: lock.expired,
  });
  return { outcome: 'released', lock };
}

export type HandRelease =
  | { outcome: 'not_held' }
  /** Live, and no --force: left alone (exit 4). */
  | { outcome: 'live_holder'; lock: LockInfo }
  /** Expired when looked at, taken by a run before the release: that run keeps it (exit 4). */
  | { outcome: 'taken_over'; lock: LockInfo }
  /** `lock` absent: it went away between the look and the release. */
  | { outcome: 'released'; lock?: LockInfo; reason: string };

/**
 * `locks release <type> <scope> [--force]`: an expired lock is released only if it is still the one looked at; a live
 * holder only with `force` (its next renewal fails and it stops before committing; the fence refuses its token).
 */
export async function releaseByHand(firestore: Firestore, input: { lockType: string; scope: string; force: boolean; reason?: string }, log: Logger): Promise<HandRelease> {
  const admin = adminLock(firestore, input.lockType, log);
  const current = await admin.inspect(input.scope);
  if (!current) return { outcome: 'not_held' };
  if (!current.expired && !input.force) return { outcome: 'live_holder', lock: current };
  const reason = input.reason ?? (current.expired ? 'expired lock released with locks release' : 'forced with locks release --force');
  let released: LockInfo | undefined;
  if (input.force) {
    released = await admin.forceRelease(input.scope, { reason });
  } else {
    // Only the expired lock we just saw: a run that took the key meanwhile keeps it.
    const result = await releaseIfStill({ firestore, lockType: input.lockType, scope: input.scope, token: current.token, requireExpired: true, reason, by: admin.holderId, logger: log });
    if (result.outcome === 'changed' || result.outcome === 'live') return { outcome: 'taken_over', lock: result.lock };
    released = result.outcome === 'released' ? result.lock : undefined;
  }
  log.warn('locks_release', { event: 'locks_release', lock_key: current.lockKey, forced: input.force, reason, token: released?.token ?? null, held_by: released?.holderId ?? null });
  return { outcome: 'released', lock: released, reason };
}

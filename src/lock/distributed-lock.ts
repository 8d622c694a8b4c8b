/**
 * Layer 1 of the defence: one holder at a time per (lock type, scope), with a fencing token the storage
 * side can check. See docs/locking.md for the design and the Firestore layout.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Firestore } from '@google-cloud/firestore';
import { createLogger, type Logger } from '../log/logger.ts';
import { sleep, withDeadline } from './deadline.ts';
import { LockAcquisitionError, LockUnavailableError, type HolderSummary } from './errors.ts';
import { LeaseHandle, type Lease } from './lease.ts';
import { toLockInfo, type LockDocument, type LockInfo } from './lock-document.ts';
import { isContention, LockStore, type AcquireOutcome, type Claim } from './lock-store.ts';
import { LockWatch } from './lock-watch.ts';
import { collectionsFor, lockNames } from './names.ts';

export interface DistributedLockOptions {
  /** Free string matching LOCK_TYPE_PATTERN: `grading`, `consolidation`, `cleanup`, ... */
  lockType: string;
  firestore: Firestore;
  /** How long a lease lasts without renewal. */
  leaseMs?: number;
  /** How long acquire() waits for a busy lock before LockAcquisitionError; 0 tries once. */
  maxWaitMs?: number;
  /** Default a third of the lease, so two renewals can fail before the lease runs out. */
  renewEveryMs?: number;
  /** false only for tests and tools that manage renewal themselves. */
  autoRenew?: boolean;
  /** Bound on one Firestore call; past it the call counts as Firestore being unavailable. */
  operationTimeoutMs?: number;
  /** Identifies this process in lock documents; default `<host>:<pid>:<random>`. */
  holderId?: string;
  logger?: Logger;
}

export interface AcquireOptions {
  /** The run this lock protects, shown to whoever waits behind it. Default: a random UUID. */
  operationId?: string;
  maxWaitMs?: number;
}

// Watch events wake a waiter on hand-over; this backoff only matters if the watch stream fails.
const BACKOFF_FIRST_MS = 100;
const BACKOFF_CAP_MS = 2_000;
const WAKE_SPREAD_MS = 40;

export class DistributedLock {
  readonly lockType: string;
  readonly holderId: string;
  private readonly db: Firestore;
  private readonly leaseMs: number;
  private readonly maxWaitMs: number;
  private readonly renewEveryMs: number;
  private readonly autoRenew: boolean;
  private readonly operationTimeoutMs: number;
  private readonly log: Logger;
  private readonly held = new Set<LeaseHandle>();

  constructor(options: DistributedLockOptions) {
    this.lockType = collectionsFor(options.lockType).lockType;
    this.db = options.firestore;
    this.leaseMs = positive('leaseMs', options.leaseMs ?? 300_000);
    this.maxWaitMs = options.maxWaitMs ?? 300_000;
    this.renewEveryMs = positive('renewEveryMs', options.renewEveryMs ?? Math.floor(this.leaseMs / 3));
    if (this.renewEveryMs >= this.leaseMs) throw new RangeError(`renewEveryMs (${this.renewEveryMs}) must be shorter than leaseMs (${this.leaseMs})`);
    this.autoRenew = options.autoRenew ?? true;
    this.operationTimeoutMs = positive('operationTimeoutMs', options.operationTimeoutMs ?? 10_000);
    this.holderId = options.holderId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.log = (options.logger ?? createLogger('lock')).child({ lock_type: this.lockType, holder_id: this.holderId });
  }

  /** Leases this instance currently holds. */
  heldLeases(): Lease[] {
    return [...this.held];
  }

  async acquire(scope: string, options: AcquireOptions = {}): Promise<Lease> {
    const store = new LockStore(this.db, lockNames(this.lockType, scope));
    const { lockKey } = store.names;
    const claim: Claim = {
      holderId: this.holderId,
      operationId: options.operationId ?? randomUUID(),
      host: hostname(),
      pid: process.pid,
    };
    const maxWaitMs = options.maxWaitMs ?? this.maxWaitMs;
    const log = this.log.child({ lock_key: lockKey, operation_id: claim.operationId });
    const startedAt = Date.now();
    let attempts = 0;
    let holder: LockInfo | undefined;
    let watch: LockWatch | undefined;
    try {
      for (;;) {
        attempts++;
        const requestedAtLocalMs = Date.now();
        const outcome = await this.attempt(store, claim);
        if (outcome?.kind === 'acquired') {
          const lease = new LeaseHandle(
            store,
            this.log,
            { leaseMs: this.leaseMs, renewEveryMs: this.renewEveryMs, autoRenew: this.autoRenew, operationTimeoutMs: this.operationTimeoutMs },
            { ...outcome, ...claim, requestedAtLocalMs },
            (ended) => this.held.delete(ended),
          );
          this.held.add(lease);
          log.info('lock_acquired', {
            event: 'lock_acquired',
            token: outcome.token,
            wait_ms: Date.now() - startedAt,
            attempts,
            expires_at: outcome.expiresAt.toISOString(),
          });
          return lease;
        }
        if (outcome) holder = outcome.holder;
        const remainingMs = startedAt + maxWaitMs - Date.now();
        if (remainingMs <= 0) {
          const waitedMs = Date.now() - startedAt;
          log.warn('lock_timeout', { event: 'lock_timeout', wait_ms: waitedMs, attempts, ...holderFields(holder) });
          throw new LockAcquisitionError(lockKey, waitedMs, attempts, holder && summary(holder));
        }
        if (!outcome) {
          // Lost a race: someone else wrote first, most likely the new holder. Re-read almost at once.
          await sleep(Math.min(remainingMs, Math.random() * 10));
          continue;
        }
        if (!watch) {
          log.info('lock_waited', { event: 'lock_waited', wait_ms: Date.now() - startedAt, attempts, ...holderFields(outcome.holder) });
          watch = new LockWatch(store.lockRef);
        }
        watch.sawHeldAt(outcome.serverNow.getTime());
        const untilExpiryMs = outcome.holder.expiresAt.getTime() - outcome.serverNow.getTime() + 1;
        await this.waitForTurn(watch, startedAt + maxWaitMs, Math.min(untilExpiryMs, backoff(attempts)));
      }
    } finally {
      watch?.close();
    }
  }

  /**
   * Waits for a release (or `fallbackMs`). Every waiter is woken by the same release, so each first
   * waits a random moment and stays put if the watch shows someone else already took the lock: one or
   * two contenders race for it instead of all of them, which on a busy machine is what keeps hand-over fast.
   */
  private async waitForTurn(watch: LockWatch, deadlineMs: number, fallbackMs: number): Promise<void> {
    for (;;) {
      const remainingMs = deadlineMs - Date.now();
      const woke = await watch.waitForRelease(Math.min(Math.max(remainingMs, 0), fallbackMs));
      if (woke === 'timeout') return;
      await sleep(Math.random() * WAKE_SPREAD_MS);
      if (!watch.takenSinceRelease() || Date.now() >= deadlineMs) return;
    }
  }

  /** Acquires, runs `fn`, and releases in `finally`. `fn` should honour `lease.signal` before committing. */
  async withLock<T>(scope: string, fn: (lease: Lease) => Promise<T> | T, options: AcquireOptions = {}): Promise<T> {
    const lease = await this.acquire(scope, options);
    try {
      return await fn(lease);
    } finally {
      // A failed release must not hide fn's own outcome; the lease expires on its own.
      await lease.release().catch((error) => this.log.error('lock_release_failed', { event: 'lock_release_failed', lock_key: lease.lockKey, token: lease.token, error }));
    }
  }

  /** Every lock document of this type, expired ones included (Firestore TTL removes those eventually). */
  async list(): Promise<LockInfo[]> {
    return (await this.readAll()).locks;
  }

  /** Locks held longer than `olderThanMs` (by Firestore's clock), and expired documents nobody released. */
  async stuck({ olderThanMs }: { olderThanMs: number }): Promise<LockInfo[]> {
    const { locks, serverNowMs } = await this.readAll();
    return locks.filter((lock) => lock.expired || serverNowMs - lock.acquiredAt.getTime() > olderThanMs);
  }

  private async readAll(): Promise<{ locks: LockInfo[]; serverNowMs: number }> {
    const { locksCollection } = collectionsFor(this.lockType);
    const snapshot = await withDeadline(this.db.collection(locksCollection).get(), this.operationTimeoutMs, 'listing locks');
    return {
      locks: snapshot.docs.map((doc) => toLockInfo(doc.data() as LockDocument, snapshot.readTime)),
      serverNowMs: snapshot.readTime.toMillis(),
    };
  }

  /** The current lock document of a scope, if any. */
  async inspect(scope: string): Promise<LockInfo | undefined> {
    const store = new LockStore(this.db, lockNames(this.lockType, scope));
    return withDeadline(store.read(), this.operationTimeoutMs, `reading lock ${store.names.lockKey}`);
  }

  /**
   * Deletes a lock whoever holds it, writing an audit document in `<lockType>_lock_audit`. The fence
   * counter survives, so the next holder still gets a higher token and the old holder's writes are refused.
   */
  async forceRelease(scope: string, { reason = 'unspecified', token }: { reason?: string; token?: number } = {}): Promise<LockInfo | undefined> {
    const store = new LockStore(this.db, lockNames(this.lockType, scope));
    const released = await withDeadline(store.forceRelease({ by: this.holderId, host: hostname(), pid: process.pid, reason }, token), this.operationTimeoutMs, `force-releasing lock ${store.names.lockKey}`);
    this.log.warn('lock_force_released', {
      event: 'lock_force_released',
      lock_key: store.names.lockKey,
      reason,
      ...(released ? { token: released.token, ...holderFields(released) } : { detail: token === undefined ? 'the lock was not held' : `token ${token} no longer holds the lock` }),
    });
    return released;
  }

  /** One attempt; undefined means another writer won the race (busy, try again). */
  private async attempt(store: LockStore, claim: Claim): Promise<AcquireOutcome | undefined> {
    try {
      return await withDeadline(
        store.tryAcquire(claim, this.leaseMs),
        this.operationTimeoutMs,
        `acquiring lock ${store.names.lockKey}`,
        // We gave up on this call but it got through after all: hand the lock straight back.
        (late) => void (late.kind === 'acquired' && store.release(late.token).catch(() => {})),
      );
    } catch (error) {
      if (isContention(error)) return undefined;
      if (isUnavailable(error)) {
        throw new LockUnavailableError(`Firestore is unavailable while acquiring lock ${store.names.lockKey}: ${String(error)}`, { cause: error });
      }
      throw error;
    }
  }
}

function backoff(attempt: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_FIRST_MS * 2 ** Math.min(attempt - 1, 10));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: number })?.code;
  return code === 14 || code === 4;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number of ms, got ${value}`);
  return value;
}

function summary(lock: LockInfo): HolderSummary {
  return {
    holderId: lock.holderId,
    operationId: lock.operationId,
    token: lock.token,
    acquiredAt: lock.acquiredAt,
    expiresAt: lock.expiresAt,
  };
}

function holderFields(lock: LockInfo | undefined): Record<string, unknown> {
  if (!lock) return {};
  return {
    held_by: lock.holderId,
    held_for_operation: lock.operationId,
    held_token: lock.token,
    held_since: lock.acquiredAt.toISOString(),
    held_until: lock.expiresAt.toISOString(),
  };
}

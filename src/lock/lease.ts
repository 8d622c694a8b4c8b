/**
 * A held lock. It renews itself every third of the lease while held and aborts `signal` the moment it
 * can no longer be sure it holds the lock: renewal found someone else's token, or the lease ran out on
 * this machine's clock without a successful renewal. Holders check `signal` (and write `token` into
 * their data) before committing.
 */
import type { Timestamp } from '@google-cloud/firestore';
import type { Logger } from '../log/logger.ts';
import { withDeadline } from './deadline.ts';
import { LockLostError, type LockLossReason } from './errors.ts';
import type { LockStore } from './lock-store.ts';

export interface Lease {
  readonly lockKey: string;
  readonly lockType: string;
  readonly scope: string;
  /** Fencing token: strictly increasing per lock key over every acquisition. */
  readonly token: number;
  readonly operationId: string;
  readonly holderId: string;
  readonly acquiredAt: Date;
  /** Firestore-time expiry as of the last successful acquire or renewal. */
  readonly expiresAt: Date;
  /** Aborts with a LockLostError when the lease is lost or expires. */
  readonly signal: AbortSignal;
  /** Extends the lease now; throws LockLostError if it is no longer ours. */
  renew(): Promise<void>;
  /** Deletes the lock if it is still ours; false (and a warning) if it was not. */
  release(): Promise<boolean>;
}

export interface LeaseSettings {
  leaseMs: number;
  renewEveryMs: number;
  autoRenew: boolean;
  operationTimeoutMs: number;
}

export interface LeaseGrant {
  token: number;
  operationId: string;
  holderId: string;
  acquiredAt: Date;
  expiresAt: Date;
  /** This machine's clock just before the acquiring request left: the lease cannot have started earlier. */
  requestedAtLocalMs: number;
  /** Firestore's update time of our write, for a one-round-trip conditional release. */
  writeTime: Timestamp;
}

type State = 'held' | 'lost' | 'released';

export class LeaseHandle implements Lease {
  readonly lockKey: string;
  readonly lockType: string;
  readonly scope: string;
  readonly token: number;
  readonly operationId: string;
  readonly holderId: string;
  readonly acquiredAt: Date;
  expiresAt: Date;
  private state: State = 'held';
  private readonly controller = new AbortController();
  private renewTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;
  /** On this machine's clock: the lease cannot outlive this, whatever Firestore says. */
  private localDeadlineMs = 0;
  private lastWriteTime: Timestamp;
  private readonly log: Logger;

  constructor(
    private readonly store: LockStore,
    logger: Logger,
    private readonly settings: LeaseSettings,
    grant: LeaseGrant,
    private readonly onEnd: (lease: LeaseHandle) => void,
  ) {
    ({ lockKey: this.lockKey, lockType: this.lockType, scope: this.scope } = store.names);
    this.token = grant.token;
    this.operationId = grant.operationId;
    this.holderId = grant.holderId;
    this.acquiredAt = grant.acquiredAt;
    this.expiresAt = grant.expiresAt;
    this.lastWriteTime = grant.writeTime;
    this.log = logger.child({ lock_key: this.lockKey, token: this.token, operation_id: this.operationId });
    this.armExpiry(grant.requestedAtLocalMs);
    if (settings.autoRenew) this.scheduleRenew(this.nextRenewalDelay());
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  renew(): Promise<void> {
    if (this.state !== 'held') {
      return Promise.reject(new LockLostError(this.lockKey, this.token, 'lock_lost', `the lease is already ${this.state}`));
    }
    // Manual and automatic renewals share one in-flight request.
    this.renewing ??= this.renewOnce().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async renewOnce(): Promise<void> {
    const requestedAt = Date.now();
    const outcome = await withDeadline(this.store.renew(this.token, this.settings.leaseMs), this.settings.operationTimeoutMs, `renewing lock ${this.lockKey}`);
    if (outcome.kind === 'lost') {
      this.lose('lock_lost', outcome.detail);
      throw new LockLostError(this.lockKey, this.token, 'lock_lost', outcome.detail);
    }
    if (this.state !== 'held') return;
    this.expiresAt = outcome.expiresAt;
    this.lastWriteTime = outcome.writeTime;
    this.armExpiry(requestedAt);
    this.log.info('lock_renewed', {
      event: 'lock_renewed',
      expires_at: outcome.expiresAt.toISOString(),
      renewals: outcome.renewals,
    });
  }

  async release(): Promise<boolean> {
    if (this.state === 'released') {
      this.log.warn('lock_release_skipped', { event: 'lock_release_skipped', detail: 'released twice' });
      return false;
    }
    const wasLost = this.state === 'lost';
    this.end('released');
    const outcome = await withDeadline(this.store.release(this.token, this.lastWriteTime), this.settings.operationTimeoutMs, `releasing lock ${this.lockKey}`);
    if (outcome.kind === 'released' && !wasLost) {
      this.log.info('lock_released', { event: 'lock_released', held_ms: Date.now() - this.acquiredAt.getTime() });
      return true;
    }
    const detail = outcome.kind === 'not_held' ? outcome.detail : 'the lease had already been given up';
    this.log.warn('lock_release_skipped', { event: 'lock_release_skipped', detail });
    return false;
  }

  // Normally every third of the lease; sooner when a slow round trip has already eaten into it.
  private nextRenewalDelay(): number {
    return Math.min(this.settings.renewEveryMs, Math.max(0, (this.localDeadlineMs - Date.now()) / 2));
  }

  private scheduleRenew(delayMs: number): void {
    clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(() => {
      this.renew().then(
        () => this.state === 'held' && this.scheduleRenew(this.nextRenewalDelay()),
        (error) => {
          if (this.state !== 'held') return;
          // A transient failure: try again soon; the expiry timer aborts if we never get through.
          this.log.warn('lock_renew_failed', { event: 'lock_renew_failed', error });
          this.scheduleRenew(Math.min(1_000, this.settings.renewEveryMs / 4));
        },
      );
    }, delayMs);
    // A lease must never be the reason a finished process stays alive.
    this.renewTimer.unref();
  }

  private armExpiry(requestedAtLocalMs: number): void {
    clearTimeout(this.expiryTimer);
    this.localDeadlineMs = requestedAtLocalMs + this.settings.leaseMs;
    const remaining = this.localDeadlineMs - Date.now();
    this.expiryTimer = setTimeout(() => this.lose('lock_expired', `no successful renewal within the ${this.settings.leaseMs} ms lease`), remaining);
    this.expiryTimer.unref();
  }

  private lose(reason: LockLossReason, detail: string): void {
    if (this.state !== 'held') return;
    this.end('lost');
    this.log.warn('lock_lost', { event: 'lock_lost', reason, detail });
    this.controller.abort(new LockLostError(this.lockKey, this.token, reason, detail));
  }

  private end(state: State): void {
    this.state = state;
    clearTimeout(this.renewTimer);
    clearTimeout(this.expiryTimer);
    this.onEnd(this);
  }
}

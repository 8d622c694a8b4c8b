/**
 * A circuit breaker per operation (`grading`, `consolidation`, ...), its state in Firestore so every process and
 * `locks list` see the same thing: after `threshold` consecutive failures it refuses new runs for `coolDownMs`, then lets
 * exactly one trial run through (half_open); the trial's success closes it, its failure opens it again.
 *
 * Updates are optimistic transactions like the lock's (read, decide, write with an update-time precondition, retry a
 * lost race): read-write transactions lock pessimistically and stall when many processes report at once.
 */
import { randomUUID } from 'node:crypto';
import type { DocumentReference, DocumentSnapshot, Firestore, Timestamp } from '@google-cloud/firestore';
import { firestoreLibrary } from '../cloud/libraries.ts';
import { withDeadline } from '../lock/deadline.ts';

export const CIRCUITS_COLLECTION = 'gradeguard_circuits';

type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitCheck {
  allowed: boolean;
  state: CircuitState;
  reopensAt?: string;
  consecutiveFailures: number;
}

export interface CircuitInfo {
  operation: string;
  state: CircuitState;
  consecutiveFailures: number;
  openedAt?: string;
  reopensAt?: string;
  lastError?: string;
}

interface CircuitDocument {
  operation: string;
  /** Stored state; an `open` circuit past reopens_at reads as half_open. */
  state: CircuitState;
  consecutive_failures: number;
  opened_at: Timestamp | null;
  reopens_at: Timestamp | null;
  /** When the half-open trial was let through; a trial that never reports is replaced after another cool-down. */
  trial_started_at: Timestamp | null;
  last_error: string | null;
  updated_at: Timestamp;
  /** Identifies the last write, so an indeterminate commit can be checked by re-reading. */
  write_id: string;
}

export interface CircuitBreakerOptions {
  firestore: Firestore;
  operation: string;
  threshold?: number;
  coolDownMs?: number;
  now?: () => number;
  /** Bound on one Firestore call (default 10 s). */
  operationTimeoutMs?: number;
}

const OPERATION_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
// ALREADY_EXISTS, FAILED_PRECONDITION, NOT_FOUND, ABORTED: someone else wrote first; re-read and decide again.
const CONFLICT_CODES = new Set([6, 9, 5, 10]);
const MAX_ATTEMPTS = 20;

export class CircuitBreaker {
  readonly operation: string;
  readonly threshold: number;
  readonly coolDownMs: number;
  private readonly db: Firestore;
  private readonly now: () => number;
  private readonly timeoutMs: number;

  constructor(opts: CircuitBreakerOptions) {
    if (!OPERATION_PATTERN.test(opts.operation)) throw new RangeError(`Invalid circuit operation ${JSON.stringify(opts.operation)}`);
    this.operation = opts.operation;
    this.db = opts.firestore;
    this.threshold = opts.threshold ?? 3;
    this.coolDownMs = opts.coolDownMs ?? 300_000;
    if (!(this.threshold >= 1) || !(this.coolDownMs > 0)) throw new RangeError('threshold must be >= 1 and coolDownMs > 0');
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.operationTimeoutMs ?? 10_000;
  }

  private get ref(): DocumentReference {
    return this.db.collection(CIRCUITS_COLLECTION).doc(this.operation);
  }

  /** May a run start now? In half_open this claims the single trial, so only one caller is allowed. */
  async check(): Promise<CircuitCheck> {
    return this.update<CircuitCheck>((doc, now) => {
      if (!doc || doc.state === 'closed') {
        return { result: { allowed: true, state: 'closed', consecutiveFailures: doc?.consecutive_failures ?? 0 } };
      }
      const reopensAt = doc.reopens_at?.toMillis() ?? 0;
      if (doc.state === 'open' && now < reopensAt) {
        return { result: { allowed: false, state: 'open', reopensAt: iso(reopensAt), consecutiveFailures: doc.consecutive_failures } };
      }
      // Cool-down over: the first caller becomes the trial. A trial that never reported (crashed) is replaced after a cool-down.
      const trialStarted = doc.state === 'half_open' ? (doc.trial_started_at?.toMillis() ?? 0) : undefined;
      if (trialStarted !== undefined && now < trialStarted + this.coolDownMs) {
        return {
          result: { allowed: false, state: 'half_open', reopensAt: iso(trialStarted + this.coolDownMs), consecutiveFailures: doc.consecutive_failures },
        };
      }
      return {
        result: { allowed: true, state: 'half_open', consecutiveFailures: doc.consecutive_failures },
        write: { ...doc, state: 'half_open', trial_started_at: firestoreLibrary().Timestamp.fromMillis(now) },
      };
    });
  }

  async recordSuccess(): Promise<void> {
    await this.update((doc, now) => {
      if (!doc || (doc.state === 'closed' && doc.consecutive_failures === 0)) return { result: undefined };
      return {
        result: undefined,
        write: { ...base(this.operation, now), last_error: doc.last_error },
      };
    });
  }

  async recordFailure(error: string): Promise<void> {
    await this.update((doc, now) => {
      const failures = (doc?.consecutive_failures ?? 0) + 1;
      const trialFailed = doc?.state === 'half_open';
      const opens = trialFailed || failures >= this.threshold;
      // A failure reported while already open (a run that started before it opened) does not extend the cool-down.
      const alreadyOpen = doc?.state === 'open' && now < (doc.reopens_at?.toMillis() ?? 0);
      const write: CircuitDocument = {
        ...(doc ?? base(this.operation, now)),
        consecutive_failures: failures,
        last_error: error.slice(0, 1_000),
      };
      if (opens && !alreadyOpen) {
        write.state = 'open';
        write.opened_at = firestoreLibrary().Timestamp.fromMillis(now);
        write.reopens_at = firestoreLibrary().Timestamp.fromMillis(now + this.coolDownMs);
        write.trial_started_at = null;
      }
      return { result: undefined, write };
    });
  }

  /** Read, decide, write if unchanged since the read; retried when another process won the race. */
  private async update<T>(decide: (doc: CircuitDocument | undefined, nowMs: number) => { result: T; write?: CircuitDocument }): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const snap = await withDeadline(this.ref.get(), this.timeoutMs, `reading circuit ${this.operation}`);
      const now = this.now();
      const { result, write } = decide(read(snap), now);
      if (!write) return result;
      const doc: CircuitDocument = { ...write, operation: this.operation, updated_at: firestoreLibrary().Timestamp.fromMillis(now), write_id: randomUUID() };
      try {
        const commit = snap.exists ? this.ref.update({ ...doc }, { lastUpdateTime: snap.updateTime! }) : this.ref.create(doc);
        await withDeadline(commit, this.timeoutMs, `updating circuit ${this.operation}`);
        return result;
      } catch (error) {
        const code = (error as { code?: number })?.code;
        if (code === 2) {
          // Indeterminate commit (seen from the emulator under load): find out whether ours applied.
          const after = await withDeadline(this.ref.get(), this.timeoutMs, `reading circuit ${this.operation}`);
          if (read(after)?.write_id === doc.write_id) return result;
        } else if (!CONFLICT_CODES.has(code as number)) {
          throw error;
        }
        if (attempt >= MAX_ATTEMPTS) throw new Error(`circuit ${this.operation}: gave up after ${attempt} conflicting updates`, { cause: error });
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
      }
    }
  }
}

/** Every circuit, as `locks list` shows it (an open circuit past its cool-down reads as half_open). */
export async function listCircuits(firestore: Firestore, options: { now?: () => number } = {}): Promise<CircuitInfo[]> {
  const snapshot = await withDeadline(firestore.collection(CIRCUITS_COLLECTION).get(), 10_000, 'listing circuits');
  // The breakers decide with their own clock (Date.now by default); judging here by the same clock keeps both views equal.
  const nowMs = (options.now ?? Date.now)();
  return snapshot.docs
    .map((d) => d.data() as CircuitDocument)
    .map((doc) => {
      const reopens = doc.reopens_at?.toMillis();
      const state: CircuitState = doc.state === 'open' && reopens !== undefined && nowMs >= reopens ? 'half_open' : doc.state;
      const info: CircuitInfo = { operation: doc.operation, state, consecutiveFailures: doc.consecutive_failures };
      if (doc.state !== 'closed' && doc.opened_at) info.openedAt = doc.opened_at.toDate().toISOString();
      if (doc.state !== 'closed' && reopens !== undefined) info.reopensAt = iso(reopens);
      if (doc.last_error) info.lastError = doc.last_error;
      return info;
    })
    .sort((a, b) => a.operation.localeCompare(b.operation));
}

function read(snap: DocumentSnapshot): CircuitDocument | undefined {
  return snap.exists ? (snap.data() as CircuitDocument) : undefined;
}

function base(operation: string, now: number): CircuitDocument {
  return {
    operation,
    state: 'closed',
    consecutive_failures: 0,
    opened_at: null,
    reopens_at: null,
    trial_started_at: null,
    last_error: null,
    updated_at: firestoreLibrary().Timestamp.fromMillis(now),
    write_id: '',
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

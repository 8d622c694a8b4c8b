/**
 * Wakes a waiter when the lock document is deleted (released), so a hand-over costs one Firestore round
 * trip instead of a polling interval. Renewals and a new holder's arrival are deliberately ignored:
 * waking 19 waiters to find the lock taken again only slows the hand-over down.
 */
import type { DocumentReference } from '@google-cloud/firestore';

export class LockWatch {
  private wake: (() => void) | undefined;
  private freedAtMs = 0;
  private lastExistsAtMs = 0;
  private pending = false;
  private readonly unsubscribe: () => void;

  constructor(ref: DocumentReference) {
    this.unsubscribe = ref.onSnapshot(
      (snap) => {
        if (snap.exists) {
          this.lastExistsAtMs = snap.readTime.toMillis();
          return;
        }
        this.freedAtMs = snap.readTime.toMillis();
        this.pending = true;
        this.wake?.();
      },
      () => {
        // Watch is an optimisation; the waiter's backoff still polls.
      },
    );
  }

  /**
   * Records that our own read at `readAtMs` (Firestore time) found the lock held. A release the watch
   * reported after that read still deserves a retry; one from before it is already accounted for.
   */
  sawHeldAt(readAtMs: number): void {
    this.pending = this.freedAtMs > readAtMs;
  }

  /** Another waiter got the lock after the last release we were woken for: no point in trying. */
  takenSinceRelease(): boolean {
    return this.lastExistsAtMs > this.freedAtMs;
  }

  /** Resolves `released` on a release, `timeout` after `ms`, whichever comes first. */
  waitForRelease(ms: number): Promise<'released' | 'timeout'> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve('released');
    }
    return new Promise<'released' | 'timeout'>((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), Math.max(0, ms));
      this.wake = () => {
        clearTimeout(timer);
        resolve('released');
      };
    }).finally(() => {
      this.wake = undefined;
      this.pending = false;
    });
  }

  close(): void {
    this.unsubscribe();
  }
}

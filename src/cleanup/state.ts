/**
 * Where a cleanup stands, one Firestore document per table (`cleanup_state/<dataset>.<table>`), written before and
 * after every step, so `cleanup resume` knows what is done and `cleanup run` refuses to start over a half-done one.
 * Firestore (not a BigQuery table) because the cleanup already needs it for its locks, a document is updated
 * transactionally in milliseconds, and the state must survive whatever happens to the tables being swapped.
 */
import type { Firestore } from '@google-cloud/firestore';
import { withCurrentNames } from './stored-names.ts';
import type { CleanupState, StepName, StepRecord } from './types.ts';

const STATE_COLLECTION = 'cleanup_state';

/** A cleanup is finished (a new one may start) when done, or when its table was restored from the backup. */
export const FINISHED = new Set(['done', 'restored']);

export class StateConflictError extends Error {
  override name = 'StateConflictError';
}

export class CleanupStateStore {
  constructor(private readonly db: Firestore) {}

  private doc(dataset: string, table: string) {
    return this.db.collection(STATE_COLLECTION).doc(`${dataset}.${table}`);
  }

  async read(dataset: string, table: string): Promise<CleanupState | undefined> {
    const snapshot = await this.doc(dataset, table).get();
    return snapshot.exists ? withCurrentNames(snapshot.data() as CleanupState) : undefined;
  }

  async list(): Promise<CleanupState[]> {
    const snapshot = await this.db.collection(STATE_COLLECTION).get();
    return snapshot.docs.map((d) => withCurrentNames(d.data() as CleanupState));
  }

  /** Starts a cleanup unless an unfinished one exists for the table (checked and written in one transaction). */
  async begin(state: CleanupState): Promise<void> {
    const ref = this.doc(state.dataset, state.table);
    await this.db.runTransaction(async (tx) => {
      const current = await tx.get(ref);
      const existing = current.data() as CleanupState | undefined;
      if (existing && !FINISHED.has(existing.status) && existing.cleanupId !== state.cleanupId) {
        throw new StateConflictError(`cleanup ${existing.cleanupId} of ${state.table} is ${existing.status}; finish it with cleanup resume`);
      }
      tx.set(ref, state);
    });
  }

  /** Updates the cleanup's document, refusing if another cleanup has taken its place. */
  async update(dataset: string, table: string, cleanupId: string, patch: Record<string, unknown>): Promise<void> {
    const ref = this.doc(dataset, table);
    await this.db.runTransaction(async (tx) => {
      const current = (await tx.get(ref)).data() as CleanupState | undefined;
      if (current?.cleanupId !== cleanupId) throw new StateConflictError(`cleanup ${cleanupId} of ${table} is no longer the current cleanup`);
      tx.update(ref, { ...patch, updatedAt: new Date().toISOString() });
    });
  }

  async step(state: CleanupState, name: StepName, record: StepRecord): Promise<void> {
    state.steps[name] = record;
    await this.update(state.dataset, state.table, state.cleanupId, { [`steps.${name}`]: stripUndefined(record) });
  }
}

function stripUndefined<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

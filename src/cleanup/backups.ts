/**
 * The register of cleanup backups: one Firestore document per backup (`cleanup_backups/<dataset>.<backup>`), written
 * by the cleanup that took it (after its verification) and completed with the verified deduped profile. `restore`
 * accepts only a table recorded here for the table it restores, and compares it with what was recorded (content,
 * schema, partitioning) before touching anything. Separate from `cleanup_state` because that document is replaced by
 * the next cleanup of the table, while every backup it kept stays restorable.
 */
import type { Firestore } from '@google-cloud/firestore';
import { withCurrentNames } from './stored-names.ts';
import type { TableShape } from './table-meta.ts';
import type { CleanupState, TableProfile } from './types.ts';

const BACKUPS_COLLECTION = 'cleanup_backups';

export interface BackupRecord {
  dataset: string;
  table: string;
  backup: string;
  /** The cleanup that took it (or the restore that kept the live table before discarding newer data). */
  cleanupId: string;
  /** The original the backup was taken of (and verified equal to). */
  original: TableProfile;
  /** The original table's shape: a restore must put exactly this back. */
  shape: TableShape;
  /** The verified deduped content the swap put live (absent until the cleanup verified it). */
  deduped?: TableProfile;
  recordedAt: string;
}

export class BackupRegister {
  constructor(private readonly db: Firestore) {}

  private doc(dataset: string, backup: string) {
    return this.db.collection(BACKUPS_COLLECTION).doc(`${dataset}.${backup}`);
  }

  async read(dataset: string, backup: string): Promise<BackupRecord | undefined> {
    const snapshot = await this.doc(dataset, backup).get();
    return snapshot.exists ? withCurrentNames(snapshot.data() as BackupRecord) : undefined;
  }

  async record(record: BackupRecord): Promise<void> {
    await this.doc(record.dataset, record.backup).set(JSON.parse(JSON.stringify(record)));
  }

  /** Recorded once the backup verified; a backup retaken after a restart of the cleanup replaces its record. */
  async recordBackup(state: CleanupState, deduped?: TableProfile): Promise<void> {
    await this.record({ ...recordOf(state), ...(deduped ? { deduped } : {}) });
  }

  /** The whole record again (not a field update): a cleanup begun before the register existed gets one too. */
  async recordDeduped(state: CleanupState, deduped: TableProfile): Promise<void> {
    await this.recordBackup(state, deduped);
  }
}

/** What a cleanup's state says of its backup (also how a backup taken before the register existed is recognised). */
export function recordOf(state: CleanupState): BackupRecord {
  const deduped = state.steps.verify?.figures?.deduped as TableProfile | undefined;
  return {
    dataset: state.dataset,
    table: state.table,
    backup: state.backup,
    cleanupId: state.cleanupId,
    original: state.original,
    shape: state.shape,
    ...(deduped ? { deduped } : {}),
    recordedAt: state.updatedAt,
  };
}

/** Shapes shared by the cleanup's steps, its state document and its report. */
import type businessKeys from '../../includes/business_keys.js';

export type BusinessKey = businessKeys.BusinessKey;
export type KeepRule = 'earliest' | 'latest';
export const KEEP_RULES: readonly KeepRule[] = ['earliest', 'latest'];

/** The steps of `cleanup run`, in order. Locks are taken before the first and released after the last. */
export const STEPS = ['backup', 'audit_duplicates', 'dedupe', 'verify', 'swap', 'verify_live', 'recompute'] as const;
export type StepName = (typeof STEPS)[number];

/** Figures of one date (or of the whole table when totalled). Sums are decimal strings (BigInt-safe). */
export interface DateFigures {
  date: string | null;
  rows: number;
  uniqueKeys: number;
  duplicateKeys: number;
  /** Duplicated keys whose copies differ in something other than the run columns (null: not computed, see profileSql). */
  differingKeys: number | null;
  /*
   * The checksums (src/cleanup/sql.ts): the sums over the date's rows of two 28-bit slices of each row's hash
   * (content), and the same over each distinct key's hash (key set). Stored in every cleanup state and backup record
   * in Firestore; those written before these names (s1, s2, k1, k2) are read through stored-names.ts.
   */
  rowHashSum1: string;
  rowHashSum2: string;
  keyHashSum1: string;
  keyHashSum2: string;
}

export interface TableProfile {
  table: string;
  rows: number;
  uniqueKeys: number;
  duplicateKeys: number;
  duplicateRows: number;
  differingKeys: number | null;
  /** `<rows>:<rowHashSum1>:<rowHashSum2>`: equal content (as a multiset of rows) gives an equal checksum. */
  checksum: string;
  /** Key-set checksum over distinct keys. */
  keyChecksum: string;
  dates: DateFigures[];
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

type StepStatus = 'started' | 'done' | 'skipped';

export interface StepRecord {
  status: StepStatus;
  startedAt?: string;
  finishedAt?: string;
  figures?: Record<string, unknown>;
}

type CleanupStatus = 'running' | 'stopped' | 'failed' | 'done' | 'restored';

/** The cleanup's state document (Firestore `cleanup_state/<dataset>.<table>`). */
export interface CleanupState {
  cleanupId: string;
  dataset: string;
  table: string;
  keep: KeepRule;
  backup: string;
  deduped: string;
  status: CleanupStatus;
  /** Every date of the table: the swap rewrites all of them, so all are locked. */
  lockedDates: string[];
  /** Dates with duplicate keys. */
  affectedDates: string[];
  /** Dates whose reporting rows are recomputed (affected dates and later summary dates). */
  recomputeDates: string[];
  /** Dates of recomputeDates already recomputed (resume skips them). */
  recomputed: string[];
  original: TableProfile;
  /** The original's schema, partitioning, clustering and description, which every copy must keep. */
  shape: import('./table-meta.ts').TableShape;
  /**
   * run_id of this attempt's rows in grading_duplicate_audit (absent: the cleanup id). A restart after the original
   * changed gets a new one: the audit is append-only and the first attempt's rows must not be counted again.
   */
  auditRunId?: string;
  /** date -> the grading lease token held at the swap: later writes carry higher tokens (see later-writes.ts). */
  swapTokens?: Record<string, number>;
  /** The backup the table was last restored from (status `restored`). */
  restoredFrom?: string;
  steps: Partial<Record<StepName, StepRecord>>;
  checks: Check[];
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * BigQuery's per-table concurrency limits and quotas, so that what would fail in production fails locally too
 * (Google's pages "Data manipulation language" → DML concurrency, "Transactions" → transaction concurrency,
 * "Quotas and limits" and "Troubleshoot quotas"):
 *
 *  - dml_queue: at most 2 mutating DML statements (UPDATE, DELETE, MERGE) run per table, up to 20 more wait as
 *    PENDING; one more fails with "Too many DML statements outstanding against table ..., limit is 20".
 *  - dml_conflicts: two mutating statements running at once that change the same rows conflict; BigQuery reruns the
 *    loser up to three times, then fails it with "Could not serialize access to table ... due to concurrent update".
 *    (BigQuery judges conflicts per partition; the emulator by the rows DuckDB sees both change, a finer grain.)
 *  - metadata_rate: at most 5 table metadata updates per table in 10 seconds (CREATE [OR REPLACE] TABLE/VIEW,
 *    ALTER TABLE, tables.insert/patch/update); DML counts towards the window but is not itself refused. One more fails
 *    with 403 rateLimitExceeded "Exceeded rate limits: too many table update operations for this table".
 *
 * Each can be switched off for a test that needs it off: the emulator option `limitsOff` or the environment variable
 * GRADEGUARD_EMULATOR_LIMITS_OFF (a comma list of the names above, or `all`).
 */
import { BigQueryError } from './errors.ts';

const LIMIT_NAMES = ['dml_queue', 'dml_conflicts', 'metadata_rate'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

const MUTATING_DML_RUNNING_PER_TABLE = 2;
const MUTATING_DML_QUEUED_PER_TABLE = 20;
/** BigQuery reruns a mutating DML statement that lost a conflict up to three times before failing it. */
export const DML_CONFLICT_RERUNS = 3;
const METADATA_UPDATES_PER_WINDOW = 5;
const METADATA_WINDOW_MS = 10_000;

/** Names switched off: `all`, or a comma list; an unknown name is an error (a typo must not leave a limit on). */
export function parseLimitsOff(text: string | undefined): Set<LimitName> {
  const names = (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.includes('all')) return new Set(LIMIT_NAMES);
  const unknown = names.find((n) => !(LIMIT_NAMES as readonly string[]).includes(n));
  if (unknown) throw new Error(`GRADEGUARD_EMULATOR_LIMITS_OFF: unknown limit "${unknown}" (expected all or ${LIMIT_NAMES.join(', ')})`);
  return new Set(names as LimitName[]);
}

const tableName = (projectId: string, key: string) => `${projectId}:${key}`;

const outstandingDmlError = (projectId: string, key: string) =>
  new BigQueryError(
    400,
    'resourcesExceeded',
    `Resources exceeded during query execution: Too many DML statements outstanding against table ${tableName(projectId, key)}, limit is ${MUTATING_DML_QUEUED_PER_TABLE}.`,
  );

export const serializeError = (projectId: string, key: string) => new BigQueryError(400, 'invalidQuery', `Could not serialize access to table ${tableName(projectId, key)} due to concurrent update`);

const metadataRateError = () =>
  new BigQueryError(403, 'rateLimitExceeded', 'Exceeded rate limits: too many table update operations for this table. For more information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas');

/** Running slots of one table: FIFO, `size` at once. */
class Slots {
  running = 0;
  private waiting: Array<() => void> = [];
  constructor(private readonly size: number) {}

  async take(): Promise<() => void> {
    if (this.running >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    else this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next)
        next(); // the slot passes straight on, still counted as running
      else this.running--;
    };
  }
}

export class TableLimits {
  readonly off: Set<LimitName>;
  private outstanding = new Map<string, number>();
  private slots = new Map<string, Slots>();
  private updates = new Map<string, number[]>();
  private counts = new Map<string, { mutating: number; inserts: number }>();

  constructor(off: Iterable<LimitName> = []) {
    this.off = new Set(off);
  }

  enabled(name: LimitName): boolean {
    return !this.off.has(name);
  }

  /**
   * A mutating DML statement outside a transaction asks to run on `key`: refused when 2 run and 20 wait already,
   * otherwise it waits for one of the table's running slots (one slot when dml_conflicts is off: never concurrent).
   * Returns the release of its place.
   */
  async admitMutatingDml(projectId: string, key: string): Promise<() => void> {
    this.countOf(key).mutating++;
    const count = this.outstanding.get(key) ?? 0;
    if (this.enabled('dml_queue') && count >= MUTATING_DML_RUNNING_PER_TABLE + MUTATING_DML_QUEUED_PER_TABLE) throw outstandingDmlError(projectId, key);
    this.outstanding.set(key, count + 1);
    const slotKey = `${key}\u0000${this.enabled('dml_conflicts') ? 'concurrent' : 'serial'}`;
    let slots = this.slots.get(slotKey);
    if (!slots) this.slots.set(slotKey, (slots = new Slots(this.enabled('dml_conflicts') ? MUTATING_DML_RUNNING_PER_TABLE : 1)));
    const releaseSlot = await slots.take();
    return () => {
      releaseSlot();
      const left = (this.outstanding.get(key) ?? 1) - 1;
      if (left > 0) this.outstanding.set(key, left);
      else this.outstanding.delete(key);
    };
  }

  /** An INSERT outside a transaction on `key`: not limited here (BigQuery queues INSERTs only past 1,500 a day), counted. */
  countInsert(key: string): void {
    this.countOf(key).inserts++;
  }

  /**
   * DML statements outside a transaction submitted on `key` since the emulator started, refused ones included: what a
   * test reads to know how much of the per-table DML concurrency a workload spends (BigQuery's INFORMATION_SCHEMA.JOBS
   * shows a script's statements as child jobs; the emulator has none).
   */
  dmlStatements(key: string): { mutating: number; inserts: number } {
    return { ...this.countOf(key) };
  }

  private countOf(key: string): { mutating: number; inserts: number } {
    let count = this.counts.get(key);
    if (!count) this.counts.set(key, (count = { mutating: 0, inserts: 0 }));
    return count;
  }

  /** Mutating DML statements running on `key` now (holding a slot). */
  runningMutatingDml(key: string): number {
    return this.slots.get(`${key}\u0000concurrent`)?.running ?? this.slots.get(`${key}\u0000serial`)?.running ?? 0;
  }

  /**
   * A table metadata update of `key` (limited: refused past 5 in 10 s) or a DML write that counts towards the window
   * without being refused. `created`: the table did not exist (a new table: its window starts empty, even when a
   * dropped table of the same name had one).
   */
  recordUpdate(key: string, kind: 'metadata' | 'dml', options: { created?: boolean; now?: number } = {}): void {
    const now = options.now ?? Date.now();
    const recent = options.created ? [] : (this.updates.get(key) ?? []).filter((t) => now - t < METADATA_WINDOW_MS);
    if (kind === 'metadata' && this.enabled('metadata_rate') && recent.length >= METADATA_UPDATES_PER_WINDOW) {
      this.updates.set(key, recent);
      throw metadataRateError();
    }
    recent.push(now);
    this.updates.set(key, recent);
  }
}

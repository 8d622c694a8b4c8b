/**
 * Cleanup documents in Firestore (the state of a cleanup, the backup register) written before the checksum sums were
 * named for what they are hold them as `s1, s2, k1, k2`. A cleanup half-done under the old code must still resume and
 * its backups still restore: documents are read through `withCurrentNames`, and written with the current names only.
 */
const RENAMED: Record<string, string> = { s1: 'rowHashSum1', s2: 'rowHashSum2', k1: 'keyHashSum1', k2: 'keyHashSum2' };

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** A copy with the old names of the figures of a date (an object with `rows`) replaced by the current ones. */
export function withCurrentNames<T>(stored: T): T {
  if (Array.isArray(stored)) return stored.map((item: unknown) => withCurrentNames(item)) as T;
  if (!isPlainObject(stored)) return stored;
  const figures = 'rows' in stored;
  return Object.fromEntries(Object.entries(stored).map(([key, value]) => [figures && key in RENAMED ? RENAMED[key] : key, withCurrentNames(value)])) as T;
}

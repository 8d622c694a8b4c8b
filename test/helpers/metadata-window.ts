/** Other updates that keep a table's BigQuery metadata update window (5 per 10 s, emulator/bigquery/limits.ts) full. */
import type { BigQueryEmulator } from '@gradeguard/bigquery-emulator';

type TableLimits = BigQueryEmulator['engine']['limits'];

/**
 * How far ahead of the clock the other updates are stamped. A batch of them then stays in the window until this long
 * after the next refill is due, so a refill that comes late (a busy machine delays the test's timers) never leaves the
 * window open. Stamped at the clock, each batch left the window open from its expiry to the next tick of the refill
 * loop: an update falling in that gap (1-3 % of moments at a 250 ms tick) was not refused.
 */
const LEAD_MS = 5_000;

/** Five updates of `key` now, unless its window is full already (then nothing: refused like any other update). */
export function fillMetadataWindow(limits: TableLimits, key: string): void {
  try {
    for (let i = 0; i < 5; i++) limits.recordUpdate(key, 'metadata', { now: Date.now() + LEAD_MS });
  } catch {
    // full already
  }
}

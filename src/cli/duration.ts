/**
 * The one parser of every duration a command accepts (flags and environment variables). A unit is required: a bare
 * number was once read as milliseconds, so `--release-after 15` force-released a healthy lock 15 ms into its life.
 * Bounds are part of the parse, so each flag states what protects live locks (a lease long enough to renew, a
 * release threshold beyond the longest lease) next to its definition.
 */
import { UsageError } from '../runner/exit-codes.ts';

const UNITS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(\d{1,9})(ms|s|m|h)$/;

/** Shortest lease a command accepts: renewed every third, so 3s renews each second even on a loaded machine. */
const MIN_LEASE_MS = 3_000;
/**
 * Longest lease a command accepts. `monitor --release-after` must exceed it: a live holder renews within a third of
 * its lease, so a lock younger than the longest lease is never judged hung by age alone.
 */
export const MAX_LEASE_MS = 10 * 60_000;

export interface DurationBounds {
  /** Inclusive lower bound in ms. */
  min?: number;
  /** Inclusive upper bound in ms. */
  max?: number;
  /** Why the lower bound exists (shown when a value is below it). */
  minReason?: string;
}

/** `90s` -> 90000. A bare number, a negative, a fraction or an unknown unit is bad input (exit 2). */
export function duration(flag: string, value: string | undefined, fallbackMs: number, bounds: DurationBounds = {}): number {
  if (value === undefined) return fallbackMs;
  const text = value.trim();
  const match = DURATION.exec(text);
  if (!match) {
    const hint = /^\d+$/.test(text) ? `; a unit is required (did you mean ${text}s?)` : '';
    throw new UsageError(`Invalid ${flag} ${JSON.stringify(value)}: expected a duration with a unit: 500ms, 30s, 10m or 1h${hint}`);
  }
  const ms = Number(match[1]) * UNITS[match[2] as keyof typeof UNITS];
  if (bounds.min !== undefined && ms < bounds.min) {
    throw new UsageError(`Invalid ${flag} ${JSON.stringify(value)}: must be at least ${formatDuration(bounds.min)}${bounds.minReason ? ` (${bounds.minReason})` : ''}`);
  }
  if (bounds.max !== undefined && ms > bounds.max) throw new UsageError(`Invalid ${flag} ${JSON.stringify(value)}: must be at most ${formatDuration(bounds.max)}`);
  return ms;
}

/** The inverse, for messages: the largest unit that divides the value (90000 -> 90s, 600000 -> 10m). */
export function formatDuration(ms: number): string {
  for (const unit of ['h', 'm', 's'] as const) if (ms >= UNITS[unit] && ms % UNITS[unit] === 0) return `${ms / UNITS[unit]}${unit}`;
  return `${ms}ms`;
}

/** `--lease` of every locked command: long enough to renew, short enough for the monitor's release threshold. */
export function leaseDuration(flag: string, value: string | undefined, fallbackMs: number): number {
  return duration(flag, value, fallbackMs, { min: MIN_LEASE_MS, max: MAX_LEASE_MS, minReason: 'the lease is renewed every third of it; shorter leases expire under load' });
}

/** Exit codes of every gradeguard command (documented in --help and the README). */
import { LockAcquisitionError } from '../lock/errors.ts';

export const ExitCode = {
  ok: 0,
  runFailed: 1,
  badInput: 2,
  duplicatesOrAssertion: 3,
  lockNotAcquired: 4,
  /** check: a table (or the dataset) it was asked to read does not exist. */
  tablesMissing: 5,
  /** check: a table exists but has no row in the whole window (wrong dataset, stale --as-of, a stopped pipeline). */
  windowEmpty: 6,
  /** check: dates with predictions and not a single graded row, and no successful grading run. */
  datesNotGraded: 7,
  /** grade/consolidate: a date's run wrote 0 rows; check: a date graded successfully with 0 rows. */
  zeroRows: 8,
} as const;

/** Several outcomes, one exit code: the first of these present wins (most serious first), else 0. */
const EXIT_CODE_PRECEDENCE: readonly number[] = [
  ExitCode.runFailed,
  ExitCode.duplicatesOrAssertion,
  ExitCode.tablesMissing,
  ExitCode.windowEmpty,
  ExitCode.datesNotGraded,
  ExitCode.zeroRows,
  ExitCode.lockNotAcquired,
];

export function mostSeriousExitCode(codes: readonly number[]): number {
  return EXIT_CODE_PRECEDENCE.find((code) => codes.includes(code)) ?? ExitCode.ok;
}

export const exitCodeHelp = `Exit codes (several outcomes: the first of 1, 3, 5, 6, 7, 8, 4 present wins):
  0  success
  1  a run failed (Dataform error, fence rejection, lost lease, circuit breaker open, infrastructure, a
     dependency (BigQuery, Firestore) unreachable)
  2  bad input (nothing was written and no lock was taken)
  3  duplicate business keys found or an assertion failed (check: also a rising trend, ungraded predictions)
  4  a lock was not acquired (busy with --if-locked fail, still busy after --lock-timeout, or Firestore
     unavailable with --on-lock-error fail); a date skipped with --if-locked skip exits 0
  5  check: a table to check (or the dataset) does not exist
  6  check: a table has no row in the checked window
  7  check: dates with predictions have no graded row and no successful grading run
  8  grade/consolidate: a date's run wrote 0 rows; check: a date was graded successfully with 0 rows`;

/** Bad command-line input: exit 2 before anything is touched. */
export class UsageError extends Error {}

/**
 * The one mapping of a command's error to its exit code: bad input 2, a busy lock 4, an error that names its own code
 * (a failed verification: 3) that code, anything else 1.
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return ExitCode.badInput;
  if (error instanceof LockAcquisitionError) return ExitCode.lockNotAcquired;
  const own = (error as { exitCode?: unknown } | null)?.exitCode;
  return typeof own === 'number' && (Object.values(ExitCode) as number[]).includes(own) ? own : ExitCode.runFailed;
}

/** Exit codes of every gradeguard command (documented in --help and the README). */
export const ExitCode = {
  ok: 0,
  runFailed: 1,
  badInput: 2,
  duplicatesOrAssertion: 3,
  lockNotAcquired: 4,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const exitCodeHelp = `Exit codes:
  0  success
  1  a run failed (Dataform error, fence rejection, lost lease, circuit breaker open, infrastructure)
  2  bad input (nothing was written and no lock was taken)
  3  duplicate business keys found or an assertion failed
  4  a lock was not acquired (busy with --if-locked fail, still busy after --lock-timeout, or Firestore
     unavailable with --on-lock-error fail); a date skipped with --if-locked skip exits 0`;

/** Bad command-line input: exit 2 before anything is touched. */
export class UsageError extends Error {}

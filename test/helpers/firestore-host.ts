/** The Firestore emulator a test file shares with the rest of the run, and a project id of the file's own on it. */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';

/**
 * The run's shared emulator (test/helpers/shared-emulators.ts, the integration and e2e projects' global setup), else
 * the one FIRESTORE_EMULATOR_HOST names, else undefined: the caller starts one of its own.
 */
export function sharedFirestoreHost(): string | undefined {
  return injectedHost() || process.env.FIRESTORE_EMULATOR_HOST || undefined;
}

/** The global setup's host; none outside a vitest run (the benchmarks build their stacks with these helpers too). */
function injectedHost(): string | undefined {
  try {
    return inject('firestoreHost');
  } catch {
    return undefined;
  }
}

/** A project id no other test file uses: files sharing one emulator never see each other's documents. */
export const freshProjectId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

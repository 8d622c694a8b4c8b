/** Shared test plumbing: one real Firestore emulator per test file, and captured structured logs. */
import type { Firestore } from '@google-cloud/firestore';
import { startFirestoreEmulator, wipe, type FirestoreEmulator } from '../../emulator/firestore.ts';
import { createLogger, type Logger } from '../../src/log/logger.ts';
import { createFirestoreClient, terminateFirestore } from '../../src/lock/firestore-client.ts';
import { freshProjectId, sharedFirestoreHost } from '../helpers/firestore-host.ts';

export interface TestFirestore {
  host: string;
  projectId: string;
  client(): Firestore;
  wipe(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Uses the run's shared emulator (or the one FIRESTORE_EMULATOR_HOST names); otherwise starts one. Each file gets its
 * own project, so files running side by side on one emulator never see each other's locks.
 */
export async function testFirestore(): Promise<TestFirestore> {
  const projectId = freshProjectId('lock-test');
  const shared = sharedFirestoreHost();
  const emulator: FirestoreEmulator | undefined = shared ? undefined : await startFirestoreEmulator({ projectId });
  const host = shared ?? emulator!.host;
  const clients: Firestore[] = [];
  // The first request of a process loads gRPC and the protos (about a second); keep that out of the leases under test.
  await createFirestoreClient({ emulatorHost: host, projectId }).collection('warm_up').doc('warm_up').get();
  return {
    host,
    projectId,
    client() {
      const db = createFirestoreClient({ emulatorHost: host, projectId });
      clients.push(db);
      return db;
    },
    wipe: () => wipe(host, projectId),
    async stop() {
      // As the commands end theirs: a lock call still in flight when the client ends is not a crash of the next file.
      await Promise.all(clients.map(terminateFirestore));
      await emulator?.stop();
    },
  };
}

export interface CapturedLog {
  logger: Logger;
  events(name?: string): Record<string, unknown>[];
}

export function captureLog(): CapturedLog {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('lock', {
    json: true,
    level: 'DEBUG',
    sink: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  return { logger, events: (name) => lines.filter((l) => name === undefined || l.event === name) };
}

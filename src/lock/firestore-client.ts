/**
 * The one place that builds a Firestore client, shared by the lock and by anything else that keeps state
 * in Firestore (the runner's circuit breaker, for one).
 */
import type { Firestore } from '@google-cloud/firestore';
import { firestoreLibrary } from '../cloud/libraries.ts';

export interface FirestoreClientOptions {
  /** Defaults to GOOGLE_CLOUD_PROJECT / GCLOUD_PROJECT, then the emulator's `gradeguard-local`. */
  projectId?: string;
  /** `127.0.0.1:PORT` of an emulator; defaults to FIRESTORE_EMULATOR_HOST. Absent means real Firestore. */
  emulatorHost?: string;
}

export function createFirestoreClient(options: FirestoreClientOptions = {}): Firestore {
  const emulatorHost = options.emulatorHost ?? process.env.FIRESTORE_EMULATOR_HOST;
  const projectId = options.projectId ?? process.env.GOOGLE_CLOUD_PROJECT ?? process.env.GCLOUD_PROJECT ?? (emulatorHost ? 'gradeguard-local' : undefined);
  if (!emulatorHost) return new (firestoreLibrary().Firestore)(projectId ? { projectId } : {});
  // Offline, the auth library would first probe the GCE metadata server and stall for seconds.
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  // ssl: false is what makes the client send the emulator's `Bearer owner` instead of real credentials.
  return new (firestoreLibrary().Firestore)({ projectId, host: emulatorHost, ssl: false });
}

const TERMINATED = 'The client has already been terminated';
let terminatedFilterInstalled = false;

/**
 * terminate() that cannot crash the process. A call we abandoned (withDeadline gave up while Firestore was
 * unreachable) is still retrying inside the SDK; terminate() makes it reject on a promise the SDK never handles
 * (reproduced with @google-cloud/firestore 7), which Node turns into a crash. Only that rejection is swallowed;
 * any other unhandled rejection still crashes as Node would.
 */
export async function terminateFirestore(db: Firestore): Promise<void> {
  if (!terminatedFilterInstalled) {
    terminatedFilterInstalled = true;
    process.on('unhandledRejection', (reason) => {
      if (reason instanceof Error && reason.message === TERMINATED) return;
      throw reason;
    });
  }
  await db.terminate().catch(() => undefined);
}

/**
 * The one place that builds a Firestore client, shared by the lock and by anything else that keeps state
 * in Firestore (the runner's circuit breaker, for one).
 */
import { Firestore } from '@google-cloud/firestore';

export interface FirestoreClientOptions {
  /** Defaults to GOOGLE_CLOUD_PROJECT / GCLOUD_PROJECT, then the emulator's `gradeguard-local`. */
  projectId?: string;
  /** `127.0.0.1:PORT` of an emulator; defaults to FIRESTORE_EMULATOR_HOST. Absent means real Firestore. */
  emulatorHost?: string;
}

export function createFirestoreClient(options: FirestoreClientOptions = {}): Firestore {
  const emulatorHost = options.emulatorHost ?? process.env.FIRESTORE_EMULATOR_HOST;
  const projectId =
    options.projectId ??
    process.env.GOOGLE_CLOUD_PROJECT ??
    process.env.GCLOUD_PROJECT ??
    (emulatorHost ? 'gradeguard-local' : undefined);
  if (!emulatorHost) return new Firestore(projectId ? { projectId } : {});
  // Offline, the auth library would first probe the GCE metadata server and stall for seconds.
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  // ssl: false is what makes the client send the emulator's `Bearer owner` instead of real credentials.
  return new Firestore({ projectId, host: emulatorHost, ssl: false });
}

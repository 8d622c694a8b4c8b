/**
 * Firestore for commands that need only Firestore (locks): real Firestore for --target bigquery, the emulator named
 * by FIRESTORE_EMULATOR_HOST locally, or a fresh emulator (which can hold no one else's locks: said in a warning).
 */
import type { Firestore } from '@google-cloud/firestore';
import { DEFAULT_PROJECT } from '../../emulator/bigquery/index.ts';
import { startFirestoreEmulator } from '../../emulator/firestore.ts';
import { createFirestoreClient, terminateFirestore } from '../lock/firestore-client.ts';
import type { Logger } from '../log/logger.ts';
import type { TargetKind } from '../warehouse/target.ts';

export interface FirestoreHandle {
  firestore: Firestore;
  kind: TargetKind;
  emulatorHost?: string;
  close(): Promise<void>;
}

export async function openFirestore(kind: TargetKind, logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<FirestoreHandle> {
  if (kind === 'bigquery') {
    const projectId = env.GOOGLE_CLOUD_PROJECT ?? env.GCLOUD_PROJECT;
    if (!projectId) throw new Error('--target bigquery needs GOOGLE_CLOUD_PROJECT (and application default credentials)');
    const firestore = createFirestoreClient({ projectId, emulatorHost: '' });
    return { firestore, kind, close: async () => void (await terminateFirestore(firestore)) };
  }
  const shared = env.FIRESTORE_EMULATOR_HOST;
  if (shared) {
    const firestore = createFirestoreClient({ emulatorHost: shared, projectId: env.GOOGLE_CLOUD_PROJECT ?? DEFAULT_PROJECT });
    return { firestore, kind, emulatorHost: shared, close: async () => void (await terminateFirestore(firestore)) };
  }
  logger.warn('No FIRESTORE_EMULATOR_HOST: started a fresh Firestore emulator, which holds no other process\'s locks. Share one emulator through FIRESTORE_EMULATOR_HOST.');
  const emulator = await startFirestoreEmulator({ projectId: DEFAULT_PROJECT });
  const firestore = createFirestoreClient({ emulatorHost: emulator.host, projectId: DEFAULT_PROJECT });
  return {
    firestore,
    kind,
    emulatorHost: emulator.host,
    async close() {
      await terminateFirestore(firestore);
      await emulator.stop();
    },
  };
}

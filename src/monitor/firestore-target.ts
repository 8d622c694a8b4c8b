/**
 * Firestore for commands that need only Firestore (locks): real Firestore for --target bigquery, the emulator named
 * by FIRESTORE_EMULATOR_HOST locally, or a fresh emulator (which can hold no one else's locks: said in a warning).
 * The emulator launcher is imported only when one must be started.
 */
import type { Firestore } from '@google-cloud/firestore';
import { createFirestoreClient, terminateFirestore } from '../lock/firestore-client.ts';
import type { Logger } from '../log/logger.ts';
import { UsageError } from '../runner/exit-codes.ts';
import { probeFirestore } from '../warehouse/probe.ts';
import { announceTarget, localProjectId, refuseEmulatorVariables, type TargetKind } from '../warehouse/target.ts';

export interface FirestoreHandle {
  firestore: Firestore;
  kind: TargetKind;
  emulatorHost?: string;
  close(): Promise<void>;
}

export async function openFirestore(kind: TargetKind, logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<FirestoreHandle> {
  if (kind === 'bigquery') {
    const projectId = env.GOOGLE_CLOUD_PROJECT ?? env.GCLOUD_PROJECT;
    refuseEmulatorVariables(env);
    if (!projectId) throw new UsageError("--target bigquery needs GOOGLE_CLOUD_PROJECT (the project of the pipeline's Firestore) and application default credentials");
    announceFirestore(logger, { kind, projectId });
    const firestore = createFirestoreClient({ projectId, emulatorHost: '' });
    return probed({ firestore, kind, close: async () => void (await terminateFirestore(firestore)) }, projectId);
  }
  const shared = env.FIRESTORE_EMULATOR_HOST;
  if (shared) {
    const projectId = env.GOOGLE_CLOUD_PROJECT ?? localProjectId();
    announceFirestore(logger, { kind, projectId, host: shared });
    const firestore = createFirestoreClient({ emulatorHost: shared, projectId });
    return probed({ firestore, kind, emulatorHost: shared, close: async () => void (await terminateFirestore(firestore)) }, projectId);
  }
  logger.warn("No FIRESTORE_EMULATOR_HOST: started a fresh Firestore emulator, which holds no other process's locks. Share one emulator through FIRESTORE_EMULATOR_HOST.");
  const { startOwnFirestore } = await import('../warehouse/local-stack.ts');
  const emulator = await startOwnFirestore(localProjectId());
  announceFirestore(logger, { kind, projectId: localProjectId(), host: emulator.host });
  const firestore = createFirestoreClient({ emulatorHost: emulator.host, projectId: localProjectId() });
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

/** The handle once Firestore answered the probe (src/warehouse/probe.ts); closed when it did not. */
async function probed(handle: FirestoreHandle, projectId: string): Promise<FirestoreHandle> {
  try {
    await probeFirestore({ firestore: handle.firestore, projectId, emulatorHost: handle.emulatorHost });
    return handle;
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

/** The startup line for a command that uses only Firestore. */
function announceFirestore(logger: Logger, at: { kind: TargetKind; projectId: string; host?: string }): void {
  announceTarget(logger, { kind: at.kind, projectId: at.projectId, location: '', firestoreHost: at.host }, { bigquery: false });
}

/**
 * The local stack's emulators: reused when BIGQUERY_EMULATOR_HOST / FIRESTORE_EMULATOR_HOST name running ones,
 * otherwise started for the life of the command. Only `--target local` loads this module (stack.ts imports it
 * dynamically): the emulators' engines (DuckDB, polyglot, a JVM launcher) never load on a production path, and are
 * imported here only to start one: a command reusing running emulators (every test's and chaos's commands) does not
 * pay seconds of loading DuckDB and polyglot.
 */
import type { Logger } from '../log/logger.ts';
import { localProjectId } from './target.ts';

export interface LocalEndpoints {
  projectId: string;
  emulatorUrl: string;
  firestoreHost?: string;
  /** Stops whatever was started here (reused emulators stay up). */
  stops: Array<() => Promise<void>>;
}

export async function startLocalEndpoints(options: { env: NodeJS.ProcessEnv; logger: Logger; bigqueryFile: string; needsFirestore: boolean }): Promise<LocalEndpoints> {
  const { env, logger } = options;
  const stops: Array<() => Promise<void>> = [];
  try {
    let emulatorUrl = env.BIGQUERY_EMULATOR_HOST;
    let projectId = env.GOOGLE_CLOUD_PROJECT ?? localProjectId();
    if (emulatorUrl) {
      logger.debug('Reusing the BigQuery emulator', { url: emulatorUrl });
    } else {
      const { startBigQueryEmulator } = await importBigQueryEmulator();
      const emulator = await startBigQueryEmulator({ port: 0, file: options.bigqueryFile, projectId: localProjectId() });
      stops.push(() => emulator.stop());
      emulatorUrl = emulator.url;
      projectId = emulator.projectId;
      // Never silently: a command pointed at no stack reads whatever this file holds (often nothing).
      logger.warn(
        `No BIGQUERY_EMULATOR_HOST: started a BigQuery emulator for this command only, on ${options.bigqueryFile}. To use a running stack, export BIGQUERY_EMULATOR_HOST as printed by npm run emulator or npm start -- --keep-running.`,
        { event: 'emulator_started', url: emulatorUrl },
      );
    }
    let firestoreHost = env.FIRESTORE_EMULATOR_HOST;
    if (!firestoreHost && options.needsFirestore) {
      const { startFirestoreEmulator } = await import('../../emulator/firestore.ts');
      const firestore = await startFirestoreEmulator({ projectId });
      stops.push(() => firestore.stop());
      firestoreHost = firestore.host;
      logger.warn("No FIRESTORE_EMULATOR_HOST: started a fresh Firestore emulator for this command only; it holds no other process's locks. Share one through FIRESTORE_EMULATOR_HOST.", {
        event: 'emulator_started',
        host: firestoreHost,
      });
    }
    return { projectId, emulatorUrl, firestoreHost, stops };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw error;
  }
}

/** The emulator package, which a production installation leaves out (the image: Dockerfile, deploy/production-manifest.mjs). */
async function importBigQueryEmulator(): Promise<typeof import('@gradeguard/bigquery-emulator')> {
  try {
    return await import('@gradeguard/bigquery-emulator');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && (error as Error).message.includes("'@gradeguard/bigquery-emulator'");
    if (!missing) throw error;
    throw new Error(
      'No local stack here: --target local needs the BigQuery emulator package (@gradeguard/bigquery-emulator), which this installation leaves out (the production image has only --target bigquery). Run it from a clone after npm ci, or set BIGQUERY_EMULATOR_HOST to a running emulator.',
      { cause: error },
    );
  }
}

/** A Firestore emulator of its own for a command that found none to share. */
export async function startOwnFirestore(projectId: string): Promise<{ host: string; stop(): Promise<void> }> {
  const { startFirestoreEmulator } = await import('../../emulator/firestore.ts');
  return startFirestoreEmulator({ projectId });
}

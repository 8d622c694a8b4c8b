/**
 * Opens the target a command works on. Locally it reuses running emulators (BIGQUERY_EMULATOR_HOST,
 * FIRESTORE_EMULATOR_HOST, as printed by `npm run emulator`) and otherwise starts them for the life of the
 * command, the BigQuery state in `.local/bigquery.duckdb`. Several concurrent commands must share one stack:
 * start it once with `npm run emulator`.
 */
import { join } from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import type { Firestore } from '@google-cloud/firestore';
import { startBigQueryEmulator, DEFAULT_PROJECT } from '../../emulator/bigquery/index.ts';
import { startFirestoreEmulator } from '../../emulator/firestore.ts';
import { createFirestoreClient, terminateFirestore } from '../lock/firestore-client.ts';
import type { Logger } from '../log/logger.ts';
import { repoRoot } from './dataform-cli.ts';
import { assertProjectId, bigQueryClient, localTarget, projectConfig, type TargetKind, type WarehouseTarget } from './target.ts';

export interface Stack {
  target: WarehouseTarget;
  bigquery: BigQuery;
  firestore: Firestore;
  /** Stops whatever this stack started (reused emulators stay up). */
  close(): Promise<void>;
}

export interface OpenStackOptions {
  kind: TargetKind;
  logger: Logger;
  /** DuckDB file when the BigQuery emulator must be started; default `.local/bigquery.duckdb`. */
  bigqueryFile?: string;
  /** Start the Firestore emulator if none is running (default true); commands that never lock pass false. */
  needsFirestore?: boolean;
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_BIGQUERY_FILE = join(repoRoot, '.local', 'bigquery.duckdb');

/**
 * The target a command would use, without starting anything: the same project and location `openStack` ends up
 * with (so a dry run shows what the real run will do). A local target started by the command itself has no
 * emulator URL yet.
 */
export function plannedTarget(kind: TargetKind, env: NodeJS.ProcessEnv = process.env): WarehouseTarget {
  const config = projectConfig();
  if (kind === 'bigquery') {
    const projectId = env.GOOGLE_CLOUD_PROJECT ?? env.GCLOUD_PROJECT;
    if (!projectId) throw new Error('--target bigquery needs GOOGLE_CLOUD_PROJECT (and application default credentials)');
    return {
      kind: 'bigquery',
      projectId: assertProjectId(projectId),
      location: env.BIGQUERY_LOCATION ?? config.defaultLocation,
      dataset: config.defaultSchema,
      assertionDataset: config.assertionSchema,
    };
  }
  const reused = env.BIGQUERY_EMULATOR_HOST;
  return localTarget({ projectId: reused ? (env.GOOGLE_CLOUD_PROJECT ?? DEFAULT_PROJECT) : DEFAULT_PROJECT, emulatorUrl: reused ?? '', firestoreHost: env.FIRESTORE_EMULATOR_HOST });
}

export async function openStack(options: OpenStackOptions): Promise<Stack> {
  const env = options.env ?? process.env;
  if (options.kind === 'bigquery') {
    const target = plannedTarget('bigquery', env);
    const firestore = createFirestoreClient({ projectId: target.projectId });
    return { target, bigquery: bigQueryClient(target), firestore, close: async () => void (await terminateFirestore(firestore)) };
  }

  const stops: Array<() => Promise<void>> = [];
  try {
    let emulatorUrl = env.BIGQUERY_EMULATOR_HOST;
    let projectId = env.GOOGLE_CLOUD_PROJECT ?? DEFAULT_PROJECT;
    if (emulatorUrl) {
      options.logger.debug('Reusing the BigQuery emulator', { url: emulatorUrl });
    } else {
      const emulator = await startBigQueryEmulator({ port: 0, file: options.bigqueryFile ?? DEFAULT_BIGQUERY_FILE, projectId: DEFAULT_PROJECT });
      stops.push(() => emulator.stop());
      emulatorUrl = emulator.url;
      projectId = emulator.projectId;
      options.logger.debug('Started the BigQuery emulator', { url: emulatorUrl });
    }
    let firestoreHost = env.FIRESTORE_EMULATOR_HOST;
    if (!firestoreHost && options.needsFirestore !== false) {
      const firestore = await startFirestoreEmulator({ projectId });
      stops.push(() => firestore.stop());
      firestoreHost = firestore.host;
      options.logger.debug('Started the Firestore emulator', { host: firestoreHost });
    }
    const target = localTarget({ projectId, emulatorUrl, firestoreHost });
    const firestore = createFirestoreClient({ projectId, emulatorHost: firestoreHost ?? '127.0.0.1:1' });
    return {
      target,
      bigquery: bigQueryClient(target),
      firestore,
      async close() {
        await terminateFirestore(firestore);
        for (const stop of stops.reverse()) await stop().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw error;
  }
}

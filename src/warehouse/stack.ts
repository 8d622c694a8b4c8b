/**
 * Opens the target a command works on. Locally it reuses running emulators (BIGQUERY_EMULATOR_HOST,
 * FIRESTORE_EMULATOR_HOST, as printed by `npm run emulator`) and otherwise starts them for the life of the
 * command, the BigQuery state in `.local/bigquery.duckdb`. Several concurrent commands must share one stack:
 * start it once with `npm run emulator`. The emulators are loaded only for `--target local` (local-stack.ts,
 * imported dynamically); `--target bigquery` refuses emulator variables instead of following them.
 */
import { join } from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import type { Firestore } from '@google-cloud/firestore';
import { createFirestoreClient, terminateFirestore } from '../lock/firestore-client.ts';
import type { Logger } from '../log/logger.ts';
import { repoRoot } from './dataform-cli.ts';
import { probeBigQuery, probeFirestore } from './probe.ts';
import { CIRCUITS_COLLECTION } from '../runner/circuit-breaker.ts';
import { UsageError } from '../runner/exit-codes.ts';
import { announceTarget, assertProjectId, bigQueryClient, localProjectId, localTarget, projectConfig, refuseEmulatorVariables, type TargetKind, type WarehouseTarget } from './target.ts';

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
  /**
   * Probe Firestore before the work (default: when the command needs it). The runner passes false: a Firestore
   * outage is its --on-lock-error policy's to judge (exit 4 or run without the lock), not a reason to refuse.
   */
  probeFirestore?: boolean;
  /**
   * Open Firestore's connection in the background while BigQuery is probed (the runner: its first lock call then finds
   * the channel up; a first call waits seconds for it, most of it idle). Errors are ignored here: the lock reports them.
   */
  warmFirestore?: boolean;
  /** What runs Dataform for this command, for the startup line (commands that run none leave it out). */
  dataform?: string;
  /**
   * Called once the target is known, before Google's clients load and the probes run: work that needs only the
   * target (the runner starts its dataform CLI process) overlaps them.
   */
  onTarget?: (target: WarehouseTarget) => void;
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_BIGQUERY_FILE = join(repoRoot, '.local', 'bigquery.duckdb');

/**
 * The target a command would use, without starting anything: the same project and location `openStack` ends up
 * with (so a dry run shows what the real run will do). A local target started by the command itself has no
 * emulator URL yet.
 */
export function plannedTarget(kind: TargetKind, env: NodeJS.ProcessEnv = process.env): WarehouseTarget {
  const config = projectConfig();
  if (kind === 'bigquery') {
    refuseEmulatorVariables(env);
    const projectId = env.GOOGLE_CLOUD_PROJECT ?? env.GCLOUD_PROJECT;
    if (!projectId) throw new UsageError("--target bigquery needs GOOGLE_CLOUD_PROJECT (the project of the pipeline's BigQuery and Firestore) and application default credentials");
    return {
      kind: 'bigquery',
      projectId: assertProjectId(projectId),
      location: env.BIGQUERY_LOCATION ?? config.defaultLocation,
      dataset: config.defaultSchema,
      assertionDataset: config.assertionSchema,
    };
  }
  const reused = env.BIGQUERY_EMULATOR_HOST;
  return localTarget({ projectId: reused ? (env.GOOGLE_CLOUD_PROJECT ?? localProjectId()) : localProjectId(), emulatorUrl: reused ?? '', firestoreHost: env.FIRESTORE_EMULATOR_HOST });
}

export async function openStack(options: OpenStackOptions): Promise<Stack> {
  const env = options.env ?? process.env;
  if (options.kind === 'bigquery') {
    const target = plannedTarget('bigquery', env);
    announceTarget(options.logger, target, { dataform: options.dataform });
    options.onTarget?.(target);
    // emulatorHost '' = real Firestore (plannedTarget refused FIRESTORE_EMULATOR_HOST).
    const firestore = createFirestoreClient({ projectId: target.projectId, emulatorHost: '' });
    const stack = { target, bigquery: bigQueryClient(target), firestore, close: async () => void (await terminateFirestore(firestore)) };
    return probed(stack, options);
  }

  const { startLocalEndpoints } = await import('./local-stack.ts');
  const local = await startLocalEndpoints({ env, logger: options.logger, bigqueryFile: options.bigqueryFile ?? DEFAULT_BIGQUERY_FILE, needsFirestore: options.needsFirestore !== false });
  const target = localTarget(local);
  announceTarget(options.logger, target, { dataform: options.dataform });
  options.onTarget?.(target);
  const firestore = createFirestoreClient({ projectId: local.projectId, emulatorHost: local.firestoreHost ?? '127.0.0.1:1' });
  return probed(
    {
      target,
      bigquery: bigQueryClient(target),
      firestore,
      async close() {
        await terminateFirestore(firestore);
        for (const stop of local.stops.reverse()) await stop().catch(() => undefined);
      },
    },
    options,
  );
}

/** The stack once its dependencies answered; closed again (whatever it started stops) when one does not. */
async function probed(stack: Stack, options: OpenStackOptions): Promise<Stack> {
  const { target } = stack;
  if (options.warmFirestore)
    void stack.firestore
      .collection(CIRCUITS_COLLECTION)
      .limit(1)
      .get()
      .catch(() => undefined);
  try {
    await probeBigQuery({ bigquery: stack.bigquery, projectId: target.projectId, emulatorUrl: target.emulatorUrl || undefined });
    if (options.probeFirestore ?? options.needsFirestore !== false) {
      await probeFirestore({ firestore: stack.firestore, projectId: target.projectId, emulatorHost: target.kind === 'local' ? target.firestoreHost : undefined });
    }
    return stack;
  } catch (error) {
    await stack.close().catch(() => undefined);
    throw error;
  }
}

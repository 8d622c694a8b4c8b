/**
 * The runner tests' stack: one BigQuery emulator (in this process, on a port), the run's shared Firestore emulator (or
 * one of its own outside the integration/e2e projects), both under a project id of this file's own, and `grade` /
 * `consolidate` spawned as real child processes pointed at both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { BigQuery } from '@google-cloud/bigquery';
import { startFirestoreEmulator, wipe, type FirestoreEmulator } from '../../emulator/firestore.ts';
import { createFirestoreClient, terminateFirestore } from '../../src/lock/firestore-client.ts';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { generateSeason, loadSeason, type Season, type SeasonOptions } from '../../tools/synthetic/season.ts';
import { projectConfig, type WarehouseTarget } from '../../src/warehouse/target.ts';
import { startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';
import { deployLocal } from '../helpers/deploy.ts';
import { deployedSeed } from '../helpers/deployed-seed.ts';
import { nodeCommand } from '../helpers/processes.ts';
import { freshProjectId, sharedFirestoreHost } from '../helpers/firestore-host.ts';

/**
 * The set-up hook's bound for a file's stack (emulator, deploy, season): generous, since on a machine busy with other
 * suites the deploy's `dataform run` alone took over two minutes (a 120 s bound failed files before any test ran).
 */
export const STACK_SETUP_TIMEOUT_MS = 600_000;

export interface RunnerStack {
  bq: LocalBigQuery;
  /** The Firestore emulator's host (shared with other files: wipe only this stack's project). */
  firestore: Pick<FirestoreEmulator, 'host'>;
  target: WarehouseTarget;
  env: NodeJS.ProcessEnv;
  /** Plain rows (DATE/TIMESTAMP as strings). */
  rows<T = Record<string, any>>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  table(name: string): string;
  firestoreClient(): ReturnType<typeof createFirestoreClient>;
  wipeFirestore(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `deploy: false`: the dataset is left undeployed (no tables, no views), for the runner's refusal. Otherwise the
 * project is deployed (`npm run deploy`: tables and views), as every real stack is before its first run: a copy of the
 * run's one deploy (test/helpers/deployed-seed.ts), or a deploy of its own outside a vitest run.
 */
export async function startRunnerStack(options: { deploy?: boolean } = {}): Promise<RunnerStack> {
  const seed = options.deploy === false ? undefined : deployedSeed();
  const bq = await startLocalBigQuery(':memory:', undefined, freshProjectId('runner-test'), seed);
  const sharedHost = sharedFirestoreHost();
  const own = sharedHost ? undefined : await startFirestoreEmulator({ projectId: bq.emulator.projectId });
  const firestore = { host: sharedHost ?? own!.host };
  const config = projectConfig();
  const target: WarehouseTarget = {
    kind: 'local',
    projectId: bq.emulator.projectId,
    location: 'US',
    emulatorUrl: bq.emulator.url,
    firestoreHost: firestore.host,
    dataset: config.defaultSchema,
    assertionDataset: config.assertionSchema,
  };
  if (options.deploy !== false && !seed) {
    await deployLocal(bq.client, target).catch(async (error) => {
      await own?.stop();
      await bq.stop();
      throw error;
    });
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BIGQUERY_EMULATOR_HOST: bq.emulator.url,
    FIRESTORE_EMULATOR_HOST: firestore.host,
    METADATA_SERVER_DETECTION: 'none',
    GRADEGUARD_LOG_LEVEL: 'INFO',
    // The emulator runs in the test's process: with several commands starting at once on a busy machine its first
    // answer can outwait the probe's default 5 s, and the command would exit 1 "BigQuery is unavailable".
    GRADEGUARD_PROBE_TIMEOUT: '60s',
  };
  // The commands take the project of BigQuery and Firestore from here: this file's own, not the user's.
  env.GOOGLE_CLOUD_PROJECT = target.projectId;
  delete env.GRADING_USE_LOCK;
  delete env.GRADEGUARD_CIRCUIT_COOL_DOWN;
  const clients: ReturnType<typeof createFirestoreClient>[] = [];
  return {
    bq,
    firestore,
    target,
    env,
    async rows(sql, params) {
      const [rows] = await bq.client.query({ query: sql, params });
      return rows.map((row: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v && typeof v === 'object' && !Array.isArray(v) && 'value' in v ? (v as { value: unknown }).value : v])),
      ) as any[];
    },
    table: (name) => `\`${target.projectId}.${target.dataset}.${name}\``,
    firestoreClient() {
      const db = createFirestoreClient({ projectId: target.projectId, emulatorHost: firestore.host });
      clients.push(db);
      return db;
    },
    wipeFirestore: () => wipe(firestore.host, target.projectId),
    async stop() {
      // As the commands end theirs: a lock call still in flight when the client ends is not a crash of the next file.
      await Promise.all(clients.map(terminateFirestore));
      await own?.stop();
      await bq.stop();
    },
  };
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Spawned {
  child: ChildProcess;
  stderr(): string;
  done: Promise<Finished>;
}

/** The `scripts/<command>.ts` command with args as its own OS process (compiled: nodeCommand), its own process group when `detached`. */
export function spawnCommand(command: 'grade' | 'consolidate' | 'remediate' | 'deploy', args: string[], env: NodeJS.ProcessEnv, options: { detached?: boolean } = {}): Spawned {
  const [cmd, argv] = nodeCommand(`scripts/${command}.ts`, args);
  const child = spawn(cmd, argv, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, stderr: () => stderr, done };
}

export const runCommandProcess = (command: 'grade' | 'consolidate' | 'remediate' | 'deploy', args: string[], env: NodeJS.ProcessEnv) => spawnCommand(command, args, env).done;

/** A finished command for an assertion message: exit code, stdout, and its first warnings and errors (not every INFO line). */
export const explainWarnings = (r: Finished) =>
  `exit ${r.code}\n${r.stdout}\n${r.stderr
    .split('\n')
    .filter((l) => /"severity":"(WARNING|ERROR|CRITICAL)"/.test(l))
    .slice(0, 8)
    .join('\n')}`;

/** The JSON log lines of a process's stderr. */
export function logEvents(stderr: string): Array<Record<string, any>> {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return {};
      }
    });
}

export { BigQuery };

/** Generates a synthetic season and loads it into the stack's dataset (the set-up most runner tests share). */
export async function loadTestSeason(stack: RunnerStack, options: SeasonOptions): Promise<Season> {
  const season = generateSeason(options);
  await loadSeason(stack.bq.client, stack.target.dataset, season);
  return season;
}

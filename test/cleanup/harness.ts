/**
 * One BigQuery emulator per test file and the run's shared Firestore emulator (one of its own outside the
 * integration/e2e projects), under a project id of the file's own, and the real `cleanup` command run against them as a
 * child process (`node <build>/scripts/cleanup.js`, test/helpers/processes.ts, so kill -9 hits the cleanup itself).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { BigQuery } from '@google-cloud/bigquery';
import type { Firestore } from '@google-cloud/firestore';
import { startBigQueryEmulator, type BigQueryEmulator } from '@gradeguard/bigquery-emulator';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { projectConfig, type WarehouseTarget } from '../../src/warehouse/target.ts';
import { startFirestoreEmulator, wipe } from '../../emulator/firestore.ts';
import { createFirestoreClient, terminateFirestore } from '../../src/lock/firestore-client.ts';
import { nodeCommand } from '../helpers/processes.ts';
import { freshProjectId, sharedFirestoreHost } from '../helpers/firestore-host.ts';
import { deployedSeed } from '../helpers/deployed-seed.ts';
import { generateSeason, loadSeason } from '../../tools/synthetic/season.ts';
import { freshDeployedDataset, loadIncident, type IncidentRow } from './incident.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Harness {
  bigquery: BigQuery;
  firestore: Firestore;
  target: WarehouseTarget;
  env: NodeJS.ProcessEnv;
  cli(args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** The real `grade` command (scripts/grade.ts) as a child process, waiting for busy locks. */
  grade(dates: string[]): Promise<CliResult>;
  /** Predictions and actuals of `dates` (one small synthetic season per date) for `grade` to grade. */
  loadGradingInputs(dates: string[]): Promise<void>;
  /** Starts the CLI; resolves once it prints the pause hook line (GRADEGUARD_CLEANUP_PAUSE=<point>). */
  pausedAt(args: string[], point: string, extraEnv?: NodeJS.ProcessEnv): Promise<ChildProcess>;
  rows<T = Record<string, any>>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  /** A fresh warehouse with the incident loaded and no cleanup state or lock. */
  reset(): Promise<IncidentRow[]>;
  /** kill -9 of every command still running (afterEach: a test that timed out must not hold locks in the next one). */
  killChildren(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  process.env.METADATA_SERVER_DETECTION = 'none';
  const seed = deployedSeed();
  const emulator: BigQueryEmulator = await startBigQueryEmulator({ port: 0, file: ':memory:', projectId: freshProjectId('cleanup-test'), seed });
  const projectId = emulator.projectId;
  const sharedHost = sharedFirestoreHost();
  const ownFirestore = sharedHost ? undefined : await startFirestoreEmulator({ projectId });
  const fsEmulator = { host: sharedHost ?? ownFirestore!.host };
  const config = projectConfig();
  const target: WarehouseTarget = {
    kind: 'local',
    projectId: emulator.projectId,
    location: config.defaultLocation,
    emulatorUrl: emulator.url,
    firestoreHost: fsEmulator.host,
    dataset: config.defaultSchema,
    assertionDataset: config.assertionSchema,
  };
  const firestore = createFirestoreClient({ projectId, emulatorHost: fsEmulator.host });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BIGQUERY_EMULATOR_HOST: emulator.url,
    FIRESTORE_EMULATOR_HOST: fsEmulator.host,
    GOOGLE_CLOUD_PROJECT: projectId,
    METADATA_SERVER_DETECTION: 'none',
    // The emulator runs in the test's process: on a busy machine its first answer to a new process can outwait the
    // probe's default 5 s, and the command would exit 1 "BigQuery is unavailable" (as test/runner/stack.ts sets it).
    GRADEGUARD_PROBE_TIMEOUT: '60s',
  };
  const bq = new BigQuery({ projectId, apiEndpoint: emulator.url, location: target.location });
  const children = new Set<ChildProcess>();
  // Started from the run's deploy (test/helpers/deployed-seed.ts), or deployed by the first reset.
  let deployed = seed !== undefined;
  const start = (args: string[], extraEnv: NodeJS.ProcessEnv = {}, script = 'scripts/cleanup.ts') => {
    const [cmd, argv] = nodeCommand(script, args);
    const child = spawn(cmd, [...argv], { cwd: repoRoot, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    child.on('exit', () => children.delete(child));
    return child;
  };
  return {
    bigquery: bq,
    firestore,
    target,
    env,
    cli: (args, extraEnv) => finished(start(args, extraEnv)),
    grade(dates) {
      return finished(start(['--dates', dates.join(','), '--if-locked', 'wait', '--lock-timeout', '2m', '--json'], {}, 'scripts/grade.ts'));
    },
    async loadGradingInputs(dates) {
      for (const [i, date] of dates.entries()) {
        const season = generateSeason({ seed: 40 + i, dates: 1, players: 24, systems: 3, teams: 4, gamesPerDate: 2, startDate: date });
        await loadSeason(bq, target.dataset, season);
      }
    },
    pausedAt(args, point, extraEnv = {}) {
      return new Promise((resolve, reject) => {
        const child = start(args, { ...extraEnv, GRADEGUARD_CLEANUP_PAUSE: point });
        let stderr = '';
        child.stderr!.on('data', (d) => {
          stderr += d;
          if (stderr.includes('"cleanup_hook":"paused"')) resolve(child);
        });
        child.on('exit', (code) => reject(new Error(`cleanup exited ${code} before pausing at ${point}: ${stderr.slice(-2000)}`)));
      });
    },
    async rows(sql, params) {
      const [rows] = await bq.query({ query: sql, params, location: target.location });
      return rows.map((row: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v && typeof v === 'object' && 'value' in (v as object) ? (v as { value: unknown }).value : v])),
      ) as never;
    },
    async reset() {
      await freshDeployedDataset(bq, target, deployed);
      deployed = true;
      await wipe(fsEmulator.host, projectId);
      return loadIncident(bq, target);
    },
    async killChildren() {
      await Promise.all([...children].map(killed));
    },
    async stop() {
      for (const child of children) child.kill('SIGKILL');
      await terminateFirestore(firestore);
      await ownFirestore?.stop();
      await emulator.stop();
    },
  };
}

/** The command's exit and output from now on (also for a paused one let go with SIGUSR2: see src/cleanup/hooks.ts). */
export function finished(child: ChildProcess): Promise<CliResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** What a failed command said: its warning, error and alert lines and `cleanup:` messages (for assertion messages). */
export function said(result: CliResult): string {
  const lines = result.stderr.split('\n').filter((l) => /^\{"severity":"(WARNING|ERROR|CRITICAL)"|^cleanup:/.test(l));
  return `exit ${result.code}: ${lines.map((l) => l.slice(0, 600)).join('\n')}`;
}

export function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

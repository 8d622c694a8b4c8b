/**
 * The local BigQuery: a REST v2 server on 127.0.0.1 backed by DuckDB.
 * `startBigQueryEmulator({ port: 0, file: ':memory:' })` → `{ url, stop() }`.
 */
import { createServer, type Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Engine } from './engine.ts';
import { Router } from './http.ts';
import { JobStore, type Job } from './jobs.ts';
import { JobHistory } from './job-history.ts';
import { datasetRoutes } from './routes/datasets.ts';
import { tableRoutes } from './routes/tables.ts';
import { jobRoutes } from './routes/jobs.ts';
import { discoveryRoutes } from './routes/discovery.ts';
import { uploadRoutes } from './routes/uploads.ts';
import type { TimeTravelOptions } from './time-travel.ts';
import { transactionEventTracer } from './transaction-events.ts';
import { parseLimitsOff, type LimitName } from './limits.ts';
import type { DatabaseSeed } from './seed.ts';

export interface BigQueryEmulatorOptions {
  /** 0 = an ephemeral port. */
  port?: number;
  /** DuckDB file (state survives restarts) or ':memory:'. */
  file?: string;
  projectId?: string;
  /** Local folder standing in for Cloud Storage: `gs://bucket/object` of load/extract jobs is `<gcsDir>/bucket/object`. */
  gcsDir?: string;
  /** Time travel: window (default 7 days; 0 keeps no history) and the limits on copies kept. */
  timeTravel?: TimeTravelOptions;
  /** Receives a JSON line per transaction job begun / seen done (transaction-events.ts); default: stderr when GRADEGUARD_EMULATOR_TRANSACTION_EVENTS=1. */
  traceTransactions?: (line: string) => void;
  /**
   * BigQuery's per-table limits to switch off (limits.ts: dml_queue, dml_conflicts, metadata_rate); default: the
   * environment variable GRADEGUARD_EMULATOR_LIMITS_OFF, else every limit on.
   */
  limitsOff?: LimitName[];
  /** With `file` ':memory:' (the default): start from a copy of a database file an emulator of another project wrote (seed.ts). */
  seed?: DatabaseSeed;
  /** How many finished jobs stay readable (jobs.get, jobs.list, getQueryResults); older ones are dropped (job-history.ts). Default 1,000. */
  finishedJobsKept?: number;
}

export interface BigQueryEmulator {
  url: string;
  port: number;
  projectId: string;
  engine: Engine;
  stop(): Promise<void>;
}

export type { LimitName } from './limits.ts';
export type { DatabaseSeed } from './seed.ts';

export const DEFAULT_PROJECT = 'gradeguard-local';

// DuckDB silently loses writes when one process opens the same file twice: refuse it.
const openFiles = new Set<string>();

export async function startBigQueryEmulator(opts: BigQueryEmulatorOptions = {}): Promise<BigQueryEmulator> {
  const file = opts.file === undefined || opts.file === ':memory:' ? ':memory:' : resolve(opts.file);
  if (file !== ':memory:') {
    if (openFiles.has(file)) throw new Error(`The emulator database ${file} is already open in this process`);
    mkdirSync(dirname(file), { recursive: true });
  }
  const jobHistory = new JobHistory<Job>(opts.finishedJobsKept);
  const projectId = opts.projectId ?? DEFAULT_PROJECT;
  const limitsOff = opts.limitsOff ?? [...parseLimitsOff(process.env.GRADEGUARD_EMULATOR_LIMITS_OFF)];
  if (opts.seed && file !== ':memory:') throw new Error('A seed starts an in-memory emulator: it cannot be combined with a database file');
  const engine = await Engine.open({ file, projectId, timeTravel: opts.timeTravel, limitsOff, seed: opts.seed && { ...opts.seed, file: resolve(opts.seed.file) } });
  if (file !== ':memory:') openFiles.add(file);
  engine.gcsDir = opts.gcsDir;
  const router = new Router();
  router.before = () => engine.expireTables();
  const trace = opts.traceTransactions ?? (process.env.GRADEGUARD_EMULATOR_TRANSACTION_EVENTS === '1' ? (line: string) => void process.stderr.write(line) : undefined);
  if (trace) router.after = transactionEventTracer(trace);
  const jobs = new JobStore(engine, jobHistory);
  datasetRoutes(router, engine);
  tableRoutes(router, engine);
  jobRoutes(router, engine, jobs);
  router.on('GET', '/healthz', async () => ({ ok: true }));
  let baseUrl = '';
  discoveryRoutes(router, () => baseUrl);
  uploadRoutes(router, jobs, () => baseUrl);
  const server: Server = createServer((req, res) => void router.handle(req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    projectId,
    engine,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await engine.close();
      openFiles.delete(file);
    },
  };
}

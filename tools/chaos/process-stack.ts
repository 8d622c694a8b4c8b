/**
 * The local stack as separate OS processes that can fail: the BigQuery emulator in its own process on a DuckDB file
 * (kill -9, then restart on the same port and file: committed state survives, in-flight jobs are lost), Google's
 * Firestore emulator (an outage is SIGSTOP of the JVM then SIGCONT: clients time out, leases cannot renew, state is kept
 * as real Firestore keeps it — a restart of the emulator would wipe it, which real Firestore never does), and the Slack
 * stand-in (answers 503 while down). The emulator traces its transaction jobs (begun, done) for the fault timing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort, startFirestoreEmulator, type FirestoreEmulator } from '../../emulator/firestore.ts';
import { DEFAULT_PROJECT } from '@gradeguard/bigquery-emulator';
import { ownScriptArgs } from '../harness/own-script.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../harness/webhook-receiver.ts';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';

/** A transaction job the emulator saw: inserted ("begun") or seen done by its client ("committed" unless error). */
export interface TransactionEvent {
  at: number;
  event: 'transaction_job_inserted' | 'transaction_job_done';
  runId: string | null;
  table: string | null;
  error: string | null;
}

export interface ProcessStack {
  bigqueryUrl: string;
  /** Calls `listener` for each transaction event until the returned function is called. */
  onTransactionEvent(listener: (event: TransactionEvent) => void): () => void;
  firestore: FirestoreEmulator;
  webhook: WebhookReceiver;
  /** Environment that points a gradeguard command at this stack. */
  env: NodeJS.ProcessEnv;
  killBigQuery(): Promise<void>;
  startBigQuery(): Promise<void>;
  pauseFirestore(): void;
  resumeFirestore(): void;
  stop(): Promise<void>;
}

function spawnBigQuery(port: number, file: string, onEvent: (event: TransactionEvent) => void): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ownScriptArgs('scripts/emulator.ts', ['--json', '--port', String(port), '--file', file]), {
      cwd: repoRoot,
      env: { ...process.env, GRADEGUARD_EMULATOR_TRANSACTION_EVENTS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let pending = '';
    child.stderr!.on('data', (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const text of lines) {
        if (!text.startsWith('{"severity"')) continue;
        try {
          const line = JSON.parse(text);
          if (line.event === 'transaction_job_inserted' || line.event === 'transaction_job_done') {
            onEvent({ at: Date.now(), event: line.event, runId: line.run_id ?? null, table: line.table ?? null, error: line.error ?? null });
          }
        } catch {
          // not a trace line
        }
      }
    });
    let out = '';
    let err = '';
    const onExit = (code: number | null) => reject(new Error(`BigQuery emulator exited with ${code}: ${err.trim()}`));
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) {
        child.off('exit', onExit);
        resolve(child);
      }
    });
    child.stderr!.on('data', (chunk) => (err = (err + chunk).slice(-4_000)));
    child.on('exit', onExit);
  });
}

export async function startProcessStack(options: { dir: string }): Promise<ProcessStack> {
  const file = join(options.dir, 'bigquery.duckdb');
  const port = await freePort();
  const listeners = new Set<(event: TransactionEvent) => void>();
  const onEvent = (event: TransactionEvent) => {
    for (const listener of [...listeners]) listener(event);
  };
  let bigquery: ChildProcess | undefined = await spawnBigQuery(port, file, onEvent);
  const firestore = await startFirestoreEmulator({ projectId: DEFAULT_PROJECT });
  const webhook = await startWebhookReceiver();
  const bigqueryUrl = `http://127.0.0.1:${port}`;
  const signalFirestore = (signal: NodeJS.Signals) => {
    try {
      process.kill(-firestore.pid, signal);
    } catch {
      process.kill(firestore.pid, signal);
    }
  };
  return {
    bigqueryUrl,
    onTransactionEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    firestore,
    webhook,
    env: {
      ...process.env,
      BIGQUERY_EMULATOR_HOST: bigqueryUrl,
      FIRESTORE_EMULATOR_HOST: firestore.host,
      GOOGLE_CLOUD_PROJECT: DEFAULT_PROJECT,
      METADATA_SERVER_DETECTION: 'none',
      SLACK_WEBHOOK_URL: webhook.url,
    },
    async killBigQuery() {
      if (!bigquery) return;
      const child = bigquery;
      bigquery = undefined;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    },
    async startBigQuery() {
      if (!bigquery) bigquery = await spawnBigQuery(port, file, onEvent);
    },
    pauseFirestore: () => signalFirestore('SIGSTOP'),
    resumeFirestore: () => signalFirestore('SIGCONT'),
    async stop() {
      signalFirestore('SIGCONT');
      await webhook.stop();
      await firestore.stop();
      if (bigquery) {
        const child = bigquery;
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await gone;
      }
    },
  };
}

/**
 * Before a command starts its work: can it reach what it needs? One short probe per dependency, with a timeout, so
 * a BigQuery or Firestore that is down is reported in seconds — what is down, where, what to run — instead of after
 * the client libraries' own retries (20-70 s) and with a stack trace. Every command goes through openStack or
 * openFirestore, which call these.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { Firestore } from '@google-cloud/firestore';
import { duration } from '../cli/duration.ts';

/** An expected failure: the command prints the message (no stack) and exits 1. */
export class DependencyUnavailableError extends Error {
  override name = 'DependencyUnavailableError';
}

const DEFAULT_PROBE_TIMEOUT_MS = 5_000;

/** GRADEGUARD_PROBE_TIMEOUT (a duration, e.g. 10s) or 5s. */
function probeTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  return duration('GRADEGUARD_PROBE_TIMEOUT', env.GRADEGUARD_PROBE_TIMEOUT, DEFAULT_PROBE_TIMEOUT_MS, { min: 100, max: 120_000 });
}

function reason(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string }; code?: string | number };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'no answer';
  return e?.cause?.code ?? e?.cause?.message ?? (typeof e?.code === 'string' ? e.code : undefined) ?? e?.message?.split('\n')[0]?.slice(0, 200) ?? String(error);
}

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('no answer'), { name: 'TimeoutError' })), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Any HTTP answer means the emulator is there; no answer within the timeout, or a refused connection, means not. */
async function httpReachable(url: string, ms: number): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(ms) });
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  } catch (error) {
    return reason(error);
  }
}

const seconds = (ms: number) => `${ms / 1000}s`;

export async function probeBigQuery(input: { bigquery: BigQuery; projectId: string; emulatorUrl?: string; timeoutMs?: number }): Promise<void> {
  const ms = input.timeoutMs ?? probeTimeoutMs();
  if (input.emulatorUrl) {
    const failure = await httpReachable(`${input.emulatorUrl.replace(/\/+$/, '')}/bigquery/v2/projects/${input.projectId}/datasets?maxResults=1`, ms);
    if (failure === undefined) return;
    throw new DependencyUnavailableError(
      `BigQuery is unavailable: the emulator at ${input.emulatorUrl} (BIGQUERY_EMULATOR_HOST) gave ${failure === 'no answer' ? `no answer within ${seconds(ms)}` : `no connection (${failure})`}. ` +
        `Start it with npm run emulator (or npm start -- --keep-running) and export what it prints, or unset BIGQUERY_EMULATOR_HOST to let the command start its own.`,
    );
  }
  try {
    await within(ms, input.bigquery.getDatasets({ maxResults: 1, autoPaginate: false }));
  } catch (error) {
    throw new DependencyUnavailableError(
      `BigQuery is unavailable: project ${input.projectId} (Google Cloud) did not answer within ${seconds(ms)} (${reason(error)}). ` +
        `Check the network, application default credentials (gcloud auth application-default login, or the job's service account) and GOOGLE_CLOUD_PROJECT.`,
    );
  }
}

export async function probeFirestore(input: { firestore: Firestore; projectId: string; emulatorHost?: string; timeoutMs?: number }): Promise<void> {
  const ms = input.timeoutMs ?? probeTimeoutMs();
  if (input.emulatorHost) {
    const failure = await httpReachable(`http://${input.emulatorHost}/`, ms);
    if (failure === undefined) return;
    throw new DependencyUnavailableError(
      `Firestore is unavailable: the emulator at ${input.emulatorHost} (FIRESTORE_EMULATOR_HOST) gave ${failure === 'no answer' ? `no answer within ${seconds(ms)}` : `no connection (${failure})`}. ` +
        `Start the stack the other processes use (npm start -- --keep-running, or node --import tsx emulator/firestore.ts) and export its FIRESTORE_EMULATOR_HOST, or unset the variable.`,
    );
  }
  try {
    await within(ms, input.firestore.collection('gradeguard_circuits').limit(1).get());
  } catch (error) {
    throw new DependencyUnavailableError(
      `Firestore is unavailable: project ${input.projectId} (Google Cloud, default database) did not answer within ${seconds(ms)} (${reason(error)}). ` +
        `Check the network, application default credentials (roles/datastore.user) and GOOGLE_CLOUD_PROJECT.`,
    );
  }
}

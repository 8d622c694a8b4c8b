/** Test helpers: an in-memory emulator and a Node client pointed at it. */
import { BigQuery } from '@google-cloud/bigquery';
import { startBigQueryEmulator, type BigQueryEmulator, type DatabaseSeed, type LimitName } from '@gradeguard/bigquery-emulator';

export interface LocalBigQuery {
  emulator: BigQueryEmulator;
  client: BigQuery;
  target: { projectId: string; location: string; emulatorUrl: string };
  /** Runs a query and returns plain rows. */
  rows<T = Record<string, any>>(query: string, params?: Record<string, unknown> | unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/**
 * `limitsOff`: BigQuery limits (emulator/bigquery/limits.ts) a test switches off because it is about something else.
 * `projectId`: the emulator's project (default gradeguard-local); a file sharing the run's Firestore emulator passes
 * its own (test/helpers/firestore-host.ts), since commands use one project id for both.
 * `seed`: start from a copy of that database (test/helpers/deployed-seed.ts).
 */
export async function startLocalBigQuery(file = ':memory:', limitsOff?: LimitName[], projectId?: string, seed?: DatabaseSeed): Promise<LocalBigQuery> {
  process.env.METADATA_SERVER_DETECTION = 'none';
  const emulator = await startBigQueryEmulator({ port: 0, file, limitsOff, projectId, seed });
  const client = new BigQuery({ projectId: emulator.projectId, apiEndpoint: emulator.url });
  return {
    emulator,
    client,
    target: { projectId: emulator.projectId, location: 'US', emulatorUrl: emulator.url },
    async rows(query, params) {
      const [rows] = await client.query({ query, params: params as any });
      return rows;
    },
    stop: () => emulator.stop(),
  };
}

/** POSTs a raw REST call and returns status and parsed JSON body. */
export async function rest(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

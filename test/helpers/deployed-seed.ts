/**
 * One deploy per test run instead of one per test file: the global setup (shared-emulators.ts) runs `npm run deploy`'s
 * `dataform run --tags deploy` once into an emulator database file, and each file's stack starts an in-memory emulator
 * from a copy of it under the file's own project id (the emulator's `seed` option). A deploy costs a dataform CLI and
 * its compile worker, about 5 CPU-s, and two dozen files need a deployed stack; the copy takes about 0.2 s.
 * The deploy itself stays under test where it is the subject (test/runner/deploy-once.test.ts, the deploy command's
 * tests, `deploy: false` stacks), and a stack outside a vitest run (the benchmarks) deploys for itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { startBigQueryEmulator, type DatabaseSeed } from '@gradeguard/bigquery-emulator';
import { BigQuery } from '@google-cloud/bigquery';
import { deployLocal } from './deploy.ts';

const SEED_PROJECT = 'gg-deployed-seed';

/** Deploys the project into a fresh database file; `remove` deletes the file's folder. */
export async function createDeployedSeed(): Promise<{ seed: DatabaseSeed; remove(): void }> {
  // The OS's temporary folder: a run that is killed before its teardown leaves nothing in the checkout.
  const dir = mkdtempSync(join(tmpdir(), 'gg-deployed-seed-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const file = join(dir, 'deployed.duckdb');
  const emulator = await startBigQueryEmulator({ port: 0, file, projectId: SEED_PROJECT });
  let deployed = false;
  try {
    await deployLocal(new BigQuery({ projectId: SEED_PROJECT, apiEndpoint: emulator.url }), { projectId: SEED_PROJECT, emulatorUrl: emulator.url });
    deployed = true;
  } finally {
    // Closed before any copy is read: the file is complete only once DuckDB has checkpointed it.
    await emulator.stop();
    if (!deployed) remove();
  }
  return { seed: { file, projectId: SEED_PROJECT }, remove };
}

/** The run's deployed database (none outside the integration and e2e projects: the caller deploys for itself). */
export function deployedSeed(): DatabaseSeed | undefined {
  try {
    return inject('deployedSeed');
  } catch {
    return undefined;
  }
}

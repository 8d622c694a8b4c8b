/**
 * Vitest global setup of the integration and e2e projects: the toolkit built once (test/helpers/built-toolkit.ts: the
 * commands tests spawn run compiled, not through tsx), the project deployed once (test/helpers/deployed-seed.ts), and
 * one Firestore emulator (a JVM, ~4.5 s to start) for the whole run instead of one per test file. Test files reach it through `sharedFirestoreHost()` and keep apart by
 * project id (a fresh one per file). FIRESTORE_EMULATOR_HOST, when set, names an emulator to use instead.
 * Both projects run this file in the same vitest process: the first starts the emulator, the last stops it.
 */
import type { TestProject } from 'vitest/node';
import { startFirestoreEmulator, type FirestoreEmulator } from '../../emulator/firestore.ts';
import type { DatabaseSeed } from '@gradeguard/bigquery-emulator';
import { buildToolkitForTests } from './built-toolkit.ts';
import { createDeployedSeed } from './deployed-seed.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `127.0.0.1:PORT` of the run's shared Firestore emulator. */
    firestoreHost: string;
    /** The toolkit compiled for this run (test/helpers/built-toolkit.ts). */
    builtToolkit: string;
    /** The project deployed once for the run (test/helpers/deployed-seed.ts). */
    deployedSeed: DatabaseSeed;
  }
}

interface Shared {
  started: Promise<{ host: string; emulator?: FirestoreEmulator }>;
  built: Promise<string>;
  deployed: ReturnType<typeof createDeployedSeed>;
  users: number;
}

const KEY = Symbol.for('gradeguard.sharedFirestore');
const registry = globalThis as { [KEY]?: Shared };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (registry[KEY] ??= {
    users: 0,
    started: process.env.FIRESTORE_EMULATOR_HOST
      ? Promise.resolve({ host: process.env.FIRESTORE_EMULATOR_HOST, emulator: undefined })
      : startFirestoreEmulator({ projectId: 'gradeguard-test-run' }).then((emulator) => ({ host: emulator.host, emulator })),
    built: buildToolkitForTests(),
    deployed: createDeployedSeed(),
  });
  shared.users++;
  const [{ host }, built, deployed] = await Promise.all([shared.started, shared.built, shared.deployed]).catch(async (error: unknown) => {
    // A set-up that failed has no teardown: remove what did start.
    await shared.deployed.then((seed) => seed.remove()).catch(() => undefined);
    await shared.started.then((fs) => fs.emulator?.stop()).catch(() => undefined);
    delete registry[KEY];
    throw error;
  });
  project.provide('firestoreHost', host);
  project.provide('builtToolkit', built);
  project.provide('deployedSeed', deployed.seed);
  return async () => {
    if (--shared.users > 0) return;
    delete registry[KEY];
    (await shared.deployed).remove();
    await (await shared.started).emulator?.stop();
  };
}

import { defineConfig } from 'vitest/config';
import { checkTiers, TIERS } from './test/tiers.ts';

// Every test file in exactly one tier (test/tiers.ts). Listed twice is a mistake in tiers.ts: refuse to start.
// Listed nowhere: it still runs, in e2e (the tier that assumes nothing), and test/tiers.test.ts fails until it is listed.
const root = import.meta.dirname;
const { unlisted, twice } = checkTiers(root);
if (twice.length) throw new Error(`test/tiers.ts lists these test files in more than one tier: ${twice.join(', ')}`);
if (unlisted.length) process.stderr.write(`vitest.config.ts: not in any tier of test/tiers.ts, run as e2e: ${unlisted.join(', ')}\n`);

const sharedEmulators = ['test/helpers/shared-emulators.ts'];

// Two cores: the suites start real emulators and real CLI processes, so run files a few at a time.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    // A worker runs file after file in one process: DuckDB, the SQL translator and the Google clients load once per
    // worker, not once per file (that was ~4 s of each of 100 files on two cores). Modules therefore keep their state
    // from one file to the next: state is per client or per emulator, never per process (test/warehouse/pipeline-tables.test.ts is the case that was not).
    isolate: false,
    testTimeout: 60_000,
    // Set-up hooks start emulators and deploy: on a machine busy with other suites that took minutes, not seconds.
    hookTimeout: 300_000,
    projects: [
      { extends: true, test: { name: 'unit', include: TIERS.unit } },
      { extends: true, test: { name: 'integration', include: TIERS.integration, globalSetup: sharedEmulators } },
      { extends: true, test: { name: 'e2e', include: [...TIERS.e2e, ...unlisted], globalSetup: sharedEmulators } },
    ],
  },
});

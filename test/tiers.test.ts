/** Every test file is in exactly one tier of test/tiers.ts, so `npm run test:unit|integration|e2e` together run them all. */
import { expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { checkTiers, testFiles } from './tiers.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

test('every test file is listed in exactly one tier, and every listed file exists', () => {
  expect(testFiles(repoRoot).length).toBeGreaterThan(50);
  const { unlisted, twice, missing } = checkTiers(repoRoot);
  expect({ unlisted, twice, missing }, 'add each new test file to one list of test/tiers.ts').toEqual({ unlisted: [], twice: [], missing: [] });
});

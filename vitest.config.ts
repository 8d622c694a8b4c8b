import { defineConfig } from 'vitest/config';

// Two cores: the suites start real emulators and real CLI processes, so run files a few at a time.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Names each file's log under test-results/logs/ and prints it when a test of the file failed.
    setupFiles: ['test/setup-file.ts'],
    // Each file runs in its own process (the Temporal worker's native runtime is per process).
    pool: 'forks',
    // Files run side by side although the machine may have 2 cores (vitest's default would then be one at a time):
    // most of a file's time is spent waiting on Temporal, Postgres and HTTP, and each file has its own database,
    // task queue, simulator, receiver and workers, so files do not see each other.
    maxWorkers: 4,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});

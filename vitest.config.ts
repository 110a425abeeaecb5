import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Names each file's log under test-results/logs/ and prints it when a test of the file failed.
    setupFiles: ['test/setup-file.ts'],
    // Each file runs in its own process (the Temporal worker's native runtime is per process).
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Names each file's log under test-results/logs/ and prints it when a test of the file failed.
    setupFiles: ['test/setup-file.ts'],
    // Files run in worker processes (forks), each process running one file after another without re-importing the
    // modules (isolate: false): importing the Temporal worker, the Stripe SDK and the stack cost every file about 2 s
    // of CPU, half of the suite's time. Files share no state: each starts its own stack (database, task queue,
    // simulator, receiver, workers), and the Temporal runtime is installed once per process (test/helpers/test-log.ts).
    pool: 'forks',
    isolate: false,
    // Files run side by side although the machine may have 2 cores (vitest's default would then be one at a time):
    // most of a file's time is spent waiting on Temporal, Postgres and HTTP, and each file has its own database,
    // task queue, simulator, receiver and workers, so files do not see each other.
    maxWorkers: 3,
    // expect.poll waits for a condition (a workflow's state, a row): 1 s, vitest's default, is a wall-clock budget a
    // busy machine misses. Waiting longer changes nothing when the condition holds; it only ends a failure later.
    expect: { poll: { timeout: 20_000 } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});

import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// Where a test file's logs go, without the Temporal worker package: test/setup-file.ts runs before every file,
// unit tests too, and importing @temporalio/worker there cost each of them about a second of CPU.

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** test-results/logs/<test file path with / turned into __>.log, for the test file this process runs. */
export function testLogPath(testFile: string): string {
  return join(projectRoot, 'test-results', 'logs', `${relative(projectRoot, testFile).replaceAll('/', '__')}.log`);
}

/** Set by test/setup-file.ts for each test file before the file is imported. */
export function currentTestLogPath(): string {
  const path = process.env.FC_TEST_LOG_FILE;
  if (!path) throw new Error('FC_TEST_LOG_FILE is not set: test/setup-file.ts runs before every test file (vitest.config.ts setupFiles)');
  return path;
}

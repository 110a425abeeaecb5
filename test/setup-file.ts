import { existsSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
import { afterAll, afterEach, expect } from 'vitest';
import { testLogPath } from './helpers/test-log-path';

// Runs before each test file: names the file's log (test/helpers/test-log-path.ts) and, when a test of the file failed,
// prints where that log is, since the console only shows warnings.
const testFile = expect.getState().testPath;
if (testFile) {
  process.env.FC_TEST_LOG_FILE = testLogPath(testFile);
  rmSync(process.env.FC_TEST_LOG_FILE, { force: true });
}

let failed = false;
afterEach(({ task }) => {
  if (task.result?.state === 'fail') failed = true;
});
afterAll(() => {
  const path = process.env.FC_TEST_LOG_FILE;
  if (failed && path && existsSync(path)) process.stderr.write(`\nlogs of ${relative(process.cwd(), testFile ?? '')}: ${relative(process.cwd(), path)}\n`);
});

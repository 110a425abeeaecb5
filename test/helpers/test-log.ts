import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { pino, type Logger } from 'pino';
import { currentTestLogPath } from './test-log-path';

// Where a test file's logs go. The console gets warnings and errors only (or LOG_LEVEL, when set); the file gets
// everything from info up, so a failed test's story is still there after the run (test/setup-file.ts prints the path).

export function appendToTestLog(text: string): void {
  const path = currentTestLogPath();
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, text);
}

/** Console threshold in tests: LOG_LEVEL when given, else warn. */
export const consoleLogLevel = (): pino.Level => (process.env.LOG_LEVEL as pino.Level | undefined) ?? 'warn';

/** A pino logger writing info and up to the file's log and warn and up (or LOG_LEVEL) to the console. */
export function createTestLogger(bindings: Record<string, string>): Logger {
  const path = currentTestLogPath();
  mkdirSync(dirname(path), { recursive: true });
  const consoleLevel = consoleLogLevel();
  const fileLevel: pino.Level = pino.levels.values[consoleLevel]! < pino.levels.values.info! ? consoleLevel : 'info';
  const streams = pino.multistream([
    { level: fileLevel, stream: pino.destination({ dest: path, append: true, sync: true }) },
    { level: consoleLevel, stream: process.stdout },
  ]);
  return pino({ level: fileLevel, base: { service: 'fc-refresh', ...bindings } }, streams);
}

/** Log metadata may hold bigints and errors, which JSON.stringify would throw on or print as {}. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

/** A warning the product causes by design: its Stripe task queue's worker runs activities only. */
const EXPECTED_WARNINGS = ['No workflows registered, not polling for workflow tasks'];

const TEMPORAL_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
let runtimeInstalled = false;

/**
 * The Temporal runtime's log (worker state changes, activity and workflow logs) into the same file; only warnings
 * and errors (or LOG_LEVEL) on the console. The runtime is installed once per process; vitest runs files one after
 * another in a process (isolate: false), and each log line goes to the log of the file running when it is written.
 */
export function installTestRuntimeLogger(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const consoleAt = TEMPORAL_LEVELS.indexOf(consoleLogLevel().toUpperCase() as (typeof TEMPORAL_LEVELS)[number]);
  const consoleFrom = consoleAt < 0 ? TEMPORAL_LEVELS.indexOf('WARN') : consoleAt;
  Runtime.install({
    logger: new DefaultLogger('INFO', (entry) => {
      const line = `${JSON.stringify({ time: Number(entry.timestampNanos / 1_000_000n), level: entry.level, msg: entry.message, ...entry.meta }, jsonSafe)}\n`;
      appendToTestLog(line);
      if (TEMPORAL_LEVELS.indexOf(entry.level) >= consoleFrom && !EXPECTED_WARNINGS.includes(entry.message)) process.stdout.write(line);
    }),
  });
}

// Node-only: never imported by workflow code (eslint.config.js forbids it under workflows/).
import { pino } from 'pino';
import { readableLogLine } from './readable-log';

// Structured JSON logs. Secrets and PII never reach them: anything with these names is censored, and call
// sites log ids and counts, not Stripe objects.
// Under vitest (VITEST is set) only warnings and errors, so test output stays readable; LOG_LEVEL overrides both.
// At a terminal the lines are printed readable and coloured (common/node/readable-log.ts); piped, collected by a log
// shipper, or with LOG_FORMAT=json they stay one JSON object per line.
const readable = process.stdout.isTTY === true && process.env.LOG_FORMAT !== 'json';

const options: pino.LoggerOptions = {
  level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'warn' : 'info'),
  base: { service: 'fc-refresh' },
  redact: {
    paths: ['*.secretKey', '*.apiKey', '*.password', '*.authorization', '*.name', '*.email', '*.phone', '*.raw_address', '*.description'],
    censor: '[redacted]',
  },
};

export const logger = readable ? pino(options, { write: (line: string) => process.stdout.write(readableLogLine(line)) }) : pino(options);

// Node-only: never imported by workflow code (eslint.config.js forbids it under workflows/).
import { pino } from 'pino';

// Structured JSON logs. Secrets and PII never reach them: anything with these names is censored, and call
// sites log ids and counts, not Stripe objects.
// Under vitest (VITEST is set) only warnings and errors, so test output stays readable; LOG_LEVEL overrides both.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'warn' : 'info'),
  base: { service: 'fc-refresh' },
  redact: {
    paths: ['*.secretKey', '*.apiKey', '*.password', '*.authorization', '*.name', '*.email', '*.phone', '*.raw_address', '*.description'],
    censor: '[redacted]',
  },
});

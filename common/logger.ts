import { pino } from 'pino';

// Structured JSON logs. Secrets and PII never reach them: anything with these names is censored, and call
// sites log ids and counts, not Stripe objects.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: 'fc-refresh' },
  redact: {
    paths: ['*.secretKey', '*.apiKey', '*.password', '*.authorization', '*.name', '*.email', '*.phone', '*.raw_address', '*.description'],
    censor: '[redacted]',
  },
});

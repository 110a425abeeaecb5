import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { RejectionReason } from './verify-event';
import type { EventOutcome } from './handle-event';

type WebhookResult = EventOutcome | RejectionReason | 'error';

/** Prometheus metrics for one receiver; a registry per app keeps test instances apart. */
export function createWebhookMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const events = new Counter({
    name: 'fc_webhook_events_total',
    help: 'Stripe webhook deliveries by event type and result',
    labelNames: ['type', 'result'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'fc_webhook_handling_seconds',
    help: 'Time from receiving a Stripe webhook delivery to answering it',
    labelNames: ['result'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    /** `type` is 'unknown' for a delivery refused before its type could be trusted. */
    observe(type: string, result: WebhookResult, seconds: number) {
      events.inc({ type, result });
      latency.observe({ result }, seconds);
    },
  };
}

export type WebhookMetrics = ReturnType<typeof createWebhookMetrics>;

import type { Client } from '@temporalio/client';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { healthRoutes } from './health-routes';
import { createWebhookMetrics } from './metrics';
import { stripeWebhookRoute } from './stripe-route';

export interface WebhookAppDeps {
  temporal: Client;
  /** Where refresh workflows started by a webhook run. */
  taskQueue: string;
  pool: pg.Pool;
  /** Only its webhook signature verification is used. */
  stripe: Stripe;
  webhookSecret: string;
  logger: Logger;
  /** Budget for the Temporal calls of one delivery (default 5 s). */
  temporalTimeoutMs?: number;
}

/** The Stripe webhook receiver: verify, record once, hand to Temporal. Health and metrics alongside. */
export function buildWebhookApp(deps: WebhookAppDeps): FastifyInstance {
  // Fastify's own request logs would carry headers and URLs; the routes log one line per event instead.
  const app = Fastify({ logger: false });
  const metrics = createWebhookMetrics();

  app.setErrorHandler<FastifyError>((err, _request, reply) => {
    const statusCode = typeof err.statusCode === 'number' && err.statusCode < 500 ? err.statusCode : 500;
    if (statusCode === 500) deps.logger.error({ error: err.message }, 'unexpected error in webhook receiver');
    return reply.code(statusCode).send({ error: statusCode === 500 ? 'internal_error' : err.code ?? 'bad_request' });
  });

  void app.register(healthRoutes, { pool: deps.pool, temporal: deps.temporal, metrics });
  const temporalTimeoutMs = deps.temporalTimeoutMs ?? 5_000;
  void app.register(stripeWebhookRoute, {
    // A delivery's claim on an event outlasts its Temporal budget, so a concurrent delivery never takes over early.
    deps: { ...deps, temporalTimeoutMs, claimLeaseMs: temporalTimeoutMs + 2_000 },
    metrics,
  });
  return app;
}

import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { UnstorableEventError } from '../db/queries/events';
import { fcAccountOf, handleStripeEvent, type EventHandlingDeps } from './handle-event';
import type { WebhookMetrics } from './metrics';
import { verifyStripeEvent, WebhookRejectedError } from './verify-event';

export interface StripeRouteDeps extends EventHandlingDeps {
  stripe: Stripe;
  webhookSecret: string;
  logger: Logger;
  /** Budget for the Temporal calls of one delivery; Stripe gives up on a slow endpoint and retries later. */
  temporalTimeoutMs: number;
}

/**
 * POST /webhooks/stripe. 400 when the delivery cannot be trusted, read or stored (nothing recorded), 200 once the event
 * is handled or was handled before, 503 when Postgres or Temporal failed (the event stays unprocessed; Stripe retries).
 */
export async function stripeWebhookRoute(app: FastifyInstance, options: { deps: StripeRouteDeps; metrics: WebhookMetrics }): Promise<void> {
  const { deps, metrics } = options;
  // Keep the body as the bytes Stripe signed; this parser applies to this route's scope only.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post('/webhooks/stripe', async (request, reply) => {
    const startedAt = performance.now();
    const elapsed = () => (performance.now() - startedAt) / 1000;
    let event: Stripe.Event;
    try {
      event = verifyStripeEvent(deps.stripe, request.body, request.headers['stripe-signature'], deps.webhookSecret);
    } catch (err) {
      if (!(err instanceof WebhookRejectedError)) throw err;
      metrics.observe('unknown', err.reason, elapsed());
      deps.logger.warn({ result: err.reason, reason: err.message }, 'stripe webhook refused');
      return reply.code(400).send({ error: err.reason });
    }
    const context = { eventId: event.id, type: event.type, accountId: fcAccountOf(event)?.id };
    try {
      const outcome = await deps.temporal.withDeadline(Date.now() + deps.temporalTimeoutMs, () => handleStripeEvent(deps, event));
      metrics.observe(event.type, outcome, elapsed());
      deps.logger.info({ ...context, result: outcome }, 'stripe webhook handled');
      return reply.code(200).send(outcome === 'duplicate' ? { received: true, duplicate: true } : { received: true });
    } catch (err) {
      if (err instanceof UnstorableEventError) {
        metrics.observe(event.type, 'malformed', elapsed());
        deps.logger.warn({ ...context, result: 'malformed', reason: err.message }, 'stripe webhook refused');
        return reply.code(400).send({ error: 'malformed' });
      }
      metrics.observe(event.type, 'error', elapsed());
      deps.logger.error({ ...context, result: 'error', error: err instanceof Error ? err.message : String(err) }, 'stripe webhook failed; Stripe will retry');
      return reply.code(503).send({ error: 'temporarily_unavailable' });
    }
  });
}

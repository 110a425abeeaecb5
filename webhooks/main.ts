import { loadConfigOrExit } from '../common/node/config';
import { logger as rootLogger } from '../common/node/logger';
import { createStripeClient } from '../common/node/stripe-client';
import { connectTemporalClient } from '../client/connect';
import { createPool } from '../db/pool';
import { buildWebhookApp } from './app';

// `npm run webhooks`: the Stripe webhook receiver. Point Stripe (or `stripe listen --forward-to
// http://localhost:4242/webhooks/stripe`) at it.
const config = loadConfigOrExit(['temporal', 'database', 'stripe', 'webhook']);
const logger = rootLogger.child({ component: 'webhooks' });

const temporal = await connectTemporalClient(config).catch((err: unknown) => {
  logger.fatal({ error: err instanceof Error ? err.message : String(err) }, 'cannot start: Temporal unreachable');
  process.exit(3);
});
const pool = createPool(config.DATABASE_URL);
const stripe = createStripeClient({ secretKey: config.STRIPE_SECRET_KEY, ...(config.STRIPE_API_BASE ? { apiBase: config.STRIPE_API_BASE } : {}) });
const app = buildWebhookApp({ temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, pool, stripe, webhookSecret: config.STRIPE_WEBHOOK_SECRET, logger });

const address = await app.listen({ host: config.WEBHOOK_HOST, port: config.WEBHOOK_PORT });
logger.info({ address, namespace: config.temporal.namespace, taskQueue: config.TEMPORAL_TASK_QUEUE }, 'webhook receiver ready');

// Finish the deliveries in flight (Fastify stops accepting first), then release connections.
let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'webhook receiver stopping');
  await app.close();
  await Promise.allSettled([pool.end(), temporal.connection.close()]);
  process.exit(0);
}
process.once('SIGTERM', (signal) => void shutdown(signal));
process.once('SIGINT', (signal) => void shutdown(signal));

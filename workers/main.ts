// `npm run worker`: one process running the refresh workflows and activities, configured from the environment.
import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfigOrExit } from '../common/config';
import { logger } from '../common/logger';
import { FleetRequestBudget, stripeBudgetKey } from '../common/fleet-request-budget';
import { createStripeClient } from '../common/stripe-client';
import { temporalConnectionOptions } from '../common/temporal-connection';
import { createPool } from '../db/pool';
import { createWorkers, runWorkers } from './create-workers';
import { applyDailySyncOnStart } from './daily-sync-on-start';

const config = loadConfigOrExit(['temporal', 'database', 'stripe', 'metrics', 'schedule']);
if (config.WORKER_METRICS_ADDRESS !== 'off') {
  Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS } } } });
}
const pool = createPool(config.DATABASE_URL);
// Every worker sharing the Stripe key draws on one budget in Postgres: the fleet together keeps the limit.
const stripe = createStripeClient({
  secretKey: config.STRIPE_SECRET_KEY,
  apiBase: config.STRIPE_API_BASE,
  requestBudget: new FleetRequestBudget(pool, stripeBudgetKey(config.STRIPE_SECRET_KEY), config.STRIPE_MAX_REQUESTS_PER_SECOND),
});

try {
  const connectionOptions = await temporalConnectionOptions(config);
  const connection = await NativeConnection.connect({
    address: connectionOptions.address,
    ...(connectionOptions.tls !== undefined ? { tls: connectionOptions.tls } : {}),
    ...(connectionOptions.apiKey !== undefined ? { apiKey: connectionOptions.apiKey as string } : {}),
  });
  const workers = await createWorkers({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps: { stripe, pool },
    stripeRequestsPerSecond: config.STRIPE_MAX_REQUESTS_PER_SECOND,
  });
  await applyDailySyncOnStart(config);
  logger.info(
    { taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE, temporal: config.TEMPORAL_ADDRESS, metrics: config.WORKER_METRICS_ADDRESS },
    'worker started',
  );
  try {
    await runWorkers(workers);
  } finally {
    await connection.close();
  }
  logger.info('worker stopped');
} catch (err) {
  logger.error({ err }, 'worker failed');
  process.exitCode = 1;
} finally {
  await pool.end();
}

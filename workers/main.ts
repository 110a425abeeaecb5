// `npm run worker`: one process running the refresh workflows and activities, configured from the environment.
import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfigOrExit } from '../common/config';
import { logger } from '../common/logger';
import { createStripeClient } from '../common/stripe-client';
import { stripeTaskQueue } from '../common/task-queues';
import { temporalConnectionOptions } from '../common/temporal-connection';
import { createPool } from '../db/pool';
import { createWorkers, runWorkers } from './create-workers';
import { applyDailySyncOnStart } from './daily-sync-on-start';
import { sdkLogger } from './sdk-logger';
import { chooseWorkflowBundle } from './workflow-code';

const config = loadConfigOrExit(['temporal', 'database', 'stripe', 'metrics', 'schedule', 'workflowBundle']);
Runtime.install({
  logger: sdkLogger('INFO', { activityOnlyTaskQueue: stripeTaskQueue(config.TEMPORAL_TASK_QUEUE) }),
  ...(config.WORKER_METRICS_ADDRESS === 'off' ? {} : { telemetryOptions: { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS } } } }),
});
const pool = createPool(config.DATABASE_URL);
const stripe = createStripeClient({
  secretKey: config.STRIPE_SECRET_KEY,
  apiBase: config.STRIPE_API_BASE,
  maxRequestsPerSecond: config.STRIPE_MAX_REQUESTS_PER_SECOND,
});

try {
  const connectionOptions = await temporalConnectionOptions(config);
  const connection = await NativeConnection.connect({
    address: connectionOptions.address,
    ...(connectionOptions.tls !== undefined ? { tls: connectionOptions.tls } : {}),
    ...(connectionOptions.apiKey !== undefined ? { apiKey: connectionOptions.apiKey as string } : {}),
  });
  const workflowBundle = chooseWorkflowBundle({ bundlePath: config.WORKFLOW_BUNDLE_PATH, production: config.NODE_ENV === 'production' });
  const workers = await createWorkers({
    ...(workflowBundle ? { workflowBundle } : {}),
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps: { stripe, pool },
    stripeRequestsPerSecond: config.STRIPE_MAX_REQUESTS_PER_SECOND,
  });
  await applyDailySyncOnStart(config);
  logger.info(
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      namespace: config.TEMPORAL_NAMESPACE,
      temporal: config.TEMPORAL_ADDRESS,
      metrics: config.WORKER_METRICS_ADDRESS,
      workflows: workflowBundle?.codePath ?? 'bundled at start',
    },
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

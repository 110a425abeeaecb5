// `npm run worker`: one process running the refresh workflows and activities, configured from the environment.
import { NativeConnection, Runtime } from '@temporalio/worker';
import { connectTemporalClient } from '../client/connect';
import { ensurePruneSchedule, pruneScheduleId } from '../client/prune-schedule';
import { loadConfigOrExit } from '../common/node/config';
import { logger } from '../common/node/logger';
import { FleetRequestBudget, stripeBudgetKey } from '../common/node/fleet-request-budget';
import { createStripeClient } from '../common/node/stripe-client';
import { stripeTaskQueue } from '../common/task-queues';
import { createPool, useNamedStatements } from '../db/pool';
import { retentionAgesOf } from '../db/queries/retention';
import { createWorkers, runWorkers } from './create-workers';
import { startChangeNotifier } from './change-notifier';
import { applyDailySyncOnStart } from './daily-sync-on-start';
import { sdkLogger } from './sdk-logger';
import { chooseWorkflowBundle } from './workflow-code';

const config = loadConfigOrExit(['temporal', 'database', 'stripe', 'metrics', 'schedule', 'retention', 'workflowBundle']);
Runtime.install({
  logger: sdkLogger('INFO', { activityOnlyTaskQueue: stripeTaskQueue(config.TEMPORAL_TASK_QUEUE) }),
  ...(config.WORKER_METRICS_ADDRESS === 'off' ? {} : { telemetryOptions: { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS } } } }),
});
useNamedStatements(config.FC_PG_NAMED_STATEMENTS === 'true');
const pool = createPool(config.DATABASE_URL);
// Every worker sharing the Stripe key draws on one budget in Postgres: the fleet together keeps the limit.
const stripe = createStripeClient({
  secretKey: config.STRIPE_SECRET_KEY,
  apiBase: config.STRIPE_API_BASE,
  requestBudget: new FleetRequestBudget(pool, stripeBudgetKey(config.STRIPE_SECRET_KEY), config.STRIPE_MAX_REQUESTS_PER_SECOND),
});

try {
  const connection = await NativeConnection.connect(config.temporal.connectionOptions);
  const workflowBundle = chooseWorkflowBundle({ bundlePath: config.WORKFLOW_BUNDLE_PATH, production: config.NODE_ENV === 'production' });
  const workers = await createWorkers({
    ...(workflowBundle ? { workflowBundle } : {}),
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps: { stripe, pool, firstSyncRanges: config.FC_FIRST_SYNC_RANGES },
    stripeRequestsPerSecond: config.STRIPE_MAX_REQUESTS_PER_SECOND,
    retention: retentionAgesOf(config),
  });
  await applyDailySyncOnStart(config);
  const temporal = await connectTemporalClient(config);
  if (config.FC_PRUNE_SCHEDULE_ON_START === 'true') {
    logger.info({ scheduleId: pruneScheduleId(config.TEMPORAL_TASK_QUEUE), outcome: await ensurePruneSchedule(temporal, config.TEMPORAL_TASK_QUEUE) }, 'prune schedule');
  }
  const notifier = await startChangeNotifier({ databaseUrl: config.DATABASE_SESSION_URL ?? config.DATABASE_URL, pool, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, logger });
  logger.info(
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      namespace: config.temporal.namespace,
      temporal: config.temporal.connectionOptions.address,
      metrics: config.WORKER_METRICS_ADDRESS,
      workflows: workflowBundle?.codePath ?? 'bundled at start',
    },
    'worker started',
  );
  try {
    await runWorkers(workers);
  } finally {
    await notifier.stop();
    await temporal.connection.close();
    await connection.close();
  }
  logger.info('worker stopped');
} catch (err) {
  logger.error({ err }, 'worker failed');
  process.exitCode = 1;
} finally {
  await pool.end();
}

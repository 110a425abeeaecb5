import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createDbActivities, createStripeActivities, type ActivityDeps } from '../activities';
import { stripeTaskQueue } from '../common/task-queues';
import type { RetentionAges } from '../db/queries/retention';

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Ages the daily retention job prunes by (default: the FC_*_RETENTION_DAYS defaults). */
  retention?: RetentionAges;
  /** Stripe requests per second across every worker on this task queue (server-side limit). */
  stripeRequestsPerSecond: number;
  /** Pre-built workflow bundle (production, and tests: built once per run); else workflows/ is bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Extra workflows' entry, e.g. account and schedule workflows living in the same index. */
  identity?: string;
}

/** Activity starts on the Stripe queue allowed per Stripe request per second (see the Stripe worker below). */
export const STRIPE_QUEUE_STARTS_PER_REQUEST = 3;

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** For bundling ahead of time (tests, benchmarks): webpack's progress stays quiet, its warnings and errors do not. */
export const quietBundlerLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
  error: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
};

/**
 * Two workers per process: one runs workflows and their Postgres bookkeeping; the other runs the Stripe
 * activities on a separate queue, whose starts `maxTaskQueueActivitiesPerSecond` caps fleet-wide (the request budget
 * in Postgres paces the Stripe requests themselves).
 */
export async function createWorkers(setup: WorkerSetup): Promise<Worker[]> {
  const common = { connection: setup.connection, namespace: setup.namespace, ...(setup.identity ? { identity: setup.identity } : {}) };
  const workflowWorker = await Worker.create({
    ...common,
    taskQueue: setup.taskQueue,
    ...(setup.workflowBundle ? { workflowBundle: setup.workflowBundle } : { workflowsPath }),
    activities: createDbActivities({ ...setup.deps, ...(setup.retention ? { retention: setup.retention } : {}) }),
  });
  const stripeWorker = await Worker.create({
    ...common,
    taskQueue: stripeTaskQueue(setup.taskQueue),
    activities: createStripeActivities(setup.deps),
    // Every Stripe request is paced by the request budget (deps.stripe); this server-side cap on activity starts only
    // keeps a surge from parking more activities than the budget can serve. A refresh on the ordinary path starts
    // three activities here (state, initiate, store) for one request, so a cap of one start per request would hold
    // refreshes to a third of the rate Stripe allows (figure 1b).
    maxTaskQueueActivitiesPerSecond: setup.stripeRequestsPerSecond * STRIPE_QUEUE_STARTS_PER_REQUEST,
    // Cancellation reaches an activity only in a heartbeat's answer: paging activities heartbeat every page, and a
    // short throttle lets a cancelled refresh stop paging Stripe within seconds instead of up to a minute.
    maxHeartbeatThrottleInterval: '2 seconds',
  });
  return [workflowWorker, stripeWorker];
}

/** Runs the workers until shutdown (SIGINT/SIGTERM are handled by the SDK runtime: in-flight tasks finish). */
export async function runWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((worker) => worker.run()));
}

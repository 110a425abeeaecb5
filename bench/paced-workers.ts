// Workers of their own on a bench stack, configured as `npm run worker` ships them: every Stripe request paced by a
// fleet request budget in Postgres, and the Stripe queue's server-side limit at the same rate. Each set has its own
// task queue and budget row, so measurements never share a budget with the stack's own (unpaced) workers.
import { randomBytes } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { FleetRequestBudget } from '../common/node/fleet-request-budget';
import { createStripeClient } from '../common/node/stripe-client';
import { createWorkers } from '../workers/create-workers';
import { productWorkflowBundle, type ProductStack } from './stack';

/** STRIPE_MAX_REQUESTS_PER_SECOND's default (common/node/config.ts). */
export const SHIPPED_REQUESTS_PER_SECOND = 20;

export interface PacedWorkers {
  taskQueue: string;
  stop(): Promise<void>;
}

export async function startPacedWorkers(stack: ProductStack, options: { name: string; requestsPerSecond: number; firstSyncRanges?: number }): Promise<PacedWorkers> {
  if (!stack.nativeConnection) throw new Error('paced workers need the bench stack in-process workers connection');
  const taskQueue = `${stack.taskQueue}-${options.name}`;
  const stripe = createStripeClient({
    secretKey: 'sk_test_simulator',
    apiBase: stack.simulator.url,
    requestBudget: new FleetRequestBudget(stack.pool, `bench-${options.name}-${randomBytes(4).toString('hex')}`, options.requestsPerSecond),
  });
  const workers: Worker[] = await createWorkers({
    connection: stack.nativeConnection,
    namespace: 'default',
    taskQueue,
    deps: { stripe, pool: stack.pool, ...(options.firstSyncRanges ? { firstSyncRanges: options.firstSyncRanges } : {}) },
    stripeRequestsPerSecond: options.requestsPerSecond,
    workflowBundle: { code: await productWorkflowBundle() },
  });
  const running = Promise.all(workers.map((worker) => worker.run()));
  return {
    taskQueue,
    async stop() {
      for (const worker of workers) worker.shutdown();
      await running;
    },
  };
}

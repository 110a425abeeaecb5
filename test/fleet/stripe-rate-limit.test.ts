import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { refreshWorkflowId } from '../../common/workflow-ids';
import type { RefreshResult } from '../../workflows/refresh-definitions';
import { FAST_POLL } from '../helpers/refresh';
import { startStack, type Stack } from '../helpers/stack';
import { killProcess, startWorkerProcess } from '../helpers/worker-process';
import { REFRESH_WORKFLOW_TYPE } from '../../common/workflow-types';

const LIMIT = 20;
const WORKERS = 3;

let stack: Stack;
let workers: ChildProcess[] = [];
/** When each Stripe API request reached the simulator (its own per-call count, with the time added). */
const arrivals: number[] = [];

beforeAll(async () => {
  stack = await startStack();
  await stack.stopWorkers(); // the fleet is WORKERS real processes
  // Stripe's test-mode limits enforced (25 requests per second, 25 per endpoint): pacing is tested against a limit
  // that answers 429 rate_limit, not only counted.
  await stack.simulator.setRateLimit({ enabled: true });
  const counters = stack.simulatorWorld.counters;
  const count = counters.call.bind(counters);
  counters.call = (route, accountId) => {
    arrivals.push(performance.now());
    count(route, accountId);
  };
  const env = {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    DATABASE_URL: stack.databaseUrl,
    STRIPE_API_BASE: stack.simulatorUrl,
    STRIPE_MAX_REQUESTS_PER_SECOND: String(LIMIT),
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
  };
  workers = await Promise.all(Array.from({ length: WORKERS }, () => startWorkerProcess(env)));
}, 300_000);
afterAll(async () => {
  await Promise.all(workers.map(killProcess));
  await stack?.close();
});

/** The most requests that arrived in any one-second window [t, t + 1 s), t being any arrival. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; first < sorted.length; first += 1) {
    while (last < sorted.length && (sorted[last] as number) < (sorted[first] as number) + 1000) last += 1;
    most = Math.max(most, last - first);
  }
  return most;
}

test(`${WORKERS} workers together never send Stripe more than ${LIMIT} requests in any second, pages and retries included, and Stripe's enforced limit never refuses one`, async () => {
  // Paged transactions and owners keep every worker busy at once; injected 500s make the SDK retry.
  const accounts = await Promise.all(Array.from({ length: 6 }, () => stack.simulator.createAccount({ transactionCount: 450, ownerCount: 120 })));
  await stack.simulator.setApiFaults({ failNext: 5, errorRate: 0.05, statuses: [500], seed: 15 });
  const runs = accounts.flatMap((account) =>
    (['transactions', 'ownership', 'balance'] as const).map(async (feature) => {
      const handle = await stack.client.workflow.start(REFRESH_WORKFLOW_TYPE, {
        taskQueue: stack.taskQueue,
        workflowId: refreshWorkflowId(feature, account.id),
        args: [{ accountId: account.id, feature, trigger: 'request', pollIntervalSeconds: FAST_POLL }],
      });
      return (await handle.result()) as RefreshResult;
    }),
  );
  const results = await Promise.all(runs);
  expect(results.map((result) => result.outcome)).toEqual(results.map(() => 'succeeded'));

  const counters = await stack.simulator.counters();
  expect(counters.apiFaultsInjected).toBeGreaterThan(0);
  const seconds = (arrivals[arrivals.length - 1]! - arrivals[0]!) / 1000;
  // Enough requests, fast enough, that a per-process limit (3 × 20/s) would have broken the fleet's.
  expect(arrivals.length).toBeGreaterThan(3 * LIMIT);
  // How much of the budget the fleet used depends on how busy the machine is: `npm run chaos -- --cluster` reports it.
  expect(busiestSecond(arrivals)).toBeLessThanOrEqual(LIMIT);
  // Stripe's own count agrees: nothing refused with 429, no second above the limit.
  const traffic = await stack.simulator.traffic();
  expect(traffic).toMatchObject({ rateLimited: 0, maxPerSecond: expect.any(Number) });
  expect(traffic.maxPerSecond).toBeLessThanOrEqual(LIMIT);
  console.info(`${arrivals.length} Stripe requests in ${seconds.toFixed(1)} s across ${WORKERS} workers; busiest second ${busiestSecond(arrivals)}`);
}, 180_000);

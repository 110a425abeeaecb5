// 1b. Refresh throughput at the shipped defaults (STRIPE_MAX_REQUESTS_PER_SECOND=20): N balance refreshes at once on
// workers paced as `npm run worker` paces them, against what that request rate allows for the Stripe requests the
// refreshes made (counted by the simulator in the same run). The budget spaces request starts 1.2 s / limit apart
// (common/node/fleet-request-budget.ts: jitter must never put more than the limit into one second at Stripe), so
// the bound is given twice: the budget's own rate, and the nominal limit.
import { SPACING_WINDOW_MS } from '../common/node/fleet-request-budget';
import { linkAccounts } from './accounts';
import { inParallel, log, round } from './measure';
import { SHIPPED_REQUESTS_PER_SECOND, startPacedWorkers } from './paced-workers';
import { runRefresh } from './refreshes';
import type { ProductStack } from './stack';

export interface ThroughputAtDefaultsResult {
  perSec: number;
  /** Refreshes/s the fleet budget allows: its request rate (limit / 1.2 s) over the requests per refresh. */
  rateBoundPerSec: number;
  ratio: number;
  /** The limit itself over the requests per refresh, and the ratio to that. */
  nominalRateBoundPerSec: number;
  nominalRatio: number;
  callsPerRefresh: number;
}

const stripeRequests = async (stack: ProductStack): Promise<number> => Object.values((await stack.simulator.control.counters()).calls).reduce((sum, n) => sum + n, 0);

export async function measureRefreshThroughputAtDefaults(stack: ProductStack, count: number): Promise<ThroughputAtDefaultsResult> {
  const limit = SHIPPED_REQUESTS_PER_SECOND;
  const workers = await startPacedWorkers(stack, { name: 'defaults', requestsPerSecond: limit });
  try {
    const warmup = Math.min(20, count);
    // Accounts synced before (snapshot an hour old), as on the ordinary path; refreshes complete 300 ms after they
    // start, as in figure 4 (one that completes within its own refresh call's round trip costs retrieves).
    const accounts = await linkAccounts(stack, warmup + count, { refreshLatencyMs: 300 }, { backfill: true });
    const refresh = (accountId: string) => runRefresh(stack.client, workers.taskQueue, accountId, 'balance');
    await inParallel(accounts.slice(0, warmup), warmup, refresh);
    const before = await stripeRequests(stack);
    const started = performance.now();
    await inParallel(accounts.slice(warmup), count, refresh);
    const seconds = (performance.now() - started) / 1000;
    const callsPerRefresh = ((await stripeRequests(stack)) - before) / count;
    const perSec = count / seconds;
    const rateBoundPerSec = (limit * 1000) / SPACING_WINDOW_MS / callsPerRefresh;
    const nominalRateBoundPerSec = limit / callsPerRefresh;
    log(`throughput at defaults: ${count} balance refreshes in ${seconds.toFixed(1)} s, ${callsPerRefresh.toFixed(3)} Stripe requests each`);
    return {
      perSec: round(perSec, 2),
      rateBoundPerSec: round(rateBoundPerSec, 2),
      ratio: round(perSec / rateBoundPerSec, 2),
      nominalRateBoundPerSec: round(nominalRateBoundPerSec, 2),
      nominalRatio: round(perSec / nominalRateBoundPerSec, 2),
      callsPerRefresh: round(callsPerRefresh, 3),
    };
  } finally {
    await workers.stop();
  }
}

/** Figure 1b's row and note in results.md. */
export function throughputAtDefaultsMarkdown(t: ThroughputAtDefaultsResult, count: number, measured: string): { row: string; note: string } {
  return {
    row: `| 1b. refresh throughput at the shipped STRIPE_MAX_REQUESTS_PER_SECOND=${SHIPPED_REQUESTS_PER_SECOND}, ${count.toLocaleString('en-US')} balance refreshes at once | ${t.perSec} refreshes/s (${t.callsPerRefresh} Stripe requests each) | ${t.rateBoundPerSec}/s the fleet budget allows (${SHIPPED_REQUESTS_PER_SECOND} requests spaced over 1.2 s); ${t.nominalRateBoundPerSec}/s at the nominal ${SHIPPED_REQUESTS_PER_SECOND}/s | ${t.ratio} of the budget; ${t.nominalRatio} of nominal |`,
    note: `- 1b (${measured}): workers of their own paced as \`npm run worker\` ships them (every Stripe request reserves its start in the fleet budget in Postgres, starts 1.2 s / ${SHIPPED_REQUESTS_PER_SECOND} apart so that jitter never puts more than ${SHIPPED_REQUESTS_PER_SECOND} into one second at Stripe; the Stripe queue's server-side limit at ${SHIPPED_REQUESTS_PER_SECOND} activity starts/s); accounts synced before; the simulator completes each refresh 300 ms after it starts (as in 4). The bound is the request rate over the Stripe requests per refresh the simulator counted in the same run.`,
  };
}

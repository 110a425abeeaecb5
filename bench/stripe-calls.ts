// 4. Stripe calls per refresh, per feature, counted by the simulator, against the fewest the API allows.
import type { Feature } from '../common/features';
import type { CountersSnapshot } from '../simulator/control-types';
import { linkAccounts } from './accounts';
import { log, round } from './measure';
import { runRefresh } from './refreshes';
import type { ProductStack } from './stack';

export type CallsPerFeature = Record<Feature, number>;

export interface StripeCallsResult extends CallsPerFeature {
  minimum: CallsPerFeature;
}

const TRANSACTION_LIST = 'GET /v1/financial_connections/transactions';

/**
 * The fewest requests a refresh can make with one page of data: POST …/refresh (its answer says whether it started,
 * and the refreshed_* webhook then carries the account: its balance, its ownership id, its transaction refresh id),
 * plus one page of owners or transactions. Checking availability needs no call of its own: a refresh asked for too
 * early is answered 200 and not initiated.
 */
const MINIMUM: CallsPerFeature = { balance: 1, ownership: 2, transactions: 2 };

/** Requests naming the account (retrieve, refresh, owners) plus transaction list pages, which name it in the query. */
function callsFor(counters: CountersSnapshot, accountId: string): number {
  const named = Object.values(counters.callsByAccount[accountId] ?? {}).reduce((sum, n) => sum + n, 0);
  return named + (counters.calls[TRANSACTION_LIST] ?? 0);
}

export async function measureStripeCalls(stack: ProductStack, accountsPerFeature: number): Promise<StripeCallsResult> {
  const perFeature = {} as CallsPerFeature;
  // One page each: a single owner, 50 transactions. No fresh snapshot: the account was linked earlier. A refresh
  // takes 300 ms, as Stripe's take at least that long: one finishing within the refresh call's own round trip costs
  // one more call (balance: two), since its webhook cannot be told from a same-second predecessor's.
  const input = { ownerCount: 1, transactionCount: 50, refreshLatencyMs: 300 };
  for (const feature of ['balance', 'ownership', 'transactions'] as const) {
    const accounts = await linkAccounts(stack, accountsPerFeature, input);
    let calls = 0;
    for (const accountId of accounts) {
      const before = await stack.simulator.control.counters();
      await runRefresh(stack.client, stack.taskQueue, accountId, feature);
      await stack.simulator.control.waitForWebhooksIdle({ timeoutMs: 10_000 });
      const after = await stack.simulator.control.counters();
      calls += callsFor(after, accountId) - callsFor(before, accountId);
    }
    perFeature[feature] = round(calls / accounts.length, 2);
    log(`stripe calls: ${feature} ${perFeature[feature]} per refresh (minimum ${MINIMUM[feature]})`);
  }
  return { ...perFeature, minimum: MINIMUM };
}

// 4. Stripe calls per refresh, per feature, counted by the simulator, against the fewest the API allows: on the
// ordinary path (the webhook arrives) and, separately, when every webhook is lost and the workflow polls.
import type { Feature } from '../common/features';
import type { CountersSnapshot } from '../simulator/control-types';
import { linkAccounts } from './accounts';
import { inParallel, log, round } from './measure';
import { runRefresh } from './refreshes';
import type { ProductStack } from './stack';

export type CallsPerFeature = Record<Feature, number>;

export interface StripeCallsResult extends CallsPerFeature {
  /** POST …/refresh plus the pages the refreshes listed (owners, transactions), per refresh. */
  minimum: CallsPerFeature;
  /** Every refreshed_* webhook dropped: the workflow's poll finds the completion. */
  lostWebhook: CallsPerFeature;
}

export interface StripeCallsPlan {
  /** Accounts per feature, each refreshed `rounds` times on the ordinary path. */
  accounts: number;
  rounds: number;
  /** Accounts per feature refreshed once with their webhooks dropped. */
  lostWebhookAccounts: number;
}

export interface StripeCallsDetail extends StripeCallsPlan {
  refreshesPerFeature: number;
  /** Pages listed per refresh: owners (ownership), transactions (transactions). */
  pagesPerRefresh: Record<'ownership' | 'transactions', number>;
  /** Account retrieves per refresh on the ordinary path: the whole gap to the minimum. */
  retrievesPerRefresh: CallsPerFeature;
}

const TRANSACTION_LIST = 'GET /v1/financial_connections/transactions';
const OWNERS_LIST = 'GET /v1/financial_connections/accounts/:id/owners';
const RETRIEVE = 'GET /v1/financial_connections/accounts/:id';
// Refreshes in flight at once: a busy but ordinary load (the more, the slower each activity round trip on this
// machine, and the likelier a refresh completes within its own refresh call; see `measureStripeCalls`).
const IN_FLIGHT = 8;

/** Requests naming the accounts (retrieve, refresh, owners) plus transaction list pages, which name one only in the query. */
function callsFor(counters: CountersSnapshot, accounts: readonly string[]): { total: number; ownerPages: number; transactionPages: number; retrieves: number } {
  let named = 0;
  let ownerPages = 0;
  let retrieves = 0;
  for (const accountId of accounts) {
    const calls = counters.callsByAccount[accountId] ?? {};
    named += Object.values(calls).reduce((sum, n) => sum + n, 0);
    ownerPages += calls[OWNERS_LIST] ?? 0;
    retrieves += calls[RETRIEVE] ?? 0;
  }
  const transactionPages = counters.calls[TRANSACTION_LIST] ?? 0;
  return { total: named + transactionPages, ownerPages, transactionPages, retrieves };
}

/** Refreshes every account `rounds` times (IN_FLIGHT at once) and counts what Stripe saw; nothing else runs meanwhile. */
async function countCalls(stack: ProductStack, accounts: readonly string[], feature: Feature, rounds: number, extra: Parameters<typeof runRefresh>[4] = {}) {
  const control = stack.simulator.control;
  const before = callsFor(await control.counters(), accounts);
  for (let round = 0; round < rounds; round++) {
    // As an hour after the last sync: no snapshot is young enough for the 60 s reuse.
    await stack.pool.query(`UPDATE fc_accounts SET stripe_seen_at = now() - interval '1 hour' WHERE id = ANY($1)`, [accounts]);
    await inParallel(accounts, IN_FLIGHT, (accountId) => runRefresh(stack.client, stack.taskQueue, accountId, feature, extra));
    await control.waitForWebhooksIdle({ timeoutMs: 30_000 });
  }
  const after = callsFor(await control.counters(), accounts);
  const refreshes = accounts.length * rounds;
  return {
    perRefresh: (after.total - before.total) / refreshes,
    ownerPages: (after.ownerPages - before.ownerPages) / refreshes,
    transactionPages: (after.transactionPages - before.transactionPages) / refreshes,
    retrieves: (after.retrieves - before.retrieves) / refreshes,
  };
}

export async function measureStripeCalls(stack: ProductStack, plan: StripeCallsPlan): Promise<{ result: StripeCallsResult; detail: StripeCallsDetail }> {
  const perFeature = {} as CallsPerFeature;
  const minimum = {} as CallsPerFeature;
  const lostWebhook = {} as CallsPerFeature;
  const pagesPerRefresh = { ownership: 0, transactions: 0 };
  const retrievesPerRefresh = {} as CallsPerFeature;
  // Accounts the product synced before (their snapshot an hour old), one page each: a single owner, 50 transactions
  // then the simulator's new ones. A refresh takes 300 ms, as Stripe's take at least that long: one finishing within
  // the refresh call's own round trip costs one more call, since its webhook cannot be told from a same-second
  // predecessor's.
  const input = { ownerCount: 1, transactionCount: 50, refreshLatencyMs: 300 };
  for (const feature of ['balance', 'ownership', 'transactions'] as const) {
    const accounts = await linkAccounts(stack, plan.accounts, input, { backfill: true });
    const ordinary = await countCalls(stack, accounts, feature, plan.rounds);
    perFeature[feature] = round(ordinary.perRefresh, 2);
    const pages = feature === 'ownership' ? ordinary.ownerPages : feature === 'transactions' ? ordinary.transactionPages : 0;
    if (feature !== 'balance') pagesPerRefresh[feature] = round(pages, 2);
    minimum[feature] = round(1 + pages, 2);
    retrievesPerRefresh[feature] = round(ordinary.retrieves, 3);

    const lost = await linkAccounts(stack, plan.lostWebhookAccounts, input, { backfill: true });
    await Promise.all(lost.map((accountId) => stack.simulator.control.dropWebhooks({ accountId })));
    try {
      // Polls a second apart, so a lost webhook costs a second instead of the shipped 15 s first gap.
      lostWebhook[feature] = round((await countCalls(stack, lost, feature, 1, { pollIntervalSeconds: { initial: 1, max: 1 } })).perRefresh, 2);
    } finally {
      await stack.simulator.control.clearWebhookDrops();
    }
    log(`stripe calls: ${feature} ${perFeature[feature]} per refresh (minimum ${minimum[feature]}); lost webhook ${lostWebhook[feature]}`);
  }
  return {
    result: { ...perFeature, minimum, lostWebhook },
    detail: { ...plan, refreshesPerFeature: plan.accounts * plan.rounds, pagesPerRefresh, retrievesPerRefresh },
  };
}

/** Row 4 of results.md and its note. */
export function stripeCallsMarkdown(s: StripeCallsResult, d: StripeCallsDetail, measured: string): { row: string; note: string } {
  const ratio = (feature: Feature): number => round(s[feature] / s.minimum[feature], 3);
  return {
    row: `| 4. Stripe calls per refresh, ${d.refreshesPerFeature} refreshes per feature | balance ${s.balance}, ownership ${s.ownership}, transactions ${s.transactions}; lost webhook ${s.lostWebhook.balance}, ${s.lostWebhook.ownership}, ${s.lostWebhook.transactions} | minimum ${s.minimum.balance}, ${s.minimum.ownership}, ${s.minimum.transactions} (POST …/refresh + pages) | ${ratio('balance')}, ${ratio('ownership')}, ${ratio('transactions')} |`,
    note: `- 4 (${measured}): calls the simulator counted per refresh of accounts the product synced before (fc_accounts snapshot an hour old), ${d.accounts} accounts per feature each refreshed ${d.rounds} times, ${IN_FLIGHT} at once, 300 ms refreshes, one owner, 50 transactions then the simulator's new ones (pages per refresh: owners ${d.pagesPerRefresh.ownership}, transactions ${d.pagesPerRefresh.transactions}). The minimum is POST …/refresh (its answer says whether Stripe started a refresh and, if not, until when) plus the pages: the refreshed_* webhook carries the account (its balance, its ownership id), and the receiver stores it as the account's snapshot, which the next refresh starts from. Account retrieves per refresh, the whole gap to the minimum: balance ${d.retrievesPerRefresh.balance}, ownership ${d.retrievesPerRefresh.ownership}, transactions ${d.retrievesPerRefresh.transactions}; they come from refreshes that completed within their own refresh call's round trip (a loaded machine), whose webhook cannot be told from a same-second predecessor's without asking Stripe (the balance then takes a second retrieve: it never passes through the workflow). Lost webhook (reported apart, ${d.lostWebhookAccounts} refreshes per feature, every webhook of the account dropped, polls 1 s apart): the poll's retrieve finds the completion (and the ownership id); the balance is retrieved once more by the activity that stores it.`,
  };
}

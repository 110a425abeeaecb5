// What the chaos run asks for: accounts, each refreshed several times in a row (its data changed in between, so an
// older refresh's data differs from the newer one's and a stale write shows), and a few accounts with many
// transaction pages for the worker to be killed in the middle of.
import { FEATURES, type Feature } from '../common/features';
import type { CreateAccountInput, UpdateAccountInput } from '../simulator/control-types';
import { seededRandom } from './measure';

export interface ChaosScale {
  /** Accounts per feature. */
  accountsPerFeature: number;
  /** Refreshes per account: drawn between these bounds. */
  refreshesPerAccount: [number, number];
  /** Transaction accounts with thousands of transactions (tens of list pages). */
  pagingAccounts: number;
  pagingTransactions: number;
}

export interface PlannedAccount {
  index: number;
  feature: Feature;
  create: CreateAccountInput;
  /** Applied before refresh 2, 3, …: what the next refresh of the feature reports. */
  changes: UpdateAccountInput[];
  /** The first refresh fails at Stripe; the requested refresh may initiate once more (maxAttempts 2). */
  failsFirst: boolean;
  paging: boolean;
}

export function planAccounts(scale: ChaosScale, seed: number): PlannedAccount[] {
  const random = seededRandom(seed);
  const money = (): { current: { usd: number }; available: { usd: number } } => ({ current: { usd: random(0, 1_000_000) }, available: { usd: random(0, 1_000_000) } });
  const accounts: PlannedAccount[] = [];
  for (let i = 0; i < scale.accountsPerFeature * FEATURES.length; i++) {
    const feature = FEATURES[i % FEATURES.length] as Feature;
    const refreshes = random(scale.refreshesPerAccount[0], scale.refreshesPerAccount[1]);
    // Every fourth account has a short cooldown: a refresh asked for during it must wait, not POST early.
    const cooldownSeconds = { [feature]: i % 4 === 3 ? 2 : 0 };
    const base = { refreshLatencyMs: random(500, 6_000), cooldownSeconds };
    const failsFirst = feature !== 'transactions' && i % 5 === 1;
    const failNext = failsFirst ? { failNext: { feature, count: 1 } } : {};
    const create: CreateAccountInput =
      feature === 'balance'
        ? { ...base, ...failNext, balance: money() }
        : feature === 'ownership'
          ? { ...base, ...failNext, ownerCount: random(1, 250) }
          : { ...base, transactionCount: random(10, 600), newTransactionsPerRefresh: random(1, 40), updatesPerRefresh: random(0, 15) };
    const changes = Array.from({ length: refreshes - 1 }, (): UpdateAccountInput =>
      feature === 'balance' ? { balance: money() } : feature === 'ownership' ? { ownerCount: random(1, 250) } : {},
    );
    accounts.push({ index: i, feature, create, changes, failsFirst, paging: false });
  }
  for (let p = 0; p < scale.pagingAccounts; p++) {
    accounts.push({
      index: accounts.length,
      feature: 'transactions',
      create: { refreshLatencyMs: 500, cooldownSeconds: { transactions: 0 }, transactionCount: scale.pagingTransactions, newTransactionsPerRefresh: 200, updatesPerRefresh: 50 },
      changes: [{}],
      failsFirst: false,
      paging: true,
    });
  }
  return accounts;
}

/** Initiations the plan asks Stripe for: one per requested refresh, one more after a planned failure. */
export function plannedInitiations(account: PlannedAccount): number {
  return account.changes.length + 1 + (account.failsFirst ? 1 : 0);
}

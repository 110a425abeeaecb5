import type { z } from 'zod';
import type { AccountConfigView, BalanceInput, createAccountSchema } from '../control-types';
import type {
  AccountStatus,
  Category,
  Feature,
  FcAccount,
  FcBalance,
  FcOwnership,
  Permission,
  RefreshError,
  RefreshHash,
  RefreshStatus,
} from '../types';
import { newId } from './ids';
import { generateOwners } from './owners';
import { createRng, deriveSeed, type Rng } from './random';

// Financial Connections accounts as the simulator holds them, and their rendering to the wire shape
// of https://docs.stripe.com/api/financial_connections/accounts/object.

export type CreateAccountParsed = z.output<typeof createAccountSchema>;

export interface RefreshRecord {
  /** fctxnref_... for transaction refreshes (the hash carries an id); null for the others. */
  id: string | null;
  /** Per account and feature, in initiation order; orders `transaction_refresh[after]`. */
  seq: number;
  status: RefreshStatus;
  initiatedAt: number;
  completedAt: number | null;
  /** completion time + cooldown; rendered as next_refresh_available_at only when not pending and active. */
  availableAt: number | null;
  /** Data cut-off: the day boundary of a daily refresh, else the completion time. */
  asOf: number | null;
  automatic: boolean;
  created: number;
  changed: number;
  /** Why a failed refresh failed (rendered only with the account's refreshErrors option). */
  error: RefreshError | null;
}

export interface AccountRecord {
  id: string;
  created: number;
  customer: string;
  institutionName: string;
  displayName: string;
  subcategory: string;
  last4: string;
  category: Category;
  status: AccountStatus;
  permissions: Permission[];
  subscriptions: 'transactions'[];
  /** The balance reported by the last successful balance refresh (null before, or if none). */
  balance: FcBalance | null;
  refresh: Record<Feature, RefreshRecord | null>;
  /** Every transaction refresh, oldest first (ground truth, `after` cursor lookups). */
  transactionRefreshes: RefreshRecord[];
  ownershipId: string | null;
  config: AccountConfigView;
  rng: Rng;
  /** Day boundaries whose daily refresh still has to run (one refresh may be pending at a time). */
  dailyBacklog: number[];
  /** Pending->settled transitions so far (drives voidEvery). */
  transitions: number;
}

export function defaultBalance(category: Category): NonNullable<BalanceInput> {
  return category === 'cash'
    ? { current: { usd: 10_000 }, available: { usd: 9_500 } }
    : { current: { usd: -25_000 }, used: { usd: -25_000 } };
}

export function buildAccount(
  input: CreateAccountParsed,
  ctx: { now: number; seed: number; defaultLatencyMs: number; defaultCooldownSeconds: Record<Feature, number> },
): AccountRecord {
  const id = input.id ?? newId('fca');
  const rng = createRng(deriveSeed(ctx.seed, id));
  const category = input.category;
  const balance = input.balance === undefined ? defaultBalance(category) : input.balance;
  const owners = input.owners ?? generateOwners(rng, input.ownerCount ?? 1);
  const firstCurrency = balance ? Object.keys(balance.current)[0] : undefined;
  const account: AccountRecord = {
    id,
    created: ctx.now,
    customer: input.customer ?? newId('cus', 16),
    institutionName: input.institutionName ?? 'StripeBank',
    displayName: input.displayName ?? (category === 'cash' ? 'Sample Checking Account' : 'Sample Credit Card'),
    subcategory: input.subcategory ?? (category === 'cash' ? 'checking' : 'credit_card'),
    last4: input.last4 ?? String(rng.int(0, 9999)).padStart(4, '0'),
    category,
    status: input.status ?? 'active',
    permissions: [...new Set<Permission>(input.permissions ?? ['balances', 'ownership', 'transactions', 'payment_method'])],
    subscriptions: [],
    balance: null,
    refresh: { balance: null, ownership: null, transactions: null },
    transactionRefreshes: [],
    ownershipId: null,
    config: {
      balance,
      owners,
      transactionCount: input.transactionCount ?? 10,
      newTransactionsPerRefresh: input.newTransactionsPerRefresh ?? 2,
      updatesPerRefresh: input.updatesPerRefresh ?? 1,
      voidEvery: input.voidEvery ?? 3,
      currency: input.currency ?? firstCurrency ?? 'usd',
      cooldownSeconds: { ...ctx.defaultCooldownSeconds, ...input.cooldownSeconds },
      refreshLatencyMs: input.refreshLatencyMs ?? ctx.defaultLatencyMs,
      failNext: { balance: 0, ownership: 0, transactions: 0 },
      failedNextRefreshAvailableAt: input.failedNextRefreshAvailableAt ?? 'cooldown',
      refreshErrors: input.refreshErrors ?? false,
      balanceAsOfLagSeconds: input.balanceAsOfLagSeconds ?? 0,
    },
    rng,
    dailyBacklog: [],
    transitions: 0,
  };
  return account;
}

/** balances.md: polymorphic by type; `available`/`used` null when the institution only gives `current`. */
export function balanceFromInput(category: Category, input: BalanceInput, asOf: number): FcBalance | null {
  if (input === null) return null;
  const current = { ...input.current };
  if (category === 'cash') {
    return { as_of: asOf, cash: { available: input.available ? { ...input.available } : null }, current, type: 'cash' };
  }
  return { as_of: asOf, credit: { used: input.used ? { ...input.used } : null }, current, type: 'credit' };
}

/**
 * "If you attempt a refresh while the value is null (as is always the case when the refresh is pending
 * or the account is inactive) or the current time is less than the next_refresh_available_at
 * timestamp, the refresh won't be initiated." (balances.md, ownership.md, transactions.md)
 * A failed refresh shows null too while the account's failedNextRefreshAvailableAt option says so, as
 * Stripe's own example object does (status failed, next_refresh_available_at null).
 */
export function nextRefreshAvailableAt(account: AccountRecord, record: RefreshRecord): number | null {
  if (record.status === 'pending' || account.status !== 'active') return null;
  if (record.status === 'failed' && account.config.failedNextRefreshAvailableAt === 'null') return null;
  return record.availableAt;
}

function renderRefresh(account: AccountRecord, record: RefreshRecord | null): RefreshHash | null {
  if (!record) return null;
  const hash: RefreshHash = {
    last_attempted_at: record.initiatedAt,
    next_refresh_available_at: nextRefreshAvailableAt(account, record),
    status: record.status,
  };
  if (!account.config.refreshErrors) return hash;
  return { error: record.status === 'failed' ? structuredClone(record.error) : null, ...hash };
}

export function renderAccount(account: AccountRecord, expandedOwnership?: FcOwnership | null): FcAccount {
  const tx = account.refresh.transactions;
  const txHash = renderRefresh(account, tx);
  return {
    id: account.id,
    object: 'financial_connections.account',
    account_holder: { customer: account.customer, type: 'customer' },
    account_numbers: null,
    balance: account.balance ? structuredClone(account.balance) : null,
    balance_refresh: renderRefresh(account, account.refresh.balance),
    category: account.category,
    created: account.created,
    display_name: account.displayName,
    institution_name: account.institutionName,
    last4: account.last4,
    livemode: false,
    ownership: expandedOwnership !== undefined ? expandedOwnership : account.ownershipId,
    ownership_refresh: renderRefresh(account, account.refresh.ownership),
    permissions: [...account.permissions],
    status: account.status,
    subcategory: account.subcategory,
    subscriptions: [...account.subscriptions],
    supported_payment_method_types: account.category === 'cash' ? ['us_bank_account'] : [],
    transaction_refresh: txHash && tx?.id ? { id: tx.id, ...txHash } : null,
  };
}

export class AccountStore {
  private readonly byId = new Map<string, AccountRecord>();
  private readonly order: AccountRecord[] = [];

  add(account: AccountRecord): void {
    this.byId.set(account.id, account);
    this.order.push(account);
  }

  get(id: string): AccountRecord | undefined {
    return this.byId.get(id);
  }

  /** Newest first, as Stripe lists. */
  list(): AccountRecord[] {
    return [...this.order].reverse();
  }

  all(): readonly AccountRecord[] {
    return this.order;
  }

  clear(): void {
    this.byId.clear();
    this.order.length = 0;
  }
}


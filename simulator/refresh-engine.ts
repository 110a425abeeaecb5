import type { Counters } from './counters';
import { balanceFromInput, nextRefreshAvailableAt, type AccountRecord, type RefreshRecord } from './state/accounts';
import type { SimClock } from './state/clock';
import { newId } from './state/ids';
import type { OwnershipStore } from './state/owners';
import type { TransactionStore } from './state/transactions';
import { REFRESHED_EVENT, type EventType, type Feature, type RefreshError } from './types';

const REFRESH_ERRORS: Record<RefreshError['code'], RefreshError> = {
  institution_unavailable: {
    code: 'institution_unavailable',
    message: 'The financial institution could not be reached. Try the refresh again later.',
  },
  account_inactive: {
    code: 'account_inactive',
    message: 'The account is no longer active. Ask the account holder to link it again.',
  },
};

// The asynchronous refresh lifecycle shared by balances.md, ownership.md and transactions.md:
// the hash is null until the first refresh, becomes `pending` when one starts (last_attempted_at =
// now, next_refresh_available_at = null), and after the account's latency moves to `succeeded` or
// `failed`; then next_refresh_available_at = completion + cooldown, and the
// financial_connections.account.refreshed_<feature> event is sent either way ("To determine the
// success of the refresh, check the <feature>_refresh.status field while handling the webhook").
// Per account options make it as hard as Stripe can be: a failed refresh with next_refresh_available_at
// null, the (preview) `error` hash naming the cause, a balance as_of older than the completion.

export interface RefreshEngineDeps {
  clock: SimClock;
  counters: Counters;
  transactions: TransactionStore;
  ownerships: OwnershipStore;
  emit: (account: AccountRecord, type: EventType) => void;
}

export class RefreshEngine {
  private readonly timers = new Set<NodeJS.Timeout>();
  private waiters: (() => void)[] = [];

  constructor(private readonly deps: RefreshEngineDeps) {}

  /** Whether a requested refresh would be initiated now (docs: not while pending, null, or before next_refresh_available_at). */
  isAvailable(account: AccountRecord, feature: Feature): boolean {
    const record = account.refresh[feature];
    if (!record) return true;
    const next = nextRefreshAvailableAt(account, record);
    return next !== null && this.deps.clock.now() >= next;
  }

  /** An API-requested refresh: initiated if available, otherwise counted as not initiated. */
  request(account: AccountRecord, feature: Feature): boolean {
    if (!this.isAvailable(account, feature)) {
      this.deps.counters.refresh(account.id, feature, 'notInitiated');
      return false;
    }
    this.start(account, feature, false);
    return true;
  }

  /** A refresh Stripe starts itself (prefetch, daily subscription refresh): cooldown does not apply. */
  startAutomatic(account: AccountRecord, feature: Feature, asOf?: number): boolean {
    if (account.refresh[feature]?.status === 'pending') return false;
    this.start(account, feature, true, asOf);
    return true;
  }

  private start(account: AccountRecord, feature: Feature, automatic: boolean, asOf?: number): void {
    const previous = account.refresh[feature];
    const record: RefreshRecord = {
      id: feature === 'transactions' ? newId('fctxnref') : null,
      seq: (previous?.seq ?? 0) + 1,
      status: 'pending',
      initiatedAt: this.deps.clock.now(),
      completedAt: null,
      availableAt: null,
      asOf: asOf ?? null,
      automatic,
      created: 0,
      changed: 0,
      error: null,
    };
    account.refresh[feature] = record;
    if (feature === 'transactions') account.transactionRefreshes.push(record);
    this.deps.counters.refresh(account.id, feature, automatic ? 'automatic' : 'initiated');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        this.complete(account, feature, record);
      } catch (err) {
        // A timer callback must never take the process down; the refresh stays visibly pending.
        process.stderr.write(`simulator: completing ${feature} refresh of ${account.id} failed: ${String(err)}\n`);
      }
      this.checkIdle();
    }, account.config.refreshLatencyMs);
    this.timers.add(timer);
  }

  private complete(account: AccountRecord, feature: Feature, record: RefreshRecord): void {
    if (account.refresh[feature] !== record) return;
    const now = this.deps.clock.now();
    // An account that went inactive or was disconnected while the refresh ran cannot be reached.
    let succeeded = account.status === 'active';
    if (!succeeded) record.error = REFRESH_ERRORS.account_inactive;
    else if (account.config.failNext[feature] > 0) {
      account.config.failNext[feature] -= 1;
      succeeded = false;
      record.error = REFRESH_ERRORS.institution_unavailable;
    }
    record.asOf = Math.min(record.asOf ?? now, now);
    if (succeeded) this.applySuccess(account, feature, record, now);
    record.status = succeeded ? 'succeeded' : 'failed';
    record.completedAt = now;
    record.availableAt = now + account.config.cooldownSeconds[feature];
    this.deps.counters.refresh(account.id, feature, succeeded ? 'succeeded' : 'failed');
    this.deps.emit(account, REFRESHED_EVENT[feature]);
    if (feature === 'transactions') this.runBacklog(account);
  }

  private applySuccess(account: AccountRecord, feature: Feature, record: RefreshRecord, now: number): void {
    if (feature === 'balance') {
      // as_of is the institution's time: with balanceAsOfLagSeconds, older than the completion.
      account.balance = balanceFromInput(account.category, account.config.balance, now - account.config.balanceAsOfLagSeconds);
    } else if (feature === 'ownership') {
      account.ownershipId = this.deps.ownerships.create(account.id, account.config.owners, now).id;
    } else {
      const previous = account.transactionRefreshes.filter((r) => r !== record && r.status === 'succeeded').at(-1);
      this.deps.transactions.applyRefresh(account, record, previous?.asOf ?? null, now);
    }
  }

  /** Daily refreshes for each UTC day boundary crossed; one runs at a time, the rest queue behind it. */
  onDayBoundaries(boundaries: number[], accounts: readonly AccountRecord[]): number {
    let started = 0;
    for (const account of accounts) {
      if (!account.subscriptions.includes('transactions') || account.status !== 'active') continue;
      for (const boundary of boundaries) {
        started += 1;
        if (!this.startAutomatic(account, 'transactions', boundary)) account.dailyBacklog.push(boundary);
      }
    }
    return started;
  }

  private runBacklog(account: AccountRecord): void {
    if (!account.subscriptions.includes('transactions') || account.status !== 'active') {
      account.dailyBacklog = [];
      return;
    }
    const next = account.dailyBacklog.shift();
    if (next !== undefined) this.startAutomatic(account, 'transactions', next);
  }

  pendingCount(): number {
    return this.timers.size;
  }

  private checkIdle(): void {
    if (this.timers.size > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves when no refresh is pending. */
  whenIdle(): Promise<void> {
    if (this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.checkIdle();
  }
}

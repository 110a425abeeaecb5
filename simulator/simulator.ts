import Stripe from 'stripe';
import type {
  AccountStateView,
  AdvanceResult,
  CreatePaymentIntentInput,
  DefaultsInput,
  DefaultsView,
  GroundTruth,
  LatencyRule,
  RateLimitInput,
  UpdateAccountInput,
  WebhookRetryInput,
} from './control-types';
import { Counters } from './counters';
import { errors } from './errors';
import { ApiFaultInjector } from './faults';
import { IdempotencyStore } from './http/idempotency';
import { LatencyInjector } from './http/latency';
import { RateLimiter } from './http/rate-limit';
import { TrafficRecorder } from './http/traffic';
import { RefreshEngine } from './refresh-engine';
import { AccountStore, buildAccount, renderAccount, type AccountRecord, type CreateAccountParsed } from './state/accounts';
import { SimClock } from './state/clock';
import { EventStore, type EventRequestInfo } from './state/events';
import { generateOwners, OwnershipStore } from './state/owners';
import { PaymentStore } from './state/payments';
import { TransactionStore } from './state/transactions';
import { FEATURE_PERMISSION, type EventType, type Feature, type FcAccount } from './types';
import { WebhookSender } from './webhook-sender';

// The simulated Stripe account: every store, the clock, the refresh engine and the webhook sender,
// plus the state transitions both the public API and the control API drive.

export interface SimulatorOptions {
  webhookUrl?: string | null;
  webhookSecret?: string;
  webhookRetry?: WebhookRetryInput;
  webhookTimeoutMs?: number;
  /** Webhook deliveries in flight at once (default 4: Stripe delivers in parallel). */
  webhookConcurrency?: number;
  /** Real-time delay between a refresh starting and completing (default 50 ms). */
  refreshLatencyMs?: number;
  /** Cooldown after a refresh for accounts that set none (default 0): one number for every feature, or per feature. */
  defaultCooldownSeconds?: DefaultsInput['cooldownSeconds'];
  /** Enforce Stripe's rate limits (default off). */
  rateLimit?: RateLimitInput;
  /** Per-route latency of /v1 requests (default none). */
  latency?: LatencyRule[];
  /** Seeds generated data and fault decisions (default 1). */
  seed?: number;
  /** api_version stamped on events (default: the installed SDK's pinned version). */
  apiVersion?: string;
  /** How often real time is checked for day boundaries (default 1000 ms; 0 disables). */
  clockTickMs?: number;
}

export const DEFAULT_WEBHOOK_SECRET = 'whsec_simulator_local_secret';

export class Simulator {
  readonly clock: SimClock;
  readonly counters = new Counters();
  readonly accounts = new AccountStore();
  readonly transactions = new TransactionStore();
  readonly ownerships = new OwnershipStore();
  readonly payments = new PaymentStore();
  readonly events: EventStore;
  readonly webhooks: WebhookSender;
  readonly refreshes: RefreshEngine;
  readonly faults: ApiFaultInjector;
  readonly idempotency = new IdempotencyStore();
  readonly rateLimit = new RateLimiter();
  readonly traffic = new TrafficRecorder();
  readonly latency: LatencyInjector;
  readonly seed: number;
  private defaults: DefaultsView;
  private lastDailyRefreshes = 0;
  private closed = false;

  constructor(opts: SimulatorOptions = {}) {
    this.seed = opts.seed ?? 1;
    this.defaults = { cooldownSeconds: { balance: 0, ownership: 0, transactions: 0 }, refreshLatencyMs: 50 };
    this.setDefaults({ cooldownSeconds: opts.defaultCooldownSeconds, refreshLatencyMs: opts.refreshLatencyMs });
    this.clock = new SimClock(opts.clockTickMs ?? 1000);
    this.faults = new ApiFaultInjector(this.seed);
    this.latency = new LatencyInjector(this.seed);
    if (opts.latency) this.latency.set(opts.latency);
    if (opts.rateLimit) this.rateLimit.set(opts.rateLimit);
    this.webhooks = new WebhookSender(
      {
        url: opts.webhookUrl ?? null,
        secret: opts.webhookSecret ?? DEFAULT_WEBHOOK_SECRET,
        retry: opts.webhookRetry ?? {},
        timeoutMs: opts.webhookTimeoutMs ?? 5_000,
        ...(opts.webhookConcurrency !== undefined ? { concurrency: opts.webhookConcurrency } : {}),
      },
      this.seed,
      this.counters,
      (eventId) => this.events.settled(eventId),
    );
    this.events = new EventStore(opts.apiVersion ?? Stripe.API_VERSION, () => (this.webhooks.hasEndpoint() ? 1 : 0));
    this.events.onEvent((event) => this.webhooks.enqueue(event));
    this.refreshes = new RefreshEngine({
      clock: this.clock,
      counters: this.counters,
      transactions: this.transactions,
      ownerships: this.ownerships,
      emit: (account, type) => this.emit(account, type),
    });
    this.clock.onDayBoundary((boundaries) => {
      this.lastDailyRefreshes += this.refreshes.onDayBoundaries(boundaries, this.accounts.all());
    });
  }

  emit(account: AccountRecord, type: EventType, request: EventRequestInfo | null = null): void {
    this.events.emit(type, this.render(account), this.clock.now(), request);
  }

  render(account: AccountRecord, expandOwnership = false): FcAccount {
    if (!expandOwnership) return renderAccount(account);
    const ownership = account.ownershipId ? this.ownerships.get(account.ownershipId) : undefined;
    return renderAccount(account, ownership ? this.ownerships.render(ownership) : null);
  }

  account(id: string, param = 'id'): AccountRecord {
    const account = this.accounts.get(id);
    if (!account) throw errors.resourceMissing('financial_connections.account', id, param);
    return account;
  }

  createAccount(input: CreateAccountParsed): FcAccount {
    if (input.id && this.accounts.get(input.id)) throw errors.control(`account ${input.id} already exists`, 409);
    const account = buildAccount(input, {
      now: this.clock.now(),
      seed: this.seed,
      defaultLatencyMs: this.defaults.refreshLatencyMs,
      defaultCooldownSeconds: this.defaults.cooldownSeconds,
    });
    if (input.failNext) this.applyFailNext(account, input.failNext);
    const automatic = new Set<Feature>(input.prefetch ?? []);
    if (input.subscriptions?.includes('transactions')) automatic.add('transactions');
    if (automatic.size > 0 && account.status !== 'active') throw errors.control('prefetch and subscriptions need an active account');
    for (const feature of automatic) {
      const permission = FEATURE_PERMISSION[feature];
      if (!account.permissions.includes(permission)) throw errors.control(`prefetching ${feature} needs the '${permission}' permission`);
    }
    this.accounts.add(account);
    if (input.subscriptions?.includes('transactions')) account.subscriptions = ['transactions'];
    // Prefetch (docs: "initiates the refresh process as soon as your user connects their account") and
    // subscribing ("automatically initiates a transaction refresh") both start refreshes at link time.
    for (const feature of automatic) this.refreshes.startAutomatic(account, feature);
    this.emit(account, 'financial_connections.account.created');
    return this.render(account);
  }

  accountState(id: string): AccountStateView {
    const account = this.account(id);
    return { account: this.render(account), config: structuredClone(account.config) };
  }

  updateAccount(id: string, patch: UpdateAccountInput): FcAccount {
    const account = this.account(id);
    const c = account.config;
    if (patch.displayName !== undefined) account.displayName = patch.displayName;
    if (patch.balance !== undefined) c.balance = patch.balance;
    if (patch.owners !== undefined) c.owners = patch.owners;
    else if (patch.ownerCount !== undefined) c.owners = generateOwners(account.rng, patch.ownerCount);
    if (patch.transactionCount !== undefined) c.transactionCount = patch.transactionCount;
    if (patch.newTransactionsPerRefresh !== undefined) c.newTransactionsPerRefresh = patch.newTransactionsPerRefresh;
    if (patch.updatesPerRefresh !== undefined) c.updatesPerRefresh = patch.updatesPerRefresh;
    if (patch.voidEvery !== undefined) c.voidEvery = patch.voidEvery;
    if (patch.cooldownSeconds !== undefined) c.cooldownSeconds = { ...c.cooldownSeconds, ...patch.cooldownSeconds };
    if (patch.refreshLatencyMs !== undefined) c.refreshLatencyMs = patch.refreshLatencyMs;
    if (patch.failNext !== undefined) this.applyFailNext(account, patch.failNext);
    if (patch.failedNextRefreshAvailableAt !== undefined) c.failedNextRefreshAvailableAt = patch.failedNextRefreshAvailableAt;
    if (patch.refreshErrors !== undefined) c.refreshErrors = patch.refreshErrors;
    if (patch.balanceAsOfLagSeconds !== undefined) c.balanceAsOfLagSeconds = patch.balanceAsOfLagSeconds;
    return this.render(account);
  }

  /** Defaults for accounts created from now on; omitted fields keep their value. */
  setDefaults(input: DefaultsInput): DefaultsView {
    const cooldown = input.cooldownSeconds;
    if (typeof cooldown === 'number') this.defaults.cooldownSeconds = { balance: cooldown, ownership: cooldown, transactions: cooldown };
    else if (cooldown !== undefined) this.defaults.cooldownSeconds = { ...this.defaults.cooldownSeconds, ...cooldown };
    if (input.refreshLatencyMs !== undefined) this.defaults.refreshLatencyMs = input.refreshLatencyMs;
    return this.getDefaults();
  }

  getDefaults(): DefaultsView {
    return structuredClone(this.defaults);
  }

  /** Counters and the traffic histogram back to zero. */
  resetCounters(): void {
    this.counters.reset();
    this.traffic.reset();
  }

  private applyFailNext(account: AccountRecord, failNext: { feature: Feature; count: number } | { feature: Feature; count: number }[]): void {
    for (const item of Array.isArray(failNext) ? failNext : [failNext]) account.config.failNext[item.feature] = item.count;
  }

  /** financial_connections.account.deactivated: "status is updated from active to inactive". */
  deactivate(id: string): FcAccount {
    const account = this.account(id);
    if (account.status === 'disconnected') throw errors.control(`account ${id} is disconnected`);
    if (account.status === 'active') {
      account.status = 'inactive';
      this.emit(account, 'financial_connections.account.deactivated');
    }
    return this.render(account);
  }

  /** financial_connections.account.reactivated: "status is updated from inactive to active". */
  reactivate(id: string): FcAccount {
    const account = this.account(id);
    if (account.status === 'disconnected') throw errors.control(`account ${id} is disconnected and cannot be reactivated`);
    if (account.status === 'inactive') {
      account.status = 'active';
      this.emit(account, 'financial_connections.account.reactivated');
    }
    return this.render(account);
  }

  /** Disconnection ends data access: balance null (balances.md), no subscriptions, no refreshes. */
  disconnect(account: AccountRecord, request: EventRequestInfo | null = null): FcAccount {
    if (account.status !== 'disconnected') {
      account.status = 'disconnected';
      account.balance = null;
      account.subscriptions = [];
      account.dailyBacklog = [];
      this.emit(account, 'financial_connections.account.disconnected', request);
    }
    return this.render(account);
  }

  advanceClock(seconds: number): AdvanceResult {
    this.lastDailyRefreshes = 0;
    const boundaries = this.clock.advance(seconds);
    return { ...this.clockView(), dayBoundariesCrossed: boundaries, dailyRefreshes: this.lastDailyRefreshes };
  }

  clockView(): { now: number; nowMs: number; offsetSeconds: number } {
    return { now: this.clock.now(), nowMs: this.clock.nowMs(), offsetSeconds: this.clock.offsetSeconds() };
  }

  groundTruth(id: string): GroundTruth {
    const account = this.account(id);
    const ownership = account.ownershipId ? this.ownerships.get(account.ownershipId) : undefined;
    return {
      account: this.render(account),
      transactions: this.transactions.list(id),
      transactionRefreshes: account.transactionRefreshes.map((r) => ({
        id: r.id ?? '',
        status: r.status,
        initiatedAt: r.initiatedAt,
        completedAt: r.completedAt,
        created: r.created,
        changed: r.changed,
      })),
      ownership: ownership ? { id: ownership.id, created: ownership.created } : null,
      owners: ownership ? structuredClone(ownership.owners) : [],
    };
  }

  createPaymentIntent(input: CreatePaymentIntentInput): ReturnType<PaymentStore['create']> {
    if (input.id && this.payments.has(input.id)) throw errors.control(`payment intent ${input.id} already exists`, 409);
    const account = input.accountId === null ? null : this.account(input.accountId, 'accountId');
    return this.payments.create({
      id: input.id,
      account,
      amount: input.amount ?? 2_000,
      currency: input.currency ?? account?.config.currency ?? 'usd',
      status: input.status ?? 'processing',
      now: this.clock.now(),
    });
  }

  /** Resolves when webhooks (and, by default, pending refreshes) are settled, or after timeoutMs. */
  async whenIdle(timeoutMs: number, includeRefreshes: boolean): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const settled = (async (): Promise<true> => {
      for (;;) {
        if (this.closed) return true;
        if (includeRefreshes) await this.refreshes.whenIdle();
        await this.webhooks.whenIdle();
        if ((!includeRefreshes || this.refreshes.pendingCount() === 0) && this.webhooks.isIdle()) return true;
      }
    })();
    try {
      return await Promise.race([settled, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Back to an empty account: no objects, events, faults, counters or queued deliveries. */
  reset(): void {
    this.refreshes.close();
    this.webhooks.reset();
    this.faults.clear();
    this.idempotency.clear();
    this.accounts.clear();
    this.transactions.clear();
    this.ownerships.clear();
    this.payments.clear();
    this.events.clear();
    this.resetCounters();
    this.rateLimit.reset();
  }

  close(): void {
    this.closed = true;
    this.refreshes.close();
    this.webhooks.close();
    this.clock.close();
  }
}

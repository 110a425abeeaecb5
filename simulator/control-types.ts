import { z } from 'zod';
import type { CountersSnapshot } from './counters';
import { EVENT_TYPES, FEATURES, PERMISSIONS } from './types';
import type { Feature, FcAccount, FcOwner, FcTransaction, PaymentIntentJson, PaymentMethodJson } from './types';

// Request and response shapes of the control API (/_simulator/*), shared by the server (which
// validates with these schemas) and by SimulatorControl (which only imports the types).

const currency = z.string().regex(/^[a-z]{3}$/, 'must be a lowercase ISO currency code such as usd');
const currencyMap = z.record(currency, z.number().int());
const nonNegInt = z.number().int().min(0);
const rate = z.number().min(0).max(1);

/**
 * What the next successful balance refresh reports. cash: `current` (+ `available`, null or absent for
 * "only a current balance"); credit: `current` + `used` (negative amounts: owed by the holder).
 * `null` = the institution provides no balance (balances.md: "in which case the balance object is null").
 */
export const balanceInputSchema = z
  .strictObject({ current: currencyMap, available: currencyMap.nullable().optional(), used: currencyMap.nullable().optional() })
  .nullable();
export type BalanceInput = z.infer<typeof balanceInputSchema>;

export const ownerInputSchema = z.strictObject({
  name: z.string().min(1),
  email: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  raw_address: z.string().nullable().optional(),
});
export type OwnerInput = z.infer<typeof ownerInputSchema>;

const cooldownSchema = z.strictObject({
  balance: nonNegInt.optional(),
  ownership: nonNegInt.optional(),
  transactions: nonNegInt.optional(),
});
const failNextSchema = z.strictObject({ feature: z.enum(FEATURES), count: nonNegInt });

const dataConfigFields = {
  balance: balanceInputSchema.optional(),
  owners: z.array(ownerInputSchema).max(1000).optional(),
  ownerCount: z.number().int().min(0).max(1000).optional(),
  newTransactionsPerRefresh: z.number().int().min(0).max(1000).optional(),
  updatesPerRefresh: z.number().int().min(0).max(1000).optional(),
  /** Every Nth pending->settled transition becomes `void` instead of `posted` (0 = never). */
  voidEvery: z.number().int().min(0).max(1000).optional(),
  cooldownSeconds: cooldownSchema.optional(),
  refreshLatencyMs: z.number().int().min(0).max(600_000).optional(),
  failNext: z.union([failNextSchema, z.array(failNextSchema)]).optional(),
  /**
   * What a failed refresh shows as next_refresh_available_at: 'cooldown' (completion + cooldown, default) or
   * 'null', as in Stripe's own example object; while null, no API refresh of that feature is initiated.
   */
  failedNextRefreshAvailableAt: z.enum(['cooldown', 'null']).optional(),
  /** Failed refreshes carry the (preview) `error` hash {code, message} on their refresh hash. Default false. */
  refreshErrors: z.boolean().optional(),
  /** balance.as_of is this many seconds before the refresh's completion (the institution's time). Default 0. */
  balanceAsOfLagSeconds: z.number().int().min(0).max(30 * 86_400).optional(),
};

export const createAccountSchema = z.strictObject({
  id: z.string().regex(/^fca_[A-Za-z0-9_]{1,64}$/, 'must look like fca_...').optional(),
  customer: z.string().regex(/^cus_[A-Za-z0-9_]{1,64}$/, 'must look like cus_...').optional(),
  institutionName: z.string().min(1).max(200).optional(),
  displayName: z.string().min(1).max(200).optional(),
  subcategory: z.enum(['checking', 'savings', 'mortgage', 'line_of_credit', 'credit_card', 'other']).optional(),
  last4: z.string().regex(/^\d{4}$/).optional(),
  category: z.enum(['cash', 'credit']).default('cash'),
  status: z.enum(['active', 'inactive']).optional(),
  permissions: z.array(z.enum(PERMISSIONS)).optional(),
  /** Size of the history the first successful transaction refresh delivers (large first syncs: up to 200,000). */
  transactionCount: z.number().int().min(0).max(200_000).optional(),
  currency: currency.optional(),
  prefetch: z.array(z.enum(FEATURES)).optional(),
  subscriptions: z.array(z.literal('transactions')).optional(),
  ...dataConfigFields,
});
export type CreateAccountInput = z.input<typeof createAccountSchema>;

export const updateAccountSchema = z.strictObject({
  displayName: z.string().min(1).max(200).optional(),
  transactionCount: z.number().int().min(0).max(200_000).optional(),
  ...dataConfigFields,
});
export type UpdateAccountInput = z.input<typeof updateAccountSchema>;

export const createPaymentIntentSchema = z.strictObject({
  id: z.string().regex(/^pi_[A-Za-z0-9_]{1,64}$/, 'must look like pi_...').optional(),
  /** The linked FC account, or null for a manually entered bank account (no FC account). */
  accountId: z.string().nullable(),
  amount: z.number().int().min(1).optional(),
  currency: currency.optional(),
  status: z.enum(['processing', 'succeeded', 'requires_payment_method']).optional(),
});
export type CreatePaymentIntentInput = z.input<typeof createPaymentIntentSchema>;

export const RETRY_SCHEDULES = ['exponential', 'stripe-test', 'stripe-live'] as const;
export type RetrySchedule = (typeof RETRY_SCHEDULES)[number];

export const webhookRetrySchema = z.strictObject({
  /**
   * 'exponential' (default): up to maxAttempts, baseDelayMs * 2^(n-1) capped at maxDelayMs.
   * 'stripe-test' / 'stripe-live': Stripe's retry schedule (simulator/webhook-retry.ts), delays multiplied by timeScale.
   */
  schedule: z.enum(RETRY_SCHEDULES).optional(),
  /** Total attempts per delivery, first included ('exponential' only: the stripe schedules fix their own count). */
  maxAttempts: z.number().int().min(1).max(20).optional(),
  baseDelayMs: z.number().int().min(0).max(600_000).optional(),
  maxDelayMs: z.number().int().min(0).max(3_600_000).optional(),
  /** Scales the stripe-* schedules' real delays (default 0.001: 5 minutes become 300 ms). */
  timeScale: z.number().min(0).max(1).optional(),
});
export type WebhookRetryInput = z.infer<typeof webhookRetrySchema>;

export const webhookConfigSchema = z.strictObject({
  url: z.url().nullable().optional(),
  secret: z.string().min(1).optional(),
  retry: webhookRetrySchema.optional(),
  timeoutMs: z.number().int().min(1).max(120_000).optional(),
  /** Deliveries in flight at once (Stripe delivers in parallel). Default 4. */
  concurrency: z.number().int().min(1).max(64).optional(),
});
export type WebhookConfigInput = z.infer<typeof webhookConfigSchema>;

/** Replaces the whole fault set: omitted fields go back to "no fault". */
export const webhookFaultsSchema = z.strictObject({
  delayMs: nonNegInt.max(600_000).optional(),
  dropRate: rate.optional(),
  duplicateRate: rate.optional(),
  /** Hold deliveries for `reorderWindowMs` and send each held batch newest first. */
  reorder: z.boolean().optional(),
  reorderWindowMs: z.number().int().min(1).max(60_000).optional(),
  staleResendRate: rate.optional(),
  /** Each attempt fails as if the endpoint had answered 503, without being sent; retried on the retry schedule, same id. */
  failAttemptRate: rate.optional(),
  /** Each attempt is sent but counted as timed out whatever the answer; retried on the schedule (same id arrives again, later). */
  timeoutAttemptRate: rate.optional(),
  /** An event's first delivery is held until `holdLaterEvents` later events of its account were attempted, or `holdMs` passed. */
  holdRate: rate.optional(),
  holdLaterEvents: z.number().int().min(1).max(1000).optional(),
  holdMs: z.number().int().min(1).max(600_000).optional(),
  /** An event is sent on `concurrentCopies` connections at once (same id and body). */
  concurrentDuplicateRate: rate.optional(),
  concurrentCopies: z.number().int().min(2).max(16).optional(),
  seed: z.number().int().optional(),
});
export type WebhookFaults = z.infer<typeof webhookFaultsSchema>;

export const webhookDropSchema = z
  .strictObject({
    count: z.number().int().min(1).optional(),
    accountId: z.string().min(1).optional(),
    forMs: z.number().int().min(1).optional(),
  })
  .refine((v) => v.count !== undefined || v.accountId !== undefined, 'give count, accountId, or both')
  .refine((v) => !(v.count !== undefined && v.forMs !== undefined), 'count and forMs are exclusive');
export type WebhookDropInput = z.infer<typeof webhookDropSchema>;

const webhookTargetFields = {
  /** How many matching events (default 1). */
  count: z.number().int().min(1).max(10_000).optional(),
  accountId: z.string().min(1).optional(),
  type: z.enum(EVENT_TYPES).optional(),
};

/** Hold the next matching events' first delivery until `laterEvents` later events of the same account were attempted, or `ms` passed. */
export const webhookHoldSchema = z
  .strictObject({
    ...webhookTargetFields,
    laterEvents: z.number().int().min(1).max(1000).optional(),
    ms: z.number().int().min(1).max(600_000).optional(),
  })
  .refine((v) => v.laterEvents !== undefined || v.ms !== undefined, 'give laterEvents, ms, or both');
export type WebhookHoldInput = z.infer<typeof webhookHoldSchema>;

/**
 * The first attempt of the next matching events fails, so each is retried on the retry schedule under its own id
 * and can arrive after newer events. 'error' (default): not sent, as if answered 503. 'timeout': sent, answer ignored.
 */
export const webhookFailSchema = z.strictObject({ ...webhookTargetFields, mode: z.enum(['error', 'timeout']).optional() });
export type WebhookFailInput = z.infer<typeof webhookFailSchema>;

export const idleSchema = z.strictObject({
  timeoutMs: z.number().int().min(0).max(300_000).optional(),
  /** Also wait for pending refreshes (whose completion emits a webhook). Default true. */
  includeRefreshes: z.boolean().optional(),
});
export type IdleInput = z.infer<typeof idleSchema>;

export const apiFaultsSchema = z.strictObject({
  errorRate: rate.optional(),
  statuses: z.array(z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503)])).min(1).optional(),
  latencyMs: nonNegInt.max(120_000).optional(),
  /** Fail exactly the next N matching requests (before errorRate is consulted). */
  failNext: nonNegInt.optional(),
  /** Only requests whose "METHOD /route" key contains one of these strings. */
  routes: z.array(z.string().min(1)).optional(),
  /** 'before': rejected unprocessed. 'after': processed (and stored for idempotent replay), then the response is lost. */
  mode: z.enum(['before', 'after']).optional(),
  seed: z.number().int().optional(),
});
export type ApiFaults = z.infer<typeof apiFaultsSchema>;

export const RATE_LIMIT_REASONS = ['global-rate', 'endpoint-rate'] as const;

/**
 * Stripe's documented limits (docs.stripe.com/rate-limits): per account, live 100 and sandbox/test 25 requests per
 * second, and 25 per second per endpoint ("METHOD /route"). The mode follows the API key (sk_live_ / sk_test_).
 */
export const rateLimitSchema = z.strictObject({
  enabled: z.boolean(),
  testPerSecond: z.number().int().min(1).max(100_000).optional(),
  livePerSecond: z.number().int().min(1).max(100_000).optional(),
  /** Per endpoint, both modes; 0 = no endpoint limit. Default 25. */
  endpointPerSecond: z.number().int().min(0).max(100_000).optional(),
});
export type RateLimitInput = z.infer<typeof rateLimitSchema>;
export type RateLimitView = Required<RateLimitInput>;

/**
 * Extra latency for /v1 requests. `route`: 'list' (GET of a list), 'retrieve' (GET of one object), 'post', '*', or a
 * substring of "METHOD /route" such as "POST /v1/financial_connections/accounts/:id/refresh". The first matching rule
 * applies; the delay is drawn uniformly from [minMs, maxMs] by the seeded stream.
 */
export const latencyRuleSchema = z
  .strictObject({ route: z.string().min(1), minMs: nonNegInt.max(120_000), maxMs: nonNegInt.max(120_000) })
  .refine((r) => r.maxMs >= r.minMs, 'maxMs must be >= minMs');
export type LatencyRule = z.infer<typeof latencyRuleSchema>;
export const latencySchema = z.strictObject({ rules: z.array(latencyRuleSchema).max(100) });

const cooldownDefaultSchema = z.union([nonNegInt, cooldownSchema]);
/** Simulator-wide defaults for accounts created from now on (their own create options still win). */
export const defaultsSchema = z.strictObject({
  cooldownSeconds: cooldownDefaultSchema.optional(),
  refreshLatencyMs: z.number().int().min(0).max(600_000).optional(),
});
export type DefaultsInput = z.infer<typeof defaultsSchema>;
export interface DefaultsView {
  cooldownSeconds: Record<Feature, number>;
  refreshLatencyMs: number;
}

export const advanceClockSchema = z.strictObject({ seconds: z.number().min(0).max(400 * 86_400) });

export interface AccountConfigView {
  balance: BalanceInput;
  owners: OwnerInput[];
  transactionCount: number;
  newTransactionsPerRefresh: number;
  updatesPerRefresh: number;
  voidEvery: number;
  currency: string;
  cooldownSeconds: Record<Feature, number>;
  refreshLatencyMs: number;
  failNext: Record<Feature, number>;
  failedNextRefreshAvailableAt: 'cooldown' | 'null';
  refreshErrors: boolean;
  balanceAsOfLagSeconds: number;
}

export interface AccountStateView {
  account: FcAccount;
  config: AccountConfigView;
}

export interface TransactionRefreshRecord {
  id: string;
  status: 'pending' | 'succeeded' | 'failed';
  initiatedAt: number;
  completedAt: number | null;
  /** Transactions created or changed by this refresh. */
  created: number;
  changed: number;
}

export interface GroundTruth {
  account: FcAccount;
  /** Every transaction, in the order the list endpoint returns them. */
  transactions: FcTransaction[];
  transactionRefreshes: TransactionRefreshRecord[];
  /** The current ownership (account.ownership) and its owners; null before a successful ownership refresh. */
  ownership: { id: string; created: number } | null;
  owners: FcOwner[];
}

export interface PaymentIntentCreated {
  payment_intent: PaymentIntentJson;
  payment_method: PaymentMethodJson;
}

export interface WebhookConfigView {
  url: string | null;
  secret: string;
  retry: Required<WebhookRetryInput>;
  timeoutMs: number;
  concurrency: number;
}

export interface DeliveryRecord {
  eventId: string;
  type: string;
  accountId: string;
  /** 'concurrent': an extra copy sent at the same moment as the original (concurrentDuplicateRate). */
  kind: 'original' | 'duplicate' | 'stale' | 'concurrent';
  attempt: number;
  /**
   * 'injected_error': a fault failed the attempt without sending it; 'injected_timeout': sent, answer ignored;
   * 'held': the first delivery was held back (released later); 'gave_up': last attempt failed.
   */
  outcome: 'delivered' | 'http_error' | 'network_error' | 'injected_error' | 'injected_timeout' | 'dropped' | 'held' | 'gave_up';
  status: number | null;
  at: number;
}

export interface ClockView {
  now: number;
  nowMs: number;
  offsetSeconds: number;
}

export interface AdvanceResult extends ClockView {
  dayBoundariesCrossed: number[];
  /** Daily refreshes started or queued for subscribed accounts. */
  dailyRefreshes: number;
}

/** Public /v1 traffic as the simulator saw it (kept whether or not a rate limit is enforced). */
export interface TrafficView {
  /** /v1 requests received, refused ones included. */
  requests: number;
  /** Refused with 429 by the enforced rate limit (injected API faults are counted in counters().apiFaultsInjected). */
  rateLimited: number;
  /** Most requests received in any sliding one-second window (refused included). */
  maxPerSecond: number;
  /** Most requests let through in any sliding one-second window. */
  maxAcceptedPerSecond: number;
  /** Per wall-clock second (unix seconds), oldest first; the last hour is kept. */
  perSecond: { second: number; requests: number; rateLimited: number }[];
}

export interface IdleResult {
  idle: boolean;
}

export type { CountersSnapshot };

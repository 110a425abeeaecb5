import { z } from 'zod';
import type { CountersSnapshot } from './counters';
import { FEATURES, PERMISSIONS } from './types';
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
  /** Size of the history the first successful transaction refresh delivers. */
  transactionCount: z.number().int().min(0).max(5000).optional(),
  currency: currency.optional(),
  prefetch: z.array(z.enum(FEATURES)).optional(),
  subscriptions: z.array(z.literal('transactions')).optional(),
  ...dataConfigFields,
});
export type CreateAccountInput = z.input<typeof createAccountSchema>;

export const updateAccountSchema = z.strictObject({
  displayName: z.string().min(1).max(200).optional(),
  transactionCount: z.number().int().min(0).max(5000).optional(),
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

export const webhookRetrySchema = z.strictObject({
  /** Total attempts per delivery, first included. */
  maxAttempts: z.number().int().min(1).max(20).optional(),
  baseDelayMs: z.number().int().min(0).max(600_000).optional(),
  maxDelayMs: z.number().int().min(0).max(3_600_000).optional(),
});
export type WebhookRetryInput = z.infer<typeof webhookRetrySchema>;

export const webhookConfigSchema = z.strictObject({
  url: z.url().nullable().optional(),
  secret: z.string().min(1).optional(),
  retry: webhookRetrySchema.optional(),
  timeoutMs: z.number().int().min(1).max(120_000).optional(),
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
}

export interface DeliveryRecord {
  eventId: string;
  type: string;
  accountId: string;
  kind: 'original' | 'duplicate' | 'stale' ;
  attempt: number;
  outcome: 'delivered' | 'http_error' | 'network_error' | 'dropped' | 'gave_up';
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

export interface IdleResult {
  idle: boolean;
}

export type { CountersSnapshot };

import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';

export const WEBHOOK_SECRET = 'whsec_test_fc_refresh';
/** Only its webhook helpers are used; no request leaves the test. */
export const stripe = new Stripe('sk_test_unused');

type Refresh = { status: 'pending' | 'succeeded' | 'failed'; last_attempted_at: number; next_refresh_available_at: number | null };

/**
 * A Financial Connections account as a webhook carries it, with a balance and owner-like data that must never
 * reach a workflow signal.
 */
export function fcAccount(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const refreshed: Refresh = { status: 'succeeded', last_attempted_at: 1_700_000_000, next_refresh_available_at: 1_700_003_600 };
  return {
    id,
    object: 'financial_connections.account',
    account_holder: { type: 'customer', customer: 'cus_123' },
    balance: { as_of: 1_700_000_000, cash: { available: { usd: 123456 } }, current: { usd: 123456 }, type: 'cash' },
    balance_refresh: refreshed,
    ownership: 'fcaowns_123',
    ownership_refresh: refreshed,
    transaction_refresh: { id: 'fctxnref_123', ...refreshed },
    category: 'cash',
    subcategory: 'checking',
    created: 1_690_000_000,
    display_name: 'Everyday Checking',
    institution_name: 'StripeBank',
    last4: '6789',
    livemode: false,
    permissions: ['balances', 'ownership', 'transactions'],
    status: 'active',
    subscriptions: ['transactions'],
    supported_payment_method_types: ['us_bank_account'],
    ...overrides,
  };
}

export interface TestEvent {
  id: string;
  created: number;
  payload: string;
}

export function stripeEvent(type: string, object: Record<string, unknown>, options: { created?: number; id?: string } = {}): TestEvent {
  const id = options.id ?? `evt_${randomBytes(8).toString('hex')}`;
  const created = options.created ?? Math.floor(Date.now() / 1000);
  const payload = JSON.stringify({
    id,
    object: 'event',
    api_version: '2025-03-31.basil',
    created,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });
  return { id, created, payload };
}

/** The real SDK's signer, as Stripe would sign the delivery. */
export function signatureFor(payload: string, options: { secret?: string; timestamp?: number } = {}): string {
  return stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? WEBHOOK_SECRET,
    ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
  });
}

export async function deliver(baseUrl: string, payload: string, signature: string | undefined): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...(signature === undefined ? {} : { 'stripe-signature': signature }) },
    body: payload,
  });
  return { status: response.status, body: await response.json() };
}

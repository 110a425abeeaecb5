import { createServer } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, waitFor, WEBHOOK_SECRET, type Harness } from './helpers';

// Webhook delivery: Stripe-Signature verified by stripe.webhooks.constructEvent for every delivery,
// retries with backoff, and the fault set (drop, duplicate, delay, reorder, stale re-send).

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control.setWebhookFaults({});
  await h.control.clearWebhookDrops();
  // These tests assert arrival order, so one delivery at a time; parallel delivery: webhook-concurrency.test.ts.
  await h.control.setWebhookEndpoint({ url: h.receiver.url, secret: WEBHOOK_SECRET, retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 }, concurrency: 1 });
  await h.control.waitForWebhooksIdle();
  await h.control.resetCounters();
  h.receiver.clear();
});

const refresh = (id: string, features: ('balance' | 'ownership' | 'transactions')[]) =>
  h.stripe.financialConnections.accounts.refresh(id, { features });

describe('delivery', () => {
  it('signs every event so constructEvent verifies it; a wrong secret does not', async () => {
    const account = await h.control.createAccount({ transactionCount: 1 });
    await refresh(account.id, ['balance', 'ownership', 'transactions']);
    await h.control.deactivateAccount(account.id);
    await h.control.waitForWebhooksIdle();
    await h.control.reactivateAccount(account.id);
    await h.stripe.financialConnections.accounts.disconnect(account.id);
    await h.control.waitForWebhooksIdle();
    expect(h.receiver.verificationFailures).toEqual([]);
    const types = h.receiver.events({ account: account.id }).map((e) => e.type);
    expect(new Set(types)).toEqual(
      new Set([
        'financial_connections.account.created',
        'financial_connections.account.refreshed_balance',
        'financial_connections.account.refreshed_ownership',
        'financial_connections.account.refreshed_transactions',
        'financial_connections.account.deactivated',
        'financial_connections.account.reactivated',
        'financial_connections.account.disconnected',
      ]),
    );
    const sample = h.receiver.received[0]!;
    expect(sample.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(() => h.stripe.webhooks.constructEvent(sample.body, sample.signature, 'whsec_wrong')).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(sample.event).toMatchObject({ object: 'event', livemode: false, pending_webhooks: 1, api_version: Stripe.API_VERSION });
    // Events are also retrievable and listable through the API.
    const fetched = await h.stripe.events.retrieve(sample.event.id);
    expect(fetched.id).toBe(sample.event.id);
    expect(fetched.pending_webhooks).toBe(0);
    const listed = await h.stripe.events.list({ type: 'financial_connections.account.*', limit: 2 }).autoPagingToArray({ limit: 1000 });
    expect(listed.map((e) => e.id)).toEqual(expect.arrayContaining(h.receiver.received.map((r) => r.event.id)));
    const deactivated = await h.stripe.events.list({ type: 'financial_connections.account.deactivated' });
    expect(deactivated.data.every((e) => e.type === 'financial_connections.account.deactivated')).toBe(true);
    const counters = await h.control.counters();
    expect(counters.webhooks).toMatchObject({ delivered: 7, attempts: 7, failed: 0 });
  });

  it('retries non-2xx answers with backoff and delivers', async () => {
    h.receiver.nextStatuses.push(500, 503);
    const account = await h.control.createAccount({});
    await h.control.waitForWebhooksIdle();
    expect(h.receiver.events({ account: account.id })).toHaveLength(1);
    expect((await h.control.counters()).webhooks).toMatchObject({ attempts: 3, retried: 2, delivered: 1, failed: 0 });
    const log = await h.control.webhookDeliveries();
    expect(log.filter((d) => d.accountId === account.id).map((d) => d.outcome)).toEqual(['http_error', 'http_error', 'delivered']);
  });

  it('gives up after maxAttempts (HTTP errors and unreachable endpoints)', async () => {
    h.receiver.nextStatuses.push(500, 500, 500);
    await h.control.createAccount({});
    await h.control.waitForWebhooksIdle();
    expect((await h.control.counters()).webhooks).toMatchObject({ attempts: 3, failed: 1, delivered: 0 });

    const closedPort = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    await h.control.setWebhookEndpoint({ url: `http://127.0.0.1:${closedPort}/nothing`, retry: { maxAttempts: 2 } });
    await h.control.resetCounters();
    await h.control.createAccount({});
    await h.control.waitForWebhooksIdle();
    expect((await h.control.counters()).webhooks).toMatchObject({ attempts: 2, retried: 1, failed: 1 });
    expect((await h.control.webhookDeliveries()).at(-1)?.outcome).toBe('gave_up');
  });

  it('sends nothing without an endpoint', async () => {
    await h.control.setWebhookEndpoint({ url: null });
    const account = await h.control.createAccount({});
    await h.control.waitForWebhooksIdle();
    expect(h.receiver.received).toHaveLength(0);
    const events = await h.stripe.events.list({ limit: 1 });
    expect(events.data[0]).toMatchObject({ type: 'financial_connections.account.created', pending_webhooks: 0 });
    expect((events.data[0]?.data.object as { id: string }).id).toBe(account.id);
  });
});

describe('faults', () => {
  it('drops the next N webhooks, optionally of one account', async () => {
    const a = await h.control.createAccount({});
    const b = await h.control.createAccount({});
    await h.control.waitForWebhooksIdle();
    h.receiver.clear();
    await h.control.resetCounters();
    await h.control.dropWebhooks({ count: 1, accountId: a.id });
    await refresh(b.id, ['balance']);
    await refresh(a.id, ['balance']);
    await h.control.waitForWebhooksIdle();
    expect(h.receiver.events({ account: a.id })).toHaveLength(0);
    expect(h.receiver.events({ account: b.id })).toHaveLength(1);
    expect((await h.control.counters()).webhooks.dropped).toBe(1);
    await h.control.dropWebhooks({ count: 2 });
    await h.control.createAccount({});
    await h.control.createAccount({});
    const c = await h.control.createAccount({});
    await h.control.waitForWebhooksIdle();
    expect(h.receiver.events({ type: 'financial_connections.account.created' }).map((e) => (e.data.object as { id: string }).id)).toEqual([c.id]);
  });

  it('drops all webhooks of an account for a while', async () => {
    const a = await h.control.createAccount({});
    const dropUntil = Date.now() + 600;
    await h.control.dropWebhooks({ accountId: a.id, forMs: 600 });
    await refresh(a.id, ['balance']);
    await h.control.waitForWebhooksIdle();
    expect(h.receiver.events({ account: a.id, type: 'financial_connections.account.refreshed_balance' })).toHaveLength(0);
    await new Promise((r) => setTimeout(r, Math.max(0, dropUntil - Date.now()) + 50));
    await refresh(a.id, ['ownership']);
    await h.control.waitForWebhooksIdle();
    expect(h.receiver.events({ account: a.id, type: 'financial_connections.account.refreshed_ownership' })).toHaveLength(1);
  });

  it('duplicates: the same event (same id) arrives twice', async () => {
    await h.control.setWebhookFaults({ duplicateRate: 1 });
    const a = await h.control.createAccount({});
    await h.control.waitForWebhooksIdle();
    const got = h.receiver.events({ account: a.id });
    expect(got).toHaveLength(2);
    expect(got[0]?.id).toBe(got[1]?.id);
    expect((await h.control.counters()).webhooks).toMatchObject({ duplicated: 1, delivered: 2 });
  });

  it('delays deliveries', async () => {
    await h.control.setWebhookFaults({ delayMs: 150 });
    const started = Date.now();
    const a = await h.control.createAccount({});
    const event = await waitFor(() => h.receiver.received.find((r) => (r.event.data.object as { id: string }).id === a.id));
    expect(event.receivedAt - started).toBeGreaterThanOrEqual(140);
  });

  it('reorders: a held batch is delivered newest first', async () => {
    await h.control.setWebhookFaults({ reorder: true, reorderWindowMs: 80 });
    const a = await h.control.createAccount({});
    await h.control.deactivateAccount(a.id);
    await h.control.reactivateAccount(a.id);
    await h.control.waitForWebhooksIdle();
    expect(h.receiver.events({ account: a.id }).map((e) => e.type)).toEqual([
      'financial_connections.account.reactivated',
      'financial_connections.account.deactivated',
      'financial_connections.account.created',
    ]);
  });

  it('stale re-send: an old event (old snapshot) arrives again after newer ones', async () => {
    const a = await h.control.createAccount({});
    await h.control.waitForWebhooksIdle();
    await h.control.setWebhookFaults({ staleResendRate: 1 });
    await refresh(a.id, ['balance']);
    await h.control.waitForWebhooksIdle();
    const got = h.receiver.events({ account: a.id });
    expect(got.map((e) => e.type)).toEqual([
      'financial_connections.account.created',
      'financial_connections.account.refreshed_balance',
      'financial_connections.account.created',
    ]);
    expect((got[2]?.data.object as Stripe.FinancialConnections.Account).balance_refresh).toBeNull();
    expect((await h.control.counters()).webhooks.staleResent).toBe(1);
  });

  it('random drops are deterministic for a seed', async () => {
    const pattern = async (): Promise<boolean[]> => {
      await h.control.setWebhookFaults({ dropRate: 0.5, seed: 42 });
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) ids.push((await h.control.createAccount({})).id);
      await h.control.waitForWebhooksIdle();
      const seen = new Set(h.receiver.events().map((e) => (e.data.object as { id: string }).id));
      h.receiver.clear();
      return ids.map((id) => seen.has(id));
    };
    const first = await pattern();
    const second = await pattern();
    expect(first).toEqual(second);
    expect(first.some(Boolean) && first.some((x) => !x)).toBe(true);
  });
});

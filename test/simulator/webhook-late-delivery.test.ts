import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, retryDelayMs, STRIPE_RETRY_SECONDS, totalAttempts } from '../../simulator/webhook-retry';
import { startHarness, waitFor, WEBHOOK_SECRET, type Harness } from './helpers';

// An older event arriving after newer ones under its OWN id: a failed attempt retried on Stripe's
// schedule, a timed-out attempt retried although the receiver had it, and a first delivery held back
// until later events of the account went out. Real signed webhooks to a local receiver.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control.setWebhookFaults({});
  await h.control.clearWebhookRules();
  await h.control.setWebhookEndpoint({ url: h.receiver.url, secret: WEBHOOK_SECRET, retry: STRIPE_TEST_SCALED });
  await h.control.waitForWebhooksIdle();
  await h.control.resetCounters();
  h.receiver.clear();
});

// stripe-test retries after 5 min, 30 min, 2 h; scaled by 0.008: 2.4 s, 14.4 s, 57.6 s. The first retry leaves
// ample time for refresh 2 to complete and its webhook to go out, even on a busy machine.
const STRIPE_TEST_SCALED = { schedule: 'stripe-test' as const, timeScale: 0.008 };

const balanceEvents = (account: string) => h.receiver.events({ account, type: 'financial_connections.account.refreshed_balance' });
const snapshot = (event: Stripe.Event) => event.data.object as Stripe.FinancialConnections.Account;

/** Refresh 1, then (once it completed; cooldown 0) refresh 2 five simulated seconds later, and wait for every delivery. */
async function twoBalanceRefreshes(account: string): Promise<void> {
  await h.stripe.financialConnections.accounts.refresh(account, { features: ['balance'] });
  await waitFor(async () => (await h.stripe.financialConnections.accounts.retrieve(account)).balance_refresh?.status !== 'pending', { what: 'refresh 1' });
  await h.control.advanceClock(5);
  await h.stripe.financialConnections.accounts.refresh(account, { features: ['balance'] });
  await h.control.waitForWebhooksIdle({ timeoutMs: 30_000 });
}

describe('retries under the same id arrive after newer events', () => {
  it('a failed first attempt (fault) is retried on the schedule and lands after the next refresh’s event', async () => {
    const account = await h.control.createAccount({});
    await h.control.failWebhooks({ accountId: account.id, type: 'financial_connections.account.refreshed_balance' });
    await twoBalanceRefreshes(account.id);

    const [first, second] = balanceEvents(account.id);
    expect(first && second).toBeTruthy();
    // Arrival order: refresh 2's event first, then refresh 1's, each under its own id.
    expect(first!.id).not.toBe(second!.id);
    expect(snapshot(first!).balance_refresh!.last_attempted_at).toBeGreaterThan(snapshot(second!).balance_refresh!.last_attempted_at);
    expect(second!.created).toBeLessThan(first!.created);

    const log = (await h.control.webhookDeliveries()).filter((d) => d.eventId === second!.id);
    expect(log.map((d) => [d.attempt, d.outcome])).toEqual([
      [1, 'injected_error'],
      [2, 'delivered'],
    ]);
    expect(log[1]!.at - log[0]!.at).toBeGreaterThanOrEqual(retryDelayMs({ ...DEFAULT_RETRY, ...STRIPE_TEST_SCALED }, 1) - 20);
    expect((await h.control.counters()).webhooks).toMatchObject({ injectedErrors: 1, retried: 1, failed: 0 });
  });

  it('a real non-2xx answer from the receiver is retried the same way', async () => {
    const account = await h.control.createAccount({});
    await h.control.waitForWebhooksIdle();
    h.receiver.clear();
    h.receiver.nextStatuses.push(503);
    await twoBalanceRefreshes(account.id);
    const events = balanceEvents(account.id);
    expect(events).toHaveLength(2);
    expect(snapshot(events[0]!).balance_refresh!.last_attempted_at).toBeGreaterThan(snapshot(events[1]!).balance_refresh!.last_attempted_at);
    const outcomes = (await h.control.webhookDeliveries()).filter((d) => d.eventId === events[1]!.id).map((d) => d.outcome);
    expect(outcomes).toEqual(['http_error', 'delivered']);
  });

  it('a timed-out attempt the receiver did get arrives again, later, under the same id', async () => {
    const account = await h.control.createAccount({});
    await h.control.failWebhooks({ accountId: account.id, type: 'financial_connections.account.refreshed_balance', mode: 'timeout' });
    await twoBalanceRefreshes(account.id);
    const ids = balanceEvents(account.id).map((e) => e.id);
    // refresh 1's event (timed out, so retried), refresh 2's, then refresh 1's again.
    expect(ids).toHaveLength(3);
    expect(ids[0]).toBe(ids[2]);
    expect(ids[1]).not.toBe(ids[0]);
    expect((await h.control.counters()).webhooks).toMatchObject({ injectedTimeouts: 1, retried: 1 });
  });

  it('failAttemptRate 1: every attempt fails; the event is given up after the schedule’s attempts', async () => {
    await h.control.setWebhookEndpoint({ retry: { schedule: 'exponential', maxAttempts: 3, baseDelayMs: 10 } });
    await h.control.setWebhookFaults({ failAttemptRate: 1 });
    const account = await h.control.createAccount({});
    await h.control.waitForWebhooksIdle();
    expect(h.receiver.events({ account: account.id })).toHaveLength(0);
    expect((await h.control.counters()).webhooks).toMatchObject({ attempts: 0, injectedErrors: 3, retried: 2, failed: 1 });
    const event = await h.stripe.events.list({ limit: 1 });
    expect(event.data[0]?.pending_webhooks).toBe(0);
  });

  it('Stripe’s schedules: test mode 3 retries over a few hours, live mode up to about 3 days', () => {
    const test = { ...DEFAULT_RETRY, schedule: 'stripe-test' as const, timeScale: 1 };
    const live = { ...DEFAULT_RETRY, schedule: 'stripe-live' as const, timeScale: 1 };
    expect(totalAttempts(test)).toBe(4);
    const testTotal = STRIPE_RETRY_SECONDS['stripe-test'].reduce((a, b) => a + b, 0);
    expect(testTotal).toBeGreaterThan(3_600);
    expect(testTotal).toBeLessThan(4 * 3_600);
    const liveTotal = STRIPE_RETRY_SECONDS['stripe-live'].reduce((a, b) => a + b, 0);
    expect(liveTotal).toBeGreaterThan(2 * 86_400);
    expect(liveTotal).toBeLessThanOrEqual(3 * 86_400);
    expect(retryDelayMs(live, 1)).toBe(60_000);
    expect(retryDelayMs({ ...live, timeScale: 0.001 }, 3)).toBe(240);
    expect(totalAttempts(live)).toBe(13);
  });
});

describe('held first deliveries', () => {
  it('holds an event until later events of its account were attempted', async () => {
    await h.control.holdWebhooks({ type: 'financial_connections.account.created', laterEvents: 2 });
    const account = await h.control.createAccount({});
    await h.control.deactivateAccount(account.id);
    await h.control.reactivateAccount(account.id);
    await h.control.waitForWebhooksIdle();
    const types = h.receiver.events({ account: account.id }).map((e) => e.type);
    expect(types.at(-1)).toBe('financial_connections.account.created');
    expect(new Set(types.slice(0, 2))).toEqual(new Set(['financial_connections.account.deactivated', 'financial_connections.account.reactivated']));
    expect((await h.control.counters()).webhooks.held).toBe(1);
    const log = (await h.control.webhookDeliveries()).filter((d) => d.accountId === account.id && d.type.endsWith('.created'));
    expect(log.map((d) => d.outcome)).toEqual(['held', 'delivered']);
  });

  it('holds for a time when no later event comes, then delivers; other accounts are not held', async () => {
    const other = await h.control.createAccount({});
    await h.control.waitForWebhooksIdle();
    h.receiver.clear();
    await h.control.holdWebhooks({ accountId: other.id, ms: 800 });
    const started = Date.now();
    const fresh = await h.control.createAccount({});
    await h.control.deactivateAccount(other.id);
    await h.control.waitForWebhooksIdle();
    const received = h.receiver.received.map((r) => ({ id: (r.event.data.object as { id: string }).id, at: r.receivedAt }));
    expect(received.map((r) => r.id)).toEqual([fresh.id, other.id]);
    expect(received[1]!.at - started).toBeGreaterThanOrEqual(790);
  });

  it('holdRate: random holds, released by later events or holdMs', async () => {
    await h.control.setWebhookFaults({ holdRate: 1, holdLaterEvents: 1, holdMs: 200 });
    const account = await h.control.createAccount({});
    await h.control.deactivateAccount(account.id);
    await h.control.waitForWebhooksIdle();
    expect(h.receiver.events({ account: account.id })).toHaveLength(2);
    expect((await h.control.counters()).webhooks.held).toBe(2);
  });
});

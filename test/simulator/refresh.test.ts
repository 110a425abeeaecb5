import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreateAccountInput } from '../../simulator/control-types';
import { refreshAndSettle, startHarness, waitFor, type Harness } from './helpers';

// The refresh lifecycle of balances.md / ownership.md / transactions.md, driven through the real SDK.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.receiver.clear());

const fc = () => h.stripe.financialConnections.accounts;

describe('refresh lifecycle', () => {
  it('goes null -> pending -> succeeded, with next_refresh_available_at null while pending', async () => {
    const account = await h.control.createAccount({ category: 'cash' });
    expect(account.balance_refresh).toBeNull();
    expect(account.balance).toBeNull();

    const before = (await h.control.getClock()).now;
    const pending = await fc().refresh(account.id, { features: ['balance'] });
    expect(pending.balance_refresh).toMatchObject({ status: 'pending', next_refresh_available_at: null });
    expect(pending.balance_refresh?.last_attempted_at).toBeGreaterThanOrEqual(before);

    await h.control.waitForWebhooksIdle();
    const done = await fc().retrieve(account.id);
    expect(done.balance_refresh?.status).toBe('succeeded');
    // Default cooldown 0 s: available again from the completion time.
    expect(done.balance_refresh?.next_refresh_available_at).toBeGreaterThanOrEqual(pending.balance_refresh?.last_attempted_at ?? 0);
    expect(done.balance).toMatchObject({ type: 'cash', current: { usd: 10_000 }, cash: { available: { usd: 9_500 } } });

    const [event] = h.receiver.events({ type: 'financial_connections.account.refreshed_balance', account: account.id });
    expect((event?.data.object as Stripe.FinancialConnections.Account).balance_refresh?.status).toBe('succeeded');
  });

  it('does not initiate a refresh while one is pending (200, account unchanged, counted)', async () => {
    const account = await h.control.createAccount({ refreshLatencyMs: 500 });
    const first = await fc().refresh(account.id, { features: ['ownership'] });
    const second = await fc().refresh(account.id, { features: ['ownership'] });
    expect(second.ownership_refresh).toEqual(first.ownership_refresh);
    const counts = (await h.control.counters()).refreshes[account.id]?.ownership;
    expect(counts).toMatchObject({ initiated: 1, notInitiated: 1 });
    await h.control.waitForWebhooksIdle();
    expect(h.receiver.events({ type: 'financial_connections.account.refreshed_ownership', account: account.id })).toHaveLength(1);
  });

  it('honours next_refresh_available_at (per-feature cooldown) against the simulated clock', async () => {
    const account = await h.control.createAccount({ cooldownSeconds: { balance: 3_600 } });
    const done = await refreshAndSettle(h, account.id, ['balance']);
    const completedAt = done.balance_refresh?.last_attempted_at ?? 0;
    expect(done.balance_refresh?.next_refresh_available_at).toBeGreaterThanOrEqual(completedAt + 3_600);

    const refused = await fc().refresh(account.id, { features: ['balance'] });
    expect(refused.balance_refresh).toEqual(done.balance_refresh);

    await h.control.advanceClock(3_601);
    const again = await fc().refresh(account.id, { features: ['balance'] });
    expect(again.balance_refresh?.status).toBe('pending');
    expect((await h.control.counters()).refreshes[account.id]?.balance).toMatchObject({ initiated: 2, notInitiated: 1 });
    await h.control.waitForWebhooksIdle();
  });

  it('fails the next N refreshes of a feature when told to, and still sends the event', async () => {
    const account = await h.control.createAccount({ ownerCount: 2 });
    await h.control.failNextRefreshes(account.id, 'ownership', 1);
    const failed = await refreshAndSettle(h, account.id, ['ownership']);
    expect(failed.ownership_refresh?.status).toBe('failed');
    expect(failed.ownership).toBeNull();
    expect(failed.ownership_refresh?.next_refresh_available_at).not.toBeNull();
    const [event] = h.receiver.events({ type: 'financial_connections.account.refreshed_ownership', account: account.id });
    expect((event?.data.object as Stripe.FinancialConnections.Account).ownership_refresh?.status).toBe('failed');

    const ok = await refreshAndSettle(h, account.id, ['ownership']);
    expect(ok.ownership_refresh?.status).toBe('succeeded');
    expect(ok.ownership).toMatch(/^fcaowns_/);
  });

  it('refreshes several features in one call, each with its own hash and webhook', async () => {
    const account = await h.control.createAccount({ transactionCount: 3 });
    const r = await fc().refresh(account.id, { features: ['balance', 'ownership', 'transactions'] });
    expect(r.balance_refresh?.status).toBe('pending');
    expect(r.ownership_refresh?.status).toBe('pending');
    expect(r.transaction_refresh).toMatchObject({ status: 'pending', id: expect.stringMatching(/^fctxnref_/) });
    await h.control.waitForWebhooksIdle();
    const types = h.receiver.events({ account: account.id }).map((e) => e.type).sort();
    expect(types).toEqual([
      'financial_connections.account.created',
      'financial_connections.account.refreshed_balance',
      'financial_connections.account.refreshed_ownership',
      'financial_connections.account.refreshed_transactions',
    ]);
  });

  it('refuses a feature whose permission was not granted (400 invalid_request_error)', async () => {
    const account = await h.control.createAccount({ permissions: ['payment_method', 'balances'] });
    for (const feature of ['ownership', 'transactions'] as const) {
      const err = await fc().refresh(account.id, { features: [feature] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect((err as Stripe.errors.StripeError).statusCode).toBe(400);
    }
    // Nothing was initiated, not even the permitted feature of a mixed request.
    await expect(fc().refresh(account.id, { features: ['balance', 'ownership'] })).rejects.toThrow(/ownership/);
    expect((await fc().retrieve(account.id)).balance_refresh).toBeNull();
    await expect(fc().subscribe(account.id, { features: ['transactions'] })).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  it('prefetch starts refreshes at link time', async () => {
    const account = await h.control.createAccount({ prefetch: ['balance', 'transactions'], refreshLatencyMs: 100 });
    expect(account.balance_refresh?.status).toBe('pending');
    expect(account.transaction_refresh?.status).toBe('pending');
    expect(account.ownership_refresh).toBeNull();
    await h.control.waitForWebhooksIdle();
    const done = await fc().retrieve(account.id);
    expect(done.balance_refresh?.status).toBe('succeeded');
    expect(done.transaction_refresh?.status).toBe('succeeded');
    expect((await h.control.counters()).refreshes[account.id]?.balance).toMatchObject({ initiated: 0, automatic: 1 });
  });
});

describe('account state', () => {
  it('inactive accounts refuse refresh and subscribe; next_refresh_available_at is null while inactive', async () => {
    const account = await h.control.createAccount({});
    await refreshAndSettle(h, account.id, ['balance']);
    const inactive = await h.control.deactivateAccount(account.id);
    expect(inactive.status).toBe('inactive');
    expect(inactive.balance_refresh?.next_refresh_available_at).toBeNull();

    for (const call of [
      () => fc().refresh(account.id, { features: ['balance'] }),
      () => fc().subscribe(account.id, { features: ['transactions'] }),
    ]) {
      const err = (await call().catch((e: unknown) => e)) as Stripe.errors.StripeError;
      expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(err.code).toBe('financial_connections_account_inactive');
      expect(err.statusCode).toBe(400);
    }
    const active = await h.control.reactivateAccount(account.id);
    expect(active.balance_refresh?.next_refresh_available_at).not.toBeNull();
    await h.control.waitForWebhooksIdle();
    expect(h.receiver.events({ account: account.id }).map((e) => e.type)).toEqual([
      'financial_connections.account.created',
      'financial_connections.account.refreshed_balance',
      'financial_connections.account.deactivated',
      'financial_connections.account.reactivated',
    ]);
  });

  it('a refresh still pending when the account goes inactive completes as failed', async () => {
    const account = await h.control.createAccount({ refreshLatencyMs: 500 });
    await fc().refresh(account.id, { features: ['balance'] });
    await h.control.deactivateAccount(account.id);
    await h.control.waitForWebhooksIdle();
    const state = await fc().retrieve(account.id);
    expect(state.balance_refresh).toMatchObject({ status: 'failed', next_refresh_available_at: null });
  });

  it('disconnect (SDK) sets status disconnected, nulls the balance, ends subscriptions, and emits the event', async () => {
    const account = await h.control.createAccount({ transactionCount: 1, subscriptions: ['transactions'] });
    await refreshAndSettle(h, account.id, ['balance']);
    const disconnected = await fc().disconnect(account.id);
    expect(disconnected).toMatchObject({ status: 'disconnected', balance: null, subscriptions: [] });
    const err = (await fc().refresh(account.id, { features: ['balance'] }).catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(err.code).toBe('financial_connections_account_inactive');
    // Disconnecting again is a no-op: one event.
    await fc().disconnect(account.id);
    await h.control.waitForWebhooksIdle();
    const events = h.receiver.events({ type: 'financial_connections.account.disconnected', account: account.id });
    expect(events).toHaveLength(1);
    expect(events[0]?.request?.id).toMatch(/^req_/);
    await expect(h.control.reactivateAccount(account.id)).rejects.toThrow(/disconnected/);
  });
});

describe('balances', () => {
  it.each<{ name: string; input: CreateAccountInput; expected: object }>([
    {
      name: 'cash with available',
      input: { category: 'cash' as const, balance: { current: { usd: 6_000 }, available: { usd: 5_000 } } },
      expected: { type: 'cash', current: { usd: 6_000 }, cash: { available: { usd: 5_000 } } },
    },
    {
      name: 'cash with only a current balance',
      input: { category: 'cash' as const, balance: { current: { usd: 6_000 } } },
      expected: { type: 'cash', current: { usd: 6_000 }, cash: { available: null } },
    },
    {
      name: 'credit (negative: owed by the holder)',
      input: { category: 'credit' as const, balance: { current: { usd: -12_345 }, used: { usd: -12_000 } } },
      expected: { type: 'credit', current: { usd: -12_345 }, credit: { used: { usd: -12_000 } } },
    },
    {
      name: 'multi-currency cash',
      input: { category: 'cash' as const, balance: { current: { usd: 100, eur: 200 }, available: { usd: 90, eur: 180 } } },
      expected: { type: 'cash', current: { usd: 100, eur: 200 }, cash: { available: { usd: 90, eur: 180 } } },
    },
  ])('$name', async ({ input, expected }) => {
    const account = await h.control.createAccount(input);
    const done = await refreshAndSettle(h, account.id, ['balance']);
    expect(done.balance).toEqual({ ...expected, as_of: expect.any(Number) });
  });

  it('null balance when the institution gives none; the next refresh reports the updated balance', async () => {
    const account = await h.control.createAccount({ balance: null });
    const none = await refreshAndSettle(h, account.id, ['balance']);
    expect(none.balance_refresh?.status).toBe('succeeded');
    expect(none.balance).toBeNull();
    await h.control.updateAccount(account.id, { balance: { current: { usd: 1 }, available: { usd: 1 } } });
    await h.control.advanceClock(5);
    const some = await refreshAndSettle(h, account.id, ['balance']);
    expect(some.balance?.current).toEqual({ usd: 1 });
    expect(some.balance?.as_of).toBeGreaterThan(none.balance_refresh?.last_attempted_at ?? 0);
  });
});

describe('ownership', () => {
  it('expands ownership with its first page of owners, lists them all with auto-pagination, and keeps old ownerships', async () => {
    const account = await h.control.createAccount({ ownerCount: 23 });
    const first = await refreshAndSettle(h, account.id, ['ownership']);
    const expanded = await fc().retrieve(account.id, { expand: ['ownership'] });
    const ownership = expanded.ownership as Stripe.FinancialConnections.AccountOwnership;
    expect(ownership.id).toBe(first.ownership);
    expect(ownership.owners.data).toHaveLength(10);
    expect(ownership.owners.has_more).toBe(true);
    expect(ownership.owners.url).toBe(`/v1/financial_connections/accounts/${account.id}/owners?ownership=${ownership.id}`);

    const owners = await fc().listOwners(account.id, { ownership: ownership.id, limit: 5 }).autoPagingToArray({ limit: 100 });
    expect(owners).toHaveLength(23);
    expect(new Set(owners.map((o) => o.id)).size).toBe(23);
    const truth = await h.control.groundTruth(account.id);
    expect(owners).toEqual(truth.owners);
    for (const owner of owners) expect(owner).toMatchObject({ ownership: ownership.id, refreshed_at: ownership.created });

    const backwards = await fc().listOwners(account.id, { ownership: ownership.id, ending_before: owners[20]?.id ?? '', limit: 4 }).autoPagingToArray({ limit: 100 });
    expect(backwards.map((o) => o.id)).toEqual(owners.slice(0, 20).reverse().map((o) => o.id));

    await h.control.updateAccount(account.id, { owners: [{ name: 'New Owner', email: null }] });
    const second = await refreshAndSettle(h, account.id, ['ownership']);
    expect(second.ownership).not.toBe(first.ownership);
    const newOwners = await fc().listOwners(account.id, { ownership: String(second.ownership) });
    expect(newOwners.data.map((o) => o.name)).toEqual(['New Owner']);
    expect((await fc().listOwners(account.id, { ownership: ownership.id, limit: 1 })).data).toHaveLength(1);
  });

  it('owners needs an ownership of this account', async () => {
    const a = await h.control.createAccount({});
    const b = await h.control.createAccount({});
    const bDone = await refreshAndSettle(h, b.id, ['ownership']);
    const missing = (await fc().listOwners(a.id, {} as Stripe.FinancialConnections.AccountListOwnersParams).catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(missing.code).toBe('parameter_missing');
    const foreign = (await fc().listOwners(a.id, { ownership: String(bDone.ownership) }).catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(foreign).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect([foreign.statusCode, foreign.code]).toEqual([404, 'resource_missing']);
  });
});

describe('webhook snapshot', () => {
  it('each refreshed_* event carries the account as of completion', async () => {
    const account = await h.control.createAccount({});
    await fc().refresh(account.id, { features: ['balance'] });
    const event = await waitFor(() => h.receiver.events({ type: 'financial_connections.account.refreshed_balance', account: account.id })[0]);
    const object = event.data.object as Stripe.FinancialConnections.Account;
    expect(object.id).toBe(account.id);
    expect(object.balance_refresh?.status).toBe('succeeded');
    expect(object.balance).not.toBeNull();
  });
});

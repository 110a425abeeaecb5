import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { refreshAndSettle, startHarness, type Harness } from './helpers';

// transactions.md through the real SDK: history on the first successful refresh, incremental sync with
// transaction_refresh[after], transacted_at filters, cursors, subscriptions and daily refreshes.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.receiver.clear());

const txns = () => h.stripe.financialConnections.transactions;
const accounts = () => h.stripe.financialConnections.accounts;

const all = (params: Stripe.FinancialConnections.TransactionListParams) => txns().list(params).autoPagingToArray({ limit: 10_000 });

describe('listing', () => {
  it('fails before any successful transaction refresh, including after a failed one', async () => {
    const account = await h.control.createAccount({ transactionCount: 5 });
    const expectNoRefresh = async (): Promise<void> => {
      const err = (await txns().list({ account: account.id }).catch((e: unknown) => e)) as Stripe.errors.StripeError;
      expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect([err.statusCode, err.code]).toEqual([400, 'financial_connections_no_successful_transaction_refresh']);
    };
    await expectNoRefresh();
    await h.control.failNextRefreshes(account.id, 'transactions', 1);
    const failed = await refreshAndSettle(h, account.id, ['transactions']);
    expect(failed.transaction_refresh?.status).toBe('failed');
    await expectNoRefresh();
    await refreshAndSettle(h, account.id, ['transactions']);
    expect((await txns().list({ account: account.id })).data).toHaveLength(5);
  });

  it('the first successful refresh delivers the history, newest transacted_at first, matching ground truth', async () => {
    const account = await h.control.createAccount({ transactionCount: 37 });
    const done = await refreshAndSettle(h, account.id, ['transactions']);
    const listed = await all({ account: account.id, limit: 8 });
    expect(listed).toHaveLength(37);
    const truth = await h.control.groundTruth(account.id);
    expect(listed).toEqual(truth.transactions);
    for (let i = 1; i < listed.length; i++) expect(listed[i - 1]!.transacted_at).toBeGreaterThanOrEqual(listed[i]!.transacted_at);
    for (const t of listed) {
      expect(t).toMatchObject({ account: account.id, object: 'financial_connections.transaction', transaction_refresh: done.transaction_refresh?.id });
      expect(t.transacted_at).toBeLessThanOrEqual(done.transaction_refresh?.last_attempted_at ?? 0);
    }
    expect(listed.filter((t) => t.status === 'pending')).toHaveLength(2);
    const one = await txns().retrieve(listed[3]!.id);
    expect(one).toEqual(listed[3]);
  });

  it('an account created again under its id in a new simulator has the same transaction ids (npm run dev restarts)', async () => {
    const ids = async (harness: Harness, accountId: string): Promise<string[]> => {
      await harness.control.createAccount({ id: accountId, transactionCount: 12 });
      await refreshAndSettle(harness, accountId, ['transactions']);
      const listed = await harness.stripe.financialConnections.transactions.list({ account: accountId, limit: 100 });
      return listed.data.map((t) => t.id).sort();
    };
    const accountId = `fca_sameId${Date.now()}`;
    const second = await startHarness();
    try {
      const [here, there] = [await ids(h, accountId), await ids(second, accountId)];
      expect(here).toHaveLength(12);
      expect(there).toEqual(here);
      expect(await ids(h, `${accountId}x`)).not.toContain(here[0]);
    } finally {
      await second.close();
    }
  });

  it('transaction_refresh[after] returns exactly what later refreshes created or changed', async () => {
    const account = await h.control.createAccount({ transactionCount: 6, newTransactionsPerRefresh: 4, updatesPerRefresh: 2, voidEvery: 2 });
    const first = await refreshAndSettle(h, account.id, ['transactions']);
    const firstId = first.transaction_refresh?.id ?? '';
    const before = await all({ account: account.id });
    expect(await all({ account: account.id, transaction_refresh: { after: firstId } })).toEqual([]);

    await h.control.advanceClock(3_600);
    const second = await refreshAndSettle(h, account.id, ['transactions']);
    const secondId = second.transaction_refresh?.id ?? '';
    expect(secondId).not.toBe(firstId);
    const delta = await all({ account: account.id, transaction_refresh: { after: firstId } });
    // 4 new + the 2 pending history transactions settled (one posted, one void).
    expect(delta).toHaveLength(6);
    for (const t of delta) expect(t.transaction_refresh).toBe(secondId);
    const settled = delta.filter((t) => before.some((b) => b.id === t.id));
    expect(settled.map((t) => t.status).sort()).toEqual(['posted', 'void']);
    for (const t of settled) {
      const old = before.find((b) => b.id === t.id)!;
      expect(old.status).toBe('pending');
      expect(t.updated).toBeGreaterThan(old.updated);
      expect(t.status === 'void' ? t.status_transitions.void_at : t.status_transitions.posted_at).toBe(t.updated);
    }
    const created = delta.filter((t) => !before.some((b) => b.id === t.id));
    expect(created.map((t) => t.status).sort()).toEqual(['pending', 'pending', 'posted', 'posted']);
    for (const t of created) expect(t.transacted_at).toBeGreaterThan(first.transaction_refresh?.last_attempted_at ?? 0);

    expect(await all({ account: account.id, transaction_refresh: { after: secondId } })).toEqual([]);
    const everything = await all({ account: account.id });
    expect(everything).toHaveLength(10);
    expect(everything).toEqual((await h.control.groundTruth(account.id)).transactions);
  });

  it('filters on transacted_at (exact and gt/gte/lt/lte)', async () => {
    const account = await h.control.createAccount({ transactionCount: 20 });
    await refreshAndSettle(h, account.id, ['transactions']);
    const list = await all({ account: account.id });
    const pivot = list[10]!.transacted_at;
    const times = (p: Stripe.FinancialConnections.TransactionListParams) => all(p).then((l) => l.map((t) => t.transacted_at));
    expect(await times({ account: account.id, transacted_at: pivot })).toEqual([pivot]);
    expect(await times({ account: account.id, transacted_at: { gt: pivot } })).toEqual(list.slice(0, 10).map((t) => t.transacted_at));
    expect(await times({ account: account.id, transacted_at: { gte: pivot } })).toEqual(list.slice(0, 11).map((t) => t.transacted_at));
    expect(await times({ account: account.id, transacted_at: { lt: pivot } })).toEqual(list.slice(11).map((t) => t.transacted_at));
    expect(await times({ account: account.id, transacted_at: { lte: pivot, gt: list[13]!.transacted_at } })).toEqual(list.slice(10, 13).map((t) => t.transacted_at));
  });

  it('gte/lt ranges split the list exactly: boundaries on existing transacted_at values, each range paged with starting_after', async () => {
    // What a first sync in ranges relies on: [.., b1), [b1, b2), [b2, ..) together list every transaction once.
    const account = await h.control.createAccount({ transactionCount: 6_000 });
    await refreshAndSettle(h, account.id, ['transactions']);
    const list = await all({ account: account.id, limit: 100 });
    expect(list).toHaveLength(6_000);
    const b1 = list[4_000]!.transacted_at;
    const b2 = list[1_500]!.transacted_at;
    const ranges: { gte?: number; lt?: number }[] = [{ lt: b1 }, { gte: b1, lt: b2 }, { gte: b2 }];
    const parts = await Promise.all(ranges.map((transacted_at) => all({ account: account.id, limit: 100, transacted_at })));
    expect(parts.flat().map((t) => t.id).sort()).toEqual(list.map((t) => t.id).sort());
    expect(parts.map((part) => part.length).reduce((a, b) => a + b)).toBe(6_000);
    for (const [i, part] of parts.entries()) {
      const range = ranges[i]!;
      for (const t of part) {
        if (range.gte !== undefined) expect(t.transacted_at).toBeGreaterThanOrEqual(range.gte);
        if (range.lt !== undefined) expect(t.transacted_at).toBeLessThan(range.lt);
      }
    }
    // limit 1 below a point: the newest transaction under it (list order: newest transacted_at first)
    const below = await txns().list({ account: account.id, limit: 1, transacted_at: { lt: b1 } });
    expect(below.data[0]!.transacted_at).toBe(list.find((t) => t.transacted_at < b1)!.transacted_at);
    expect(below.has_more).toBe(true);
    expect((await txns().list({ account: account.id, limit: 1, transacted_at: { lt: list.at(-1)!.transacted_at } })).data).toEqual([]);
  });

  it('paginates with starting_after / ending_before and rejects bad pagination', async () => {
    const account = await h.control.createAccount({ transactionCount: 12 });
    await refreshAndSettle(h, account.id, ['transactions']);
    const list = await all({ account: account.id });
    const page1 = await txns().list({ account: account.id, limit: 5 });
    expect(page1).toMatchObject({ object: 'list', has_more: true, url: '/v1/financial_connections/transactions' });
    const page2 = await txns().list({ account: account.id, limit: 5, starting_after: page1.data[4]!.id });
    expect(page2.data.map((t) => t.id)).toEqual(list.slice(5, 10).map((t) => t.id));
    const back = await txns().list({ account: account.id, limit: 3, ending_before: list[5]!.id });
    expect(back.data.map((t) => t.id)).toEqual(list.slice(2, 5).map((t) => t.id));
    expect(back.has_more).toBe(true);
    const reversed = await txns().list({ account: account.id, ending_before: list[11]!.id, limit: 4 }).autoPagingToArray({ limit: 100 });
    expect(reversed.map((t) => t.id)).toEqual(list.slice(0, 11).reverse().map((t) => t.id));
    const last = await txns().list({ account: account.id, limit: 100, starting_after: list[9]!.id });
    expect([last.data.length, last.has_more]).toEqual([2, false]);

    for (const params of [
      { account: account.id, limit: 0 },
      { account: account.id, limit: 101 },
      { account: account.id, starting_after: 'fctxn_nope' },
      { account: account.id, starting_after: list[0]!.id, ending_before: list[1]!.id },
      { account: account.id, transaction_refresh: { after: 'fctxnref_unknown' } },
    ]) {
      await expect(txns().list(params)).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    }
    const missing = (await txns().list({} as Stripe.FinancialConnections.TransactionListParams).catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect([missing.code, missing.param]).toEqual(['parameter_missing', 'account']);
    const unknown = (await txns().list({ account: 'fca_unknown' }).catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect([unknown.statusCode, unknown.code]).toEqual([404, 'resource_missing']);
  });
});

describe('subscriptions', () => {
  it('subscribe adds the subscription and starts a refresh; daily refreshes follow the clock; unsubscribe stops them', async () => {
    const account = await h.control.createAccount({ transactionCount: 4, newTransactionsPerRefresh: 1, updatesPerRefresh: 0 });
    const subscribed = await accounts().subscribe(account.id, { features: ['transactions'] });
    expect(subscribed.subscriptions).toEqual(['transactions']);
    expect(subscribed.transaction_refresh).toMatchObject({ status: 'pending', next_refresh_available_at: null });
    // Subscribing again is a no-op.
    await accounts().subscribe(account.id, { features: ['transactions'] });
    await h.control.waitForWebhooksIdle();
    expect((await h.control.counters()).subscribeCalls[account.id]).toBe(2);
    expect((await h.control.counters()).refreshes[account.id]?.transactions).toMatchObject({ initiated: 1, succeeded: 1 });

    const advanced = await h.control.advanceClock(2 * 86_400 + 60);
    expect(advanced.dayBoundariesCrossed.length).toBeGreaterThanOrEqual(2);
    await h.control.waitForWebhooksIdle();
    const refreshed = h.receiver.events({ type: 'financial_connections.account.refreshed_transactions', account: account.id });
    expect(refreshed).toHaveLength(1 + advanced.dayBoundariesCrossed.length);
    const ids = refreshed.map((e) => (e.data.object as Stripe.FinancialConnections.Account).transaction_refresh?.id);
    expect(new Set(ids).size).toBe(ids.length);
    const counts = (await h.control.counters()).refreshes[account.id]?.transactions;
    expect(counts).toMatchObject({ initiated: 1, automatic: advanced.dayBoundariesCrossed.length });
    expect(await all({ account: account.id })).toHaveLength(4 + advanced.dayBoundariesCrossed.length);
    const truth = await h.control.groundTruth(account.id);
    expect(truth.transactionRefreshes.map((r) => r.status)).toEqual(Array(ids.length).fill('succeeded'));
    // Each daily refresh's new transaction is dated no later than its own day boundary.
    advanced.dayBoundariesCrossed.forEach((boundary, i) => {
      const made = truth.transactions.filter((t) => t.transaction_refresh === ids[i + 1]);
      expect(made).toHaveLength(1);
      expect(made[0]!.transacted_at).toBeLessThanOrEqual(boundary);
    });

    const unsubscribed = await accounts().unsubscribe(account.id, { features: ['transactions'] });
    expect(unsubscribed.subscriptions).toEqual([]);
    h.receiver.clear();
    await h.control.advanceClock(86_400);
    await h.control.waitForWebhooksIdle();
    expect(h.receiver.events({ account: account.id })).toHaveLength(0);
  });

  it('an account created subscribed starts its first refresh at link time', async () => {
    const account = await h.control.createAccount({ subscriptions: ['transactions'], transactionCount: 2 });
    expect(account.subscriptions).toEqual(['transactions']);
    expect(account.transaction_refresh?.status).toBe('pending');
    await h.control.waitForWebhooksIdle();
    expect(await all({ account: account.id })).toHaveLength(2);
  });

  it('subscribe and unsubscribe only take features[]=transactions', async () => {
    const account = await h.control.createAccount({});
    for (const call of [
      () => accounts().subscribe(account.id, { features: ['balance' as 'transactions'] }),
      () => accounts().unsubscribe(account.id, { features: [] }),
      () => accounts().subscribe(account.id, {} as Stripe.FinancialConnections.AccountSubscribeParams),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    }
  });
});

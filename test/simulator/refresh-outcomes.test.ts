import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/server';
import { refreshAndSettle, startHarness, type Harness } from './helpers';

// Refresh outcomes Stripe produces that a gentle simulator would not: a failed refresh with
// next_refresh_available_at null (Stripe's own example object), the (preview) error hash, a balance
// as_of older than the refresh's completion, and a non-zero default cooldown.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.receiver.clear());

const fc = () => h.stripe.financialConnections.accounts;
type RefreshHashWithError = Stripe.FinancialConnections.Account.BalanceRefresh & { error?: { code: string; message: string } | null };

describe('failed refresh with next_refresh_available_at null', () => {
  it('shows null, refuses new refreshes (not initiated) while so, and is available again once the option is off', async () => {
    const account = await h.control.createAccount({ failedNextRefreshAvailableAt: 'null', failNext: { feature: 'balance', count: 1 } });
    const failed = await refreshAndSettle(h, account.id, ['balance']);
    expect(failed.balance_refresh).toMatchObject({ status: 'failed', next_refresh_available_at: null });
    const [event] = h.receiver.events({ account: account.id, type: 'financial_connections.account.refreshed_balance' });
    expect((event?.data.object as Stripe.FinancialConnections.Account).balance_refresh).toMatchObject({ status: 'failed', next_refresh_available_at: null });

    const refused = await fc().refresh(account.id, { features: ['balance'] });
    expect(refused.balance_refresh).toEqual(failed.balance_refresh);
    expect((await h.control.counters()).refreshes[account.id]?.balance).toMatchObject({ initiated: 1, notInitiated: 1, failed: 1 });

    await h.control.updateAccount(account.id, { failedNextRefreshAvailableAt: 'cooldown' });
    expect((await fc().retrieve(account.id)).balance_refresh?.next_refresh_available_at).toEqual(expect.any(Number));
    const retried = await refreshAndSettle(h, account.id, ['balance']);
    expect(retried.balance_refresh?.status).toBe('succeeded');
  });

  it('a successful refresh is unaffected by the option', async () => {
    const account = await h.control.createAccount({ failedNextRefreshAvailableAt: 'null' });
    const done = await refreshAndSettle(h, account.id, ['ownership']);
    expect(done.ownership_refresh).toMatchObject({ status: 'succeeded', next_refresh_available_at: expect.any(Number) });
  });
});

describe('error hash (preview)', () => {
  it('a failed refresh carries {code, message}; others carry error: null; off by default', async () => {
    const plain = await h.control.createAccount({ failNext: { feature: 'balance', count: 1 } });
    expect((await refreshAndSettle(h, plain.id, ['balance'])).balance_refresh).not.toHaveProperty('error');

    const account = await h.control.createAccount({ refreshErrors: true, failNext: { feature: 'balance', count: 1 } });
    const failed = await refreshAndSettle(h, account.id, ['balance', 'ownership']);
    expect((failed.balance_refresh as RefreshHashWithError).error).toEqual({ code: 'institution_unavailable', message: expect.any(String) });
    expect((failed.ownership_refresh as RefreshHashWithError).error).toBeNull();
    const [event] = h.receiver.events({ account: account.id, type: 'financial_connections.account.refreshed_balance' });
    expect(((event?.data.object as Stripe.FinancialConnections.Account).balance_refresh as RefreshHashWithError).error?.code).toBe('institution_unavailable');
  });

  it('a refresh ended by deactivation fails with account_inactive', async () => {
    const account = await h.control.createAccount({ refreshErrors: true, refreshLatencyMs: 1_000 });
    await fc().refresh(account.id, { features: ['transactions'] });
    await h.control.deactivateAccount(account.id);
    await h.control.waitForWebhooksIdle();
    const hash = (await fc().retrieve(account.id)).transaction_refresh as RefreshHashWithError;
    expect(hash).toMatchObject({ status: 'failed', next_refresh_available_at: null, error: { code: 'account_inactive' } });
  });
});

describe('balance as_of is the institution’s time', () => {
  it('is balanceAsOfLagSeconds older than the completion', async () => {
    const account = await h.control.createAccount({ balanceAsOfLagSeconds: 86_400 });
    const done = await refreshAndSettle(h, account.id, ['balance']);
    // Cooldown 0: next_refresh_available_at is the completion time.
    const completedAt = done.balance_refresh?.next_refresh_available_at ?? 0;
    expect(done.balance?.as_of).toBe(completedAt - 86_400);
  });
});

describe('default cooldown', () => {
  it('setDefaults gives new accounts a cooldown; their own cooldownSeconds still wins', async () => {
    expect(await h.control.setDefaults({ cooldownSeconds: 600 })).toMatchObject({ cooldownSeconds: { balance: 600, ownership: 600, transactions: 600 } });
    try {
      const account = await h.control.createAccount({ cooldownSeconds: { ownership: 5 } });
      expect((await h.control.getAccount(account.id)).config.cooldownSeconds).toEqual({ balance: 600, ownership: 5, transactions: 600 });
      const done = await refreshAndSettle(h, account.id, ['balance']);
      const refused = await fc().refresh(account.id, { features: ['balance'] });
      expect(refused.balance_refresh).toEqual(done.balance_refresh);
      expect(done.balance_refresh!.next_refresh_available_at).toBeGreaterThanOrEqual(done.balance_refresh!.last_attempted_at + 600);
    } finally {
      await h.control.setDefaults({ cooldownSeconds: 0 });
    }
  });

  it('the defaultCooldownSeconds start option (per feature)', async () => {
    const sim = await startSimulator({ port: 0, defaultCooldownSeconds: { transactions: 3_600 } });
    try {
      const account = await sim.control.createAccount({});
      expect((await sim.control.getAccount(account.id)).config.cooldownSeconds).toEqual({ balance: 0, ownership: 0, transactions: 3_600 });
      expect((await sim.control.getDefaults()).cooldownSeconds.transactions).toBe(3_600);
    } finally {
      await sim.close();
    }
  });
});

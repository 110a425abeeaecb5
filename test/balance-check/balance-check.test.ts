import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { checkBalance, type CheckBalanceOptions } from '../../client/check-balance';
import { startRefresh } from '../../client/start-refresh';
import type { CreateAccountInput } from '../../simulator/control-types';
import type { BalanceCheckResult } from '../../workflows/balance-check-definitions';
import { fcRefreshInProcess } from '../helpers/cli';
import { maybeRecordHistory } from '../helpers/histories';
import { startStack, type Stack } from '../helpers/stack';
import { waitUntilStoredIsStale } from '../helpers/wait-for-age';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const HOUR = 3600;
const REFRESH_ROUTE = 'POST /v1/financial_connections/accounts/:id/refresh';

type Subject = { account: string } | { paymentIntent: string } | { paymentMethod: string };

/**
 * A check as a service would call it before an ACH debit of `amount` (default $10.00). Its deadline is far longer
 * than a refresh takes even on a busy machine: only the tests about the deadline set a short one.
 */
function check(subject: Subject, options: Partial<Pick<CheckBalanceOptions, 'amount' | 'currency' | 'maxAgeSeconds' | 'deadlineSeconds'>> = {}): Promise<BalanceCheckResult> {
  return checkBalance(stack.client, { amount: 1000, currency: 'usd', maxAgeSeconds: HOUR, deadlineSeconds: 120, taskQueue: stack.taskQueue, ...subject, ...options });
}

async function initiatedRefreshes(accountId: string): Promise<number> {
  return (await stack.simulator.counters()).refreshes[accountId]?.balance.initiated ?? 0;
}

async function recordedCheck(checkId: string): Promise<Record<string, unknown>> {
  const { rows } = await stack.pool.query('SELECT * FROM fc_balance_checks WHERE id = $1', [checkId]);
  expect(rows).toHaveLength(1);
  return rows[0] as Record<string, unknown>;
}

async function account(input: CreateAccountInput): Promise<string> {
  return (await stack.simulator.createAccount(input)).id;
}

describe('decisions on a balance refreshed for the check', () => {
  test.each([
    {
      scenario: 'cash, available covers the debit',
      input: { balance: { current: { usd: 6000 }, available: { usd: 5500 } } },
      expected: { decision: 'sufficient', reason: 'available_covers_amount', figure: 'cash_available', weaker: false, compared: 5500 },
    },
    {
      scenario: 'cash, available below the debit (current alone would have covered it)',
      input: { balance: { current: { usd: 6000 }, available: { usd: 500 } } },
      expected: { decision: 'insufficient', reason: 'available_below_amount', figure: 'cash_available', weaker: false, compared: 500 },
    },
    {
      scenario: 'cash, only a current balance: weaker',
      input: { balance: { current: { usd: 6000 }, available: null } },
      expected: { decision: 'sufficient', reason: 'only_current_covers_amount', figure: 'current', weaker: true, compared: 6000 },
    },
    {
      scenario: 'credit: amounts owed are not funds',
      input: { category: 'credit', subcategory: 'credit_card', balance: { current: { usd: -12000 }, used: { usd: 12000 } } },
      expected: { decision: 'unknown', reason: 'credit_balance_not_assessable', figure: 'credit', weaker: false, compared: null },
    },
    {
      scenario: 'the institution reports no balance (balance: null)',
      input: { balance: null },
      expected: { decision: 'unknown', reason: 'no_balance', figure: null, weaker: false, compared: null },
    },
  ] satisfies { scenario: string; input: CreateAccountInput; expected: object }[])('$scenario', async ({ input, expected }) => {
    const accountId = await account(input);
    const result = await check({ account: accountId });
    expect(result).toMatchObject({ outcome: 'decided', accountId, decision: expected.decision, reason: expected.reason });
    expect(result.basis).toMatchObject({ figure: expected.figure, weaker: expected.weaker, data: 'refreshed' });
    expect(result.refresh).toMatchObject({ status: 'refreshed', joined: false, outcome: 'succeeded' });
    expect(await initiatedRefreshes(accountId)).toBe(1);
    const row = await recordedCheck(result.checkId);
    expect(row).toMatchObject({ account_id: accountId, amount: 1000, currency: 'usd', decision: expected.decision, reason: expected.reason, weaker: expected.weaker, compared_amount: expected.compared, data_source: 'refreshed' });
    // Balance figures stay in Postgres: the result carries the decision and its basis, not the money.
    // As a whole number: a Unix timestamp in the result may hold the digits 6000 (1796116000 did).
    expect(JSON.stringify(result)).not.toMatch(/(?<!\d)6000(?!\d)/);
  });

  test('a currency the account does not hold', async () => {
    const accountId = await account({ balance: { current: { usd: 6000 }, available: { usd: 5500 } } });
    const result = await check({ account: accountId }, { currency: 'EUR' });
    expect(result).toMatchObject({ decision: 'unknown', reason: 'currency_not_present', currency: 'eur' });
  });

  test('no balances permission: unknown, and no refresh is attempted', async () => {
    const accountId = await account({ permissions: ['payment_method', 'ownership'], balance: { current: { usd: 6000 }, available: { usd: 5500 } } });
    const result = await check({ account: accountId });
    expect(result).toMatchObject({ outcome: 'decided', decision: 'unknown', reason: 'no_balance_permission' });
    expect(result.refresh?.status).toBe('permission_missing');
    const calls = (await stack.simulator.counters()).callsByAccount[accountId] ?? {};
    expect(calls[REFRESH_ROUTE]).toBeUndefined();
  });
});

describe('freshness of the stored balance', () => {
  test('fresh: decided on what is stored, no refresh initiated, no Stripe call', async () => {
    const accountId = await account({ balance: { current: { usd: 6000 }, available: { usd: 5500 } } });
    await check({ account: accountId });
    const callsBefore = (await stack.simulator.counters()).callsByAccount[accountId] ?? {};
    const result = await check({ account: accountId }, { amount: 5000 });
    expect(result).toMatchObject({ decision: 'sufficient', refresh: null });
    expect(result.basis).toMatchObject({ data: 'stored', fresh: true, stale: false, staleReason: null });
    expect(await initiatedRefreshes(accountId)).toBe(1);
    expect((await stack.simulator.counters()).callsByAccount[accountId]).toEqual(callsBefore);
  });

  test('stale: refreshed first, then decided on the new balance', async () => {
    const accountId = await account({ balance: { current: { usd: 6000 }, available: { usd: 5500 } } });
    await check({ account: accountId });
    await stack.simulator.updateAccount(accountId, { balance: { current: { usd: 900 }, available: { usd: 800 } } });
    await waitUntilStoredIsStale(stack.pool, accountId, 'balance', 1);
    const result = await check({ account: accountId }, { maxAgeSeconds: 1 });
    expect(result).toMatchObject({ decision: 'insufficient', reason: 'available_below_amount' });
    // Not `fresh`: with a 1-second limit that would only say how fast this machine decided after the refresh.
    expect(result.basis).toMatchObject({ data: 'refreshed' });
    expect(await initiatedRefreshes(accountId)).toBe(2);
  });

  test('cooldown longer than the deadline: decided on the stored balance and flagged stale', async () => {
    const accountId = await account({ balance: { current: { usd: 6000 }, available: { usd: 5500 } }, cooldownSeconds: { balance: 600 } });
    await check({ account: accountId });
    await waitUntilStoredIsStale(stack.pool, accountId, 'balance', 1);
    const result = await check({ account: accountId }, { maxAgeSeconds: 1, deadlineSeconds: 5 });
    expect(result).toMatchObject({ outcome: 'decided', decision: 'sufficient', reason: 'available_covers_amount' });
    expect(result.basis).toMatchObject({ data: 'stored', fresh: false, stale: true, staleReason: 'refresh_unavailable_before_deadline' });
    expect(result.refresh?.nextRefreshAvailableAt).toBeGreaterThan(Date.now() / 1000 + 500);
    expect(await initiatedRefreshes(accountId)).toBe(1);
    expect(await recordedCheck(result.checkId)).toMatchObject({ fresh: false, stale_reason: 'refresh_unavailable_before_deadline', data_source: 'stored' });
    await maybeRecordHistory(stack.client, result.workflowId, 'balance-check-cooldown-past-deadline');
  });

  test('a refresh still pending at the deadline: decided on what is stored (nothing yet), flagged', async () => {
    const accountId = await account({ balance: { current: { usd: 6000 }, available: { usd: 5500 } }, refreshLatencyMs: 8_000 });
    const result = await check({ account: accountId }, { deadlineSeconds: 2 });
    expect(result).toMatchObject({ decision: 'unknown', reason: 'no_balance' });
    expect(result.basis).toMatchObject({ stale: true, staleReason: 'deadline_reached' });
    expect(result.refresh).toMatchObject({ status: 'deadline_reached', joined: false });
    expect(await initiatedRefreshes(accountId)).toBe(1);
  });

  test('a refresh already running is joined, not duplicated', async () => {
    const accountId = await account({ balance: { current: { usd: 6000 }, available: { usd: 5500 } }, refreshLatencyMs: 1_500 });
    const running = await startRefresh(stack.client, { accountId, feature: 'balance', taskQueue: stack.taskQueue });
    const result = await check({ account: accountId });
    expect(result).toMatchObject({ decision: 'sufficient' });
    expect(result.refresh).toMatchObject({ workflowId: running.workflowId, status: 'refreshed', joined: true });
    expect(result.basis?.data).toBe('refreshed');
    expect(await initiatedRefreshes(accountId)).toBe(1);
    await maybeRecordHistory(stack.client, result.workflowId, 'balance-check-joined-refresh');
  });
});

describe('from an ACH payment to its FC account', () => {
  test('a PaymentIntent paid from a linked account is checked against that account', async () => {
    const accountId = await account({ balance: { current: { usd: 6000 }, available: { usd: 5500 } } });
    const { payment_intent: intent, payment_method: method } = await stack.simulator.createPaymentIntent({ accountId, amount: 2000, currency: 'usd' });
    const result = await check({ paymentIntent: intent.id }, { amount: 2000 });
    expect(result).toMatchObject({ outcome: 'decided', accountId, paymentIntentId: intent.id, paymentMethodId: method.id, decision: 'sufficient' });
    expect(await recordedCheck(result.checkId)).toMatchObject({ account_id: accountId, payment_intent_id: intent.id, payment_method_id: method.id });
    await maybeRecordHistory(stack.client, result.workflowId, 'balance-check-payment-intent');
  });

  test('a PaymentMethod linked through Financial Connections', async () => {
    const accountId = await account({ balance: { current: { usd: 6000 }, available: { usd: 500 } } });
    const { payment_method: method } = await stack.simulator.createPaymentIntent({ accountId });
    const result = await check({ paymentMethod: method.id });
    expect(result).toMatchObject({ outcome: 'decided', accountId, paymentMethodId: method.id, decision: 'insufficient' });
  });

  test('a manually entered bank account has no FC account: a typed outcome, recorded', async () => {
    const { payment_intent: intent, payment_method: method } = await stack.simulator.createPaymentIntent({ accountId: null });
    for (const subject of [{ paymentIntent: intent.id }, { paymentMethod: method.id }]) {
      const result = await check(subject);
      expect(result).toMatchObject({ outcome: 'manual_entry_no_fc_account', decision: 'unknown', reason: 'manual_entry_no_fc_account', accountId: null, paymentMethodId: method.id, basis: null });
      expect(await recordedCheck(result.checkId)).toMatchObject({ outcome: 'manual_entry_no_fc_account', decision: 'unknown', account_id: null });
    }
  });

  test('an unknown PaymentIntent is a typed outcome, not a failure', async () => {
    const result = await check({ paymentIntent: 'pi_doesNotExist123' });
    expect(result).toMatchObject({ outcome: 'payment_intent_not_found', decision: 'unknown', accountId: null, basis: null });
  });

  test('an unknown FC account', async () => {
    const result = await check({ account: 'fca_doesNotExist123' });
    expect(result).toMatchObject({ outcome: 'account_not_found', decision: 'unknown', accountId: 'fca_doesNotExist123' });
  });
});

describe('fc-refresh check-balance', () => {
  const env = (): Record<string, string> => ({ TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: stack.taskQueue });

  test('exits 0 when sufficient, 1 when not, printing the result', async () => {
    const accountId = await account({ balance: { current: { usd: 6000 }, available: { usd: 5500 } } });
    const enough = await fcRefreshInProcess(['check-balance', '--account', accountId, '--amount', '5000', '--currency', 'usd', '--json'], env());
    expect(enough.code, enough.stderr).toBe(0);
    expect(JSON.parse(enough.stdout)).toMatchObject({ decision: 'sufficient', accountId });
    const tooMuch = await fcRefreshInProcess(['check-balance', '--account', accountId, '--amount', '9000', '--currency', 'usd'], env());
    expect(tooMuch.code, tooMuch.stderr).toBe(1);
    expect(tooMuch.stdout).toMatch(/^insufficient: /);
  });

  test('exits 2 on a request that names two things to check', async () => {
    const run = await fcRefreshInProcess(['check-balance', '--account', 'fca_1', '--payment-intent', 'pi_1', '--amount', '1', '--currency', 'usd'], env());
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('exactly one of');
  });
});

import { afterAll, beforeAll, expect, test } from 'vitest';
import { subscribeTransactions } from '../../client/accounts';
import { accountWorkflowId } from '../../common/workflow-ids';
import { maybeRecordHistory } from '../helpers/histories';
import { lastRefreshRowId, refreshRowsSince, settleTransactionRefreshes, storedTransactions, truthTransactions } from '../helpers/sync';
import { startStack, type Stack } from '../helpers/stack';

// The simulator's clock moves in whole days here; this file has its own simulator, so no other scenario sees it.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

test("three simulated days of a subscribed account: each day's webhook-started run syncs only new and changed transactions", async () => {
  const account = await stack.simulator.createAccount({ transactionCount: 40, newTransactionsPerRefresh: 3, updatesPerRefresh: 1 });
  // account.created registered it: the receiver signal-with-started its account workflow.
  await stack.simulator.waitForWebhooksIdle();

  const subscribed = await subscribeTransactions(stack.client, account.id);
  expect(subscribed).toMatchObject({ lifecycle: 'active', subscriptions: ['transactions'] });
  // Subscribing started a transaction refresh; the account workflow's child followed it and stored the history.
  await settleTransactionRefreshes(stack, account.id);
  expect(await storedTransactions(stack, account.id)).toEqual(await truthTransactions(stack, account.id));
  expect((await storedTransactions(stack, account.id)).length).toBe(40);

  for (let day = 1; day <= 3; day++) {
    const since = await lastRefreshRowId(stack);
    const advanced = await stack.simulator.advanceClock(86_400);
    expect(advanced.dailyRefreshes).toBe(1);
    await settleTransactionRefreshes(stack, account.id);
    // One sync per day, started by Stripe's refreshed_transactions webhook: 3 new transactions, 1 settled; nothing else fetched.
    expect(await refreshRowsSince(stack, account.id, since), `day ${day}`).toEqual([
      { id: expect.any(Number), trigger: 'webhook', status: 'succeeded', result: { transactionsAdded: 3, transactionsUpdated: 1, transactionsUnchanged: 0 } },
    ]);
  }

  const truth = await stack.simulator.groundTruth(account.id);
  expect(await storedTransactions(stack, account.id)).toEqual(await truthTransactions(stack, account.id));
  expect(truth.transactions.length).toBe(40 + 3 * 3);
  const cursor = await stack.pool.query('SELECT transaction_refresh_id FROM fc_transaction_cursors WHERE account_id = $1', [account.id]);
  expect(cursor.rows[0].transaction_refresh_id).toBe(truth.account.transaction_refresh?.id);
  const counters = await stack.simulator.counters();
  // The subscribe call's refresh, then Stripe's three daily ones: fc-refresh initiated nothing itself.
  expect(counters.refreshes[account.id]?.transactions).toMatchObject({ initiated: 1, automatic: 3, succeeded: 4 });
  expect(counters.callsByAccount[account.id]?.['POST /v1/financial_connections/accounts/:id/refresh'] ?? 0).toBe(0);
  await maybeRecordHistory(stack.client, accountWorkflowId(account.id), 'account-subscribed');
});

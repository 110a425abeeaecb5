import { afterAll, beforeAll, expect, test } from 'vitest';
import { subscribeTransactions } from '../../client/accounts';
import { maybeRecordHistory } from '../helpers/histories';
import {
  lastRefreshRowId,
  refreshRowsSince,
  runDailySync,
  settleTransactionRefreshes,
  storedTransactions,
  truthTransactions,
} from '../helpers/sync';
import { startStack, type Stack } from '../helpers/stack';

// The simulator's clock moves in whole days here; this file has its own simulator, so no other scenario sees it.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

test("day 2's webhook is lost: the scheduled run catches the account up, nothing missing and nothing stored twice", async () => {
  const missed = await stack.simulator.createAccount({ transactionCount: 30, newTransactionsPerRefresh: 4, updatesPerRefresh: 2 });
  const onTime = await stack.simulator.createAccount({ transactionCount: 30, newTransactionsPerRefresh: 4, updatesPerRefresh: 2 });
  await stack.simulator.waitForWebhooksIdle();
  for (const account of [missed, onTime]) {
    await subscribeTransactions(stack.client, account.id);
    await settleTransactionRefreshes(stack, account.id);
  }

  await stack.simulator.advanceClock(86_400); // day 1: both webhooks arrive
  for (const account of [missed, onTime]) await settleTransactionRefreshes(stack, account.id);
  // A scheduled run after a day whose webhooks all arrived has nothing to add.
  expect(await runDailySync(stack, { pageSize: 10, concurrency: 2 })).toMatchObject({ accountsSynced: 2, transactionsAdded: 0, transactionsUpdated: 0 });

  const beforeDay2 = await lastRefreshRowId(stack);
  await stack.simulator.dropWebhooks({ accountId: missed.id, forMs: 60_000 });
  await stack.simulator.advanceClock(86_400); // day 2: Stripe refreshes both, one webhook is lost
  for (const account of [missed, onTime]) await settleTransactionRefreshes(stack, account.id);
  await stack.simulator.clearWebhookDrops();
  expect(await refreshRowsSince(stack, missed.id, beforeDay2)).toEqual([]);
  expect((await storedTransactions(stack, missed.id)).length).toBeLessThan((await truthTransactions(stack, missed.id)).length);

  const beforeSync = await lastRefreshRowId(stack);
  // A summary id of its own makes the run's child ids independent of its workflow id, so its recorded history
  // replays under any id (the replay test names each history after its file).
  const summaryId = `${stack.taskQueue}-catch-up`;
  const sync = await runDailySync(stack, { pageSize: 10, concurrency: 2, summaryId });

  expect(sync).toMatchObject({ accountsSeen: 2, accountsSynced: 2, accountsSkipped: 0, accountsFailed: 0, transactionsAdded: 4, transactionsUpdated: 2 });
  // The missed account fetched exactly day 2's new and changed transactions; the other one's webhook run had already
  // stored day 2's refresh, so the scheduled run listed and wrote nothing.
  expect(await refreshRowsSince(stack, missed.id, beforeSync)).toEqual([
    { id: expect.any(Number), trigger: 'schedule', status: 'succeeded', result: { transactionsAdded: 4, transactionsUpdated: 2, transactionsUnchanged: 0 } },
  ]);
  expect(await refreshRowsSince(stack, onTime.id, beforeSync)).toEqual([
    { id: expect.any(Number), trigger: 'schedule', status: 'succeeded', result: { alreadyStored: true } },
  ]);
  for (const account of [missed, onTime]) {
    expect(await storedTransactions(stack, account.id)).toEqual(await truthTransactions(stack, account.id));
    // The next incremental sync starts after day 2's refresh, not before it.
    const cursor = await stack.pool.query('SELECT transaction_refresh_id FROM fc_transaction_cursors WHERE account_id = $1', [account.id]);
    expect(cursor.rows[0].transaction_refresh_id).toBe((await stack.simulator.groundTruth(account.id)).account.transaction_refresh?.id);
    // The scheduled run synced what Stripe's daily refresh brought: it initiated no refresh of its own.
    expect((await stack.simulator.counters()).refreshes[account.id]?.transactions).toMatchObject({ initiated: 1, automatic: 2 });
  }
  const summary = await stack.pool.query('SELECT status, accounts_seen, accounts_synced, transactions_added FROM fc_sync_runs WHERE id = $1', [summaryId]);
  expect(summary.rows).toEqual([{ status: 'completed', accounts_seen: 2, accounts_synced: 2, transactions_added: 4 }]);

  // daily-sync-missed-webhook.json and sync-batch-missed-webhook.json were recorded before the sliding window: they keep
  // the page-by-page path (patched('sliding-window')) replaying, so this records under a name of its own.
  await maybeRecordHistory(stack.client, sync.workflowId, 'daily-sync-window-missed-webhook');
});

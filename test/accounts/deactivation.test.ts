import { afterAll, beforeAll, expect, test } from 'vitest';
import { getAccountState, subscribeTransactions } from '../../client/accounts';
import { accountWorkflowId, refreshWorkflowId } from '../../common/workflow-ids';
import { maybeRecordHistory } from '../helpers/histories';
import { runDailySync, settleTransactionRefreshes, storedTransactions, truthTransactions } from '../helpers/sync';
import { startStack, type Stack } from '../helpers/stack';
import { waitPastLastRead } from '../helpers/wait-for-age';

// Its own database: the daily sync covers every account stored, and this scenario counts them.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

/**
 * fc_accounts keeps the newest snapshot by when Stripe said it: an event's `created` (whole seconds) or the time of an
 * API read (milliseconds). Each lifecycle change is made once the simulator's clock is past the second of the
 * account's last read, so its event is newer than anything stored, whatever the guard does within a second.
 */
const clearOfLastRead = (accountId: string): Promise<void> => waitPastLastRead(stack.pool, stack.simulator, accountId);

async function lifecycleOf(accountId: string): Promise<string | undefined> {
  return (await getAccountState(stack.client, accountId)).state?.lifecycle;
}

async function storedStatus(accountId: string): Promise<string | undefined> {
  const { rows } = await stack.pool.query('SELECT status FROM fc_accounts WHERE id = $1', [accountId]);
  return rows[0]?.status;
}

test("deactivation mid-run cancels the account's refresh and the daily sync skips it; reactivation resumes its syncs", { timeout: 180_000 }, async () => {
  // A slow bank for one account: its refresh is still pending when Stripe deactivates it.
  // Pending long enough for a slow run to get there and see it pending; Stripe ends it (failed) only at that latency.
  const slow = await stack.simulator.createAccount({ transactionCount: 8, refreshLatencyMs: 15_000 });
  const others = [await stack.simulator.createAccount({ transactionCount: 8 }), await stack.simulator.createAccount({ transactionCount: 8 })];
  await stack.simulator.waitForWebhooksIdle();

  const firstRun = runDailySync(stack, { pageSize: 50, concurrency: 5 });
  await expect
    .poll(async () => {
      const { rows } = await stack.pool.query('SELECT status FROM fc_refreshes WHERE account_id = $1 ORDER BY id DESC LIMIT 1', [slow.id]);
      return rows[0]?.status;
    }, { interval: 50 })
    .toBe('pending');
  await clearOfLastRead(slow.id);
  await stack.simulator.deactivateAccount(slow.id);

  // The account workflow got the deactivation and cancelled the refresh; the run counts the account as skipped.
  const first = await firstRun;
  expect(first).toMatchObject({ accountsSeen: 3, accountsSynced: 2, accountsSkipped: 1, accountsFailed: 0 });
  const cancelled = await stack.client.workflow.getHandle(refreshWorkflowId('transactions', slow.id)).describe();
  expect(cancelled.status.name).toBe('CANCELLED');
  const { rows: slowRows } = await stack.pool.query('SELECT trigger, status FROM fc_refreshes WHERE account_id = $1 ORDER BY id', [slow.id]);
  expect(slowRows).toEqual([{ trigger: 'schedule', status: 'cancelled' }]);
  expect(await lifecycleOf(slow.id)).toBe('inactive');
  expect(await storedStatus(slow.id)).toBe('inactive');

  // Stripe ends the abandoned refresh as failed; its webhook is recorded, nothing is initiated again.
  await settleTransactionRefreshes(stack, slow.id);
  const second = await runDailySync(stack, { pageSize: 50, concurrency: 5 });
  expect(second).toMatchObject({ accountsSeen: 2, accountsSynced: 2, accountsSkipped: 0 });
  expect((await stack.simulator.counters()).refreshes[slow.id]?.transactions).toMatchObject({ initiated: 1, succeeded: 0, failed: 1 });
  expect(await storedTransactions(stack, slow.id)).toEqual([]);

  await stack.simulator.updateAccount(slow.id, { refreshLatencyMs: 50 });
  await clearOfLastRead(slow.id);
  await stack.simulator.reactivateAccount(slow.id);
  await stack.simulator.waitForWebhooksIdle();
  await expect.poll(() => lifecycleOf(slow.id)).toBe('active');
  expect(await storedStatus(slow.id)).toBe('active');

  const third = await runDailySync(stack, { pageSize: 50, concurrency: 5 });
  expect(third).toMatchObject({ accountsSeen: 3, accountsSynced: 3, accountsSkipped: 0, accountsFailed: 0 });
  for (const account of [slow, ...others]) expect(await storedTransactions(stack, account.id)).toEqual(await truthTransactions(stack, account.id));
  expect(await subscribeTransactions(stack.client, slow.id)).toMatchObject({ lifecycle: 'active', subscriptions: ['transactions'] });
  await settleTransactionRefreshes(stack, slow.id);
  expect(await getAccountState(stack.client, slow.id)).toMatchObject({ state: { lifecycle: 'active', eventsApplied: 2 } });

  await maybeRecordHistory(stack.client, accountWorkflowId(slow.id), 'account-deactivated-reactivated');
});

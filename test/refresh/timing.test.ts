import { afterAll, beforeAll, expect, test } from 'vitest';
import { refreshWorkflowId } from '../../common/workflow-ids';
import { REFRESH_WORKFLOW_TYPE } from '../../common/workflow-types';
import { refreshStatusQuery } from '../../workflows/refresh-definitions';
import { maybeRecordHistory } from '../helpers/histories';
import { FAST_POLL, runRefresh } from '../helpers/refresh';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

test('cooldown: no refresh call reaches Stripe before next_refresh_available_at', async () => {
  // Long enough to still run when the next request is started on a loaded machine.
  const account = await stack.simulator.createAccount({ cooldownSeconds: { balance: 10 } });
  const first = await runRefresh(stack.client, stack.taskQueue, account.id, 'balance');
  expect(first.outcome).toBe('succeeded');
  const availableAt = first.nextRefreshAvailableAt as number;
  expect(availableAt).toBeGreaterThan(Date.now() / 1000);

  const handle = await stack.client.workflow.start(REFRESH_WORKFLOW_TYPE, {
    taskQueue: stack.taskQueue,
    workflowId: refreshWorkflowId('balance', account.id),
    args: [{ accountId: account.id, feature: 'balance', trigger: 'request', pollIntervalSeconds: FAST_POLL }],
  });
  // While the durable timer runs, the workflow says what it waits for, and Stripe sees no refresh attempt.
  await expect.poll(async () => (await handle.query(refreshStatusQuery)).phase).toBe('waiting_for_availability');
  expect((await handle.query(refreshStatusQuery)).waitingUntil).toBeGreaterThanOrEqual(availableAt);
  const during = await stack.simulator.counters();
  expect(during.refreshes[account.id]?.balance.notInitiated ?? 0).toBe(0);

  const second = (await handle.result()) as Awaited<ReturnType<typeof runRefresh>>;
  expect(second.outcome).toBe('succeeded');
  expect(second.lastAttemptedAt).toBeGreaterThanOrEqual(availableAt);
  const after = await stack.simulator.counters();
  expect(after.refreshes[account.id]?.balance).toMatchObject({ initiated: 2, notInitiated: 0 });
  await maybeRecordHistory(stack.client, handle.workflowId, 'refresh-balance-after-cooldown');
});

test('a pending refresh (prefetch) is adopted: nothing is initiated', async () => {
  const account = await stack.simulator.createAccount({ prefetch: ['balance'], refreshLatencyMs: 1500, balance: { current: { usd: 100 } } });
  const result = await runRefresh(stack.client, stack.taskQueue, account.id, 'balance');
  expect(result.outcome).toBe('succeeded');
  expect(result.initiations).toBe(0);
  const counters = await stack.simulator.counters();
  expect(counters.refreshes[account.id]?.balance).toMatchObject({ initiated: 0, notInitiated: 0, automatic: 1 });
  await maybeRecordHistory(stack.client, refreshWorkflowId('balance', account.id), 'refresh-balance-adopted-prefetch');
});

test('an inactive account ends account_inactive, recorded, without a retry storm', async () => {
  const account = await stack.simulator.createAccount({ status: 'inactive' });
  const result = await runRefresh(stack.client, stack.taskQueue, account.id, 'ownership');
  expect(result.outcome).toBe('account_inactive');
  const counters = await stack.simulator.counters();
  const callsForAccount = Object.values(counters.callsByAccount[account.id] ?? {}).reduce((a, b) => a + b, 0);
  expect(callsForAccount).toBeLessThanOrEqual(1);
  const { rows } = await stack.pool.query('SELECT status FROM fc_refreshes WHERE account_id = $1', [account.id]);
  expect(rows).toEqual([{ status: 'account_inactive' }]);
  await maybeRecordHistory(stack.client, refreshWorkflowId('ownership', account.id), 'refresh-ownership-inactive');
});

test('a failed refresh is recorded; maxAttempts re-initiates after the next availability', async () => {
  const account = await stack.simulator.createAccount({ failNext: { feature: 'balance', count: 1 } });
  const failed = await runRefresh(stack.client, stack.taskQueue, account.id, 'balance');
  expect(failed.outcome).toBe('failed');
  expect(failed.error?.code).toBeTruthy();
  const { rows } = await stack.pool.query(`SELECT status, error FROM fc_refreshes WHERE account_id = $1`, [account.id]);
  expect(rows[0].status).toBe('failed');
  expect(rows[0].error).toMatchObject({ code: expect.any(String) });

  await stack.simulator.failNextRefreshes(account.id, 'balance', 1);
  const retried = await runRefresh(stack.client, stack.taskQueue, account.id, 'balance', { maxAttempts: 2 });
  expect(retried.outcome, JSON.stringify(retried)).toBe('succeeded');
  expect(retried.initiations).toBe(2);
  await maybeRecordHistory(stack.client, refreshWorkflowId('balance', account.id), 'refresh-balance-failed-then-retried');
});

test('a second request while one runs joins it', async () => {
  const account = await stack.simulator.createAccount({ refreshLatencyMs: 1000 });
  const [a, b] = await Promise.all([
    runRefresh(stack.client, stack.taskQueue, account.id, 'balance'),
    runRefresh(stack.client, stack.taskQueue, account.id, 'balance'),
  ]);
  expect(a).toEqual(b);
  expect((await stack.simulator.counters()).refreshes[account.id]?.balance.initiated).toBe(1);
});

import { TERMINAL_STATUSES } from '../../workflows/refresh-definitions';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { refreshWorkflowId } from '../../common/workflow-ids';
import type { RefreshResult } from '../../workflows/refresh-definitions';
import { maybeRecordHistory } from '../helpers/histories';
import { runRefresh } from '../helpers/refresh';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterEach(async () => {
  await stack.simulator.setWebhookFaults({});
});
afterAll(async () => {
  await stack?.close();
});

async function balanceRows(accountId: string): Promise<number> {
  const { rows } = await stack.pool.query('SELECT count(*)::int AS n FROM fc_balances WHERE account_id = $1', [accountId]);
  return rows[0].n;
}

test('a lost webhook: the refresh completes by polling', async () => {
  const account = await stack.simulator.createAccount({ balance: { current: { usd: 700 }, available: { usd: 650 } } });
  await stack.simulator.dropWebhooks({ accountId: account.id, forMs: 60_000 });
  const result = await runRefresh(stack.client, stack.taskQueue, account.id, 'balance');
  await stack.simulator.clearWebhookDrops();
  expect(result.outcome).toBe('succeeded');
  expect(await balanceRows(account.id)).toBe(1);
  expect((await stack.simulator.counters()).webhooks.dropped).toBeGreaterThan(0);
  await maybeRecordHistory(stack.client, refreshWorkflowId('balance', account.id), 'refresh-balance-lost-webhook');
});

test('a balance the receiver already stored is reported by a local activity: no storeBalance on the Stripe queue', async () => {
  const account = await stack.simulator.createAccount({ balance: { current: { usd: 810 } }, refreshLatencyMs: 1_500 });
  const workflowId = refreshWorkflowId('balance', account.id);
  const result = runRefresh(stack.client, stack.taskQueue, account.id, 'balance');
  // Hold the workers while the refresh is pending, so the receiver has stored the event's balance before the
  // workflow looks (as it usually has: its write commits in milliseconds).
  await expect.poll(async () => (await stack.pool.query(`SELECT status FROM fc_refreshes WHERE workflow_id = $1`, [workflowId])).rows[0]?.status).toBe('pending');
  await stack.stopWorkers();
  await expect.poll(async () => (await stack.pool.query(`SELECT settled_by FROM fc_feature_state WHERE account_id = $1 AND feature = 'balance'`, [account.id])).rows[0]?.settled_by).toMatch(/^event\//);
  await stack.startWorkers();
  expect(await result).toMatchObject({ outcome: 'succeeded', stored: { balanceCurrencies: 1 } });
  expect(await balanceRows(account.id)).toBe(1);
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = (history.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
  expect(scheduled).not.toContain('storeBalance');
  await maybeRecordHistory(stack.client, workflowId, 'refresh-balance-event-reported');
});

test('duplicate, stale and out-of-order webhooks are processed once', async () => {
  await stack.simulator.setWebhookFaults({ duplicateRate: 1, staleResendRate: 1, reorder: true, reorderWindowMs: 200, seed: 7 });
  const account = await stack.simulator.createAccount({ transactionCount: 50, newTransactionsPerRefresh: 5, updatesPerRefresh: 2 });
  const first = await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions');
  const second = await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions');
  await stack.simulator.waitForWebhooksIdle({ timeoutMs: 20_000 });
  // Let webhook-started runs for re-sent events finish before comparing.
  await expect.poll(async () => {
    const { rows } = await stack.pool.query(`SELECT count(*)::int AS n FROM fc_refreshes WHERE account_id = $1 AND NOT (status = ANY($2))`, [account.id, TERMINAL_STATUSES]);
    return rows[0].n;
  }, { timeout: 20_000 }).toBe(0);
  expect([first.outcome, second.outcome]).toEqual(['succeeded', 'succeeded']);
  const counters = await stack.simulator.counters();
  expect(counters.webhooks.duplicated + counters.webhooks.staleResent).toBeGreaterThan(0);
  expect(counters.refreshes[account.id]?.transactions.initiated).toBe(2);
  const truth = await stack.simulator.groundTruth(account.id);
  const { rows } = await stack.pool.query('SELECT id, status FROM fc_transactions WHERE account_id = $1', [account.id]);
  expect(rows.length).toBe(truth.transactions.length);
  const stored = new Map(rows.map((row) => [row.id, row.status]));
  for (const transaction of truth.transactions) expect(stored.get(transaction.id)).toBe(transaction.status);
  const events = await stack.pool.query(`SELECT count(*)::int AS n FROM stripe_events WHERE account_id = $1 AND processed_at IS NULL`, [account.id]);
  expect(events.rows[0].n).toBe(0);
});

test('a webhook before any workflow (a prefetch completing) is handled by a webhook-started run', async () => {
  const account = await stack.simulator.createAccount({ prefetch: ['balance'], balance: { current: { usd: 42 } } });
  await stack.simulator.waitForWebhooksIdle({ timeoutMs: 10_000 });
  const handle = stack.client.workflow.getHandle(refreshWorkflowId('balance', account.id));
  const result = (await handle.result()) as RefreshResult;
  expect(result).toMatchObject({ outcome: 'succeeded', trigger: 'webhook', initiations: 0 });
  expect(await balanceRows(account.id)).toBe(1);
  expect((await stack.simulator.counters()).refreshes[account.id]?.balance.initiated).toBe(0);
  await maybeRecordHistory(stack.client, handle.workflowId, 'refresh-balance-webhook-started');
});

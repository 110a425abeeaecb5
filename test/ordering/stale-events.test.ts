// Issue "Nothing stale wins, nothing hangs": each reproduced defect, with events delivered as Stripe delivers them
// (an older event with its own id after a newer one, concurrent deliveries of one event), on the real stack.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkBalance } from '../../client/check-balance';
import { startRefresh } from '../../client/start-refresh';
import { waitForRefresh } from '../../client/wait-for-refresh';
import { postgresFailureType } from '../../common/failure-types';
import { refreshWorkflowId } from '../../common/workflow-ids';
import { REFRESH_WORKFLOW_TYPE } from '../../common/workflow-types';
import { maybeRecordHistory } from '../helpers/histories';
import { runRefresh } from '../helpers/refresh';
import { startStack, type Stack } from '../helpers/stack';
import { capturedEvent, deliver, latestRunResult, refreshAtStripe } from './deliveries';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function accountRow(accountId: string) {
  const { rows } = await stack.pool.query('SELECT status, ownership_id, ownership_refreshed_at, balance_as_of FROM fc_accounts WHERE id = $1', [accountId]);
  return rows[0];
}

describe('a late event of an older refresh, with its own id, changes nothing', () => {
  test('ownership: the pointer stays on the newer snapshot and its refresh time', async () => {
    const account = await stack.simulator.createAccount({ owners: [{ name: 'Ada Older' }] });
    expect((await runRefresh(stack.client, stack.taskQueue, account.id, 'ownership')).outcome).toBe('succeeded');
    const first = await stack.stripe.financialConnections.accounts.retrieve(account.id);
    await stack.simulator.updateAccount(account.id, { owners: [{ name: 'Grace Newer' }] });
    await stack.simulator.advanceClock(2);
    const second = await runRefresh(stack.client, stack.taskQueue, account.id, 'ownership');
    expect(second.outcome).toBe('succeeded');
    const newer = await accountRow(account.id);
    expect(newer.ownership_id).not.toBe(first.ownership);

    expect((await deliver(stack, capturedEvent(first, 'ownership', first.ownership_refresh?.last_attempted_at))).status).toBe(200);
    const late = await latestRunResult(stack, 'ownership', account.id);

    expect(late.outcome).toBe('ignored');
    expect(late.error?.code).toBe('stale_refresh');
    expect(await accountRow(account.id)).toEqual(newer);
  });

  test('failed: a late failure of an older refresh does not become the newest outcome', async () => {
    const account = await stack.simulator.createAccount({ failNext: { feature: 'balance', count: 1 } });
    expect((await runRefresh(stack.client, stack.taskQueue, account.id, 'balance')).outcome).toBe('failed');
    const failed = await stack.stripe.financialConnections.accounts.retrieve(account.id);
    await stack.simulator.advanceClock(2);
    expect((await runRefresh(stack.client, stack.taskQueue, account.id, 'balance')).outcome).toBe('succeeded');

    await deliver(stack, capturedEvent(failed, 'balance'));
    expect((await latestRunResult(stack, 'balance', account.id)).outcome).toBe('ignored');

    const state = await stack.pool.query('SELECT status FROM fc_feature_state WHERE account_id = $1 AND feature = $2', [account.id, 'balance']);
    expect(state.rows).toEqual([{ status: 'succeeded' }]);
    const newestDecided = await stack.pool.query(
      `SELECT status FROM fc_refreshes WHERE account_id = $1 AND feature = 'balance' AND status <> 'ignored' ORDER BY id DESC LIMIT 1`,
      [account.id],
    );
    expect(newestDecided.rows).toEqual([{ status: 'succeeded' }]);
  });

  test('transactions: the cursor never moves back to an older refresh', async () => {
    const account = await stack.simulator.createAccount({ transactionCount: 20, newTransactionsPerRefresh: 3 });
    expect((await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions')).outcome).toBe('succeeded');
    const first = await stack.stripe.financialConnections.accounts.retrieve(account.id);
    await stack.simulator.advanceClock(2);
    expect((await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions')).outcome).toBe('succeeded');
    const cursor = async () => (await stack.pool.query('SELECT transaction_refresh_id FROM fc_transaction_cursors WHERE account_id = $1', [account.id])).rows[0];
    const newer = await cursor();
    expect(newer.transaction_refresh_id).not.toBe(first.transaction_refresh?.id);

    await deliver(stack, capturedEvent(first, 'transactions'));
    expect((await latestRunResult(stack, 'transactions', account.id)).outcome).toBe('ignored');
    expect(await cursor()).toEqual(newer);
  });
});

test('a request that joins the run settling a late event is answered by a refresh of its own, not by that run', async () => {
  const account = await stack.simulator.createAccount();
  expect((await runRefresh(stack.client, stack.taskQueue, account.id, 'balance')).outcome).toBe('succeeded');
  const stored = await stack.stripe.financialConnections.accounts.retrieve(account.id);
  await stack.simulator.advanceClock(2);
  // The receiver's run for a late re-send of the stored refresh's event, caught before its event arrives.
  const workflowId = refreshWorkflowId('balance', account.id);
  await stack.client.workflow.start(REFRESH_WORKFLOW_TYPE, { taskQueue: stack.taskQueue, workflowId, args: [{ accountId: account.id, feature: 'balance', trigger: 'webhook' }] });

  const started = await startRefresh(stack.client, { accountId: account.id, feature: 'balance', taskQueue: stack.taskQueue });
  expect(started.joined).toBe(true);
  expect((await deliver(stack, capturedEvent(stored, 'balance'))).status).toBe(200);

  expect(await waitForRefresh(stack.client, started)).toMatchObject({ outcome: 'succeeded', trigger: 'request', initiations: 1 });
  expect((await stack.simulator.counters()).refreshes[account.id]?.balance.initiated).toBe(2);
  const { rows } = await stack.pool.query('SELECT trigger, status, error->>\'code\' AS code FROM fc_refreshes WHERE workflow_id = $1 ORDER BY id', [workflowId]);
  expect(rows).toEqual([
    { trigger: 'request', status: 'succeeded', code: null },
    { trigger: 'webhook', status: 'ignored', code: 'already_stored' },
    { trigger: 'request', status: 'succeeded', code: null },
  ]);
  await maybeRecordHistory(stack.client, workflowId, 'refresh-balance-request-joined-late-event', started.runId);
});

test('a disconnected account never passes a balance check, whatever its stored balance', async () => {
  const account = await stack.simulator.createAccount({ balance: { current: { usd: 900_000 }, available: { usd: 900_000 } } });
  expect((await runRefresh(stack.client, stack.taskQueue, account.id, 'balance')).outcome).toBe('succeeded');
  await stack.simulator.disconnectAccount(account.id);
  await stack.simulator.waitForWebhooksIdle({ timeoutMs: 30_000 });
  await expect.poll(async () => (await accountRow(account.id)).status).toBe('disconnected');

  for (const maxAgeSeconds of [0, 86_400]) {
    const check = await checkBalance(stack.client, { taskQueue: stack.taskQueue, account: account.id, amount: 100, currency: 'usd', maxAgeSeconds, deadlineSeconds: 10 });
    expect(check).toMatchObject({ decision: 'unknown', reason: 'account_disconnected' });
  }
  expect((await accountRow(account.id)).balance_as_of).toBeNull();
});

test('8 concurrent deliveries of one event are processed once', async () => {
  const account = await stack.simulator.createAccount();
  await stack.simulator.dropWebhooks({ accountId: account.id, forMs: 60_000 });
  const refreshed = await refreshAtStripe(stack, account.id, 'balance');
  const event = capturedEvent(refreshed, 'balance');

  const responses = await Promise.all(Array.from({ length: 8 }, () => deliver(stack, event)));

  expect(responses.every((response) => response.status === 200)).toBe(true);
  expect(responses.filter((response) => (response.body as { duplicate?: boolean }).duplicate !== true)).toHaveLength(1);
  expect((await latestRunResult(stack, 'balance', account.id)).outcome).toBe('succeeded');
  const runs = await stack.pool.query('SELECT count(*)::int AS runs FROM fc_refreshes WHERE workflow_id = $1', [refreshWorkflowId('balance', account.id)]);
  expect(runs.rows).toEqual([{ runs: 1 }]);
  await stack.simulator.clearWebhookDrops();
});

describe('every refresh ends in a recorded terminal state', () => {
  test('a Stripe 4xx while storing ends the refresh failed, with the cause recorded', async () => {
    const account = await stack.simulator.createAccount();
    await stack.simulator.dropWebhooks({ accountId: account.id, forMs: 60_000 });
    const refreshed = await refreshAtStripe(stack, account.id, 'ownership');
    // Stripe answers 404 for an ownership it does not know: listing its owners will never succeed.
    await deliver(stack, capturedEvent({ ...refreshed, ownership: 'fcaowns_unknownToStripe' }, 'ownership'));

    const result = await latestRunResult(stack, 'ownership', account.id);
    expect(result.outcome).toBe('failed');
    expect(result.error?.code).toMatch(/^Stripe:/);
    const { rows } = await stack.pool.query('SELECT status, error FROM fc_refreshes WHERE account_id = $1', [account.id]);
    expect(rows).toEqual([{ status: 'failed', error: expect.objectContaining({ code: result.error?.code }) }]);
    await stack.simulator.clearWebhookDrops();
  });

  test('a deterministic Postgres error (constraint violation) ends the refresh failed instead of retrying forever', async () => {
    await stack.pool.query('ALTER TABLE fc_balances ADD CONSTRAINT test_current_below_a_billion CHECK (current < 1000000000)');
    try {
      const account = await stack.simulator.createAccount({ balance: { current: { usd: 2_000_000_000 }, available: { usd: 5 } } });
      const result = await runRefresh(stack.client, stack.taskQueue, account.id, 'balance');
      expect(result.outcome).toBe('failed');
      expect(result.error?.code).toBe(postgresFailureType('23514'));
      const { rows } = await stack.pool.query('SELECT status FROM fc_refreshes WHERE account_id = $1', [account.id]);
      expect(rows).toEqual([{ status: 'failed' }]);
    } finally {
      await stack.pool.query('ALTER TABLE fc_balances DROP CONSTRAINT test_current_below_a_billion');
    }
  });

  test('a cancelled refresh stops paging Stripe and never moves the cursor afterwards', async () => {
    const account = await stack.simulator.createAccount({ transactionCount: 3_000 });
    const listRoute = 'GET /v1/financial_connections/transactions';
    await stack.simulator.setLatency([{ route: listRoute, minMs: 250, maxMs: 300 }]);
    try {
      const handle = await stack.client.workflow.start(REFRESH_WORKFLOW_TYPE, {
        taskQueue: stack.taskQueue,
        workflowId: refreshWorkflowId('transactions', account.id),
        args: [{ accountId: account.id, feature: 'transactions', trigger: 'request', pollIntervalSeconds: { initial: 1, max: 2 } }],
      });
      await expect.poll(async () => (await stack.simulator.counters()).calls[listRoute] ?? 0, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(3);

      await handle.cancel();
      await expect(handle.result()).rejects.toThrow();
      const pagesWhenClosed = (await stack.simulator.counters()).calls[listRoute] ?? 0;
      expect(pagesWhenClosed).toBeLessThan(30);

      // Closed only once its paging activity stopped: nothing is listed or written after that.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await stack.simulator.counters()).calls[listRoute]).toBe(pagesWhenClosed);
      const cursor = await stack.pool.query('SELECT 1 FROM fc_transaction_cursors WHERE account_id = $1', [account.id]);
      expect(cursor.rows).toEqual([]);
      const { rows } = await stack.pool.query('SELECT status FROM fc_refreshes WHERE account_id = $1', [account.id]);
      expect(rows).toEqual([{ status: 'cancelled' }]);
    } finally {
      await stack.simulator.setLatency([]);
    }
  });

  test('a refresh Stripe will not start before its deadline ends timed_out, recorded', async () => {
    const account = await stack.simulator.createAccount({ cooldownSeconds: { balance: 3_600 } });
    expect((await runRefresh(stack.client, stack.taskQueue, account.id, 'balance')).outcome).toBe('succeeded');
    const result = await runRefresh(stack.client, stack.taskQueue, account.id, 'balance', { refreshDeadlineSeconds: 3 });
    expect(result).toMatchObject({ outcome: 'timed_out', error: { code: 'refresh_deadline' }, initiations: 0 });
    const { rows } = await stack.pool.query(`SELECT status FROM fc_refreshes WHERE account_id = $1 ORDER BY id`, [account.id]);
    expect(rows).toEqual([{ status: 'succeeded' }, { status: 'timed_out' }]);
  });
});

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { refreshWorkflowId } from '../../common/workflow-ids';
import { historyText, maybeRecordHistory } from '../helpers/histories';
import { runRefresh } from '../helpers/refresh';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

describe('each feature lands the right rows, initiated exactly once', () => {
  test('balance', async () => {
    const account = await stack.simulator.createAccount({ balance: { current: { usd: 6000 }, available: { usd: 5500 } } });
    const result = await runRefresh(stack.client, stack.taskQueue, account.id, 'balance');
    expect(result.outcome).toBe('succeeded');
    expect(result.initiations).toBe(1);
    const { rows } = await stack.pool.query('SELECT currency, type, current, cash_available FROM fc_balances WHERE account_id = $1', [account.id]);
    expect(rows).toEqual([{ currency: 'usd', type: 'cash', current: 6000, cash_available: 5500 }]);
    const counters = await stack.simulator.counters();
    expect(counters.refreshes[account.id]?.balance.initiated).toBe(1);
    const refreshes = await stack.pool.query('SELECT status, attempts FROM fc_refreshes WHERE account_id = $1', [account.id]);
    expect(refreshes.rows).toEqual([{ status: 'succeeded', attempts: 1 }]);
    await maybeRecordHistory(stack.client, refreshWorkflowId('balance', account.id), 'refresh-balance-succeeded');
  });

  test('ownership: 150+ owners across pages', async () => {
    const account = await stack.simulator.createAccount({ ownerCount: 160 });
    const result = await runRefresh(stack.client, stack.taskQueue, account.id, 'ownership');
    expect(result.outcome).toBe('succeeded');
    const truth = await stack.simulator.groundTruth(account.id);
    expect(truth.owners.length).toBeGreaterThanOrEqual(150);
    expect(result.stored.owners).toBe(truth.owners.length);
    const { rows } = await stack.pool.query('SELECT id FROM fc_owners WHERE account_id = $1 AND ownership_id = $2 ORDER BY id COLLATE "C"', [account.id, truth.ownership?.id]);
    expect(rows.map((row) => row.id)).toEqual(truth.owners.map((owner) => owner.id).sort((a, b) => (a < b ? -1 : 1)));
  });

  test('transactions: 1,000+ across pages, then only new and changed ones', async () => {
    const account = await stack.simulator.createAccount({ transactionCount: 1200, newTransactionsPerRefresh: 30, updatesPerRefresh: 20 });
    const first = await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions');
    expect(first.outcome).toBe('succeeded');
    expect(first.stored.transactionsAdded).toBe(1200);

    const second = await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions');
    expect(second.outcome, JSON.stringify(second)).toBe("succeeded");
    expect(second.stored.transactionsAdded).toBe(30);
    expect(second.stored.transactionsUpdated).toBeGreaterThan(0);
    expect((second.stored.transactionsAdded ?? 0) + (second.stored.transactionsUpdated ?? 0) + (second.stored.transactionsUnchanged ?? 0)).toBeLessThan(100);

    const truth = await stack.simulator.groundTruth(account.id);
    const { rows } = await stack.pool.query(
      `SELECT id, amount, status, extract(epoch from stripe_updated)::bigint AS updated FROM fc_transactions WHERE account_id = $1 ORDER BY id COLLATE "C"`,
      [account.id],
    );
    const expected = truth.transactions.map((t) => ({ id: t.id, amount: t.amount, status: t.status, updated: t.updated })).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(rows).toEqual(expected);
    const cursor = await stack.pool.query('SELECT transaction_refresh_id FROM fc_transaction_cursors WHERE account_id = $1', [account.id]);
    expect(cursor.rows[0].transaction_refresh_id).toBe(truth.account.transaction_refresh?.id);
    expect((await stack.simulator.counters()).refreshes[account.id]?.transactions.initiated).toBe(2);
    await maybeRecordHistory(stack.client, refreshWorkflowId('transactions', account.id), 'refresh-transactions-incremental');
  });
});

test('no owner name, email or transaction description appears in any workflow history', async () => {
  const account = await stack.simulator.createAccount({
    owners: [{ name: 'Zelda Quartermaine', email: 'zelda.q@example.org', phone: '+1 555 867 5309', raw_address: '742 Evergreen Terrace, Springfield' }],
    transactionCount: 20,
  });
  await runRefresh(stack.client, stack.taskQueue, account.id, 'ownership');
  await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions');
  const truth = await stack.simulator.groundTruth(account.id);
  const secrets = [
    'Zelda Quartermaine', 'zelda.q@example.org', '867 5309', 'Evergreen Terrace',
    ...truth.transactions.map((t) => t.description).filter((d): d is string => Boolean(d)),
  ];
  let scanned = 0;
  for await (const execution of stack.client.workflow.list({ query: `TaskQueue = '${stack.taskQueue}'` })) {
    const history = await stack.client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    const text = historyText(history);
    expect(text).toContain('fca_'); // payloads were decoded: ids are there, the PII is not
    for (const secret of secrets) expect(text.includes(secret), `${secret} in ${execution.workflowId}`).toBe(false);
    scanned += 1;
  }
  expect(scanned).toBeGreaterThanOrEqual(2);
});

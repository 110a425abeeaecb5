import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Feature } from '../../common/features';
import { upsertAccountSnapshot } from '../../db/queries/accounts';
import { refreshWorkflowId } from '../../common/workflow-ids';
import { maybeRecordHistory } from '../helpers/histories';
import { runRefresh } from '../helpers/refresh';
import { startStack, type Stack } from '../helpers/stack';

// The ordinary refresh of an account the product already knows costs Stripe's minimum: the Refresh API call (its
// answer says whether a refresh started), plus the pages of owners or transactions; the webhook carries the rest.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const TRANSACTION_LIST = 'GET /v1/financial_connections/transactions';
const REFRESH = 'POST /v1/financial_connections/accounts/:id/refresh';
const RETRIEVE = 'GET /v1/financial_connections/accounts/:id';

/** Stripe calls made for the account (transaction pages name it only in the query: counted globally, one test at a time). */
async function callsFor(accountId: string): Promise<{ total: number; byRoute: Record<string, number> }> {
  const counters = await stack.simulator.counters();
  const byRoute = { ...(counters.callsByAccount[accountId] ?? {}), [TRANSACTION_LIST]: counters.calls[TRANSACTION_LIST] ?? 0 };
  return { total: Object.values(byRoute).reduce((sum, n) => sum + n, 0), byRoute };
}

async function callsOf(accountId: string, work: () => Promise<unknown>): Promise<{ total: number; byRoute: Record<string, number> }> {
  const before = await callsFor(accountId);
  await work();
  await stack.simulator.waitForWebhooksIdle({ timeoutMs: 10_000 });
  const after = await callsFor(accountId);
  const byRoute = Object.fromEntries(Object.entries(after.byRoute).map(([route, n]) => [route, n - (before.byRoute[route] ?? 0)]).filter(([, n]) => n !== 0));
  return { total: after.total - before.total, byRoute };
}

/** A linked account whose account.created event is not sent: its registration would retrieve it meanwhile. */
async function createAccount(input: Parameters<Stack['simulator']['createAccount']>[0]): Promise<{ id: string }> {
  await stack.simulator.setWebhookEndpoint({ url: null });
  try {
    return await stack.simulator.createAccount(input);
  } finally {
    await stack.simulator.setWebhookEndpoint({ url: stack.webhookUrl, secret: stack.webhookSecret });
  }
}

/** The account as an earlier sync left it in fc_accounts: what Stripe says now, seen an hour ago. */
async function storeOldSnapshot(accountId: string): Promise<void> {
  const account = await stack.stripe.financialConnections.accounts.retrieve(accountId);
  await upsertAccountSnapshot(stack.pool, account, new Date(Date.now() - 3600_000));
  await stack.pool.query(`UPDATE fc_accounts SET stripe_seen_at = now() - interval '1 hour' WHERE id = $1`, [accountId]);
}

async function storedRefreshStatus(accountId: string, feature: Feature): Promise<string | null> {
  const { rows } = await stack.pool.query<{ status: string | null }>(`SELECT refresh_state->$2->>'status' AS status FROM fc_accounts WHERE id = $1`, [accountId, feature]);
  return rows[0]?.status ?? null;
}

test('balance, ownership, transactions of a known account: the refresh call plus the pages, nothing retrieved', async () => {
  const account = await createAccount({ ownerCount: 1, transactionCount: 20, refreshLatencyMs: 300, balance: { current: { usd: 700 } } });
  await storeOldSnapshot(account.id);
  const expected: Record<Feature, Record<string, number>> = {
    balance: { [REFRESH]: 1 },
    ownership: { [REFRESH]: 1, 'GET /v1/financial_connections/accounts/:id/owners': 1 },
    transactions: { [REFRESH]: 1, [TRANSACTION_LIST]: 1 },
  };
  for (const feature of ['balance', 'ownership', 'transactions'] as const) {
    const calls = await callsOf(account.id, async () => {
      expect((await runRefresh(stack.client, stack.taskQueue, account.id, feature)).outcome).toBe('succeeded');
    });
    expect(calls.byRoute, feature).toEqual(expected[feature]);
    if (feature === 'balance') await maybeRecordHistory(stack.client, refreshWorkflowId('balance', account.id), 'refresh-balance-from-old-snapshot');
    // The refreshed_* event's account replaced the `pending` the refresh call answered: the next refresh starts from it.
    expect(await storedRefreshStatus(account.id, feature)).toBe('succeeded');
  }
  const { rows } = await stack.pool.query('SELECT current FROM fc_balances WHERE account_id = $1', [account.id]);
  expect(rows).toEqual([{ current: 700 }]);

  // Again an hour later: the snapshot the webhook left leads straight to the refresh call.
  await stack.pool.query(`UPDATE fc_accounts SET stripe_seen_at = now() - interval '1 hour' WHERE id = $1`, [account.id]);
  const again = await callsOf(account.id, () => runRefresh(stack.client, stack.taskQueue, account.id, 'balance'));
  expect(again.byRoute).toEqual({ [REFRESH]: 1 });
});

test('an account deactivated behind an old snapshot: Stripe refuses, the retrieve records why (balance checks then answer unknown)', async () => {
  const account = await createAccount({ balance: { current: { usd: 100 } } });
  expect((await runRefresh(stack.client, stack.taskQueue, account.id, 'balance')).outcome).toBe('succeeded');
  await stack.simulator.dropWebhooks({ accountId: account.id });
  try {
    await stack.simulator.deactivateAccount(account.id);
  } finally {
    await stack.simulator.clearWebhookDrops();
  }
  await stack.pool.query(`UPDATE fc_accounts SET stripe_seen_at = now() - interval '1 hour', refresh_state = '{}' WHERE id = $1`, [account.id]);

  const calls = await callsOf(account.id, async () => {
    const result = await runRefresh(stack.client, stack.taskQueue, account.id, 'balance');
    expect(result).toMatchObject({ outcome: 'account_inactive', initiations: 0 });
  });
  expect(calls.byRoute).toEqual({ [REFRESH]: 1, [RETRIEVE]: 1 });
  const { rows } = await stack.pool.query('SELECT status FROM fc_accounts WHERE id = $1', [account.id]);
  expect(rows).toEqual([{ status: 'inactive' }]);
});

test('a permission the old snapshot wrongly names: Stripe refuses, the request ends permission_missing', async () => {
  const account = await createAccount({ permissions: ['payment_method', 'ownership'] });
  await storeOldSnapshot(account.id);
  await stack.pool.query(`UPDATE fc_accounts SET permissions = array_append(permissions, 'balances') WHERE id = $1`, [account.id]);

  const calls = await callsOf(account.id, async () => {
    const result = await runRefresh(stack.client, stack.taskQueue, account.id, 'balance');
    expect(result).toMatchObject({ outcome: 'permission_missing', initiations: 0 });
  });
  expect(calls.byRoute).toEqual({ [REFRESH]: 1, [RETRIEVE]: 1 });
  const { rows } = await stack.pool.query('SELECT permissions FROM fc_accounts WHERE id = $1', [account.id]);
  expect(rows[0].permissions).not.toContain('balances');
  await maybeRecordHistory(stack.client, refreshWorkflowId('balance', account.id), 'refresh-balance-refused-permission');
});

test('an old snapshot that missed a refresh in cooldown: Stripe does not start one, the request waits and then refreshes', async () => {
  // Long enough that the second request reaches Stripe inside the cooldown on a loaded machine (3 s was not).
  const account = await createAccount({ cooldownSeconds: { balance: 10 } });
  expect((await runRefresh(stack.client, stack.taskQueue, account.id, 'balance')).outcome).toBe('succeeded');
  // The snapshot forgets that refresh: it shows the balance as never refreshed.
  await stack.pool.query(`UPDATE fc_accounts SET stripe_seen_at = now() - interval '1 hour', refresh_state = '{}' WHERE id = $1`, [account.id]);

  const result = await runRefresh(stack.client, stack.taskQueue, account.id, 'balance');
  expect(result).toMatchObject({ outcome: 'succeeded', initiations: 1 });
  expect((await stack.simulator.counters()).refreshes[account.id]?.balance).toMatchObject({ initiated: 2, notInitiated: 1 });
});

test('ownership with its webhook lost: the poll that finds the refresh succeeded also names the ownership to list', async () => {
  const account = await createAccount({ ownerCount: 3 });
  await storeOldSnapshot(account.id);
  await stack.simulator.dropWebhooks({ accountId: account.id });
  try {
    const calls = await callsOf(account.id, async () => {
      const result = await runRefresh(stack.client, stack.taskQueue, account.id, 'ownership');
      expect(result).toMatchObject({ outcome: 'succeeded', stored: { owners: 3 } });
    });
    expect(calls.byRoute).toEqual({ [REFRESH]: 1, [RETRIEVE]: 1, 'GET /v1/financial_connections/accounts/:id/owners': 1 });
  } finally {
    await stack.simulator.clearWebhookDrops();
  }
  const truth = await stack.simulator.groundTruth(account.id);
  const { rows } = await stack.pool.query('SELECT ownership_id FROM fc_accounts WHERE id = $1', [account.id]);
  expect(rows).toEqual([{ ownership_id: truth.ownership?.id }]);
  await maybeRecordHistory(stack.client, refreshWorkflowId('ownership', account.id), 'refresh-ownership-lost-webhook');
});

import { afterAll, beforeAll, expect, test } from 'vitest';
import { refreshWorkflowId } from '../../common/workflow-ids';
import { REFRESH_WORKFLOW_TYPE } from '../../common/workflow-types';
import type { RefreshResult } from '../../workflows/refresh-definitions';
import { FAST_POLL, runRefresh } from '../helpers/refresh';
import { startStack, type Stack } from '../helpers/stack';
import { storedTransactions, truthTransactions } from '../helpers/sync';

// A first transaction sync listed in `transacted_at` ranges side by side (activities/sync-transactions.ts,
// syncFirstInRanges): every transaction stored once, the cursor at the synced refresh, a retry mid-sync still
// exactly once, and the next sync (transaction_refresh[after]) lists only what is new or changed.

const RANGES = 4;
const listRoute = 'GET /v1/financial_connections/transactions';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ firstSyncRanges: RANGES });
});
afterAll(async () => {
  await stack?.close();
});

const listCalls = async (): Promise<number> => (await stack.simulator.counters()).calls[listRoute] ?? 0;

async function storedCursor(accountId: string): Promise<string | undefined> {
  const { rows } = await stack.pool.query<{ transaction_refresh_id: string }>('SELECT transaction_refresh_id FROM fc_transaction_cursors WHERE account_id = $1', [accountId]);
  return rows[0]?.transaction_refresh_id;
}

/** Every transaction stored as the simulator has it, and the cursor at its newest refresh; that refresh's id. */
async function expectSyncedToTruth(accountId: string): Promise<string | undefined> {
  expect(await storedTransactions(stack, accountId)).toEqual(await truthTransactions(stack, accountId));
  const truth = await stack.simulator.groundTruth(accountId);
  expect(await storedCursor(accountId)).toBe(truth.account.transaction_refresh?.id);
  return truth.account.transaction_refresh?.id;
}

test('a first sync in ranges stores exactly the simulator\'s transactions, leaves the cursor at the refresh, and the next sync adds only new ones', async () => {
  const account = await stack.simulator.createAccount({ transactionCount: 1_500, newTransactionsPerRefresh: 25, updatesPerRefresh: 10 });
  const callsBefore = await listCalls();
  const first = await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions');
  expect(first.outcome).toBe('succeeded');
  expect(first.stored.transactionsAdded).toBe(1_500);
  expect(first.stored.transactionsUpdated).toBe(0);
  // Listed in ranges: the probes and each range's own last page come on top of the 15 pages one sequential list takes.
  expect((await listCalls()) - callsBefore).toBeGreaterThan(15 + RANGES);
  const firstRefresh = await expectSyncedToTruth(account.id);

  const second = await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions');
  expect(second.outcome).toBe('succeeded');
  expect(second.stored.transactionsAdded).toBe(25);
  expect(second.stored.transactionsUpdated).toBeGreaterThan(0); // the history's pending ones settled
  expect(second.stored.transactionsUnchanged).toBe(0);
  expect(await expectSyncedToTruth(account.id)).not.toBe(firstRefresh);
});

test('list requests failing mid-sync: retried in place, then by the activity, which resumes its ranges; every transaction stored once', async () => {
  const account = await stack.simulator.createAccount({ transactionCount: 3_000, newTransactionsPerRefresh: 5, updatesPerRefresh: 0 });
  await stack.simulator.setLatency([{ route: listRoute, minMs: 150, maxMs: 200 }]);
  const faultsBefore = (await stack.simulator.counters()).apiFaultsInjected;
  const callsBefore = await listCalls();
  try {
    const handle = await stack.client.workflow.start(REFRESH_WORKFLOW_TYPE, {
      taskQueue: stack.taskQueue,
      workflowId: refreshWorkflowId('transactions', account.id),
      args: [{ accountId: account.id, feature: 'transactions', trigger: 'request', pollIntervalSeconds: FAST_POLL }],
    });
    // Past the probes (1 + 2 rounds) and into the ranges' pages: the next 24 list requests answer 429 (which the SDK
    // does not retry). Each range retries in place 5 times, so with 4 ranges in flight one of them runs out and fails
    // the attempt; the activity's retry resumes every range from its heartbeat.
    await expect.poll(async () => (await listCalls()) - callsBefore, { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(14);
    await stack.simulator.setApiFaults({ failNext: 24, routes: [listRoute], statuses: [429] });
    const result = (await handle.result()) as RefreshResult;
    expect(result.outcome).toBe('succeeded');
    expect((await stack.simulator.counters()).apiFaultsInjected - faultsBefore).toBe(24);
    const history = await handle.fetchHistory();
    const failedAttempts = (history.events ?? []).filter((event) => event.activityTaskStartedEventAttributes && (event.activityTaskStartedEventAttributes.attempt ?? 1) > 1);
    expect(failedAttempts.length).toBeGreaterThanOrEqual(1);
  } finally {
    await stack.simulator.clearApiFaults();
    await stack.simulator.setLatency([]);
  }
  const { rows } = await stack.pool.query('SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct_ids FROM fc_transactions WHERE account_id = $1', [account.id]);
  expect(rows[0]).toEqual({ n: 3_000, distinct_ids: 3_000 });
  await expectSyncedToTruth(account.id);

  const next = await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions');
  expect(next.outcome).toBe('succeeded');
  expect(next.stored.transactionsAdded).toBe(5);
  await expectSyncedToTruth(account.id);
});

test('an account that fits in one page is synced by that page alone', async () => {
  const account = await stack.simulator.createAccount({ transactionCount: 60 });
  const callsBefore = await listCalls();
  const result = await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions');
  expect(result.outcome).toBe('succeeded');
  expect(result.stored.transactionsAdded).toBe(60);
  expect((await listCalls()) - callsBefore).toBe(1);
  await expectSyncedToTruth(account.id);
});

test('one rate-limited list request is retried in place: the attempt goes on', async () => {
  const account = await stack.simulator.createAccount({ transactionCount: 1_200 });
  const faultsBefore = (await stack.simulator.counters()).apiFaultsInjected;
  await stack.simulator.setApiFaults({ failNext: 1, routes: [listRoute], statuses: [429] });
  try {
    const handle = await stack.client.workflow.start(REFRESH_WORKFLOW_TYPE, {
      taskQueue: stack.taskQueue,
      workflowId: refreshWorkflowId('transactions', account.id),
      args: [{ accountId: account.id, feature: 'transactions', trigger: 'request', pollIntervalSeconds: FAST_POLL }],
    });
    const result = (await handle.result()) as RefreshResult;
    expect(result.outcome).toBe('succeeded');
    expect((await stack.simulator.counters()).apiFaultsInjected - faultsBefore).toBe(1);
    const history = await handle.fetchHistory();
    const sync = (history.events ?? []).filter((event) => event.activityTaskStartedEventAttributes && event.activityTaskStartedEventAttributes.attempt !== undefined);
    expect(sync.every((event) => (event.activityTaskStartedEventAttributes?.attempt ?? 1) === 1)).toBe(true);
  } finally {
    await stack.simulator.clearApiFaults();
  }
  expect(await storedTransactions(stack, account.id)).toEqual(await truthTransactions(stack, account.id));
});

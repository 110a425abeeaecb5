import type Stripe from 'stripe';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { applyDailySyncSchedule, dailySyncScheduleId, DEFAULT_DAILY_SYNC, triggerDailySync } from '../../client/schedules';
import { refreshWorkflowId } from '../../common/workflow-ids';
import { upsertAccountSnapshot } from '../../db/queries/accounts';
import type { CreateAccountInput } from '../../simulator/control-types';
import type { FcAccount as SimulatedAccount } from '../../simulator/types';
import type { DailySyncResult } from '../../workflows/sync-definitions';
import { maybeRecordHistory } from '../helpers/histories';
import { runDailySync, settleTransactionRefreshes } from '../helpers/sync';
import { startStack, type Stack } from '../helpers/stack';
import { DAILY_SYNC_WORKFLOW_TYPE } from '../../common/workflow-types';

// The daily sync is never held up by one account: an account in Stripe's cooldown is deferred (counted, not waited
// for) and a refresh that never completes is stopped at the child timeout, while every other account is synced.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.client.schedule.getHandle(dailySyncScheduleId(stack.taskQueue)).delete().catch(() => {});
  await stack?.close();
});

/** Accounts stored as the receiver's account.created path would store them, without a webhook each. */
async function linkAccounts(inputs: CreateAccountInput[]): Promise<SimulatedAccount[]> {
  await stack.simulator.setWebhookEndpoint({ url: null });
  const created = await Promise.all(inputs.map((input) => stack.simulator.createAccount(input)));
  // The simulator returns the wire object the Stripe SDK would have parsed.
  await Promise.all(created.map((account) => upsertAccountSnapshot(stack.pool, account as unknown as Stripe.FinancialConnections.Account, new Date())));
  await stack.simulator.waitForWebhooksIdle({ timeoutMs: 30_000 }); // subscribed accounts' link-time refreshes
  await stack.simulator.setWebhookEndpoint({ url: stack.webhookUrl, secret: stack.webhookSecret });
  return created;
}

/** Half subscribed (Stripe refreshed them at link: the run only syncs), half not (the run refreshes them). */
const ordinary = (count: number): CreateAccountInput[] =>
  Array.from({ length: count }, (_, i) => ({ transactionCount: 2, ...(i % 2 === 0 ? { subscriptions: ['transactions' as const] } : {}) }));

/**
 * Subscribed: Stripe refreshed them at link, so the run syncs what that brought without initiating or waiting for a
 * webhook each.
 */
const subscribed = (count: number): CreateAccountInput[] => Array.from({ length: count }, () => ({ transactionCount: 2, subscriptions: ['transactions' as const] }));

/**
 * Stripe's cooldown of the cooling account: far longer than either run takes even on a slow, busy machine, so the
 * checks that nothing waited for it compare timestamps, never how fast this machine is; a run that did wait would
 * outlast the test's timeout.
 */
const COOLDOWN_SECONDS = 600;

async function syncRunRow(id: string) {
  const { rows } = await stack.pool.query<{ status: string; accounts_seen: number; accounts_synced: number; accounts_deferred: number; accounts_failed: number; finished_at: Date }>(
    'SELECT status, accounts_seen, accounts_synced, accounts_deferred, accounts_failed, finished_at FROM fc_sync_runs WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** Accounts in the scheduled run: with MAX_HISTORY_EVENTS_OF_RUN, enough for the run to continue as new. */
const ACCOUNTS = 60;
/** A low history bound, so a small run goes through continue-as-new as a run over many thousand accounts does. */
const MAX_HISTORY_EVENTS_OF_RUN = 120;
const CONCURRENCY = 10;

test(`a scheduled run over ${ACCOUNTS} accounts defers the one in a 10-minute cooldown at once, syncs every other account, and continues as new with bounded histories`, { timeout: 180_000 }, async () => {
  const others = await linkAccounts(subscribed(ACCOUNTS - 1));
  // Linked through the webhook path; its link-time refresh completes and starts Stripe's cooldown.
  // First in id order, so the run reaches it at once.
  const cooling = await stack.simulator.createAccount({
    id: `fca_0cooling${stack.taskQueue.replace(/\W/g, '')}`,
    transactionCount: 2,
    prefetch: ['transactions'],
    cooldownSeconds: { transactions: COOLDOWN_SECONDS },
  });
  await settleTransactionRefreshes(stack, cooling.id);
  const cooldownEndsAt = (await stack.simulator.groundTruth(cooling.id)).account.transaction_refresh?.next_refresh_available_at;
  expect(cooldownEndsAt).toEqual(expect.any(Number));

  await applyDailySyncSchedule(stack.client, {
    ...DEFAULT_DAILY_SYNC,
    taskQueue: stack.taskQueue,
    sync: { pageSize: 25, concurrency: CONCURRENCY, deferIfUnavailableForSeconds: 5, maxHistoryEvents: MAX_HISTORY_EVENTS_OF_RUN },
  });
  await triggerDailySync(stack.client, stack.taskQueue);
  const query = `WorkflowType = '${DAILY_SYNC_WORKFLOW_TYPE}' AND TaskQueue = '${stack.taskQueue}'`;
  let workflowId = '';
  await expect
    .poll(async () => {
      for await (const execution of stack.client.workflow.list({ query })) workflowId = execution.workflowId;
      return workflowId;
    })
    .not.toBe('');
  const result = (await stack.client.workflow.getHandle(workflowId).result()) as DailySyncResult;

  const synced = ACCOUNTS - 1;
  expect(result).toMatchObject({ status: 'completed', accountsSeen: ACCOUNTS, accountsSynced: synced, accountsDeferred: 1, accountsSkipped: 0, accountsFailed: 0, transactionsAdded: synced * 2 });
  expect(await syncRunRow(workflowId)).toMatchObject({ status: 'completed', accounts_seen: ACCOUNTS, accounts_synced: synced, accounts_deferred: 1, accounts_failed: 0 });

  // Not held up: the account's refresh ended, recorded as deferred, while its cooldown still ran (Stripe's clock), and
  // initiated nothing; the window never waited for it. (How long the other 199 take is this machine's business.)
  const { rows: deferred } = await stack.pool.query<{ status: string; code: string; completed: number }>(
    `SELECT status, error->>'code' AS code, extract(epoch FROM completed_at)::float AS completed FROM fc_refreshes WHERE account_id = $1 AND trigger = 'schedule'`,
    [cooling.id],
  );
  expect(deferred).toEqual([{ status: 'deferred', code: 'deferred', completed: expect.any(Number) }]);
  expect(deferred[0]?.completed).toBeLessThan(cooldownEndsAt ?? 0);
  expect((await stack.simulator.counters()).refreshes[cooling.id]?.transactions).toMatchObject({ automatic: 1, initiated: 0, notInitiated: 0 });
  const stored = await stack.pool.query('SELECT count(DISTINCT account_id)::int AS n FROM fc_transactions WHERE account_id = ANY($1)', [others.map((a) => a.id)]);
  expect(stored.rows[0].n).toBe(synced);

  // The chain continued as new, and every run stays near its history bound (children in flight when it is reached
  // still report back: at most the window's worth of events after it).
  const runs: number[] = [];
  for await (const execution of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const history = await stack.client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    runs.push(history.events?.length ?? 0);
  }
  // How many runs it takes depends on how many children finish per workflow task (the machine's speed): two on an
  // idle machine, three or more on a loaded one. Continuing as new at all, with every run bounded, is the property.
  expect(runs.length).toBeGreaterThanOrEqual(2);
  for (const events of runs) expect(events).toBeLessThan(MAX_HISTORY_EVENTS_OF_RUN + CONCURRENCY * 10);

  await maybeRecordHistory(stack.client, refreshWorkflowId('transactions', cooling.id), 'refresh-transactions-deferred');
});

test('one account cooling down, one whose refresh never completes: the run ends before the cooldown does', { timeout: 60_000 }, async () => {
  await stack.pool.query(`UPDATE fc_accounts SET status = 'inactive'`); // this run covers only the accounts below
  const synced = await linkAccounts(ordinary(3));
  // Stripe keeps this one's refresh pending for 10 minutes and its webhook is lost: only the child timeout ends the wait.
  const [stuck] = await linkAccounts([{ transactionCount: 2, refreshLatencyMs: 600_000 }]);
  await stack.simulator.dropWebhooks({ accountId: stuck?.id ?? '' });
  const cooling = await stack.simulator.createAccount({ transactionCount: 2, prefetch: ['transactions'], cooldownSeconds: { transactions: COOLDOWN_SECONDS } });
  await settleTransactionRefreshes(stack, cooling.id);
  const cooldownEndsAt = (await stack.simulator.groundTruth(cooling.id)).account.transaction_refresh?.next_refresh_available_at ?? 0;

  // Its own summary id: the recorded history then replays under any workflow id.
  const summaryId = `${stack.taskQueue}-child-timeout`;
  const result = await runDailySync(stack, { concurrency: 5, deferIfUnavailableForSeconds: 5, childTimeoutSeconds: 8, summaryId });

  expect(result).toMatchObject({ status: 'completed', accountsSeen: 5, accountsSynced: synced.length, accountsDeferred: 1, accountsFailed: 1, accountsSkipped: 0 });
  const run = await syncRunRow(summaryId);
  expect(run).toMatchObject({ status: 'completed', accounts_seen: 5, accounts_deferred: 1, accounts_failed: 1 });
  // Stripe's timestamp of the cooldown's end against Postgres's of the run's: neither account held the run up.
  expect(run?.finished_at.getTime()).toBeLessThan(cooldownEndsAt * 1000);

  // The refresh ends itself at its deadline, just under the child timeout (COMPLETED, `refresh_deadline`); should it
  // not get there, Temporal stops it (TIMED_OUT) and the sync closes its row. Either way no row stays `pending`.
  const child = await stack.client.workflow.getHandle(refreshWorkflowId('transactions', stuck?.id ?? '')).describe();
  expect(['COMPLETED', 'TIMED_OUT']).toContain(child.status.name);
  const { rows } = await stack.pool.query(`SELECT status, error->>'code' AS code FROM fc_refreshes WHERE workflow_id = $1 AND run_id = $2`, [child.workflowId, child.runId]);
  expect(rows).toEqual([{ status: 'timed_out', code: child.status.name === 'TIMED_OUT' ? 'sync_child_timeout' : 'refresh_deadline' }]);

  await stack.simulator.clearWebhookDrops();
  await maybeRecordHistory(stack.client, result.workflowId, 'daily-sync-deferred-and-child-timeout');
});

import { randomBytes } from 'node:crypto';
import { refreshWorkflowId } from '../../common/workflow-ids';
import { DAILY_SYNC_WORKFLOW_TYPE, type DailySyncWorkflow } from '../../common/workflow-types';
import type { DailySyncInput, DailySyncResult } from '../../workflows/sync-definitions';
import type { Stack } from './stack';

// Helpers for the subscription and daily sync scenarios: run a sync, let webhook-started work finish, and compare
// what Postgres holds with the simulator's ground truth.

/** One transaction as both sides can state it: every column fc_transactions takes from Stripe, times in unix seconds. */
export interface ComparableTransaction {
  id: string;
  amount: number;
  currency: string;
  description: string | null;
  status: string;
  postedAt: number | null;
  voidAt: number | null;
  transactedAt: number;
  transactionRefresh: string;
  updated: number;
}

const byId = (a: ComparableTransaction, b: ComparableTransaction): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export async function storedTransactions(stack: Stack, accountId: string): Promise<ComparableTransaction[]> {
  const { rows } = await stack.pool.query<ComparableTransaction>(
    `SELECT id, amount, currency, description, status,
        extract(epoch FROM posted_at)::bigint AS "postedAt", extract(epoch FROM void_at)::bigint AS "voidAt",
        extract(epoch FROM transacted_at)::bigint AS "transactedAt", transaction_refresh_id AS "transactionRefresh",
        extract(epoch FROM stripe_updated)::bigint AS updated
       FROM fc_transactions WHERE account_id = $1`,
    [accountId],
  );
  return rows.sort(byId);
}

export async function truthTransactions(stack: Stack, accountId: string): Promise<ComparableTransaction[]> {
  const truth = await stack.simulator.groundTruth(accountId);
  return truth.transactions
    .map((t) => ({
      id: t.id,
      amount: t.amount,
      currency: t.currency,
      description: t.description,
      status: t.status,
      postedAt: t.status_transitions.posted_at,
      voidAt: t.status_transitions.void_at,
      transactedAt: t.transacted_at,
      transactionRefresh: t.transaction_refresh,
      updated: t.updated,
    }))
    .sort(byId);
}

/**
 * Waits until the simulator has no refresh pending and no webhook to deliver (so every signal-with-start has
 * happened), then until the account's transactions refresh workflow, whichever run is latest, has closed.
 */
export async function settleTransactionRefreshes(stack: Stack, accountId: string): Promise<void> {
  await stack.simulator.waitForWebhooksIdle({ timeoutMs: 30_000 });
  const handle = stack.client.workflow.getHandle(refreshWorkflowId('transactions', accountId));
  for (;;) {
    const execution = await handle.describe().catch(() => null);
    if (!execution || execution.status.name !== 'RUNNING') return;
    await stack.client.workflow.getHandle(execution.workflowId, execution.runId).result().catch(() => undefined);
  }
}

/** Runs the daily sync workflow now, as the schedule would, and waits for its result. */
export async function runDailySync(stack: Stack, input: DailySyncInput = {}): Promise<DailySyncResult & { workflowId: string }> {
  const workflowId = `fc-refresh/daily-sync/${stack.taskQueue}/test-${randomBytes(4).toString('hex')}`;
  const result = await stack.client.workflow.execute<DailySyncWorkflow>(DAILY_SYNC_WORKFLOW_TYPE, { taskQueue: stack.taskQueue, workflowId, args: [input] });
  return { ...result, workflowId };
}

/** The fc_refreshes rows an account gained after row id `afterRowId` (bigserial: insertion order). */
export async function refreshRowsSince(stack: Stack, accountId: string, afterRowId: number) {
  const { rows } = await stack.pool.query<{ id: number; trigger: string; status: string; result: Record<string, number> | null }>(
    `SELECT id, trigger, status, result FROM fc_refreshes WHERE account_id = $1 AND feature = 'transactions' AND id > $2 ORDER BY id`,
    [accountId, afterRowId],
  );
  return rows;
}

export async function lastRefreshRowId(stack: Stack): Promise<number> {
  const { rows } = await stack.pool.query<{ id: number | null }>('SELECT max(id)::int AS id FROM fc_refreshes');
  return rows[0]?.id ?? 0;
}

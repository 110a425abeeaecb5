// 3, last figure: the first sync of a large account, sequential against `transacted_at` ranges listed side by side
// (FC_FIRST_SYNC_RANGES, activities/sync-transactions.ts). Stripe's list is one cursor, so a sequential first sync
// of 100,000 transactions waits on 1,000 page round trips one after another; ranges overlap them.
//
// Both run through the product (refresh workflow → syncTransactions) on workers of their own task queue, each with
// the shipped request pacing: a fleet request budget in Postgres at STRIPE_MAX_REQUESTS_PER_SECOND's default (20/s),
// its own budget row, so the two never share. The simulator answers every transaction list request after
// `pageLatencyMs`. The time is syncTransactions' from scheduling to completion.
import { refreshWorkflowId } from '../common/workflow-ids';
import { linkAccounts } from './accounts';
import { syncActivitySeconds, TRANSACTION_LIST } from './ingest';
import { log, round } from './measure';
import { SHIPPED_REQUESTS_PER_SECOND, startPacedWorkers } from './paced-workers';
import { runRefresh } from './refreshes';
import type { ProductStack } from './stack';

export interface FirstSyncPlan {
  transactions: number;
  pageLatencyMs: number;
  ranges: number;
}

export interface FirstSyncResult {
  parallelFirstSyncRowsPerSec: number;
  sequentialFirstSyncRowsPerSec: number;
  parallelSpeedup: number;
}

export interface FirstSyncDetail extends FirstSyncPlan {
  sequentialSeconds: number;
  parallelSeconds: number;
  sequentialListCalls: number;
  parallelListCalls: number;
  requestsPerSecond: number;
}

/** One first sync of a new account with `plan.transactions`, on workers listing it in `ranges` ranges. */
async function timeFirstSync(stack: ProductStack, plan: FirstSyncPlan, ranges: number): Promise<{ seconds: number; listCalls: number }> {
  const workers = await startPacedWorkers(stack, { name: `first-sync-${ranges}`, requestsPerSecond: SHIPPED_REQUESTS_PER_SECOND, firstSyncRanges: ranges });
  const { taskQueue } = workers;
  try {
    const [accountId] = await linkAccounts(stack, 1, { transactionCount: plan.transactions, newTransactionsPerRefresh: 0, updatesPerRefresh: 0, voidEvery: 0 });
    if (!accountId) throw new Error('no account');
    const control = stack.simulator.control;
    const callsBefore = (await control.counters()).calls[TRANSACTION_LIST] ?? 0;
    await control.setLatency([{ route: TRANSACTION_LIST, minMs: plan.pageLatencyMs, maxMs: plan.pageLatencyMs }]);
    let seconds: number;
    try {
      const { runId } = await runRefresh(stack.client, taskQueue, accountId, 'transactions');
      seconds = await syncActivitySeconds(stack.client, refreshWorkflowId('transactions', accountId), runId);
    } finally {
      await control.setLatency([]);
    }
    const listCalls = ((await control.counters()).calls[TRANSACTION_LIST] ?? 0) - callsBefore;
    const { rows } = await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM fc_transactions WHERE account_id = $1', [accountId]);
    if (rows[0]?.n !== plan.transactions) throw new Error(`first sync in ${ranges} range(s) stored ${rows[0]?.n} of ${plan.transactions}`);
    log(`first sync: ${plan.transactions} rows in ${ranges} range(s): ${seconds.toFixed(1)} s in syncTransactions, ${listCalls} list calls`);
    return { seconds, listCalls };
  } finally {
    await workers.stop();
  }
}

export async function measureFirstSync(stack: ProductStack, plan: FirstSyncPlan): Promise<{ result: FirstSyncResult; detail: FirstSyncDetail }> {
  const sequential = await timeFirstSync(stack, plan, 1);
  const parallel = await timeFirstSync(stack, plan, plan.ranges);
  const sequentialRowsPerSec = plan.transactions / sequential.seconds;
  const parallelRowsPerSec = plan.transactions / parallel.seconds;
  return {
    result: {
      parallelFirstSyncRowsPerSec: Math.round(parallelRowsPerSec),
      sequentialFirstSyncRowsPerSec: Math.round(sequentialRowsPerSec),
      parallelSpeedup: round(parallelRowsPerSec / sequentialRowsPerSec, 2),
    },
    detail: {
      ...plan,
      sequentialSeconds: round(sequential.seconds, 1),
      parallelSeconds: round(parallel.seconds, 1),
      sequentialListCalls: sequential.listCalls,
      parallelListCalls: parallel.listCalls,
      requestsPerSecond: SHIPPED_REQUESTS_PER_SECOND,
    },
  };
}

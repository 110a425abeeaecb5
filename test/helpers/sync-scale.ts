import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type Stripe from 'stripe';
import { upsertAccountSnapshot } from '../../db/queries/accounts';
import type { SimulatorControl } from '../../simulator/control-client';
import type { FcAccount as SimulatedAccount } from '../../simulator/types';

// The daily sync's scale properties, checked the same way by the small run in npm test
// (test/schedules/daily-sync-scale.test.ts) and the 2,000-account run in `npm run bench:scale` (bench/sync-scale.ts).

/** No workflow history of a sync may grow toward Temporal's limits, however many accounts it covers. */
export const HISTORY_LIMIT = 5_000;

export interface ScaleWorld {
  client: Client;
  taskQueue: string;
  pool: pg.Pool;
  simulator: SimulatorControl;
  webhookUrl: string;
  webhookSecret: string;
}

/**
 * Accounts linked and stored as the receiver's account.created path would store them, without a webhook each: half
 * subscribed to transactions (Stripe refreshed them at link, so the run only syncs), half not (the run refreshes).
 */
export async function linkScaleAccounts(world: ScaleWorld, count: number, transactionsEach: number): Promise<string[]> {
  await world.simulator.setWebhookEndpoint({ url: null });
  const ids: string[] = [];
  for (let start = 0; start < count; start += 100) {
    const created = await Promise.all(
      Array.from({ length: Math.min(100, count - start) }, (_, i) =>
        world.simulator.createAccount({ transactionCount: transactionsEach, ...((start + i) % 2 === 0 ? { subscriptions: ['transactions' as const] } : {}) }),
      ),
    );
    // The simulator returns the wire object the Stripe SDK would have parsed.
    await Promise.all(created.map((account: SimulatedAccount) => upsertAccountSnapshot(world.pool, account as unknown as Stripe.FinancialConnections.Account, new Date())));
    ids.push(...created.map((account) => account.id));
  }
  await world.simulator.waitForWebhooksIdle({ timeoutMs: 60_000 });
  await world.simulator.setWebhookEndpoint({ url: world.webhookUrl, secret: world.webhookSecret });
  await world.simulator.resetCounters();
  return ids;
}

export interface ScaleFindings {
  /** Accounts whose stored transactions are not the simulator's (count differs). */
  accountsNotCovered: string[];
  /** The sync's summary row in fc_sync_runs. */
  summary: { status: string; accounts_seen: number; accounts_synced: number; finished: boolean } | null;
  /** The longest history among the workflows the run started on the task queue, and which one. */
  longestHistory: { events: number; workflow: string };
  workflowsStarted: number;
}

/** What one daily sync run left: coverage of every account, its summary row, and its workflows' history sizes. */
export async function inspectSyncRun(world: ScaleWorld, summaryId: string, accountIds: string[], startedAt: Date): Promise<ScaleFindings> {
  const stored = await world.pool.query<{ account_id: string; n: number }>(
    'SELECT account_id, count(*)::int AS n FROM fc_transactions WHERE account_id = ANY($1) GROUP BY account_id',
    [accountIds],
  );
  const storedCount = new Map(stored.rows.map((row) => [row.account_id, row.n]));
  const accountsNotCovered: string[] = [];
  for (const accountId of accountIds) {
    const truth = await world.simulator.groundTruth(accountId);
    if ((storedCount.get(accountId) ?? 0) !== truth.transactions.length) accountsNotCovered.push(accountId);
  }
  const summary = await world.pool.query<{ status: string; accounts_seen: number; accounts_synced: number; finished: boolean }>(
    'SELECT status, accounts_seen, accounts_synced, finished_at IS NOT NULL AS finished FROM fc_sync_runs WHERE id = $1',
    [summaryId],
  );
  let longestHistory = { events: 0, workflow: '' };
  let workflowsStarted = 0;
  for await (const execution of world.client.workflow.list({ query: `TaskQueue = '${world.taskQueue}' AND StartTime >= '${startedAt.toISOString()}'` })) {
    workflowsStarted += 1;
    if (execution.historyLength > longestHistory.events) longestHistory = { events: execution.historyLength, workflow: `${execution.type} ${execution.workflowId}` };
  }
  return { accountsNotCovered, summary: summary.rows[0] ?? null, longestHistory, workflowsStarted };
}

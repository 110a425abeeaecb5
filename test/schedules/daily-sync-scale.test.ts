import { setTimeout as sleep } from 'node:timers/promises';
import type Stripe from 'stripe';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { refreshWorkflowId } from '../../common/workflow-ids';
import { upsertAccountSnapshot } from '../../db/queries/accounts';
import type { FcAccount as SimulatedAccount } from '../../simulator/types';
import { runDailySync } from '../helpers/sync';
import { startStack, type Stack } from '../helpers/stack';

// One scheduled run over 2,000 accounts on this machine (2 cores): it completes, no workflow history grows past
// 5,000 events, and Stripe calls stay under the configured rate. The numbers are printed for the report.
const ACCOUNTS = 2_000;
const STRIPE_REQUESTS_PER_SECOND = 50;
const SYNC = { pageSize: 250, concurrency: 60 };
const HISTORY_LIMIT = 5_000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ stripeRequestsPerSecond: STRIPE_REQUESTS_PER_SECOND });
});
afterAll(async () => {
  await stack?.close();
});

/** Accounts linked and stored as the receiver's account.created path would store them, without 2,000 webhooks. */
async function linkAccounts(): Promise<void> {
  await stack.simulator.setWebhookEndpoint({ url: null });
  for (let start = 0; start < ACCOUNTS; start += 100) {
    const created = await Promise.all(
      Array.from({ length: Math.min(100, ACCOUNTS - start) }, (_, i) =>
        // Half subscribed (Stripe refreshed them at link: the run only syncs), half not (the run refreshes them).
        stack.simulator.createAccount({ transactionCount: 5, ...((start + i) % 2 === 0 ? { subscriptions: ['transactions' as const] } : {}) }),
      ),
    );
    // The simulator returns the wire object the Stripe SDK would have parsed.
    await Promise.all(created.map((account: SimulatedAccount) => upsertAccountSnapshot(stack.pool, account as unknown as Stripe.FinancialConnections.Account, new Date())));
  }
  await stack.simulator.waitForWebhooksIdle({ timeoutMs: 30_000 });
  await stack.simulator.setWebhookEndpoint({ url: stack.webhookUrl, secret: stack.webhookSecret });
  await stack.simulator.resetCounters();
}

/** One read of the simulator's call counters, bracketed by when it was asked and when it answered. */
interface CallSample {
  askedAt: number;
  answeredAt: number;
  calls: number;
}

/** Reads the simulator's counters every 250 ms until stopped: Stripe calls over time, as Stripe would count them. */
function sampleCalls(): { stop(): Promise<CallSample[]> } {
  const samples: CallSample[] = [];
  let stopped = false;
  const sampling = (async () => {
    while (!stopped) {
      const askedAt = performance.now();
      const counters = await stack.simulator.counters();
      const answeredAt = performance.now();
      samples.push({ askedAt, answeredAt, calls: Object.values(counters.calls).reduce((sum, n) => sum + n, 0) });
      await sleep(Math.max(0, 250 - (answeredAt - askedAt)));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await sampling;
      return samples;
    },
  };
}

/**
 * Windows of four sampling intervals (about one second). `longestMs` bounds the window from above (first ask to last
 * answer): evenly paced calls at `rate` per second put at most floor(longestMs * rate / 1000) + 1 calls in it.
 * One more is allowed for arrival jitter: the pacer spaces request starts, the simulator counts arrivals, and on a
 * loaded machine a request held up in the event loop can arrive together with its successor.
 */
function callWindows(samples: CallSample[], rate: number) {
  return samples.slice(4).map((last, i) => {
    const first = samples[i] as CallSample;
    const calls = last.calls - first.calls;
    const longestMs = last.answeredAt - first.askedAt;
    const shortestMs = last.askedAt - first.answeredAt;
    return { calls, shortestMs, longestMs, allowed: Math.floor((longestMs * rate) / 1000) + 2 };
  });
}

/** The window with the most calls, its length known to lie between its shortest and longest bound. */
function busiest(windows: ReturnType<typeof callWindows>) {
  const top = [...windows].sort((a, b) => b.calls - a.calls)[0];
  return top ? { calls: top.calls, ms: [Math.round(top.shortestMs), Math.round(top.longestMs)] } : null;
}

async function historyLength(workflowId: string, runId?: string): Promise<number> {
  const history = await stack.client.workflow.getHandle(workflowId, runId).fetchHistory();
  return history.events?.length ?? 0;
}

async function listRuns(query: string): Promise<{ workflowId: string; runId: string }[]> {
  const runs: { workflowId: string; runId: string }[] = [];
  for await (const execution of stack.client.workflow.list({ query })) runs.push({ workflowId: execution.workflowId, runId: execution.runId });
  return runs;
}

test(`a scheduled run over ${ACCOUNTS} accounts: completes, small histories, Stripe calls under the rate limit`, { timeout: 240_000 }, async () => {
  const setupStarted = performance.now();
  await linkAccounts();
  const setupSeconds = (performance.now() - setupStarted) / 1000;

  const sampling = sampleCalls();
  const syncStarted = performance.now();
  const result = await runDailySync(stack, SYNC);
  const syncSeconds = (performance.now() - syncStarted) / 1000;
  const windows = callWindows(await sampling.stop(), STRIPE_REQUESTS_PER_SECOND);

  expect(result).toMatchObject({ accountsSeen: ACCOUNTS, accountsSynced: ACCOUNTS, accountsSkipped: 0, accountsFailed: 0, transactionsAdded: ACCOUNTS * 5 });
  const stored = await stack.pool.query('SELECT count(*)::int AS n FROM fc_transactions');
  expect(stored.rows[0].n).toBe(ACCOUNTS * 5);

  const counters = await stack.simulator.counters();
  const stripeCalls = Object.values(counters.calls).reduce((sum, n) => sum + n, 0);

  const dailySyncRuns = await listRuns(`WorkflowId = '${result.workflowId}'`);
  const sample = (await stack.pool.query<{ id: string }>('SELECT id FROM fc_accounts ORDER BY random() LIMIT 20')).rows;
  const lengths = {
    dailySync: await Promise.all(dailySyncRuns.map((run) => historyLength(run.workflowId, run.runId))),
    refreshes: await Promise.all(sample.map((row) => historyLength(refreshWorkflowId('transactions', row.id)))),
  };
  const report = {
    accounts: ACCOUNTS,
    ...SYNC,
    stripeRequestsPerSecond: STRIPE_REQUESTS_PER_SECOND,
    setupSeconds: Number(setupSeconds.toFixed(1)),
    syncSeconds: Number(syncSeconds.toFixed(1)),
    stripeCalls,
    callsByEndpoint: counters.calls,
    averageCallsPerSecond: Number((stripeCalls / syncSeconds).toFixed(1)),
    busiestWindow: busiest(windows),
    windows: windows.length,
    historyEvents: {
      dailySyncRuns: lengths.dailySync,
      refreshSampleMax: Math.max(...lengths.refreshes),
    },
  };
  process.stdout.write(`daily sync scale: ${JSON.stringify(report)}\n`);
  expect(windows.length).toBeGreaterThan(10);
  expect(windows.filter((w) => w.calls > w.allowed)).toEqual([]);
  // The sliding window's run continues as new past MAX_HISTORY_EVENTS: 2,000 children never share one history.
  expect(dailySyncRuns.length).toBeGreaterThan(1);
  expect(Math.max(...lengths.dailySync, ...lengths.refreshes)).toBeLessThan(HISTORY_LIMIT);
});

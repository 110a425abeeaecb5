// 5. Daily fan-out: the schedule's dailySyncWorkflow over every linked account, triggered now. Workers run in this
// process, so the peak RSS is this whole process's (workers, simulator, receiver and client together).
import { randomBytes } from 'node:crypto';
import { applyDailySyncSchedule, dailySyncScheduleId, DEFAULT_DAILY_SYNC, describeDailySync, triggerDailySync } from '../client/schedules';
import type { DailySyncResult } from '../workflows/sync-definitions';
import { linkAccounts } from './accounts';
import { log, round, sampleRss, waitFor } from './measure';
import { startProduct, type ProductStack, type Servers } from './stack';

export interface FanoutResult {
  accounts: number;
  wallSec: number;
  maxHistoryEvents: number;
  peakRssMb: number;
}

/** Runs on a database and task queue of its own, so the sync covers exactly the accounts linked here. */
export interface FanoutDetail {
  largestHistory: string;
  /** The process's RSS just before the sync was triggered (accounts linked, workers idle). */
  rssBeforeMb: number;
}

export async function measureDailyFanout(servers: Servers, accountCount: number): Promise<{ result: FanoutResult; detail: FanoutDetail }> {
  const stack = await startProduct({
    temporalAddress: servers.temporalAddress,
    database: { serverUrl: servers.postgresUrl },
    taskQueue: `bench-fanout-${randomBytes(4).toString('hex')}`,
    inProcessWorkers: true,
  });
  try {
    return await runDailySync(stack, accountCount);
  } finally {
    await stack.close();
  }
}

async function runDailySync(stack: ProductStack, accountCount: number): Promise<{ result: FanoutResult; detail: FanoutDetail }> {
  await linkAccounts(stack, accountCount, { transactionCount: 3 }, { backfill: true });
  log(`fanout: ${accountCount} accounts linked`);
  await applyDailySyncSchedule(stack.client, { ...DEFAULT_DAILY_SYNC, taskQueue: stack.taskQueue });

  const rssBeforeMb = Math.round(process.memoryUsage().rss / (1024 * 1024));
  const rss = sampleRss();
  const startedAt = new Date();
  const started = performance.now();
  await triggerDailySync(stack.client, stack.taskQueue);
  const workflowId = await waitFor(
    'the triggered daily sync to start',
    async () => (await describeDailySync(stack.client, stack.taskQueue)).recentRuns[0]?.workflowId,
    { timeoutMs: 30_000 },
  );
  const result = (await stack.client.workflow.getHandle(workflowId).result()) as DailySyncResult;
  const wallSec = (performance.now() - started) / 1000;
  rss.stop();
  if (result.accountsSynced !== accountCount) throw new Error(`daily sync synced ${result.accountsSynced} of ${accountCount}: ${JSON.stringify(result)}`);
  log(`fanout: ${accountCount} accounts synced in ${wallSec.toFixed(1)} s`);
  await stack.client.schedule.getHandle(dailySyncScheduleId(stack.taskQueue)).delete();

  let maxHistoryEvents = 0;
  let largestHistory = '';
  for await (const execution of stack.client.workflow.list({ query: `TaskQueue = '${stack.taskQueue}' AND StartTime >= '${startedAt.toISOString()}'` })) {
    if (execution.historyLength > maxHistoryEvents) {
      maxHistoryEvents = execution.historyLength;
      largestHistory = `${execution.type} ${execution.workflowId}`;
    }
  }
  return { result: { accounts: accountCount, wallSec: round(wallSec), maxHistoryEvents, peakRssMb: rss.peakMb() }, detail: { largestHistory, rssBeforeMb } };
}

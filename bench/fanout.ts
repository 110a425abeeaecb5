// 5. Daily fan-out: the schedule's dailySyncWorkflow over every linked account, triggered now. The worker runs as
// its own `npm run worker` process, as in production, so its peak RSS is the worker's alone.
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { applyDailySyncSchedule, dailySyncScheduleId, DEFAULT_DAILY_SYNC, describeDailySync, triggerDailySync } from '../client/schedules';
import type { DailySyncResult } from '../workflows/sync-definitions';
import { linkAccounts } from './accounts';
import { killProcess, startWorkerProcess } from '../test/helpers/worker-process';
import { log, round, waitFor } from './measure';
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
  /** The worker's RSS just before the sync was triggered (started, idle). */
  rssBeforeMb: number;
}

export async function measureDailyFanout(servers: Servers, accountCount: number): Promise<{ result: FanoutResult; detail: FanoutDetail }> {
  const taskQueue = `bench-fanout-${randomBytes(4).toString('hex')}`;
  const stack = await startProduct({ temporalAddress: servers.temporalAddress, database: { serverUrl: servers.postgresUrl }, taskQueue, inProcessWorkers: false });
  let worker: ChildProcess | undefined;
  try {
    worker = await startWorkerProcess({
      TEMPORAL_ADDRESS: servers.temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      DATABASE_URL: stack.databaseUrl,
      STRIPE_API_BASE: stack.simulator.url,
      // As the in-process workers of the other figures: the simulator's speed, not Stripe's limit, is measured.
      STRIPE_MAX_REQUESTS_PER_SECOND: '1000',
    });
    return await runDailySync(stack, accountCount, worker);
  } finally {
    if (worker) await killProcess(worker);
    await stack.close();
  }
}

/** Peak (VmHWM) or current (VmRSS) resident memory of a process, from /proc (Linux). */
async function processMemoryMb(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Math.round(kb / 1024);
}

async function runDailySync(stack: ProductStack, accountCount: number, worker: ChildProcess): Promise<{ result: FanoutResult; detail: FanoutDetail }> {
  const pid = worker.pid;
  if (pid === undefined) throw new Error('the worker process has no pid');
  await linkAccounts(stack, accountCount, { transactionCount: 3 }, { backfill: true });
  log(`fanout: ${accountCount} accounts linked`);
  await applyDailySyncSchedule(stack.client, { ...DEFAULT_DAILY_SYNC, taskQueue: stack.taskQueue });

  const rssBeforeMb = await processMemoryMb(pid, 'VmRSS');
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
  const peakRssMb = await processMemoryMb(pid, 'VmHWM');
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
  return { result: { accounts: accountCount, wallSec: round(wallSec), maxHistoryEvents, peakRssMb }, detail: { largestHistory, rssBeforeMb } };
}

// 5. Daily fan-out: the schedule's dailySyncWorkflow over every linked account, triggered now. The worker runs as
// its own `npm run worker` process, as in production, so its peak RSS is the worker's alone. With a Stripe request
// rate (the main bench: the shipped 20/s) and a share of accounts subscribed to transactions (synced without a new
// refresh), the wall time is compared with the bound that rate sets for the requests the sync made.
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { applyDailySyncSchedule, dailySyncScheduleId, DEFAULT_DAILY_SYNC, describeDailySync, triggerDailySync } from '../client/schedules';
import type { DailySyncResult } from '../workflows/sync-definitions';
import { linkAccounts } from './accounts';
import { killProcess, startWorkerProcess } from '../test/helpers/worker-process';
import { storageOf, type Storage } from './footprint';
import { log, round, waitFor } from './measure';
import { SPACING_WINDOW_MS } from '../common/node/fleet-request-budget';
import { startProduct, type ProductStack, type Servers } from './stack';

export interface FanoutResult {
  accounts: number;
  wallSec: number;
  /** The Stripe requests the sync made at the fleet budget's rate (limit / 1.2 s): the least wall time they allow. */
  rateBoundSec: number;
  ratioToBound: number;
  maxHistoryEvents: number;
  peakRssMb: number;
}

/** Runs on a database and task queue of its own, so the sync covers exactly the accounts linked here. */
export interface FanoutDetail {
  largestHistory: string;
  /** STRIPE_MAX_REQUESTS_PER_SECOND of the worker, and how many accounts were subscribed to transactions. */
  requestsPerSecond: number;
  subscribedAccounts: number;
  /** The worker's RSS just before the sync was triggered (started, idle). */
  rssBeforeMb: number;
  /** Workflow executions the sync started (the daily sync's runs, batches and one refresh per account) and their events. */
  executions: number;
  historyEvents: number;
  /** Requests the simulator (Stripe) answered during the sync, page fetches and retrieves included. */
  stripeRequests: number;
  /** Rows and bytes the sync added to the application's database. */
  appStorageAdded: Storage;
  /** Rows and bytes it added to Temporal's databases, when they are Postgres (a cluster); history_node.data bytes apart. */
  temporalStorageAdded?: Storage & { historyNodeBytes: number };
}

/** Temporal's databases, to weigh what the sync adds to them (a cluster's; the dev server's SQLite is not measured). */
export interface TemporalDatabases {
  persistenceUrl: string;
  visibilityUrl: string;
}

export interface FanoutOptions {
  /** The worker's STRIPE_MAX_REQUESTS_PER_SECOND (default 1,000: the orchestration's speed, not Stripe's limit). */
  requestsPerSecond?: number;
  /** Share of the accounts subscribed to transactions (default 0: every account takes the refresh path). */
  subscribedShare?: number;
}

export async function measureDailyFanout(servers: Servers, accountCount: number, temporalDatabases?: TemporalDatabases, options: FanoutOptions = {}): Promise<{ result: FanoutResult; detail: FanoutDetail }> {
  const requestsPerSecond = options.requestsPerSecond ?? 1000;
  const subscribed = Math.round(accountCount * (options.subscribedShare ?? 0));
  const taskQueue = `bench-fanout-${randomBytes(4).toString('hex')}`;
  const stack = await startProduct({ temporalAddress: servers.temporalAddress, database: { serverUrl: servers.postgresUrl }, taskQueue, inProcessWorkers: false });
  let worker: ChildProcess | undefined;
  try {
    worker = await startWorkerProcess({
      TEMPORAL_ADDRESS: servers.temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      DATABASE_URL: stack.databaseUrl,
      STRIPE_API_BASE: stack.simulator.url,
      STRIPE_MAX_REQUESTS_PER_SECOND: String(requestsPerSecond),
    });
    return await runDailySync(stack, { accountCount, subscribed, requestsPerSecond }, worker, temporalDatabases);
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

async function temporalStorage(databases: TemporalDatabases): Promise<Storage & { historyNodeBytes: number }> {
  const persistence = await storageOf(databases.persistenceUrl);
  const visibility = await storageOf(databases.visibilityUrl);
  return { rows: persistence.rows + visibility.rows, bytes: persistence.bytes + visibility.bytes, historyNodeBytes: persistence.historyNodeBytes ?? 0 };
}

function added<T extends Storage>(before: T, after: T): T {
  const difference: Record<string, number> = {};
  for (const key of Object.keys(after)) difference[key] = (after[key as keyof T] as number) - (before[key as keyof T] as number);
  return difference as unknown as T;
}

async function runDailySync(
  stack: ProductStack,
  plan: { accountCount: number; subscribed: number; requestsPerSecond: number },
  worker: ChildProcess,
  temporalDatabases: TemporalDatabases | undefined,
): Promise<{ result: FanoutResult; detail: FanoutDetail }> {
  const { accountCount, subscribed, requestsPerSecond } = plan;
  const pid = worker.pid;
  if (pid === undefined) throw new Error('the worker process has no pid');
  await linkAccounts(stack, accountCount - subscribed, { transactionCount: 3 }, { backfill: true });
  if (subscribed > 0) await linkAccounts(stack, subscribed, { transactionCount: 3, subscriptions: ['transactions'] }, { backfill: true });
  log(`fanout: ${accountCount} accounts linked (${subscribed} subscribed to transactions), worker at ${requestsPerSecond} Stripe requests/s`);
  await applyDailySyncSchedule(stack.client, { ...DEFAULT_DAILY_SYNC, taskQueue: stack.taskQueue });

  const rssBeforeMb = await processMemoryMb(pid, 'VmRSS');
  const appBefore = await storageOf(stack.databaseUrl);
  const temporalBefore = temporalDatabases ? await temporalStorage(temporalDatabases) : undefined;
  await stack.simulator.control.resetCounters();
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

  const { requests: stripeRequests } = await stack.simulator.control.traffic();
  const appAfter = await storageOf(stack.databaseUrl);
  const temporalAfter = temporalDatabases ? await temporalStorage(temporalDatabases) : undefined;
  let maxHistoryEvents = 0;
  let largestHistory = '';
  let executions = 0;
  let historyEvents = 0;
  for await (const execution of stack.client.workflow.list({ query: `TaskQueue = '${stack.taskQueue}' AND StartTime >= '${startedAt.toISOString()}'` })) {
    executions += 1;
    historyEvents += execution.historyLength;
    if (execution.historyLength > maxHistoryEvents) {
      maxHistoryEvents = execution.historyLength;
      largestHistory = `${execution.type} ${execution.workflowId}`;
    }
  }
  const rateBoundSec = stripeRequests / ((requestsPerSecond * 1000) / SPACING_WINDOW_MS);
  return {
    result: { accounts: accountCount, wallSec: round(wallSec), rateBoundSec: round(rateBoundSec), ratioToBound: round(wallSec / rateBoundSec, 2), maxHistoryEvents, peakRssMb },
    detail: {
      largestHistory,
      requestsPerSecond,
      subscribedAccounts: subscribed,
      rssBeforeMb,
      executions,
      historyEvents,
      stripeRequests,
      appStorageAdded: added({ rows: appBefore.rows, bytes: appBefore.bytes }, { rows: appAfter.rows, bytes: appAfter.bytes }),
      ...(temporalBefore && temporalAfter ? { temporalStorageAdded: added(temporalBefore, temporalAfter) } : {}),
    },
  };
}

const n = (value: number): string => value.toLocaleString('en-US');

/** Figure 5's row and note in results.md. */
export function fanoutMarkdown(f: FanoutResult, d: FanoutDetail, measured: string): { row: string; note: string } {
  return {
    row: `| 5. daily fan-out, ${n(f.accounts)} accounts (${n(d.subscribedAccounts)} subscribed), ${n(d.requestsPerSecond)} Stripe requests/s | ${f.wallSec} s wall (${n(Math.round(f.accounts / f.wallSec))} accounts/s); largest history ${n(f.maxHistoryEvents)} events; worker peak RSS ${n(f.peakRssMb)} MB (${n(d.rssBeforeMb)} MB idle) | ${f.rateBoundSec} s: ${n(d.stripeRequests)} Stripe requests at the fleet budget's ${Math.round(((d.requestsPerSecond * 1000) / SPACING_WINDOW_MS) * 10) / 10}/s | ${f.ratioToBound} of the bound |`,
    note: `- 5 (${measured}): the schedule's dailySyncWorkflow triggered now over every linked account (accounts synced before, snapshots an hour old; the subscribed half are synced from their transactions without a new refresh); the largest history is ${d.largestHistory}. The worker is its own \`npm run worker\` process (both workers) with STRIPE_MAX_REQUESTS_PER_SECOND=${d.requestsPerSecond}, the schedule's default concurrency; peak RSS is its VmHWM. The bound is the Stripe requests the simulator answered during the sync over the rate the fleet budget lets through (the limit spaced over 1.2 s).`,
  };
}

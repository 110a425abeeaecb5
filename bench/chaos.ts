// `npm run chaos [-- --quick] [-- --cluster]`: every account is refreshed several times in a row (its data changed in
// between) while the worker is SIGKILLed (at set times and in the middle of paging an account's transactions), the
// Temporal server is SIGKILLed and restarted, Postgres is stopped cleanly and later SIGKILLed, the simulator enforces
// Stripe's test-mode rate limit, fails 20% of API calls with 429/500 and pages transaction lists slowly, and webhooks
// are delivered as Stripe may deliver them:
// dropped, duplicated, re-sent, reordered, late (a failed or timed-out attempt retried on Stripe's schedule under
// its own id, after newer events), held back behind later events, and sent on several connections at once.
// The verdict compares Postgres with the simulator's ground truth, which is each account's newest refresh: balance,
// ownership id and owners, every transaction row and the transactions cursor. It counts every refresh POST beyond
// the initiations asked for, and every fc_refreshes row left non-terminal after its workflow closed. Exits 1 on any.
// --cluster: the same on a Temporal cluster (bench/chaos-cluster.ts) with a fleet of 3 worker processes; the dev
// server's restart becomes a history node SIGKILLed, the matching service SIGKILLed and a frontend restart.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { Feature } from '../common/features';
import { refreshWorkflowId } from '../common/workflow-ids';
import { ensureTemporalCli, hydratePostgresBinaries } from '../scripts/ensure-tools.mjs';
import type { SimulatorControl } from '../simulator/control-client';
import type { WebhookFaults } from '../simulator/control-types';
import { createTestDatabase } from '../test/helpers/database';
import { describeOpenRefreshRows, openRefreshRowsOfClosedRuns } from '../test/helpers/open-refreshes';
import type { RefreshResult } from '../workflows/refresh-definitions';
import { killWorkerDuringPaging } from './chaos-paging';
import { planAccounts, plannedInitiations, type ChaosScale, type PlannedAccount } from './chaos-plan';
import { clusterUnderChaos, type ClusterFaultPlan } from './chaos-cluster';
import { WorkerFleet } from './chaos-fleet';
import { startRestartablePostgres } from './chaos-postgres';
import { devServerUnderChaos, type TemporalUnderChaos } from './chaos-temporal';
import { checkNewestState, refreshPosts } from './chaos-verify';
import { cleanUpOnSigterm, inParallel, log, sleep, waitFor } from './measure';
import { startRefreshWorkflow } from './refreshes';
import { productWorkflowBundle, startProduct } from './stack';
import { REFRESH_WORKFLOW_TYPE } from '../common/workflow-types';

const quick = process.argv.includes('--quick');
const onCluster = process.argv.includes('--cluster');
interface Plan extends ChaosScale {
  startOverSeconds: number;
  workerKillsAt: number[];
  pagingKills: number;
  temporalRestartAt: number;
  temporalDownSeconds: number;
  postgresStopAt: number;
  postgresKillAt: number;
  postgresDownSeconds: number;
  /** Stripe's test-mode retry schedule (5 min, 30 min, 2 h) scaled by this: quick 1.5 s, 9 s, 36 s. */
  webhookRetryTimeScale: number;
  deadlineSeconds: number;
  /** --cluster: the cluster's faults, in place of the dev server's restart. */
  cluster: ClusterFaultPlan;
  /** --cluster: worker processes on the task queue. */
  clusterWorkers: number;
}
const plan: Plan = quick
  ? { accountsPerFeature: 6, refreshesPerAccount: [2, 3], pagingAccounts: 2, pagingTransactions: 3_000, startOverSeconds: 15, workerKillsAt: [7], pagingKills: 1, temporalRestartAt: 14, temporalDownSeconds: 2, postgresStopAt: 22, postgresKillAt: 34, postgresDownSeconds: 3, webhookRetryTimeScale: 0.005, deadlineSeconds: 300,
      cluster: { historyKillAt: 10, historyRestartAt: 40, matchingKillAt: 16, matchingDownSeconds: 3, frontendRestartAt: 28 }, clusterWorkers: 3 }
  : { accountsPerFeature: 24, refreshesPerAccount: [2, 4], pagingAccounts: 4, pagingTransactions: 5_000, startOverSeconds: 90, workerKillsAt: [10, 80, 105], pagingKills: 2, temporalRestartAt: 25, temporalDownSeconds: 5, postgresStopAt: 45, postgresKillAt: 120, postgresDownSeconds: 20, webhookRetryTimeScale: 0.01, deadlineSeconds: 900,
      cluster: { historyKillAt: 25, historyRestartAt: 70, matchingKillAt: 55, matchingDownSeconds: 5, frontendRestartAt: 95 }, clusterWorkers: 3 };
// A cluster on two shared cores answers slower than the dev server: the same faults get more time.
if (onCluster) plan.deadlineSeconds *= 2;
const SEED = Number(process.env.CHAOS_SEED ?? 20261123);
/** Fallback polls while a webhook is missing: seconds, not the production minutes, so the run stays short. */
const POLL = { initial: 3, max: 15 };
const TRANSACTION_LIST = 'GET /v1/financial_connections/transactions';

const WEBHOOK_FAULTS: WebhookFaults = {
  dropRate: 0.1,
  duplicateRate: 0.1,
  staleResendRate: 0.1,
  reorder: true,
  reorderWindowMs: 300,
  // Late deliveries under the event's own id: the first attempt fails (unsent 503, or sent and timed out) and the
  // retry comes on Stripe's schedule, after newer events of the account.
  failAttemptRate: 0.1,
  timeoutAttemptRate: 0.05,
  holdRate: 0.15,
  holdLaterEvents: 2,
  holdMs: 15_000,
  concurrentDuplicateRate: 0.1,
  concurrentCopies: 4,
  seed: SEED,
};

interface RequestOutcome {
  outcome: string;
  reason: string | null;
}

interface AccountRun {
  account: PlannedAccount;
  accountId: string;
  requests: RequestOutcome[];
}

/** Retries through outages: Temporal may be restarting when a refresh is asked for or its result awaited. */
async function refreshThroughOutages(client: Client, taskQueue: string, accountId: string, feature: Feature, maxAttempts: number, deadline: number): Promise<RequestOutcome> {
  let runId: string | undefined;
  while (!runId) {
    try {
      runId = (await startRefreshWorkflow(client, taskQueue, accountId, feature, { pollIntervalSeconds: POLL, maxAttempts })).signaledRunId;
    } catch (err) {
      if (Date.now() > deadline) return { outcome: 'not_started', reason: String(err) };
      await sleep(500);
    }
  }
  for (;;) {
    try {
      const result = (await client.workflow.getHandle(refreshWorkflowId(feature, accountId), runId).result()) as RefreshResult;
      return { outcome: result.outcome, reason: result.error ? `${result.error.code}: ${result.error.message}` : null };
    } catch (err) {
      if (err instanceof WorkflowFailedError) return { outcome: 'workflow_failed', reason: String(err.cause ?? err.message) };
      if (Date.now() > deadline) return { outcome: 'unfinished', reason: `still running at the deadline: ${String(err)}` };
      await sleep(1_000);
    }
  }
}

/** Simulator control calls go to this process's simulator, which never restarts: retried only for safety. */
async function withRetry<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= 5) throw err;
      await sleep(200 * attempt);
    }
  }
}

/** One account's refreshes, one after another; before each one after the first, Stripe's data changes. */
async function runAccount(control: SimulatorControl, client: Client, taskQueue: string, account: PlannedAccount, deadline: number, onCreated: (accountId: string) => void): Promise<AccountRun> {
  const { id: accountId } = await withRetry(() => control.createAccount(account.create));
  onCreated(accountId);
  const requests: RequestOutcome[] = [];
  for (let k = 0; k <= account.changes.length; k++) {
    const change = k > 0 ? account.changes[k - 1] : undefined;
    if (change && Object.keys(change).length > 0) await withRetry(() => control.updateAccount(accountId, change));
    requests.push(await refreshThroughOutages(client, taskQueue, accountId, account.feature, account.failsFirst && k === 0 ? 2 : 1, deadline));
  }
  return { account, accountId, requests };
}

/** Up to `n` examples, so a failing run shows what went wrong without printing every row. */
const examples = <T>(items: T[], n = 5): T[] => items.slice(0, n);

async function main(): Promise<void> {
  const accounts = planAccounts(plan, SEED);
  const requested = accounts.reduce((sum, account) => sum + account.changes.length + 1, 0);
  log(`chaos (${quick ? 'quick' : 'full'}${onCluster ? ', cluster' : ''}): ${accounts.length} accounts, ${requested} requested refreshes, seed ${SEED}`);
  hydratePostgresBinaries();
  const scratch = await mkdtemp(join(tmpdir(), 'fc-refresh-chaos-'));
  // mkdtemp makes it private to this user; a cluster's Postgres, which runs as its own user when this one is root, must enter it.
  await chmod(scratch, 0o755);
  // Every worker process loads one bundle built here, as production workers load the release's: three processes
  // bundling the workflow code at once on two shared cores take longer to start than the worker's 90 s allowance.
  const bundlePath = join(scratch, 'workflow-bundle.js');
  await writeFile(bundlePath, await productWorkflowBundle());
  process.env.WORKFLOW_BUNDLE_PATH ??= bundlePath;
  const postgres = await startRestartablePostgres();
  const temporal = await startTemporal(scratch).catch(async (err: unknown) => {
    await postgres.close();
    throw err;
  });
  const databaseUrl = await createTestDatabase(postgres.serverUrl);
  const taskQueue = `chaos-${randomBytes(4).toString('hex')}`;
  const stack = await startProduct({ temporalAddress: temporal.address, database: { url: databaseUrl }, taskQueue, inProcessWorkers: false });
  const control = stack.simulator.control;
  // Stripe retries a failed delivery for hours (test mode) to days (live); here on its test-mode schedule, scaled.
  await control.setWebhookEndpoint({
    url: stack.webhookUrl,
    secret: stack.webhookSecret,
    retry: { schedule: 'stripe-test', timeScale: plan.webhookRetryTimeScale },
    timeoutMs: 10_000,
    concurrency: 8,
  });
  // As the real API: a list page takes a few hundred milliseconds, so paging an account takes seconds.
  await control.setLatency([{ route: TRANSACTION_LIST, minMs: 150, maxMs: 400 }]);
  // Stripe's test-mode rate limits enforced (25 requests per second, 25 per endpoint) with the product paced below
  // them (fleet-wide, across every worker process), so its pacing meets a limit that answers 429 instead of being trusted.
  await control.setRateLimit({ enabled: true });
  process.env.STRIPE_MAX_REQUESTS_PER_SECOND ??= '20';
  const workerEnv = { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: databaseUrl, STRIPE_API_BASE: stack.simulator.url };
  const worker = new WorkerFleet(workerEnv, onCluster ? plan.clusterWorkers : 1);
  cleanUpOnSigterm(async () => {
    await worker.stop();
    await temporal.stop();
    await postgres.close();
  });
  await worker.start();
  log(`chaos: stack ready (${temporal.description}, ${worker.size} worker process${worker.size === 1 ? '' : 'es'}, task queue ${taskQueue})`);

  let exitCode = 1;
  try {
    await control.setWebhookFaults(WEBHOOK_FAULTS);
    // Alternating every 10 s: a failed call Stripe never ran, and one it ran whose answer was lost (idempotent
    // replay needed). Each window draws its own failures.
    let window = 0;
    const setApiFaults = () => control.setApiFaults({ errorRate: 0.2, statuses: [429, 500], mode: window % 2 === 0 ? 'before' : 'after', seed: SEED + window });
    await setApiFaults();
    const modeFlip = setInterval(() => {
      window += 1;
      void setApiFaults().catch(() => {});
    }, 10_000);

    const startedAt = Date.now();
    const deadline = startedAt + plan.deadlineSeconds * 1000;
    const at = (seconds: number): Promise<void> => sleep(Math.max(0, startedAt + seconds * 1000 - Date.now()));
    // A killed worker's replacement takes tens of seconds to start on a loaded machine: the next faults keep their times.
    const workerRestarts: Array<Promise<void>> = [];
    const outages = (async () => {
      const events = [
        ...plan.workerKillsAt.map((seconds) => ({ seconds, run: async () => {
          workerRestarts.push(worker.killNext().then((name) => log(`chaos: ${name} restarted`)));
        } })),
        ...temporal.faults,
        { seconds: plan.postgresStopAt, run: async () => {
          log(`chaos: Postgres stopped cleanly for ${plan.postgresDownSeconds} s`);
          await postgres.stop();
          await sleep(plan.postgresDownSeconds * 1000);
          await postgres.start();
          log('chaos: Postgres back');
        } },
        { seconds: plan.postgresKillAt, run: async () => {
          log(`chaos: SIGKILL Postgres (postmaster and backends), down ${plan.postgresDownSeconds} s`);
          await postgres.kill();
          await sleep(plan.postgresDownSeconds * 1000);
          await postgres.start();
          log('chaos: Postgres back after crash recovery');
        } },
      ].sort((a, b) => a.seconds - b.seconds);
      for (const event of events) {
        await at(event.seconds);
        await event.run();
      }
      await Promise.all(workerRestarts);
    })();
    // Awaited after the refreshes; a failed restart must not end the process before the report.
    outages.catch(() => {});

    const pagingIds: string[] = [];
    const runs = inParallel(accounts, accounts.length, async (account) => {
      await at((account.index * plan.startOverSeconds) / accounts.length);
      return runAccount(control, stack.client, taskQueue, account, deadline, (accountId) => {
        if (account.paging) pagingIds.push(accountId);
      });
    });
    const pagingKills = (async () => {
      await waitFor('the paging accounts to be created', async () => (pagingIds.length === plan.pagingAccounts ? true : undefined), { timeoutMs: plan.deadlineSeconds * 1000, intervalMs: 200 });
      return killWorkerDuringPaging(stack.pool, stack.client, worker, { accountIds: pagingIds, firstSyncSize: plan.pagingTransactions }, plan.pagingKills, deadline);
    })();
    const accountRuns = await runs;
    await outages;
    const killsDuringPaging = await pagingKills;
    clearInterval(modeFlip);
    log(`chaos: every refresh answered after ${Math.round((Date.now() - startedAt) / 1000)} s; settling`);

    await control.clearApiFaults();
    await control.setWebhookFaults({});
    // Retries already scheduled still arrive, late, as Stripe's would; wait for the last of them.
    await control.waitForWebhooksIdle({ timeoutMs: 300_000 });
    // Late events start webhook runs after the requested ones ended; let them finish what they do.
    await waitFor('webhook-started runs to finish', async () => {
      const { count } = await stack.client.workflow.count(`TaskQueue = '${taskQueue}' AND WorkflowType = '${REFRESH_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`);
      return count === 0 ? true : undefined;
    }, { timeoutMs: 180_000, intervalMs: 1_000 });

    const counters = await control.counters();
    const traffic = await control.traffic();
    const requestFailures: string[] = [];
    const stateProblems: string[] = [];
    const postProblems: string[] = [];
    let wrong = 0;
    let extra = 0;
    let extraPosts = 0;
    let receivedPosts = 0;
    let accountsWrong = 0;
    const tallies = (): { accounts: number; accountsWrong: number; wrong: number; extra: number; extraPosts: number } => ({ accounts: 0, accountsWrong: 0, wrong: 0, extra: 0, extraPosts: 0 });
    const byFeature: Record<Feature, ReturnType<typeof tallies>> = { balance: tallies(), ownership: tallies(), transactions: tallies() };
    for (const run of accountRuns) {
      const { feature } = run.account;
      run.requests.forEach((request, k) => {
        if (request.outcome !== 'succeeded') requestFailures.push(`${feature} ${run.accountId} refresh ${k + 1}/${run.requests.length}: ${request.outcome}${request.reason ? ` (${request.reason})` : ''}`);
      });
      const state = await checkNewestState(stack.pool, control, run.accountId, feature);
      const posts = refreshPosts(counters, run.accountId, feature, plannedInitiations(run.account));
      wrong += state.wrong;
      extra += state.extra;
      extraPosts += posts.extra;
      receivedPosts += posts.received;
      const tally = byFeature[feature];
      tally.accounts += 1;
      if (state.wrong > 0 || state.extra > 0) {
        tally.accountsWrong += 1;
        accountsWrong += 1;
      }
      tally.wrong += state.wrong;
      tally.extra += state.extra;
      tally.extraPosts += posts.extra;
      for (const problem of state.problems) stateProblems.push(`${feature} ${run.accountId}${run.account.paging ? ' (paging)' : ''}: ${problem}`);
      if (posts.extra > 0) {
        postProblems.push(`${feature} ${run.accountId}: ${posts.initiated} initiated + ${posts.notInitiated} not initiated for ${plannedInitiations(run.account)} asked (${run.requests.length} refreshes${run.account.failsFirst ? ', first fails' : ''}); ${posts.received} POSTs received`);
      }
    }
    const openRows = await openRefreshRowsOfClosedRuns(stack.pool, stack.client);
    const newestRows = await stack.pool.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM (SELECT DISTINCT ON (account_id, feature) status FROM fc_refreshes ORDER BY account_id, feature, id DESC) newest GROUP BY status ORDER BY status`,
    );
    const rowsByTrigger = await stack.pool.query<{ trigger: string; status: string; n: number }>(`SELECT trigger, status, count(*)::int AS n FROM fc_refreshes GROUP BY 1, 2 ORDER BY 1, 2`);
    const unprocessed = await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM stripe_events WHERE processed_at IS NULL`);
    const pagingRuns = accountRuns.filter((run) => run.account.paging);

    const report = {
      seed: SEED,
      accounts: accounts.length,
      requestedRefreshes: requested,
      requestsNotSucceeded: requestFailures.length,
      accountsNotAtNewestRefresh: accountsWrong,
      stateWrong: wrong,
      stateExtra: extra,
      extraRefreshPosts: extraPosts,
      openRowsOfClosedRuns: openRows.length,
      byFeature,
      examples: {
        requestsNotSucceeded: examples(requestFailures),
        state: examples(stateProblems, 8),
        extraRefreshPosts: examples(postProblems),
        openRows: describeOpenRefreshRows(examples(openRows)).split('\n').filter(Boolean),
      },
      refreshRows: {
        newestPerAccountAndFeature: Object.fromEntries(newestRows.rows.map((row) => [row.status, row.n])),
        byTriggerAndStatus: rowsByTrigger.rows.map((row) => `${row.trigger} ${row.status}: ${row.n}`),
      },
      faults: {
        workerKills: worker.kills,
        workerKillsDuringPaging: killsDuringPaging.map((kill) => `${kill.accountId} at ${kill.storedAtKill} of ${plan.pagingTransactions}`),
        pagingAccounts: pagingRuns.map((run) => `${run.accountId}: ${stateProblems.some((p) => p.includes(run.accountId)) ? 'WRONG' : 'ok'}`),
        workerUnexpectedExits: worker.unexpectedExits,
        workerProcesses: worker.size,
        ...temporal.report(),
        postgres: { cleanStops: 1, sigkills: 1, downSecondsEach: plan.postgresDownSeconds },
        apiFaultsInjected: counters.apiFaultsInjected,
        stripeRateLimit: { productPerSecond: Number(process.env.STRIPE_MAX_REQUESTS_PER_SECOND), refusedWith429: traffic.rateLimited, busiestSecond: traffic.maxPerSecond },
        idempotentReplays: counters.idempotentReplays,
        refreshPostsReceived: receivedPosts,
        webhooks: counters.webhooks,
      },
      eventsLeftUnprocessed: unprocessed.rows[0]?.n ?? 0,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(
      `chaos: ${requested - requestFailures.length}/${requested} requested refreshes succeeded · ${accountsWrong}/${accountRuns.length} accounts not at their newest refresh ` +
        `(${wrong} stored values or pointers not the newest refresh's, ${extra} rows Stripe's newest refresh does not have) · ` +
        `${extraPosts} refresh POSTs beyond the ${accounts.reduce((sum, account) => sum + plannedInitiations(account), 0)} asked · ${openRows.length} fc_refreshes rows left open after their run closed\n`,
    );
    exitCode = requestFailures.length === 0 && wrong === 0 && extra === 0 && extraPosts === 0 && openRows.length === 0 ? 0 : 1;
  } finally {
    await worker.stop();
    await stack.close();
    await temporal.stop();
    await postgres.close();
    await rm(scratch, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

/** The dev server (the pinned CLI) or, with --cluster, a Temporal cluster; each with the faults planned for it. */
async function startTemporal(scratch: string): Promise<TemporalUnderChaos> {
  if (onCluster) return clusterUnderChaos(scratch, plan.cluster, log);
  const cli = await ensureTemporalCli();
  if (!cli) throw new Error('the chaos run starts and kills the Temporal CLI itself: run `npm run temporal:install` or set TEMPORAL_CLI_PATH');
  return devServerUnderChaos(cli, join(scratch, 'temporal.db'), { restartAt: plan.temporalRestartAt, downSeconds: plan.temporalDownSeconds }, log);
}

main().catch((err: unknown) => {
  process.stderr.write(`chaos failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

// `npm run bench:scale [-- --quick]`: the daily sync over 2,000 accounts (quick: 200) with the Stripe client paced
// at 50 requests/s, as test/schedules/daily-sync-scale.test.ts checks it on 40: every account covered, one summary
// row, no history near Temporal's limits; and, here where the run is long enough to measure it, Stripe's traffic
// never above the pace (the simulator counts requests per sliding second). Exits 1 when a property fails.
import { randomBytes } from 'node:crypto';
import { HISTORY_LIMIT, inspectSyncRun, linkScaleAccounts, type ScaleWorld } from '../test/helpers/sync-scale';
import type { DailySyncInput } from '../workflows/sync-definitions';
import { cleanUpOnSigterm, log, round } from './measure';
import { quietTemporalRuntime, startProduct, startServers } from './stack';
import { DAILY_SYNC_WORKFLOW_TYPE, type DailySyncWorkflow } from '../common/workflow-types';

const quick = process.argv.includes('--quick');
const ACCOUNTS = quick ? 200 : 2_000;
const TRANSACTIONS_EACH = 5;
const STRIPE_REQUESTS_PER_SECOND = 50;
const SYNC: DailySyncInput = { pageSize: 250, concurrency: 60 };
/** The pacer spaces request starts; one request held up on a loaded machine can arrive together with its successor. */
const ARRIVAL_JITTER = 1;

async function main(): Promise<void> {
  quietTemporalRuntime();
  const servers = await startServers();
  cleanUpOnSigterm(() => servers.close());
  const taskQueue = `bench-scale-${randomBytes(4).toString('hex')}`;
  const stack = await startProduct({
    temporalAddress: servers.temporalAddress,
    database: { serverUrl: servers.postgresUrl },
    taskQueue,
    inProcessWorkers: true,
    stripeRequestsPerSecond: STRIPE_REQUESTS_PER_SECOND,
  });
  let exitCode = 1;
  try {
    const world: ScaleWorld = { ...stack, simulator: stack.simulator.control };
    const setupStarted = performance.now();
    const accountIds = await linkScaleAccounts(world, ACCOUNTS, TRANSACTIONS_EACH);
    log(`scale: ${ACCOUNTS} accounts linked in ${round((performance.now() - setupStarted) / 1000)} s`);

    const startedAt = new Date();
    const syncStarted = performance.now();
    const workflowId = `fc-refresh/daily-sync/${taskQueue}/bench-scale`;
    const result = await stack.client.workflow.execute<DailySyncWorkflow>(DAILY_SYNC_WORKFLOW_TYPE, { taskQueue, workflowId, args: [SYNC] });
    const syncSeconds = (performance.now() - syncStarted) / 1000;
    const traffic = await stack.simulator.control.traffic();
    const findings = await inspectSyncRun(world, result.summaryId, accountIds, startedAt);

    const problems = [
      ...(result.accountsSynced === ACCOUNTS ? [] : [`synced ${result.accountsSynced} of ${ACCOUNTS}: ${JSON.stringify(result)}`]),
      ...(findings.accountsNotCovered.length === 0 ? [] : [`${findings.accountsNotCovered.length} accounts not covered, e.g. ${findings.accountsNotCovered.slice(0, 3).join(', ')}`]),
      ...(findings.summary?.status === 'completed' && findings.summary.accounts_synced === ACCOUNTS ? [] : [`summary row ${JSON.stringify(findings.summary)}`]),
      ...(findings.longestHistory.events < HISTORY_LIMIT ? [] : [`history of ${findings.longestHistory.workflow}: ${findings.longestHistory.events} events`]),
      ...(traffic.maxPerSecond <= STRIPE_REQUESTS_PER_SECOND + ARRIVAL_JITTER ? [] : [`${traffic.maxPerSecond} Stripe requests in one second, paced at ${STRIPE_REQUESTS_PER_SECOND}/s`]),
    ];
    const report = {
      accounts: ACCOUNTS,
      ...SYNC,
      stripeRequestsPerSecond: STRIPE_REQUESTS_PER_SECOND,
      syncSeconds: round(syncSeconds),
      stripeRequests: traffic.requests,
      averagePerSecond: round(traffic.requests / syncSeconds),
      busiestSecond: traffic.maxPerSecond,
      longestHistory: findings.longestHistory,
      workflowsStarted: findings.workflowsStarted,
      summary: findings.summary,
      problems,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    exitCode = problems.length === 0 ? 0 : 1;
  } finally {
    await stack.close();
    await servers.close();
  }
  process.exit(exitCode);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:scale failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

// `npm run bench [-- --quick]`: measures fc-refresh against its floors and baselines on this machine and writes
// bench/results.json and bench/results.md (--quick: results-quick.*, about a minute). Starts everything it needs.
// --cluster [--quick]: refreshes/s, latency and fan-out on the dev server and a Temporal cluster side by side
// (bench/cluster-compare.ts), into the `cluster` key of bench/results.json and a section of results.md.
// `--only <key>` runs one measurement alone and updates its figures in place (bench/alone.ts);
// `--only change-feed [--quick]` runs figure 7 on Postgres alone and prints it, writing nothing; `--only write-stage`
// does the same for figure 3's write stage.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { findTemporalCli } from '../scripts/ensure-tools.mjs';
import { aloneKeys, runAlone } from './alone';
import { measureChangeFeed } from './change-feed';
import { compareWithCluster } from './cluster-compare';
import { earlierClusterResults, writeClusterResults } from './cluster-report';
import { measureDailyFanout } from './fanout';
import { measureChangeFeedOnly, measureWriteStageOnly } from './postgres-only';
import { startFloorWorkers } from './floor-worker';
import { measureTransactionIngest } from './ingest';
import { measureWebhookToCommit } from './latency';
import { cleanUpOnSigterm, log } from './measure';
import { measureWebhookReceiver } from './receiver';
import { describeMachine, writeResults, type Results } from './report';
import { quietTemporalRuntime, startProduct, startServers } from './stack';
import { measureStripeCalls } from './stripe-calls';
import { measureRefreshThroughput } from './throughput';
import { measureRefreshThroughputAtDefaults } from './throughput-defaults';

const quick = process.argv.includes('--quick');
const withCluster = process.argv.includes('--cluster');
const clusterScale = quick ? { throughput: 30, throughputRounds: 1, latency: 30, fanout: 100 } : { throughput: 100, throughputRounds: 2, latency: 100, fanout: 1_000 };
const resultFile = (suffix: string, ext: string): string => fileURLToPath(new URL(`./results${suffix}.${ext}`, import.meta.url));
// Figure 5 at the shipped Stripe request rate, half the accounts subscribed to transactions (issue 13, target 6).
const FANOUT_OPTIONS = { requestsPerSecond: 20, subscribedShare: 0.5 };
const onlyIndex = process.argv.indexOf('--only');
const onlyArgument = onlyIndex >= 0 ? (process.argv[onlyIndex + 1] ?? '') : undefined;
const plan = quick
  ? {
      throughput: 50,
      throughputRounds: 2,
      throughputAtDefaults: 50,
      latency: 50,
      ingest: { writeRows: 10_000, syncAccounts: 1, transactionsPerAccount: 1_000, pageLatencyMs: 50, firstSync: { transactions: 5_000, pageLatencyMs: 200, ranges: 8 } },
      changeFeedRows: 2_000,
      stripeCalls: { accounts: 5, rounds: 2, lostWebhookAccounts: 2 },
      fanout: 200,
      fanoutOptions: FANOUT_OPTIONS,
      receiver: { firstDeliveries: 400, rounds: 2, duplicateSeconds: 3 },
    }
  : {
      throughput: 500,
      throughputRounds: 3,
      throughputAtDefaults: 300,
      latency: 200,
      ingest: { writeRows: 100_000, syncAccounts: 4, transactionsPerAccount: 5_000, pageLatencyMs: 50, firstSync: { transactions: 100_000, pageLatencyMs: 200, ranges: 8 } },
      changeFeedRows: 10_000,
      stripeCalls: { accounts: 100, rounds: 5, lostWebhookAccounts: 20 },
      fanout: 10_000,
      fanoutOptions: FANOUT_OPTIONS,
      receiver: { firstDeliveries: 4_000, rounds: 2, duplicateSeconds: 10 },
    };
const CHANGE_FEED_ROUNDS = 5;

async function main(): Promise<void> {
  log(`starting the ${quick ? 'quick' : 'full'} benchmark`);
  quietTemporalRuntime();
  const servers = await startServers();
  cleanUpOnSigterm(() => servers.close());
  if (withCluster) {
    try {
      const comparison = await compareWithCluster(servers, quick ? 'quick' : 'full', clusterScale);
      process.stdout.write(await writeClusterResults(comparison, { json: resultFile('', 'json'), markdown: resultFile('', 'md') }));
    } finally {
      await servers.close();
    }
    return;
  }
  const taskQueue = `bench-${randomBytes(4).toString('hex')}`;
  const stack = await startProduct({ temporalAddress: servers.temporalAddress, database: { serverUrl: servers.postgresUrl }, taskQueue, inProcessWorkers: true });
  if (!stack.nativeConnection) throw new Error('in-process workers expected');
  const floor = await startFloorWorkers(stack.nativeConnection, stack.client, `${taskQueue}-floor`);
  log(`stack ready: Temporal ${servers.temporalAddress}, task queue ${taskQueue}`);
  const suffix = quick ? '-quick' : '';
  const files = { json: resultFile(suffix, 'json'), markdown: resultFile(suffix, 'md') };
  try {
    if (onlyArgument !== undefined) {
      process.stdout.write(await runAlone(stack, servers, aloneKeys(onlyArgument), { quick, plan, ...files }));
      return;
    }
    const machine = await describeMachine(quick ? 'quick' : 'full', stack.pool, findTemporalCli());
    const refreshThroughput = await measureRefreshThroughput(stack, `${taskQueue}-floor`, plan.throughput, plan.throughputRounds);
    const refreshThroughputAtDefaults = await measureRefreshThroughputAtDefaults(stack, plan.throughputAtDefaults);
    const webhookLatency = await measureWebhookToCommit(stack, plan.latency);
    const ingest = await measureTransactionIngest(stack, plan.ingest);
    const stripeCalls = await measureStripeCalls(stack, plan.stripeCalls);
    const fanout = await measureDailyFanout(servers, plan.fanout, undefined, plan.fanoutOptions);
    const receiver = await measureWebhookReceiver(stack, plan.receiver);
    const changeFeed = await measureChangeFeed(stack.pool, plan.changeFeedRows, CHANGE_FEED_ROUNDS);
    const results: Results = {
      machine,
      refreshThroughput,
      refreshThroughputAtDefaults,
      webhookLatency,
      transactionIngest: ingest.result,
      stripeCalls: stripeCalls.result,
      fanout: fanout.result,
      webhookReceiver: receiver.result,
      changeFeed,
    };
    const cluster = await earlierClusterResults(files.json);
    if (cluster) results.cluster = cluster;
    const markdown = await writeResults(
      results,
      {
        throughputCount: plan.throughput,
        throughputRounds: plan.throughputRounds,
        throughputAtDefaults: plan.throughputAtDefaults,
        latencySamples: plan.latency,
        ingest: ingest.detail,
        fanout: fanout.detail,
        receiver: receiver.detail,
        changeFeedRows: plan.changeFeedRows,
        stripeCalls: stripeCalls.detail,
      },
      files,
    );
    process.stdout.write(markdown);
  } finally {
    await floor.stop();
    await stack.close();
    await servers.close();
    log('stopped');
  }
}

// The change feed and the write stage alone need only Postgres; the other `--only` keys run on the whole stack
// (bench/alone.ts).
const run =
  onlyArgument === 'change-feed' ? measureChangeFeedOnly(plan.changeFeedRows, CHANGE_FEED_ROUNDS) : onlyArgument === 'write-stage' ? measureWriteStageOnly(plan.ingest.writeRows) : main();
run.catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

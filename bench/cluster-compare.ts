// `npm run bench -- --cluster [--quick]`: refreshes/s, webhook → commit latency and the daily fan-out measured on the
// dev server and on a Temporal cluster (cluster/temporal-cluster.ts) in the same run, on the same Postgres server,
// with the same measurements as the main bench. The cluster's fan-out also weighs what one daily sync leaves in
// Temporal's Postgres databases and in the application's, per account: the capacity model's inputs.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { endpointFromUrl } from '../cluster/postgres-endpoint';
import { startTemporalCluster } from '../cluster/temporal-cluster';
import { measureDailyFanout, type FanoutDetail, type FanoutResult } from './fanout';
import { startFloorWorkers } from './floor-worker';
import { databaseUrlOn } from './footprint';
import { measureWebhookToCommit, type LatencyResult } from './latency';
import { log, round } from './measure';
import { startProduct, type Servers } from './stack';
import { measureRefreshThroughput, type ThroughputResult } from './throughput';

export interface ClusterScale {
  throughput: number;
  throughputRounds: number;
  latency: number;
  fanout: number;
}

export interface ServerFigures {
  refreshThroughput: ThroughputResult;
  webhookLatency: LatencyResult;
  fanout: FanoutResult;
  /** What one daily sync run did and left, divided by the accounts it covered. */
  perAccountPerDailySync: {
    stripeRequests: number;
    workflowExecutions: number;
    historyEvents: number;
    appRows: number;
    appBytes: number;
    /** Temporal's databases (a cluster only: the dev server keeps SQLite in memory). */
    temporalRows?: number;
    temporalBytes?: number;
    historyBlobBytes?: number;
  };
}

export interface ClusterComparison {
  mode: 'full' | 'quick';
  date: string;
  loadAverageAtStart: number;
  layout: string;
  scale: ClusterScale;
  devServer: ServerFigures;
  cluster: ServerFigures;
}

const TEMPORAL_DATABASES = { persistence: 'temporal_bench', visibility: 'temporal_bench_visibility' };

export async function compareWithCluster(servers: Servers, mode: 'full' | 'quick', scale: ClusterScale): Promise<ClusterComparison> {
  const loadAverageAtStart = round(loadavg()[0] ?? 0, 2);
  const logDir = await mkdtemp(join(tmpdir(), 'fc-refresh-bench-cluster-'));
  const cluster = await startTemporalCluster({ postgres: endpointFromUrl(servers.postgresUrl), databases: TEMPORAL_DATABASES, logDir, log });
  try {
    log(`bench --cluster: dev server ${servers.temporalAddress}, cluster ${cluster.address}`);
    const devServer = await measureOn(servers, scale, 'dev server');
    const onCluster = await measureOn({ ...servers, temporalAddress: cluster.address }, scale, 'cluster', {
      persistenceUrl: databaseUrlOn(servers.postgresUrl, TEMPORAL_DATABASES.persistence),
      visibilityUrl: databaseUrlOn(servers.postgresUrl, TEMPORAL_DATABASES.visibility),
    });
    return {
      mode,
      date: new Date().toISOString(),
      loadAverageAtStart,
      layout: `one machine, one Postgres server: the dev server (SQLite in memory) beside a cluster of ${cluster.processes.length} processes (${cluster.processes.map((p) => p.name).join(', ')}; 8 shards, persistence and visibility on Postgres); bench process as in the main bench`,
      scale,
      devServer,
      cluster: onCluster,
    };
  } finally {
    await cluster.stop();
    await rm(logDir, { recursive: true, force: true });
  }
}

async function measureOn(servers: Servers, scale: ClusterScale, name: string, temporalDatabases?: Parameters<typeof measureDailyFanout>[2]): Promise<ServerFigures> {
  const taskQueue = `bench-${randomBytes(4).toString('hex')}`;
  const stack = await startProduct({ temporalAddress: servers.temporalAddress, database: { serverUrl: servers.postgresUrl }, taskQueue, inProcessWorkers: true });
  if (!stack.nativeConnection) throw new Error('in-process workers expected');
  const floor = await startFloorWorkers(stack.nativeConnection, stack.client, `${taskQueue}-floor`);
  let refreshThroughput: ThroughputResult;
  let webhookLatency: LatencyResult;
  try {
    refreshThroughput = await measureRefreshThroughput(stack, `${taskQueue}-floor`, scale.throughput, scale.throughputRounds);
    webhookLatency = await measureWebhookToCommit(stack, scale.latency);
  } finally {
    await floor.stop();
    await stack.close();
  }
  const fanout = await measureDailyFanout(servers, scale.fanout, temporalDatabases);
  log(`bench --cluster: ${name} measured`);
  return { refreshThroughput, webhookLatency, fanout: fanout.result, perAccountPerDailySync: perAccount(fanout.result.accounts, fanout.detail) };
}

function perAccount(accounts: number, detail: FanoutDetail): ServerFigures['perAccountPerDailySync'] {
  const each = (value: number): number => round(value / accounts, 1);
  const temporal = detail.temporalStorageAdded;
  return {
    stripeRequests: each(detail.stripeRequests),
    workflowExecutions: each(detail.executions),
    historyEvents: each(detail.historyEvents),
    appRows: each(detail.appStorageAdded.rows),
    appBytes: Math.round(detail.appStorageAdded.bytes / accounts),
    ...(temporal
      ? { temporalRows: each(temporal.rows), temporalBytes: Math.round(temporal.bytes / accounts), historyBlobBytes: Math.round(temporal.historyNodeBytes / accounts) }
      : {}),
  };
}

// The whole product wired for a benchmark or chaos run, outside vitest: a Temporal dev server and Postgres of the
// run's own (or given ones), a fresh migrated database, the simulator with zero refresh latency, the real webhook
// receiver, and in-process workers. Mirrors test/helpers/stack.ts, which reads its servers from vitest's inject.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { pino } from 'pino';
import type Stripe from 'stripe';
import { createStripeClient } from '../common/node/stripe-client';
import { startLocalPostgres } from '../db/local-postgres';
import { createPool } from '../db/pool';
import { startLocalTemporal } from '../dev/local-temporal';
import { hydratePostgresBinaries } from '../scripts/ensure-tools.mjs';
import { startSimulator, type RunningSimulator } from '../simulator/server';
import { createTestDatabase } from '../test/helpers/database';
import { buildWebhookApp } from '../webhooks/app';
import { createWorkers, quietBundlerLogger, workflowsPath } from '../workers/create-workers';

export const NAMESPACE = 'default';

/** Worker state changes at INFO would drown the report; the runtime is installed once per process. */
export function quietTemporalRuntime(): void {
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

export interface Servers {
  temporalAddress: string;
  /** A Postgres server URL; each stack creates its own database on it. */
  postgresUrl: string;
  close(): Promise<void>;
}

/** DATABASE_URL's server, else an embedded Postgres of the run's own, with Postgres' durable defaults. */
export async function startBenchPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  hydratePostgresBinaries();
  const dataDir = await mkdtemp(join(tmpdir(), 'fc-refresh-bench-pg-'));
  // Durable defaults (fsync, synchronous_commit): commit latency is part of what is measured.
  const postgres = await startLocalPostgres({ dataDir, persistent: false });
  return {
    url: postgres.url,
    async stop() {
      await postgres.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A Temporal dev server (the pinned CLI) with fc-refresh's search attributes, and Postgres (DATABASE_URL, else embedded). */
export async function startServers(): Promise<Servers> {
  const temporal = await startLocalTemporal();
  const postgres = await startBenchPostgres();
  return {
    temporalAddress: temporal.address,
    postgresUrl: postgres.url,
    async close() {
      await temporal.stop();
      await postgres.stop();
    },
  };
}

let bundledCode: Promise<string> | undefined;

/** The product's workflow bundle, built once per process (as each production worker loads it once). */
export function productWorkflowBundle(): Promise<string> {
  bundledCode ??= bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger }).then((bundle) => bundle.code);
  return bundledCode;
}

export interface ProductOptions {
  temporalAddress: string;
  /** The database to use (already migrated), or a server URL to create a fresh database on. */
  database: { url: string } | { serverUrl: string };
  taskQueue: string;
  webhookSecret?: string;
  /** Run the two workers in this process (false: the caller runs `npm run worker` processes). */
  inProcessWorkers: boolean;
  /** The Stripe task queue's server-side rate limit; benchmarks lift it so Stripe's own limit is not what is measured. */
  stripeRequestsPerSecond?: number;
  poolSize?: number;
}

export interface ProductStack {
  client: Client;
  taskQueue: string;
  pool: pg.Pool;
  databaseUrl: string;
  stripe: Stripe;
  simulator: RunningSimulator;
  receiver: FastifyInstance;
  webhookUrl: string;
  webhookSecret: string;
  /** The in-process workers' native connection (absent without in-process workers). */
  nativeConnection?: NativeConnection;
  close(): Promise<void>;
}

/** The simulator, the webhook receiver and (optionally) workers on the given Temporal server and Postgres. */
export async function startProduct(options: ProductOptions): Promise<ProductStack> {
  const databaseUrl = 'url' in options.database ? options.database.url : await createTestDatabase(options.database.serverUrl);
  const pool = createPool(databaseUrl, options.poolSize ?? 20);
  const webhookSecret = options.webhookSecret ?? 'whsec_bench_fc_refresh';
  const connection = await Connection.connect({ address: options.temporalAddress });
  const client = new Client({ connection, namespace: NAMESPACE });

  const simulator = await startSimulator({ port: 0, host: '127.0.0.1', webhookSecret, refreshLatencyMs: 0, clockTickMs: 0 });
  const stripe = createStripeClient({ secretKey: 'sk_test_simulator', apiBase: simulator.url });
  const receiver = buildWebhookApp({ temporal: client, taskQueue: options.taskQueue, pool, stripe, webhookSecret, logger: pino({ level: 'silent' }) });
  await receiver.listen({ port: 0, host: '127.0.0.1' });
  const webhookUrl = `http://127.0.0.1:${(receiver.server.address() as { port: number }).port}/webhooks/stripe`;
  await simulator.control.setWebhookEndpoint({ url: webhookUrl, secret: webhookSecret });

  let nativeConnection: NativeConnection | undefined;
  let workers: Worker[] = [];
  let running: Promise<unknown> = Promise.resolve();
  if (options.inProcessWorkers) {
    nativeConnection = await NativeConnection.connect({ address: options.temporalAddress });
    workers = await createWorkers({
      connection: nativeConnection,
      namespace: NAMESPACE,
      taskQueue: options.taskQueue,
      deps: { stripe, pool },
      stripeRequestsPerSecond: options.stripeRequestsPerSecond ?? 1000,
      workflowBundle: { code: await productWorkflowBundle() },
    });
    running = Promise.all(workers.map((worker) => worker.run()));
  }

  return {
    client,
    taskQueue: options.taskQueue,
    pool,
    databaseUrl,
    stripe,
    simulator,
    receiver,
    webhookUrl,
    webhookSecret,
    ...(nativeConnection ? { nativeConnection } : {}),
    async close() {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await receiver.close();
      await simulator.close();
      await nativeConnection?.close();
      await connection.close();
      await pool.end();
    },
  };
}

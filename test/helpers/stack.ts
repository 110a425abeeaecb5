import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type pg from 'pg';
import type Stripe from 'stripe';
import { inject } from 'vitest';
import { createStripeClient } from '../../common/node/stripe-client';
import { createPool } from '../../db/pool';
import { startSimulator } from '../../simulator/server';
import type { SimulatorControl } from '../../simulator/control-client';
import type { Simulator } from '../../simulator/simulator';
import { buildWebhookApp } from '../../webhooks/app';
import { createWorkers } from '../../workers/create-workers';
import { createTestDatabase } from './database';
import { startPgBouncer, type RunningPgBouncer } from './pgbouncer';
import { describeOpenRefreshRows, openRefreshRowsOfClosedRuns } from './open-refreshes';
import { createTestLogger, installTestRuntimeLogger } from './test-log';
import { currentTestLogPath } from './test-log-path';

export interface Stack {
  client: Client;
  taskQueue: string;
  /** The product's pool: on `databaseUrl`, or through PgBouncer with `behindPgBouncer`. */
  pool: pg.Pool;
  /** This file's database, connected to directly. */
  databaseUrl: string;
  /** PgBouncer's URL for the same database, with `behindPgBouncer`. */
  pooledUrl?: string;
  stripe: Stripe;
  simulator: SimulatorControl;
  /** The simulated world itself (in this process), for what the control API does not report. */
  simulatorWorld: Simulator;
  simulatorUrl: string;
  webhookUrl: string;
  webhookSecret: string;
  /** Stops this file's workers (as a crash would, minus the process) and starts fresh ones. */
  restartWorkers(): Promise<void>;
  stopWorkers(): Promise<void>;
  startWorkers(): Promise<void>;
  /**
   * Fails when an fc_refreshes row is left in a non-terminal status although its workflow run has closed (then
   * stops everything all the same).
   */
  close(): Promise<void>;
}

export interface StackOptions {
  stripeRequestsPerSecond?: number;
  /** Real-time delay before the simulator completes a refresh. */
  refreshLatencyMs?: number;
  /** `transacted_at` ranges a first transaction sync lists side by side (activities/deps.ts; default 1, sequential). */
  firstSyncRanges?: number;
  /**
   * The pool (workers, receiver, and what the test reads) goes through a real PgBouncer in transaction mode with this
   * many server connections (test/helpers/pgbouncer.ts).
   */
  behindPgBouncer?: { serverConnections: number };
}

/**
 * The whole product wired for one test file: its own database and task queue on the run's real Temporal dev
 * server and Postgres, the simulator behind the real Stripe SDK, the real webhook receiver, and real workers.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  installTestRuntimeLogger();
  const address = inject('temporalAddress');
  const databaseUrl = await createTestDatabase(inject('databaseUrl'), inject('templateDatabase'));
  const pgBouncer: RunningPgBouncer | undefined = options.behindPgBouncer ? await startPgBouncer(databaseUrl, options.behindPgBouncer) : undefined;
  const pool = createPool(pgBouncer?.url ?? databaseUrl, 20);
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const webhookSecret = `whsec_test_${randomBytes(12).toString('hex')}`;

  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  const nativeConnection = await NativeConnection.connect({ address });

  const simulator = await startSimulator({ port: 0, host: '127.0.0.1', webhookSecret, refreshLatencyMs: options.refreshLatencyMs ?? 50 });
  const stripeRequestsPerSecond = options.stripeRequestsPerSecond ?? 500;
  const stripe = createStripeClient({ secretKey: 'sk_test_simulator', apiBase: simulator.url, maxNetworkRetries: 0, maxRequestsPerSecond: stripeRequestsPerSecond });

  const app = buildWebhookApp({ temporal: client, taskQueue, pool, stripe, webhookSecret, logger: createTestLogger({ test: taskQueue }) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const webhookUrl = `http://127.0.0.1:${port}/webhooks/stripe`;
  await simulator.control.setWebhookEndpoint({ url: webhookUrl, secret: webhookSecret });

  let workers: Worker[] = [];
  let running: Promise<unknown> = Promise.resolve();
  const startWorkers = async (): Promise<void> => {
    workers = await createWorkers({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      deps: { stripe, pool, ...(options.firstSyncRanges ? { firstSyncRanges: options.firstSyncRanges } : {}) },
      stripeRequestsPerSecond,
      workflowBundle: { code: inject('workflowBundleCode') },
    });
    running = Promise.all(workers.map((worker) => worker.run()));
  };
  const stopWorkers = async (): Promise<void> => {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    workers = [];
  };
  await startWorkers();

  return {
    client,
    taskQueue,
    pool,
    databaseUrl,
    ...(pgBouncer ? { pooledUrl: pgBouncer.url } : {}),
    stripe,
    simulator: simulator.control,
    simulatorWorld: simulator.simulator,
    simulatorUrl: simulator.url,
    webhookUrl,
    webhookSecret,
    stopWorkers,
    startWorkers,
    async restartWorkers() {
      await stopWorkers();
      await startWorkers();
    },
    async close() {
      const check = await openRefreshRowsOfClosedRuns(pool, client).then(
        (rows) => ({ rows, error: null }),
        (error: unknown) => ({ rows: [], error }),
      );
      await stopWorkers();
      await app.close();
      await simulator.close();
      await nativeConnection.close();
      await connection.close();
      await pool.end();
      await pgBouncer?.stop();
      if (check.error) throw new Error(`could not check fc_refreshes for rows left open: ${String(check.error)}`);
      if (check.rows.length > 0) {
        throw new Error(
          `${check.rows.length} fc_refreshes row(s) left in a non-terminal status after their workflow run closed:\n` +
            `${describeOpenRefreshRows(check.rows)}\nlogs: ${currentTestLogPath()}`,
        );
      }
    },
  };
}

// `npm run dev`: the whole product on one machine, in one process tree, stopped with one Ctrl-C.
// Postgres (embedded unless DATABASE_URL), the Temporal dev server with its Web UI (unless TEMPORAL_ADDRESS),
// the simulator with demo accounts (unless STRIPE_SECRET_KEY), migrations, the worker and the webhook receiver.
// Data lives in .data/ so a restart keeps it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { logger } from '../common/node/logger';
import { createStripeClient } from '../common/node/stripe-client';
import { stripeTaskQueue } from '../common/task-queues';
import { migrateUp } from '../db/migrate';
import { createPool } from '../db/pool';
import { startLocalPostgres } from '../db/local-postgres';
import { seedDemo, DEMO_IDS } from '../simulator/demo';
import { startSimulator } from '../simulator/server';
import { DEFAULT_WEBHOOK_SECRET } from '../simulator/simulator';
import { buildWebhookApp } from '../webhooks/app';
import { createWorkers, runWorkers } from '../workers/create-workers';
import { sdkLogger } from '../workers/sdk-logger';
import { runDemoRefreshes } from './demo-refreshes';
import { startLocalTemporal } from './local-temporal';

const PORTS = { postgres: 54329, temporal: 7233, temporalUi: 8233, webhooks: 4242, simulator: 12111, metrics: 9464 };
const dataDir = fileURLToPath(new URL('../.data/', import.meta.url));
const taskQueue = process.env.TEMPORAL_TASK_QUEUE ?? 'fc-refresh';
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
const stoppers: (() => Promise<unknown>)[] = [];

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  // SDK internals (bundler output, worker state changes) only when something is wrong: the summary below says the rest.
  Runtime.install({ logger: sdkLogger('WARN', { activityOnlyTaskQueue: stripeTaskQueue(taskQueue) }), telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${PORTS.metrics}` } } } });

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const postgres = await startLocalPostgres({ dataDir: join(dataDir, 'postgres'), port: PORTS.postgres, persistent: true });
    stoppers.push(postgres.stop);
    databaseUrl = postgres.url;
  }
  await migrateUp(databaseUrl);
  const pool = createPool(databaseUrl);
  stoppers.push(() => pool.end());

  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  let temporalUi = process.env.TEMPORAL_UI_URL ?? '(your Temporal server’s UI)';
  if (!temporalAddress) {
    const temporal = await startLocalTemporal({ dbFile: join(dataDir, 'temporal.db'), port: PORTS.temporal, ui: true, uiPort: PORTS.temporalUi });
    stoppers.push(temporal.stop);
    temporalAddress = temporal.address;
    temporalUi = temporal.uiUrl ?? temporalUi;
  }

  const realStripe = Boolean(process.env.STRIPE_SECRET_KEY);
  const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET ?? (realStripe ? undefined : DEFAULT_WEBHOOK_SECRET);
  if (!webhookSecret) throw new Error('STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY (from `stripe listen` or the Dashboard)');
  const webhookUrl = `http://127.0.0.1:${PORTS.webhooks}/webhooks/stripe`;
  let apiBase = process.env.STRIPE_API_BASE;
  if (!realStripe) {
    const simulator = await startSimulator({ port: PORTS.simulator, host: '127.0.0.1', webhookUrl, webhookSecret });
    seedDemo(simulator.simulator);
    stoppers.unshift(() => simulator.close());
    apiBase = simulator.url;
  }
  const stripe = createStripeClient({ secretKey: process.env.STRIPE_SECRET_KEY ?? 'sk_test_simulator', ...(apiBase ? { apiBase } : {}) });

  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection, namespace });
  const app = buildWebhookApp({ temporal: client, taskQueue, pool, stripe, webhookSecret, logger });
  await app.listen({ port: PORTS.webhooks, host: '127.0.0.1' });
  stoppers.unshift(() => app.close(), () => connection.close());

  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  const workers = await createWorkers({ connection: nativeConnection, namespace, taskQueue, deps: { stripe, pool }, stripeRequestsPerSecond: 20 });
  const running = runWorkers(workers);

  const lines = [
    'fc-refresh is running (Ctrl-C stops everything; data stays in .data/)',
    `  Temporal UI      ${temporalUi}/namespaces/${namespace}/workflows`,
    `  Temporal         ${temporalAddress} (namespace ${namespace}, task queue ${taskQueue})`,
    `  Webhook URL      ${webhookUrl}`,
    `  Database         ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}`,
    `  Worker metrics   http://127.0.0.1:${PORTS.metrics}/metrics`,
    realStripe
      ? `  Stripe           ${apiBase ?? 'api.stripe.com'}: forward webhooks with\n                   stripe listen --forward-to ${webhookUrl}`
      : `  Stripe           simulator at ${apiBase} (demo accounts ${Object.values(DEMO_IDS).filter((id) => id.startsWith('fca_')).join(', ')})`,
    `  Try              npx fc-refresh refresh balance ${DEMO_IDS.checking} --wait`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);

  if (!realStripe) await runDemoRefreshes(client, taskQueue, DEMO_IDS.checking);
  // The SDK runtime shuts the workers down on SIGINT/SIGTERM; then everything else stops in reverse order.
  await running;
  await nativeConnection.close();
}

async function stopAll(): Promise<void> {
  for (const stop of stoppers) await stop().catch(() => {});
}

main()
  .then(stopAll)
  .catch(async (err: unknown) => {
    logger.error({ err: err instanceof Error ? err.message : String(err) }, 'npm run dev failed');
    await stopAll();
    process.exitCode = 1;
  });

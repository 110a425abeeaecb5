// `npm run chaos [-- --quick]`: refreshes across every feature while the worker is SIGKILLed, the Temporal server
// restarts, Postgres stops, the simulator fails 20% of API calls with 429/500 and 30% of webhooks are dropped,
// duplicated or re-sent out of order. Then every refresh's rows are compared with the simulator's ground truth.
// Exits 1 unless every refresh completed, none failed, none was initiated twice and no row is missing or doubled.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { FEATURES, type Feature } from '../common/features';
import { refreshWorkflowId } from '../common/workflow-ids';
import { ensureTemporalCli, hydratePostgresBinaries } from '../scripts/ensure-tools.mjs';
import type { CreateAccountInput } from '../simulator/control-types';
import type { RefreshResult } from '../workflows/definitions';
import { startRestartablePostgres } from './chaos-postgres';
import { startTemporalProcess } from './chaos-temporal';
import { checkRows, extraInitiations, type RowCheck } from './chaos-verify';
import { SupervisedWorker } from './chaos-worker';
import { cleanUpOnSigterm, inParallel, log, seededRandom, sleep, waitFor } from './measure';
import { startRefreshWorkflow } from './refreshes';
import { startProduct, type ProductStack } from './stack';
import { createTestDatabase } from '../test/helpers/database';

const quick = process.argv.includes('--quick');
const plan = quick
  ? { refreshes: 40, startOverSeconds: 25, workerKillsAt: [8], temporalRestartAt: 14, temporalDownSeconds: 2, postgresStopAt: 22, postgresDownSeconds: 5, deadlineSeconds: 150 }
  : { refreshes: 200, startOverSeconds: 90, workerKillsAt: [10, 80, 105], temporalRestartAt: 25, temporalDownSeconds: 5, postgresStopAt: 45, postgresDownSeconds: 30, deadlineSeconds: 600 };
const SEED = Number(process.env.CHAOS_SEED ?? 20261123);
/** Fallback polls while a webhook is missing: seconds, not the production minutes, so the run stays short. */
const POLL = { initial: 3, max: 15 };

interface PlannedRefresh {
  index: number;
  feature: Feature;
  account: CreateAccountInput;
}

interface Outcome {
  accountId: string;
  feature: Feature;
  outcome: string;
  reason: string | null;
  initiations: number;
}

function planRefreshes(count: number): PlannedRefresh[] {
  const random = seededRandom(SEED);
  return Array.from({ length: count }, (_, index) => {
    const feature = FEATURES[index % FEATURES.length] as Feature;
    const refreshLatencyMs = random(500, 6_000);
    const account: CreateAccountInput =
      feature === 'balance'
        ? { refreshLatencyMs, balance: { current: { usd: random(0, 1_000_000) }, available: { usd: random(0, 1_000_000) } } }
        : feature === 'ownership'
          ? { refreshLatencyMs, ownerCount: random(1, 250) }
          : { refreshLatencyMs, transactionCount: random(10, 600) };
    return { index, feature, account };
  });
}

/** Retries through outages: Temporal may be restarting when a refresh is asked for or its result awaited. */
async function runThroughOutages(client: Client, stack: ProductStack, accountId: string, feature: Feature, deadline: number): Promise<Outcome> {
  let runId: string | undefined;
  while (!runId) {
    try {
      runId = (await startRefreshWorkflow(client, stack.taskQueue, accountId, feature, { pollIntervalSeconds: POLL })).firstExecutionRunId;
    } catch (err) {
      if (Date.now() > deadline) return { accountId, feature, outcome: 'not_started', reason: String(err), initiations: 0 };
      await sleep(500);
    }
  }
  for (;;) {
    try {
      const result = (await client.workflow.getHandle(refreshWorkflowId(feature, accountId), runId).result()) as RefreshResult;
      return { accountId, feature, outcome: result.outcome, reason: result.error ? `${result.error.code}: ${result.error.message}` : null, initiations: result.initiations };
    } catch (err) {
      if (err instanceof WorkflowFailedError) return { accountId, feature, outcome: 'workflow_failed', reason: String(err.cause ?? err.message), initiations: 0 };
      if (Date.now() > deadline) return { accountId, feature, outcome: 'unfinished', reason: `still running at the deadline: ${String(err)}`, initiations: 0 };
      await sleep(1_000);
    }
  }
}

async function main(): Promise<void> {
  log(`chaos (${quick ? 'quick' : 'full'}): ${plan.refreshes} refreshes, seed ${SEED}`);
  hydratePostgresBinaries();
  const cli = await ensureTemporalCli();
  if (!cli) throw new Error('the chaos run starts and kills the Temporal CLI itself: run `npm run temporal:install` or set TEMPORAL_CLI_PATH');
  const scratch = await mkdtemp(join(tmpdir(), 'fc-refresh-chaos-'));
  const postgres = await startRestartablePostgres();
  const temporal = await startTemporalProcess(cli, join(scratch, 'temporal.db'));
  const databaseUrl = await createTestDatabase(postgres.serverUrl);
  const taskQueue = `chaos-${randomBytes(4).toString('hex')}`;
  const stack = await startProduct({ temporalAddress: temporal.address, database: { url: databaseUrl }, taskQueue, inProcessWorkers: false });
  // Stripe retries a failed delivery for days; here for about a minute, which outlasts every outage below.
  await stack.simulator.control.setWebhookEndpoint({ url: stack.webhookUrl, secret: stack.webhookSecret, retry: { maxAttempts: 15, baseDelayMs: 500, maxDelayMs: 5_000 }, timeoutMs: 10_000 });
  process.env.STRIPE_MAX_REQUESTS_PER_SECOND ??= '100';
  const worker = new SupervisedWorker({ TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: databaseUrl, STRIPE_API_BASE: stack.simulator.url });
  cleanUpOnSigterm(async () => {
    await worker.stop();
    await temporal.stop();
    await postgres.close();
  });
  await worker.start();
  log(`chaos: stack ready (Temporal ${temporal.address}, worker process, task queue ${taskQueue})`);

  let exitCode = 1;
  try {
    const control = stack.simulator.control;
    await control.setWebhookFaults({ dropRate: 0.1, duplicateRate: 0.1, staleResendRate: 0.1, reorder: true, reorderWindowMs: 300, seed: SEED });
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
    const faults = (async () => {
      const events = [
        ...plan.workerKillsAt.map((seconds) => ({ seconds, run: async () => { log('chaos: SIGKILL worker'); await worker.killAndRestart(); log('chaos: worker restarted'); } })),
        { seconds: plan.temporalRestartAt, run: async () => {
          log('chaos: SIGKILL Temporal server');
          await temporal.kill();
          await sleep(plan.temporalDownSeconds * 1000);
          await temporal.start();
          log('chaos: Temporal server back');
        } },
        { seconds: plan.postgresStopAt, run: async () => {
          log(`chaos: Postgres stopped for ${plan.postgresDownSeconds} s`);
          await postgres.stop();
          await sleep(plan.postgresDownSeconds * 1000);
          await postgres.start();
          log('chaos: Postgres back');
        } },
      ].sort((a, b) => a.seconds - b.seconds);
      for (const event of events) {
        await at(event.seconds);
        await event.run();
      }
    })();

    const planned = planRefreshes(plan.refreshes);
    const outcomes = await inParallel(planned, planned.length, async (refresh) => {
      await at((refresh.index * plan.startOverSeconds) / planned.length);
      const account = await control.createAccount(refresh.account);
      return runThroughOutages(stack.client, stack, account.id, refresh.feature, deadline);
    });
    await faults;
    clearInterval(modeFlip);
    log(`chaos: every refresh answered after ${Math.round((Date.now() - startedAt) / 1000)} s; settling`);

    await control.clearApiFaults();
    await control.setWebhookFaults({});
    await control.waitForWebhooksIdle({ timeoutMs: 120_000 });
    // Re-sent events start webhook runs after the requested ones ended; let them store what they carry.
    await waitFor('webhook-started runs to finish', async () => {
      const { count } = await stack.client.workflow.count(`TaskQueue = '${taskQueue}' AND WorkflowType = 'refreshWorkflow' AND ExecutionStatus = 'Running'`);
      return count === 0 ? true : undefined;
    }, { timeoutMs: 120_000, intervalMs: 1_000 });

    const counters = await control.counters();
    const checks: (RowCheck & Outcome & { extraInitiations: number })[] = [];
    for (const outcome of outcomes) {
      const rows = await checkRows(stack.pool, control, outcome.accountId, outcome.feature);
      checks.push({ ...outcome, ...rows, extraInitiations: extraInitiations(counters, outcome.accountId, outcome.feature) });
    }
    const completed = checks.filter((check) => check.outcome === 'succeeded').length;
    const failed = checks.filter((check) => check.outcome !== 'succeeded');
    const duplicateInitiations = checks.reduce((sum, check) => sum + check.extraInitiations, 0);
    const missing = checks.reduce((sum, check) => sum + check.missing, 0);
    const doubled = checks.reduce((sum, check) => sum + check.doubled, 0);
    const webhookRuns = await stack.pool.query<{ total: number; not_succeeded: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status <> 'succeeded')::int AS not_succeeded FROM fc_refreshes WHERE trigger = 'webhook'`,
    );
    const unprocessed = await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM stripe_events WHERE processed_at IS NULL`);

    const report = {
      refreshes: plan.refreshes,
      completed,
      failed: failed.length,
      duplicateInitiations,
      rowsMissing: missing,
      rowsDoubled: doubled,
      failures: failed.map((check) => `${check.feature} ${check.accountId}: ${check.outcome}${check.reason ? ` (${check.reason})` : ''}`),
      rowProblems: checks.filter((check) => check.problems.length > 0).map((check) => `${check.feature} ${check.accountId}: ${check.problems.join('; ')}`),
      faults: {
        workerKills: worker.kills,
        workerUnexpectedExits: worker.unexpectedExits,
        temporalRestarts: 1,
        postgresDownSeconds: plan.postgresDownSeconds,
        apiFaultsInjected: counters.apiFaultsInjected,
        idempotentReplays: counters.idempotentReplays,
        webhooks: counters.webhooks,
      },
      webhookStartedRuns: { total: webhookRuns.rows[0]?.total ?? 0, notSucceeded: webhookRuns.rows[0]?.not_succeeded ?? 0 },
      eventsLeftUnprocessed: unprocessed.rows[0]?.n ?? 0,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`chaos: ${completed} completed / ${failed.length} failed / ${duplicateInitiations} duplicate initiations / ${missing} rows missing, ${doubled} doubled (of ${plan.refreshes} refreshes)\n`);
    exitCode = completed === plan.refreshes && failed.length === 0 && duplicateInitiations === 0 && missing === 0 && doubled === 0 ? 0 : 1;
  } finally {
    await worker.stop();
    await stack.close();
    await temporal.stop();
    await postgres.close();
    await rm(scratch, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

main().catch((err: unknown) => {
  process.stderr.write(`chaos failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

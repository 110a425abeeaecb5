// One fuzz run against a live receiver: a refresh is left waiting for its webhook, the hostile deliveries are sent,
// and then what must hold is measured on the real server: answers as expected, no workflow started on the task queue
// (visibility), no signal in the waiting refresh's history, nothing recorded from a refused delivery, the receiver
// still healthy. A correctly signed refreshed_balance sent last must start a workflow, showing the count would see one.
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type Stripe from 'stripe';
import { refreshWorkflowId } from '../../common/workflow-ids';
import type { SimulatorControl } from '../../simulator/control-client';
import { startRefreshWorkflow } from '../../bench/refreshes';
import { waitFor } from '../../bench/measure';
import { hostileDeliveries } from './hostile-webhooks';
import { runHostileDeliveries, type HostileReport } from './send-hostile';

export interface FuzzTarget {
  client: Client;
  taskQueue: string;
  pool: pg.Pool;
  stripe: Stripe;
  simulator: SimulatorControl;
  webhookUrl: string;
  webhookSecret: string;
}

export interface FuzzVerdict {
  sent: number;
  wrongAnswers: number;
  examples: HostileReport['wrongAnswers'];
  byKind: HostileReport['byKind'];
  /** Workflows started on the task queue by the hostile deliveries (the control excluded). */
  workflowsStarted: number;
  /** Signals the waiting refresh received. */
  signalsToWaitingRefresh: number;
  /** stripe_events rows from the run minus the deliveries answered 2xx: anything refused must leave no row. */
  eventsRecordedBeyondAccepted: number;
  healthz: number;
  readyz: number;
  prototypePolluted: boolean;
  /** The correctly signed refreshed_balance sent last started its workflow, and visibility showed it. */
  controlStartSeen: boolean;
}

async function signalCount(client: Client, workflowId: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes).length;
}

export async function fuzzReceiver(target: FuzzTarget, options: { count: number; seed: number }): Promise<FuzzVerdict> {
  const origin = new URL(target.webhookUrl).origin;
  const waiting = await target.simulator.createAccount({ refreshLatencyMs: 600_000 });
  const waitingId = refreshWorkflowId('balance', waiting.id);
  await startRefreshWorkflow(target.client, target.taskQueue, waiting.id, 'balance');
  await waitFor('the refresh to wait for its webhook', async () => {
    const { rows } = await target.pool.query<{ status: string }>('SELECT status FROM fc_refreshes WHERE workflow_id = $1', [waitingId]);
    return rows[0]?.status === 'pending' ? true : undefined;
  }, { timeoutMs: 30_000 });
  const signalsBefore = await signalCount(target.client, waitingId);
  const fuzzStartedAt = new Date();

  const deliveries = hostileDeliveries({ count: options.count, seed: options.seed, stripe: target.stripe, secret: target.webhookSecret, targetAccountId: waiting.id });
  const report = await runHostileDeliveries(origin, deliveries);

  const healthz = (await fetch(`${origin}/healthz`)).status;
  const readyz = (await fetch(`${origin}/readyz`)).status;

  const control = await sendControlEvent(target);
  const controlStartSeen = await waitFor('the control event\'s workflow in visibility', async () => {
    const { count } = await target.client.workflow.count(`TaskQueue = '${target.taskQueue}' AND WorkflowId = '${control}'`);
    return count > 0 ? true : undefined;
  }, { timeoutMs: 20_000, intervalMs: 200 }).catch(() => false);
  const started = await target.client.workflow.count(`TaskQueue = '${target.taskQueue}' AND StartTime >= '${fuzzStartedAt.toISOString()}'`);

  const recorded = await target.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM stripe_events WHERE id LIKE 'evt\\_fuzz%'`);
  const signalsAfter = await signalCount(target.client, waitingId);
  await target.client.workflow.getHandle(waitingId).cancel();

  return {
    sent: report.sent,
    wrongAnswers: report.wrong,
    examples: report.wrongAnswers,
    byKind: report.byKind,
    workflowsStarted: started.count - (controlStartSeen ? 1 : 0),
    signalsToWaitingRefresh: signalsAfter - signalsBefore,
    eventsRecordedBeyondAccepted: (recorded.rows[0]?.n ?? 0) - report.acceptedEventIds.size,
    healthz,
    readyz,
    prototypePolluted: ({} as Record<string, unknown>).polluted !== undefined,
    controlStartSeen,
  };
}

/** A correctly signed refreshed_balance for an account nobody asked about: Stripe's daily refresh, by design a start. */
async function sendControlEvent(target: FuzzTarget): Promise<string> {
  const accountId = `fca_control${randomBytes(8).toString('hex')}`;
  const now = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    id: `evt_control${randomBytes(8).toString('hex')}`,
    object: 'event',
    created: now,
    livemode: false,
    type: 'financial_connections.account.refreshed_balance',
    data: { object: { id: accountId, object: 'financial_connections.account', balance: null, balance_refresh: { status: 'succeeded', last_attempted_at: now, next_refresh_available_at: now + 3600 }, permissions: ['balances'], status: 'active' } },
  });
  const response = await fetch(target.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': target.stripe.webhooks.generateTestHeaderString({ payload: body, secret: target.webhookSecret }) },
    body,
  });
  if (response.status !== 200) throw new Error(`control event answered ${response.status}`);
  return refreshWorkflowId('balance', accountId);
}

/** Whether the verdict is the one the issue asks for. */
export function fuzzPassed(verdict: FuzzVerdict): boolean {
  return (
    verdict.wrongAnswers === 0 &&
    verdict.workflowsStarted === 0 &&
    verdict.signalsToWaitingRefresh === 0 &&
    verdict.eventsRecordedBeyondAccepted === 0 &&
    verdict.healthz === 200 &&
    verdict.readyz === 200 &&
    !verdict.prototypePolluted &&
    verdict.controlStartSeen
  );
}

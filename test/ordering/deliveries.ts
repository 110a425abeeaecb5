// Delivering events exactly as Stripe does when it retries or reorders: a signed event of its own id carrying the
// account as it was when that refresh completed, POSTed to the real receiver.
import { randomBytes } from 'node:crypto';
import type Stripe from 'stripe';
import { expect } from 'vitest';
import type { Feature } from '../../common/features';
import { REFRESHED_EVENT } from '../../common/features';
import { refreshWorkflowId } from '../../common/workflow-ids';
import type { RefreshResult } from '../../workflows/refresh-definitions';
import type { Stack } from '../helpers/stack';

export interface CapturedEvent {
  id: string;
  payload: string;
}

/** The `refreshed_*` event Stripe generated for the refresh the account object shows as completed. */
export function capturedEvent(account: Stripe.FinancialConnections.Account, feature: Feature, created = Math.floor(Date.now() / 1000)): CapturedEvent {
  const id = `evt_${randomBytes(10).toString('hex')}`;
  const payload = JSON.stringify({
    id,
    object: 'event',
    api_version: '2025-03-31.basil',
    created,
    data: { object: account },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: REFRESHED_EVENT[feature],
  });
  return { id, payload };
}

export async function deliver(stack: Stack, event: CapturedEvent): Promise<{ status: number; body: unknown }> {
  const header = stack.stripe.webhooks.generateTestHeaderString({ payload: event.payload, secret: stack.webhookSecret });
  const response = await fetch(stack.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': header }, body: event.payload });
  return { status: response.status, body: await response.json() };
}

/** The result of the refresh workflow now running (or last run) for the account and feature, once it has closed for good. */
export async function latestRunResult(stack: Stack, feature: Feature, accountId: string): Promise<RefreshResult> {
  const handle = stack.client.workflow.getHandle(refreshWorkflowId(feature, accountId));
  const result = (await handle.result()) as RefreshResult;
  // Ended, not handed on to another run (a run must never continue as new with nothing new to settle).
  expect((await handle.describe()).status.name).toBe('COMPLETED');
  return result;
}

/**
 * Has Stripe (the simulator) run one refresh of `feature` while none of its webhooks reach the receiver, and returns
 * the account as the refreshed event would carry it. The simulator's clock moves two seconds first, so successive
 * refreshes have distinct `last_attempted_at` (Stripe's one-second resolution).
 */
export async function refreshAtStripe(stack: Stack, accountId: string, feature: Feature): Promise<Stripe.FinancialConnections.Account> {
  await stack.simulator.advanceClock(2);
  await stack.stripe.financialConnections.accounts.refresh(accountId, { features: [feature] });
  for (;;) {
    await stack.simulator.waitForWebhooksIdle({ timeoutMs: 30_000 });
    const account = await stack.stripe.financialConnections.accounts.retrieve(accountId);
    const hash = feature === 'balance' ? account.balance_refresh : feature === 'ownership' ? account.ownership_refresh : account.transaction_refresh;
    if (hash && hash.status !== 'pending') return account;
  }
}

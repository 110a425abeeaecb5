import { setTimeout } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type Stripe from 'stripe';
import { featureOfRefreshedEvent } from '../common/features';
import type { FcAccount } from '../common/stripe-account';
import { isFcAccountId } from '../common/stripe-ids';
import { upsertAccountSnapshot } from '../db/queries/accounts';
import { storeEventBalance } from '../db/queries/refreshed-balance';
import { claimEvent, isEventClaimed, isEventProcessed, markEventFailed, markEventProcessed } from '../db/queries/events';
import { ACCOUNT_LIFECYCLE_EVENTS, applyAccountLifecycleEvent } from './account-event';
import { signalRefreshCompleted } from './refreshed-event';

export interface EventHandlingDeps {
  pool: pg.Pool;
  temporal: Client;
  taskQueue: string;
  /** How long one delivery holds an event before a concurrent delivery may take over (covers its Temporal calls). */
  claimLeaseMs: number;
}

/** processed: acted on. ignored: recorded, nothing to do (other types, a refresh still pending). duplicate: done before. */
export type EventOutcome = 'processed' | 'ignored' | 'duplicate';

/**
 * Records a verified event, acts on it exactly once, and marks it processed. Deliveries of one event racing each
 * other (Stripe delivers concurrently) take turns through an atomic claim in Postgres: one acts, the others wait for
 * its outcome and answer as duplicates, or take over when it failed. Any failure leaves the event unprocessed (with
 * the error noted and the claim released) and rethrows, so the receiver answers 503 and Stripe's retry does the work.
 */
export async function handleStripeEvent(deps: EventHandlingDeps, event: Stripe.Event): Promise<EventOutcome> {
  const account = fcAccountOf(event);
  const record = { id: event.id, type: event.type, accountId: account?.id ?? null, created: event.created, livemode: event.livemode, payload: event };
  for (;;) {
    const claim = await claimEvent(deps.pool, record, deps.claimLeaseMs);
    if (claim.state === 'processed') return 'duplicate';
    if (claim.state === 'busy') {
      if (await waitForOtherDelivery(deps.pool, event.id, claim.until)) return 'duplicate';
      continue; // the other delivery failed or its lease ran out: this one takes over
    }
    try {
      const outcome = await actOn(deps, event, account);
      await markEventProcessed(deps.pool, event.id);
      return outcome;
    } catch (err) {
      await markEventFailed(deps.pool, event.id, err instanceof Error ? err.message : String(err)).catch(() => {});
      throw err;
    }
  }
}

const CLAIM_POLL_MS = 25;

/** Waits while another delivery holds the event's lease; true once that delivery marked it processed. */
async function waitForOtherDelivery(pool: pg.Pool, eventId: string, leaseUntil: Date): Promise<boolean> {
  while (Date.now() <= leaseUntil.getTime()) {
    await setTimeout(CLAIM_POLL_MS);
    if (await isEventProcessed(pool, eventId)) return true;
    if (!(await isEventClaimed(pool, eventId))) return false;
  }
  return isEventProcessed(pool, eventId);
}

async function actOn(deps: EventHandlingDeps, event: Stripe.Event, account: FcAccount | null): Promise<'processed' | 'ignored'> {
  if (!account) return 'ignored';
  const feature = featureOfRefreshedEvent(event.type);
  if (feature) {
    // The event's account is Stripe's newest word on the refresh: stored (in Stripe's order, as every snapshot), the
    // next refresh of this feature knows when it may be initiated without retrieving the account first. A balance
    // it carries is stored right after, while the workflow is being signalled.
    const stored = async () => {
      await upsertAccountSnapshot(deps.pool, account, new Date(event.created * 1000));
      if (feature === 'balance') await storeEventBalance(deps.pool, event.id, account);
    };
    const [sent] = await Promise.all([signalRefreshCompleted(deps.temporal, deps.taskQueue, event, account, feature), stored()]);
    return sent === 'signalled' ? 'processed' : 'ignored';
  }
  if (ACCOUNT_LIFECYCLE_EVENTS.has(event.type)) {
    await applyAccountLifecycleEvent(deps, event, account);
    return 'processed';
  }
  return 'ignored';
}

/** The Financial Connections account an event carries as its object, if it carries one. */
export function fcAccountOf(event: Stripe.Event): FcAccount | null {
  const object: { object?: unknown; id?: unknown } = event.data.object;
  return object.object === 'financial_connections.account' && typeof object.id === 'string' && isFcAccountId(object.id)
    ? (event.data.object as FcAccount)
    : null;
}

import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type Stripe from 'stripe';
import { featureOfRefreshedEvent } from '../common/features';
import type { FcAccount } from '../common/stripe-account';
import { markEventFailed, markEventProcessed, recordEvent } from '../db/queries/events';
import { ACCOUNT_LIFECYCLE_EVENTS, applyAccountLifecycleEvent } from './account-event';
import { signalRefreshCompleted } from './refreshed-event';

export interface EventHandlingDeps {
  pool: pg.Pool;
  temporal: Client;
  taskQueue: string;
}

/** processed: acted on. ignored: recorded, nothing to do (other types, a refresh still pending). duplicate: done before. */
export type EventOutcome = 'processed' | 'ignored' | 'duplicate';

/**
 * Records a verified event, acts on it once, and marks it processed. Any failure leaves it unprocessed (with the
 * error noted) and rethrows, so the receiver answers 503 and Stripe's retry does the work.
 *
 * Two deliveries of one event racing each other can both act: the signal carries the event id so the refresh
 * workflow can drop the second, and the account upsert is idempotent.
 */
export async function handleStripeEvent(deps: EventHandlingDeps, event: Stripe.Event): Promise<EventOutcome> {
  const account = fcAccountOf(event);
  const { alreadyProcessed } = await recordEvent(deps.pool, {
    id: event.id,
    type: event.type,
    accountId: account?.id ?? null,
    created: event.created,
    livemode: event.livemode,
    payload: event,
  });
  if (alreadyProcessed) return 'duplicate';
  try {
    const outcome = await actOn(deps, event, account);
    await markEventProcessed(deps.pool, event.id);
    return outcome;
  } catch (err) {
    await markEventFailed(deps.pool, event.id, err instanceof Error ? err.message : String(err)).catch(() => {});
    throw err;
  }
}

async function actOn(deps: EventHandlingDeps, event: Stripe.Event, account: FcAccount | null): Promise<'processed' | 'ignored'> {
  if (!account) return 'ignored';
  const feature = featureOfRefreshedEvent(event.type);
  if (feature) {
    const sent = await signalRefreshCompleted(deps.temporal, deps.taskQueue, event, account, feature);
    return sent === 'signalled' ? 'processed' : 'ignored';
  }
  if (ACCOUNT_LIFECYCLE_EVENTS.has(event.type)) {
    await applyAccountLifecycleEvent(deps, event, account);
    return 'processed';
  }
  return 'ignored';
}

/** Stripe's account ids (fca_ and base62): what the client accepts, bounded so it fits workflow ids and indexes. */
const FC_ACCOUNT_ID = /^fca_[A-Za-z0-9]{1,250}$/;

/** The Financial Connections account an event carries as its object, if it carries one. */
export function fcAccountOf(event: Stripe.Event): FcAccount | null {
  const object: { object?: unknown; id?: unknown } = event.data.object;
  return object.object === 'financial_connections.account' && typeof object.id === 'string' && FC_ACCOUNT_ID.test(object.id)
    ? (event.data.object as FcAccount)
    : null;
}

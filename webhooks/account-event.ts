import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type { FcAccount } from '../common/stripe-account';
import { upsertAccountSnapshot } from '../db/queries/accounts';
import { signalAccountWorkflow } from './account-signal';

export const ACCOUNT_LIFECYCLE_EVENTS: ReadonlySet<string> = new Set([
  'financial_connections.account.created',
  'financial_connections.account.deactivated',
  'financial_connections.account.reactivated',
  'financial_connections.account.disconnected',
]);

/**
 * Stores the account's new status and tells its entity workflow. Stripe does not order deliveries, so the row is
 * guarded by the event's `created`: a late `deactivated` never overwrites a newer `reactivated`.
 */
export async function applyAccountLifecycleEvent(
  deps: { pool: pg.Pool; temporal: Client; taskQueue: string },
  event: { id: string; type: string; created: number },
  account: FcAccount,
): Promise<void> {
  await upsertAccountSnapshot(deps.pool, account, new Date(event.created * 1000));
  await signalAccountWorkflow(deps.temporal, deps.taskQueue, account.id, {
    eventId: event.id,
    type: event.type,
    status: account.status,
    created: event.created,
  });
}

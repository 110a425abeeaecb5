import { Context } from '@temporalio/activity';
import { upsertAccountSnapshot } from '../db/queries/accounts';
import { getEventAccountObject } from '../db/queries/event-accounts';
import { setCurrentOwnership, upsertOwners } from '../db/queries/owners';
import type { ActivityDeps } from './deps';
import { toActivityFailure } from './stripe-errors';

export interface StoreOwnershipResult {
  ownershipId: string | null;
  owners: number;
}

interface OwnershipCursor {
  ownershipId: string;
  startingAfter: string;
  owners: number;
}

/**
 * Stores every page of owners of the account's current ownership. Its id comes from the refreshed_ownership
 * event's account when the receiver stored it (one Stripe call fewer), else from retrieving the account with its
 * ownership expanded. Each stored page is heartbeated, so a retry resumes after the last stored owner.
 */
export function createStoreOwnership({ stripe, pool }: ActivityDeps) {
  return async function storeOwnership(input: { accountId: string; eventId?: string | null }): Promise<StoreOwnershipResult> {
    const context = Context.current();
    const resumed = context.info.heartbeatDetails as OwnershipCursor | undefined;
    try {
      let ownershipId = resumed?.ownershipId ?? (input.eventId ? await ownershipFromEvent(pool, input.eventId) : null);
      if (!ownershipId) {
        const account = await stripe.financialConnections.accounts.retrieve(input.accountId, { expand: ['ownership'] });
        await upsertAccountSnapshot(pool, account, new Date());
        ownershipId = typeof account.ownership === 'string' ? account.ownership : (account.ownership?.id ?? null);
      }
      if (!ownershipId) {
        await setCurrentOwnership(pool, input.accountId, null, new Date());
        return { ownershipId: null, owners: 0 };
      }
      let startingAfter = resumed?.startingAfter;
      let owners = resumed?.owners ?? 0;
      for (;;) {
        const page = await stripe.financialConnections.accounts.listOwners(input.accountId, {
          ownership: ownershipId,
          limit: 100,
          ...(startingAfter ? { starting_after: startingAfter } : {}),
        });
        await upsertOwners(pool, input.accountId, page.data);
        owners += page.data.length;
        const last = page.data.at(-1);
        if (!page.has_more || !last) break;
        startingAfter = last.id;
        context.heartbeat({ ownershipId, startingAfter, owners } satisfies OwnershipCursor);
      }
      await setCurrentOwnership(pool, input.accountId, ownershipId, new Date());
      return { ownershipId, owners };
    } catch (err) {
      throw toActivityFailure(err, { accountId: input.accountId, operation: 'store ownership' });
    }
  };
}

/** The ownership a succeeded refresh produced, as the stored refreshed_ownership event's account names it. */
async function ownershipFromEvent(pool: ActivityDeps['pool'], eventId: string): Promise<string | null> {
  const account = await getEventAccountObject(pool, eventId);
  if (account?.ownership_refresh?.status !== 'succeeded') return null;
  return typeof account.ownership === 'string' ? account.ownership : (account.ownership?.id ?? null);
}

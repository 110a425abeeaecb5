import { Context } from '@temporalio/activity';
import { upsertAccountSnapshot } from '../db/queries/accounts';
import { getEventAccountObject } from '../db/queries/event-accounts';
import { isSettleable, settleFeatureRefresh } from '../db/queries/feature-state';
import { setCurrentOwnership, upsertOwners } from '../db/queries/owners';
import { inTransaction } from '../db/pool';
import { ownershipIdOf, type FcAccount } from '../common/stripe-account';
import type { RefreshHash } from '../workflows/refresh-definitions';
import { stopIfCancelled } from './cancellation';
import type { ActivityDeps } from './deps';
import { settlingRun, type StoreVerdict } from './settlement';
import { toActivityFailure } from './stripe-errors';

export interface StoreOwnershipResult {
  verdict: StoreVerdict;
  ownershipId: string | null;
  owners: number;
}

interface OwnershipCursor {
  ownershipId: string;
  /** The ownership refresh that produced it (Stripe's last_attempted_at). */
  refreshAttemptedAt: number;
  startingAfter: string;
  owners: number;
}

interface ProducedOwnership {
  ownershipId: string | null;
  refreshAttemptedAt: number;
}

/**
 * Stores every page of owners of the ownership a succeeded refresh produced. Its id comes from the
 * refreshed_ownership event's account when the receiver stored it (one Stripe call fewer), else from retrieving the
 * account with its ownership expanded. Each stored page is heartbeated, so a retry resumes after the last stored
 * owner; cancellation stops the paging. The account's pointer moves in the transaction that settles the refresh, and
 * only when nothing newer is settled: a late event of an older refresh never rolls ownership back.
 */
export function createStoreOwnership({ stripe, pool }: ActivityDeps) {
  return async function storeOwnership(input: { accountId: string; eventId?: string | null; refresh?: RefreshHash; ownershipId?: string | null }): Promise<StoreOwnershipResult> {
    const context = Context.current();
    const resumed = context.info.heartbeatDetails as OwnershipCursor | undefined;
    const settledBy = settlingRun();
    try {
      const produced = (resumed?.refreshAttemptedAt === undefined ? null : resumed)
        ?? (await producedOwnership(input.eventId))
        ?? polledOwnership(input)
        ?? (await retrieveOwnership(input.accountId, input.refresh));
      // The ownership id tells two refreshes of the same second apart.
      const early = await isSettleable(pool, input.accountId, 'ownership', { lastAttemptedAt: produced.refreshAttemptedAt, refreshId: produced.ownershipId, settledBy });
      if (early !== 'applied') return { verdict: early, ownershipId: produced.ownershipId, owners: 0 };
      const { ownershipId } = produced;
      let owners = resumed?.owners ?? 0;
      if (ownershipId) {
        let startingAfter = resumed?.startingAfter;
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
          context.heartbeat({ ownershipId, refreshAttemptedAt: produced.refreshAttemptedAt, startingAfter, owners } satisfies OwnershipCursor);
          stopIfCancelled(context);
        }
      }
      stopIfCancelled(context);
      const verdict = await inTransaction(pool, async (client) => {
        const settled = await settleFeatureRefresh(client, {
          accountId: input.accountId, feature: 'ownership', lastAttemptedAt: produced.refreshAttemptedAt, refreshId: ownershipId,
          status: 'succeeded', error: null, settledBy,
        });
        if (settled === 'applied') await setCurrentOwnership(client, input.accountId, ownershipId, produced.refreshAttemptedAt);
        return settled;
      });
      return { verdict, ownershipId, owners };
    } catch (err) {
      throw toActivityFailure(err, { accountId: input.accountId, operation: 'store ownership' });
    }
  };

  /** The ownership a succeeded refresh produced, as the stored refreshed_ownership event's account names it. */
  async function producedOwnership(eventId: string | null | undefined): Promise<ProducedOwnership | null> {
    const account = eventId ? await getEventAccountObject(pool, eventId) : null;
    return account?.ownership_refresh?.status === 'succeeded' ? ownershipOf(account, account.ownership_refresh.last_attempted_at) : null;
  }

  /** The ownership the poll that found the succeeded refresh saw (the same account object as its refresh hash). */
  function polledOwnership(input: { ownershipId?: string | null; refresh?: RefreshHash }): ProducedOwnership | null {
    return input.ownershipId !== undefined && input.refresh?.status === 'succeeded'
      ? { ownershipId: input.ownershipId, refreshAttemptedAt: input.refresh.lastAttemptedAt }
      : null;
  }

  async function retrieveOwnership(accountId: string, refresh: RefreshHash | undefined): Promise<ProducedOwnership> {
    const account = await stripe.financialConnections.accounts.retrieve(accountId, { expand: ['ownership'] });
    await upsertAccountSnapshot(pool, account, new Date());
    // A newer ownership refresh already pending still leaves the ownership of the one being settled in place.
    const attemptedAt = account.ownership_refresh?.status === 'succeeded' ? account.ownership_refresh.last_attempted_at : refresh?.lastAttemptedAt;
    return ownershipOf(account, attemptedAt ?? account.ownership_refresh?.last_attempted_at ?? 0);
  }
}

function ownershipOf(account: FcAccount, refreshAttemptedAt: number): ProducedOwnership {
  return { ownershipId: ownershipIdOf(account), refreshAttemptedAt };
}

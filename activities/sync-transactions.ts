import { ApplicationFailure, Context } from '@temporalio/activity';
import Stripe from 'stripe';
import { inTransaction } from '../db/pool';
import { getTransactionCursor, setTransactionCursor, upsertTransactions, type UpsertCounts } from '../db/queries/transactions';
import type { ActivityDeps } from './deps';
import { toActivityFailure } from './stripe-errors';

export interface SyncTransactionsResult extends UpsertCounts {
  pages: number;
  /** The stored cursor the sync started from (null: a full first sync). */
  fromCursor: string | null;
  /** The cursor now stored: the refresh this sync covered. */
  cursor: string;
}

interface PageCursor extends UpsertCounts {
  fromCursor: string | null;
  startingAfter: string;
  pages: number;
}

/**
 * Fetches what changed since the stored cursor (`transaction_refresh[after]`, per the transactions doc) page by
 * page, upserting each page (while the next one is fetched) and heartbeating where it got to. The cursor moves to `throughRefreshId` in the same
 * database transaction as the last page, so a crash anywhere leaves either the old cursor (the sync is redone,
 * upserts make that harmless) or the new one with every row stored.
 */
export function createSyncTransactions({ stripe, pool }: ActivityDeps) {
  return async function syncTransactions(input: { accountId: string; throughRefreshId: string }): Promise<SyncTransactionsResult> {
    const context = Context.current();
    const resumed = context.info.heartbeatDetails as PageCursor | undefined;
    const fromCursor = resumed ? resumed.fromCursor : await getTransactionCursor(pool, input.accountId);
    const totals: UpsertCounts = { added: resumed?.added ?? 0, updated: resumed?.updated ?? 0, unchanged: resumed?.unchanged ?? 0 };
    let startingAfter = resumed?.startingAfter;
    let pages = resumed?.pages ?? 0;
    const fetchPage = (after: string | undefined) =>
      stripe.financialConnections.transactions.list({
        account: input.accountId,
        limit: 100,
        ...(fromCursor ? { transaction_refresh: { after: fromCursor } } : {}),
        ...(after ? { starting_after: after } : {}),
      });
    try {
      let next = fetchPage(startingAfter);
      for (;;) {
        const page = await next;
        pages += 1;
        const last = page.data.at(-1);
        const isLastPage = !page.has_more || !last;
        // Fetch the next page while this one is written: the two round trips overlap. A failure of the
        // prefetch surfaces when it is awaited; the catch only keeps it from counting as unhandled meanwhile.
        if (!isLastPage) {
          next = fetchPage(last.id);
          next.catch(() => {});
        }
        const counts = isLastPage
          ? await inTransaction(pool, async (client) => {
              const stored = await upsertTransactions(client, page.data);
              await setTransactionCursor(client, input.accountId, input.throughRefreshId);
              return stored;
            })
          : await upsertTransactions(pool, page.data);
        totals.added += counts.added;
        totals.updated += counts.updated;
        totals.unchanged += counts.unchanged;
        if (isLastPage) break;
        startingAfter = last.id;
        context.heartbeat({ fromCursor, startingAfter, pages, ...totals } satisfies PageCursor);
      }
    } catch (err) {
      // A stored cursor Stripe no longer knows (a restored database, or a restarted simulator) must not block
      // syncing forever: start over from the full list; the upserts make the repeat harmless.
      if (fromCursor && isUnknownCursor(err)) {
        await setTransactionCursor(pool, input.accountId, null);
        throw ApplicationFailure.create({ type: 'UnknownTransactionCursor', message: `cursor ${fromCursor} unknown to Stripe; resyncing ${input.accountId} in full` });
      }
      throw toActivityFailure(err, { accountId: input.accountId, operation: 'sync transactions' });
    }
    return { ...totals, pages, fromCursor, cursor: input.throughRefreshId };
  };
}

function isUnknownCursor(err: unknown): boolean {
  return err instanceof Stripe.errors.StripeInvalidRequestError && (err.param ?? '').startsWith('transaction_refresh');
}

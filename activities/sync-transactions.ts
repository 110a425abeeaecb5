import { ApplicationFailure, Context } from '@temporalio/activity';
import Stripe from 'stripe';
import { FailureType } from '../common/failure-types';
import { inTransaction } from '../db/pool';
import { getStoredAccountSnapshot } from '../db/queries/accounts';
import { isSettleable, settleFeatureRefresh, type RefreshKey } from '../db/queries/feature-state';
import { advanceTransactionCursor, clearTransactionCursor, getTransactionCursor, upsertTransactions, type UpsertCounts } from '../db/queries/transactions';
import { stopIfCancelled } from './cancellation';
import type { ActivityDeps } from './deps';
import { findOldestTransactedAt, splitTransactedAt, type TransactedAtRange } from './first-sync-ranges';
import { settlingRun, type StoreVerdict } from './settlement';
import { isRetryableStripeError, toActivityFailure } from './stripe-errors';

export interface SyncTransactionsResult extends UpsertCounts {
  verdict: StoreVerdict;
  pages: number;
  /** The stored cursor the sync started from (null: a full first sync). */
  fromCursor: string | null;
  /** The refresh this sync covered. */
  cursor: string;
}

interface PageCursor extends UpsertCounts {
  fromCursor: string | null;
  startingAfter: string;
  pages: number;
}

/** A first sync listed in `transacted_at` ranges side by side: each range's progress (heartbeat details). */
interface RangesCursor extends UpsertCounts {
  fromCursor: null;
  ranges: TransactedAtRange[];
  pages: number;
}

type Transaction = Stripe.FinancialConnections.Transaction;

/** A first sync in ranges retries a retryable list request in place: 5 tries, 0.25 s to 4 s apart (with jitter). */
const RANGE_REQUEST_ATTEMPTS = 5;
const RANGE_RETRY_BASE_MS = 250;

export interface SyncTransactionsInput {
  accountId: string;
  /** The succeeded transaction refresh to sync through (`fctxnref_…`). */
  throughRefreshId: string;
  /** Its `last_attempted_at`: orders it against the refresh the stored cursor came from. */
  refreshAttemptedAt?: number;
}

/**
 * Fetches what changed since the stored cursor (`transaction_refresh[after]`, per the transactions doc) page by
 * page, upserting each page (while the next one is fetched) and heartbeating where it got to; cancellation stops it
 * between pages. The cursor moves to `throughRefreshId` in the same database transaction as the last page and as
 * settling the refresh, and only forward in Stripe's order, so a crash anywhere leaves either the old cursor (the
 * sync is redone, upserts make that harmless) or the new one with every row stored, and a late event of an older
 * refresh lists nothing and moves nothing.
 */
export function createSyncTransactions({ stripe, pool, firstSyncRanges = 1 }: ActivityDeps) {
  return async function syncTransactions(input: SyncTransactionsInput): Promise<SyncTransactionsResult> {
    const context = Context.current();
    const settledBy = settlingRun();
    const heartbeat = context.info.heartbeatDetails as PageCursor | RangesCursor | undefined;
    const resumedRanges = heartbeat && 'ranges' in heartbeat ? heartbeat : undefined;
    const resumed = resumedRanges ? undefined : (heartbeat as PageCursor | undefined);
    const refresh = { id: input.throughRefreshId, lastAttemptedAt: input.refreshAttemptedAt ?? (await attemptedAtOf(input.accountId, input.throughRefreshId)) };
    const key = { lastAttemptedAt: refresh.lastAttemptedAt, refreshId: refresh.id, settledBy };
    const fromCursor = resumedRanges ? null : resumed ? resumed.fromCursor : await getTransactionCursor(pool, input.accountId);
    const totals: UpsertCounts = { added: heartbeat?.added ?? 0, updated: heartbeat?.updated ?? 0, unchanged: heartbeat?.unchanged ?? 0 };
    const early = await isSettleable(pool, input.accountId, 'transactions', key);
    if (early !== 'applied') return { verdict: early, ...totals, pages: 0, fromCursor, cursor: refresh.id };
    if (resumedRanges || (!resumed && !fromCursor && firstSyncRanges > 1)) return syncFirstInRanges(input, { refresh, key, totals }, resumedRanges);
    let startingAfter = resumed?.startingAfter;
    let pages = resumed?.pages ?? 0;
    let verdict: StoreVerdict = 'applied';
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
        if (isLastPage) stopIfCancelled(context);
        const counts = isLastPage
          ? await inTransaction(pool, async (client) => {
              // Settle first, then write: every settling transaction takes fc_feature_state's row lock before the
              // change feed's sequence lock (taken by the data writes), so concurrent settlers never deadlock.
              verdict = await settleFeatureRefresh(client, { ...key, accountId: input.accountId, feature: 'transactions', status: 'succeeded', error: null });
              const stored = await upsertTransactions(client, page.data);
              if (verdict === 'applied') await advanceTransactionCursor(client, input.accountId, refresh);
              return stored;
            })
          : await upsertTransactions(pool, page.data);
        addCounts(totals, counts);
        if (isLastPage) break;
        startingAfter = last.id;
        context.heartbeat({ fromCursor, startingAfter, pages, ...totals } satisfies PageCursor);
        stopIfCancelled(context);
      }
    } catch (err) {
      // A stored cursor Stripe no longer knows (a restored database, or a restarted simulator) must not block
      // syncing forever: start over from the full list; the upserts make the repeat harmless.
      if (fromCursor && isUnknownCursor(err)) {
        await clearTransactionCursor(pool, input.accountId);
        throw ApplicationFailure.create({ type: FailureType.UnknownTransactionCursor, message: `cursor ${fromCursor} unknown to Stripe; resyncing ${input.accountId} in full` });
      }
      throw toActivityFailure(err, { accountId: input.accountId, operation: 'sync transactions' });
    }
    return { verdict, ...totals, pages, fromCursor, cursor: refresh.id };
  };

  /**
   * A first sync (no stored cursor) of an account with more than one page: the list is split into `transacted_at`
   * ranges (covering every value exactly once, so every transaction falls in one range) that are listed side by side,
   * each page by page with `starting_after`, every request through the same Stripe client and so the same request
   * budget. Each range's progress is heartbeated, so a retry resumes every range where it got to. Each range's
   * last page is held back and written, after every other page has committed, in the one database transaction that
   * settles the refresh and moves the cursor to it: a crash before that commit leaves no cursor (the sync resumes or
   * is redone; upserts make repeats harmless), and once the cursor exists every row of the refresh is stored.
   * Transactions created during the sync belong to a later refresh, which `transaction_refresh[after]` = this cursor
   * lists next time. Cancellation stops every range between pages, before the settling transaction.
   */
  async function syncFirstInRanges(
    input: SyncTransactionsInput,
    // Computed once by syncTransactions: the refresh synced through, the key it is settled under, counts so far.
    { refresh, key, totals }: { refresh: { id: string; lastAttemptedAt: number }; key: RefreshKey & { settledBy: string }; totals: UpsertCounts },
    resumed: RangesCursor | undefined,
  ): Promise<SyncTransactionsResult> {
    const context = Context.current();
    let pages = resumed?.pages ?? 0;
    // Many requests are in flight at once here, so one failing (a 429, a 5xx after the SDK's own retries) would
    // throw away every other range's request with it and make each attempt less likely to get anywhere than a
    // sequential sync's: a retryable failure is retried in place a few times, with backoff, before it fails the
    // attempt (the activity's retry policy then resumes every range from its heartbeat).
    const list = async (params: Omit<Stripe.FinancialConnections.TransactionListParams, 'account'>) => {
      for (let attempt = 1; ; attempt++) {
        try {
          const page = await stripe.financialConnections.transactions.list({ account: input.accountId, ...params });
          pages += 1;
          return page;
        } catch (err) {
          if (attempt >= RANGE_REQUEST_ATTEMPTS || !isRetryableStripeError(err)) throw err;
          await context.sleep(RANGE_RETRY_BASE_MS * 2 ** (attempt - 1) * (1 + Math.random()));
        }
      }
    };
    const settle = (held: Transaction[]) =>
      inTransaction(pool, async (client) => {
        // Settle first, then write (the lock order of the sequential sync above).
        const verdict = await settleFeatureRefresh(client, { ...key, accountId: input.accountId, feature: 'transactions', status: 'succeeded', error: null });
        const stored = await upsertTransactions(client, newestCopies(held));
        if (verdict === 'applied') await advanceTransactionCursor(client, input.accountId, refresh);
        return { verdict, stored };
      });
    const done = ({ verdict, stored }: { verdict: StoreVerdict; stored: UpsertCounts }): SyncTransactionsResult => {
      addCounts(totals, stored);
      return { verdict, ...totals, pages, fromCursor: null, cursor: refresh.id };
    };

    try {
      let ranges = resumed?.ranges;
      if (!ranges) {
        // The first page of the whole list: an account that fits in it is synced by it, as sequentially.
        const first = await list({ limit: 100 });
        if (!first.has_more) {
          stopIfCancelled(context);
          return done(await settle(first.data));
        }
        const newest = Math.max(...first.data.map((t) => t.transacted_at));
        const { oldest } = await findOldestTransactedAt((lt) => list({ limit: 1, transacted_at: { lt } }), newest, firstSyncRanges - 1);
        ranges = splitTransactedAt(oldest, newest, firstSyncRanges);
        context.heartbeat({ fromCursor: null, ranges, pages, ...totals } satisfies RangesCursor);
        stopIfCancelled(context);
      }
      const progress = ranges;
      const held: Transaction[][] = [];
      let stopping = false;
      const walk = async (range: TransactedAtRange): Promise<void> => {
        const filter = { ...(range.gte !== undefined ? { gte: range.gte } : {}), ...(range.lt !== undefined ? { lt: range.lt } : {}) };
        const fetchPage = (after: string | undefined) =>
          list({ limit: 100, ...(Object.keys(filter).length > 0 ? { transacted_at: filter } : {}), ...(after ? { starting_after: after } : {}) });
        let next = fetchPage(range.startingAfter);
        next.catch(() => {});
        for (;;) {
          const page = await next;
          if (stopping) return;
          const last = page.data.at(-1);
          if (!page.has_more || !last) {
            held.push(page.data);
            return;
          }
          next = fetchPage(last.id);
          next.catch(() => {});
          addCounts(totals, await upsertTransactions(pool, page.data));
          range.startingAfter = last.id;
          range.pages += 1;
          context.heartbeat({ fromCursor: null, ranges: progress, pages, ...totals } satisfies RangesCursor);
          if (stopping) return;
          stopIfCancelled(context);
        }
      };
      const outcomes = await Promise.allSettled(
        progress.map((range) =>
          walk(range).catch((err: unknown) => {
            stopping = true;
            throw err;
          }),
        ),
      );
      const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failed) throw failed.reason;
      stopIfCancelled(context);
      return done(await settle(held.flat()));
    } catch (err) {
      throw toActivityFailure(err, { accountId: input.accountId, operation: 'sync transactions' });
    }
  }

  /**
   * For a caller that did not say when the refresh was attempted (a run started before this field existed): the
   * stored snapshot's, when it names the same refresh; else now, the latest it can have been.
   */
  async function attemptedAtOf(accountId: string, refreshId: string): Promise<number> {
    const stored = await getStoredAccountSnapshot(pool, accountId);
    const hash = stored?.snapshot.transaction_refresh;
    return hash && hash.id === refreshId ? hash.last_attempted_at : Math.floor(Date.now() / 1000);
  }
}

function addCounts(totals: UpsertCounts, counts: UpsertCounts): void {
  totals.added += counts.added;
  totals.updated += counts.updated;
  totals.unchanged += counts.unchanged;
}

/**
 * One copy of each transaction (the newest `updated`): a transaction whose `transacted_at` moved between two ranges
 * while they were listed can come twice, which one upsert statement may not carry.
 */
function newestCopies(transactions: Transaction[]): Transaction[] {
  const byId = new Map<string, Transaction>();
  for (const t of transactions) {
    const seen = byId.get(t.id);
    if (!seen || seen.updated < t.updated) byId.set(t.id, t);
  }
  return [...byId.values()];
}

function isUnknownCursor(err: unknown): boolean {
  return err instanceof Stripe.errors.StripeInvalidRequestError && (err.param ?? '').startsWith('transaction_refresh');
}

// 7. The change feed's cost on the transaction write stage, and how fast a consumer reads it.
//
// The write stage is what syncTransactions does with each page: one upsert of 100 transactions. The same pages (a
// first sync that adds them, then a later one that posts them) are written with the change triggers on and off,
// alternating rounds on fresh ids, so the ratio compares like with like on the same database. The read figure drains
// every change written through ChangeFeed.sync, 1,000 a call, as a consumer catching up would.
import type pg from 'pg';
import type Stripe from 'stripe';
import { ChangeFeed } from '../client/change-feed';
import { registerConsumer } from '../client/consumers';
import { upsertTransactions } from '../db/queries/transactions';
import { log, round } from './measure';

export interface ChangeFeedResult {
  /** Extra time the change rows add to the transaction write stage: (with − without) / without. */
  writeOverheadRatio: number;
  /** Changes per second read by ChangeFeed.sync (limit 1,000). */
  syncRowsPerSec: number;
}

const PAGE = 100;
const TRIGGERS = ['fc_transactions_added', 'fc_transactions_changed'];

function page(accountId: string, start: number, status: 'pending' | 'posted', updated: number): Stripe.FinancialConnections.Transaction[] {
  return Array.from({ length: PAGE }, (_, i) => ({
    id: `fctxn_bench_${accountId}_${start + i}`,
    object: 'financial_connections.transaction',
    account: accountId,
    amount: -(1_000 + ((start + i) % 5_000)),
    currency: 'usd',
    description: 'Rocket Rides',
    livemode: false,
    status,
    status_transitions: { posted_at: status === 'posted' ? updated : null, void_at: null },
    transacted_at: updated - 86_400,
    transaction_refresh: `fctxnref_bench_${updated}`,
    updated,
  }));
}

/** Seconds to add `rows` transactions page by page, then post them all (a later incremental sync). */
async function timeWrites(pool: pg.Pool, accountId: string, rows: number): Promise<number> {
  const now = Math.floor(Date.now() / 1000);
  const started = performance.now();
  for (let start = 0; start < rows; start += PAGE) await upsertTransactions(pool, page(accountId, start, 'pending', now));
  for (let start = 0; start < rows; start += PAGE) await upsertTransactions(pool, page(accountId, start, 'posted', now + 60));
  return (performance.now() - started) / 1000;
}

export async function measureChangeFeed(pool: pg.Pool, rowsPerRound: number, rounds: number): Promise<ChangeFeedResult> {
  let withFeed = 0;
  let without = 0;
  for (let round = 0; round < rounds; round++) {
    await pool.query(`ALTER TABLE fc_transactions ${TRIGGERS.map((name) => `DISABLE TRIGGER ${name}`).join(', ')}`);
    try {
      without += await timeWrites(pool, `fca_benchoff${round}`, rowsPerRound);
    } finally {
      await pool.query(`ALTER TABLE fc_transactions ${TRIGGERS.map((name) => `ENABLE TRIGGER ${name}`).join(', ')}`);
    }
    withFeed += await timeWrites(pool, `fca_benchon${round}`, rowsPerRound);
  }
  log(`change feed: ${rounds} × ${rowsPerRound} rows added then posted: ${withFeed.toFixed(2)} s with change rows, ${without.toFixed(2)} s without`);

  const consumer = `bench-${Date.now()}`;
  await registerConsumer(pool, { name: consumer });
  const feed = new ChangeFeed(pool);
  let read = 0;
  const started = performance.now();
  for (let cursor: string | undefined; ; ) {
    const result = await feed.sync({ consumer, limit: 1_000, ...(cursor === undefined ? {} : { cursor }) });
    read += result.changes.length;
    cursor = result.nextCursor;
    if (!result.hasMore) break;
  }
  const readSeconds = (performance.now() - started) / 1000;
  log(`change feed: ${read} changes read in ${readSeconds.toFixed(2)} s`);
  return { writeOverheadRatio: round((withFeed - without) / without, 3), syncRowsPerSec: Math.round(read / readSeconds) };
}

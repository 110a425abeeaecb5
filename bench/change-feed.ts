// 7. The change feed's cost on the transaction write stage, and how fast a consumer reads it.
//
// The write stage is what syncTransactions does with each page: one upsert of 100 transactions. The same pages (a
// first sync that adds them, then a later one that posts them) are written with the change triggers and without
// them (dropped, not disabled: a disabled trigger with transition tables still has Postgres collect them), in
// rounds on fresh ids that alternate which goes first. A warm-up round is not counted; the figure is the median
// of the rounds' ratios, each taken from two runs close in time, so load from elsewhere on the machine cancels out
// as far as it can. The read figure drains every change written through ChangeFeed.sync, 1,000 a call, as a
// consumer catching up would.
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

/** Drops the change triggers and returns how to create them again (their definitions as Postgres prints them). */
async function dropTriggers(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ tgname: string; def: string }>(
    `SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = 'fc_transactions'::regclass AND tgname = ANY($1)`,
    [TRIGGERS],
  );
  if (rows.length !== TRIGGERS.length) throw new Error(`expected the triggers ${TRIGGERS.join(', ')} on fc_transactions`);
  await pool.query(rows.map((row) => `DROP TRIGGER ${row.tgname} ON fc_transactions`).join('; '));
  return rows.map((row) => row.def);
}

/** Seconds to write the round's pages without the change triggers (they are back on afterwards). */
async function timeWritesWithout(pool: pg.Pool, accountId: string, rows: number): Promise<number> {
  const definitions = await dropTriggers(pool);
  try {
    return await timeWrites(pool, accountId, rows);
  } finally {
    await pool.query(definitions.join('; '));
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

export async function measureChangeFeed(pool: pg.Pool, rowsPerRound: number, rounds: number): Promise<ChangeFeedResult> {
  const ratios: number[] = [];
  let withFeed = 0;
  let without = 0;
  for (let round = 0; round <= rounds; round++) {
    const timeOn = () => timeWrites(pool, `fca_benchon${round}`, rowsPerRound);
    const timeOff = () => timeWritesWithout(pool, `fca_benchoff${round}`, rowsPerRound);
    let on: number;
    let off: number;
    if (round % 2 === 0) {
      on = await timeOn();
      off = await timeOff();
    } else {
      off = await timeOff();
      on = await timeOn();
    }
    if (round === 0) continue; // warm-up: plans, caches, the first pages of each table and index
    ratios.push((on - off) / off);
    withFeed += on;
    without += off;
  }
  log(
    `change feed: ${rounds} × ${rowsPerRound} rows added then posted: ${withFeed.toFixed(2)} s with change rows, ${without.toFixed(2)} s without; ` +
      `per-round overhead ${ratios.map((ratio) => `${Math.round(ratio * 100)}%`).join(' ')}`,
  );

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
  return { writeOverheadRatio: round(median(ratios), 3), syncRowsPerSec: Math.round(read / readSeconds) };
}

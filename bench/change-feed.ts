// 7. The change feed's cost on the transaction write stage, and how fast a consumer reads it.
//
// The write stage is what syncTransactions does with each page: one upsert of 100 transactions. The same pages (a
// first sync that adds them, then a later one that posts them) are written to fc_transactions, with its change
// triggers, and to a copy of it without them: the same columns, defaults, constraints and indexes (LIKE … INCLUDING
// ALL copies no triggers) in a schema that the baseline's connection puts first on its search_path, so both run
// upsertTransactions' very statement on the very same rows. Page by page the two alternate which goes first, each
// page timed alone, so load from elsewhere on the shared machine falls on both alike instead of on whichever ran
// during a burst. Each round writes fresh ids; a warm-up round is not counted; the figure is the median of the
// rounds' ratios. The read figure drains every change written through ChangeFeed.sync, 1,000 a call, as a consumer
// catching up would.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type Stripe from 'stripe';
import { ChangeFeed } from '../client/change-feed';
import { registerConsumer } from '../client/consumers';
import { upsertTransactions } from '../db/queries/transactions';
import { derivedId } from '../simulator/state/ids';
import { CREDITS, DEBITS } from '../simulator/state/transactions';
import { log, round } from './measure';

export interface ChangeFeedResult {
  /** Extra time the change rows add to the transaction write stage: (with − without) / without. */
  writeOverheadRatio: number;
  /** Changes per second read by ChangeFeed.sync (limit 1,000). */
  syncRowsPerSec: number;
}

const PAGE = 100;
const TRIGGERS = ['fc_transactions_added', 'fc_transactions_changed'];
const BASELINE_SCHEMA = 'bench_without_change_feed';

// Stripe-shaped values, as varied as real ones (opaque ids, amounts, the simulator's merchants with store numbers, a
// date each). Sequential ids put every index insert on the right-most page, which made the trigger-less baseline
// cheaper than any real sync; repetitive rows would also flatter how well a batch of changes compresses.
const MERCHANTS = [...DEBITS, ...CREDITS];

/** A deterministic pseudo-random integer in [0, bound) for a transaction and a purpose. */
function pick(seed: string, purpose: string, bound: number): number {
  return createHash('sha256').update(`${seed}\u0000${purpose}`).digest().readUInt32BE(0) % bound;
}

function page(accountId: string, start: number, status: 'pending' | 'posted', updated: number): Stripe.FinancialConnections.Transaction[] {
  return Array.from({ length: PAGE }, (_, i) => {
    const id = derivedId('fctxn', [accountId, start + i]);
    const transactedAt = updated - 86_400 * 90 + pick(id, 'transacted', 86_400 * 90);
    return {
      id,
      object: 'financial_connections.transaction',
      account: accountId,
      amount: -(100 + pick(id, 'amount', 20_000)),
      currency: 'usd',
      description: `${MERCHANTS[pick(id, 'merchant', MERCHANTS.length)] ?? ''} #${pick(id, 'store', 10_000)}`,
      livemode: false,
      status,
      status_transitions: { posted_at: status === 'posted' ? transactedAt + 3_600 + pick(id, 'posted', 86_400) : null, void_at: null },
      transacted_at: transactedAt,
      transaction_refresh: `fctxnref_bench_${updated}`,
      updated,
    };
  });
}

/** A connection whose fc_transactions is a trigger-less copy of the product's table. */
async function connectWithoutChangeFeed(pool: pg.Pool): Promise<pg.PoolClient> {
  const { rows } = await pool.query<{ tgname: string }>(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'public.fc_transactions'::regclass AND tgname = ANY($1)`, [TRIGGERS]);
  if (rows.length !== TRIGGERS.length) throw new Error(`expected the triggers ${TRIGGERS.join(', ')} on fc_transactions`);
  await pool.query(
    `CREATE SCHEMA IF NOT EXISTS ${BASELINE_SCHEMA}; DROP TABLE IF EXISTS ${BASELINE_SCHEMA}.fc_transactions;
     CREATE TABLE ${BASELINE_SCHEMA}.fc_transactions (LIKE public.fc_transactions INCLUDING ALL)`,
  );
  const client = await pool.connect();
  await client.query(`SET search_path TO ${BASELINE_SCHEMA}, public`);
  return client;
}

/** Seconds each side spends writing the round's pages: `rows` transactions added page by page, then all posted. */
async function timeRound(withFeed: pg.PoolClient, without: pg.PoolClient, accountId: string, rows: number): Promise<{ on: number; off: number }> {
  const now = Math.floor(Date.now() / 1000);
  const spent = { on: 0, off: 0 };
  const timed = async (side: 'on' | 'off', transactions: Stripe.FinancialConnections.Transaction[]) => {
    const started = performance.now();
    await upsertTransactions(side === 'on' ? withFeed : without, transactions);
    spent[side] += (performance.now() - started) / 1000;
  };
  let turn = 0;
  for (const [status, updated] of [['pending', now], ['posted', now + 60]] as const) {
    for (let start = 0; start < rows; start += PAGE, turn++) {
      const transactions = page(accountId, start, status, updated);
      const order = turn % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      for (const side of order) await timed(side, transactions);
    }
  }
  return spent;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

export async function measureChangeFeed(pool: pg.Pool, rowsPerRound: number, rounds: number): Promise<ChangeFeedResult> {
  const without = await connectWithoutChangeFeed(pool);
  const withFeed = await pool.connect();
  const ratios: number[] = [];
  let totalOn = 0;
  let totalOff = 0;
  try {
    for (let round = 0; round <= rounds; round++) {
      const { on, off } = await timeRound(withFeed, without, `fca_bench${round}`, rowsPerRound);
      if (round === 0) continue; // warm-up: plans, caches, the first pages of each table and index
      ratios.push((on - off) / off);
      totalOn += on;
      totalOff += off;
    }
  } finally {
    withFeed.release();
    without.release();
    await pool.query(`DROP SCHEMA ${BASELINE_SCHEMA} CASCADE`);
  }
  log(
    `change feed: ${rounds} × ${rowsPerRound} rows added then posted: ${totalOn.toFixed(2)} s with change rows, ${totalOff.toFixed(2)} s without; ` +
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

// 3. Transaction ingest, in two figures.
//
// The write stage on its own: `rows` transactions, generated in memory as Stripe's list returns them, arrive in
// pages of 100 and go through upsertTransactions on the pool, as syncTransactions writes every page but the last
// (one statement and its own commit per page, the change feed's triggers included), against COPY of the same rows
// into a table LIKE fc_transactions (same columns, defaults and indexes; no triggers). The rows are split in blocks
// of 10,000 that alternate which of the two goes first, so load from elsewhere on the shared machine falls on both.
//
// A sync end to end: first syncs of accounts with 5,000 transactions (50 pages) through the product (refresh
// workflow → syncTransactions: list, upsert, heartbeat, settle), against the pagination floor: the same pages listed
// with the same Stripe client and no writes. The simulator's transaction list answers after a fixed latency, as
// Stripe's would after its round trip; the sync's time is syncTransactions' from scheduling to completion.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type Stripe from 'stripe';
import { refreshWorkflowId } from '../common/workflow-ids';
import { transactionColumns, upsertTransactions } from '../db/queries/transactions';
import { linkAccounts } from './accounts';
import { measureFirstSync, type FirstSyncDetail, type FirstSyncPlan, type FirstSyncResult } from './first-sync';
import { log, round } from './measure';
import { runRefresh } from './refreshes';
import type { ProductStack } from './stack';

type Transaction = Stripe.FinancialConnections.Transaction;

export interface IngestResult extends FirstSyncResult {
  /** The write stage: rows/s through the product's page upsert, pages of 100 from memory. */
  writeRowsPerSec: number;
  /** COPY of the same rows into a trigger-less table like fc_transactions. */
  copyRowsPerSec: number;
  writeRatioToCopy: number;
  /**
   * The per-page floor: the same pages as plain INSERTs (no conflict handling, no triggers, one commit each) into a
   * table like fc_transactions. What any statement-per-page writer pays before the upsert's own work.
   */
  plainInsertRowsPerSec: number;
  plainInsertRatioToCopy: number;
  /** First syncs through syncTransactions with the simulator's page latency on. */
  endToEndRowsPerSec: number;
  /** The same pages listed with no writes. */
  paginationFloorRowsPerSec: number;
  endToEndRatio: number;
}

export interface IngestPlan {
  /** Rows of the write stage (a multiple of 10,000, or fewer than that). */
  writeRows: number;
  /** Accounts synced end to end, each with `transactionsPerAccount` (at most the simulator's 5,000). */
  syncAccounts: number;
  transactionsPerAccount: number;
  /** The simulator's latency on each transaction list request. */
  pageLatencyMs: number;
  /** A large account's first sync, sequential against ranges (bench/first-sync.ts). */
  firstSync: FirstSyncPlan;
}

export interface IngestDetail extends IngestPlan {
  firstSync: FirstSyncDetail;
  blockRows: number;
  writeSeconds: number;
  copySeconds: number;
  plainInsertSeconds: number;
  syncSeconds: number;
  floorSeconds: number;
  pages: number;
}

const PAGE = 100;
const BLOCK = 10_000;
export const TRANSACTION_LIST = 'GET /v1/financial_connections/transactions';
const COPY_TABLE = 'bench_ingest_copy';
const PLAIN_TABLE = 'bench_ingest_plain';
const COLUMNS = ['id', 'account_id', 'amount', 'currency', 'description', 'status', 'posted_at', 'void_at', 'transacted_at', 'transaction_refresh_id', 'stripe_updated'] as const;
const DESCRIPTIONS = ['Rocket Rides', 'Coffee Shop', 'Grocery Mart', 'Utility Co', 'Gas Station', 'Book Store', 'Airline', 'Payroll', 'Transfer from savings', 'Refund'];

/** Transactions as Stripe's list returns them: newest first, the newest two pending, the rest posted. */
function transactionsInMemory(count: number): Transaction[] {
  const accountId = `fca_benchwrite${randomBytes(6).toString('hex')}`;
  const refresh = `fctxnref_bench${randomBytes(6).toString('hex')}`;
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) => {
    const transactedAt = now - 600 * (i + 1);
    const pending = i < 2;
    return {
      id: `fctxn_${accountId.slice(4)}${i.toString(36).padStart(5, '0')}`,
      object: 'financial_connections.transaction',
      account: accountId,
      amount: i % 7 === 0 ? 1_000 + ((i * 7919) % 300_000) : -(100 + ((i * 104_729) % 20_000)),
      currency: 'usd',
      description: DESCRIPTIONS[i % DESCRIPTIONS.length] as string,
      livemode: false,
      status: pending ? 'pending' : 'posted',
      status_transitions: { posted_at: pending ? null : transactedAt + 3600, void_at: null },
      transacted_at: transactedAt,
      transaction_refresh: refresh,
      updated: now,
    };
  });
}

const copyText = (value: string | null): string =>
  value === null ? '\\N' : value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
const copyTime = (unixSeconds: number | null | undefined): string => (unixSeconds === null || unixSeconds === undefined ? '\\N' : new Date(unixSeconds * 1000).toISOString());

/** One COPY text line of fc_transactions' columns, from the transaction as it arrived. */
function copyLine(t: Transaction): string {
  return `${[
    copyText(t.id),
    copyText(t.account),
    String(t.amount),
    copyText(t.currency),
    copyText(t.description),
    copyText(t.status),
    copyTime(t.status_transitions?.posted_at),
    copyTime(t.status_transitions?.void_at),
    copyTime(t.transacted_at),
    copyText(t.transaction_refresh),
    copyTime(t.updated),
  ].join('\t')}\n`;
}

/** Serialising is timed with the COPY, as a real loader would pay for it; 1,000 lines per write. */
function* copyChunks(rows: Transaction[]): Generator<string> {
  for (let i = 0; i < rows.length; i += 1000) yield rows.slice(i, i + 1000).map(copyLine).join('');
}

async function timeCopy(pool: pg.Pool, rows: Transaction[]): Promise<number> {
  const client = await pool.connect();
  try {
    const started = performance.now();
    await pipeline(Readable.from(copyChunks(rows)), client.query(copyFrom(`COPY ${COPY_TABLE} (${COLUMNS.join(', ')}) FROM STDIN`)));
    return (performance.now() - started) / 1000;
  } finally {
    client.release();
  }
}

/** Pages of 100 through the product's upsert on the pool, one after another, as syncTransactions writes them. */
async function timeWrites(pool: pg.Pool, rows: Transaction[]): Promise<{ seconds: number; added: number }> {
  let added = 0;
  const started = performance.now();
  for (let i = 0; i < rows.length; i += PAGE) added += (await upsertTransactions(pool, rows.slice(i, i + PAGE))).added;
  return { seconds: (performance.now() - started) / 1000, added };
}

/** The per-page floor: each page of 100 as one plain INSERT of the upsert's own arrays, committed on its own. */
async function timePlainInserts(pool: pg.Pool, rows: Transaction[]): Promise<number> {
  const insert = `INSERT INTO ${PLAIN_TABLE} (${COLUMNS.join(', ')})
    SELECT u.id, u.account_id, u.amount, u.currency, u.description, u.status, to_timestamp(u.posted_at), to_timestamp(u.void_at),
           to_timestamp(u.transacted_at), u.transaction_refresh_id, to_timestamp(u.stripe_updated)
      FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[], $10::text[], $11::bigint[])
        AS u(${COLUMNS.join(', ')})`;
  const started = performance.now();
  for (let i = 0; i < rows.length; i += PAGE) await pool.query({ name: 'bench_plain_insert', text: insert, values: transactionColumns(rows.slice(i, i + PAGE)) });
  return (performance.now() - started) / 1000;
}

/** The write stage against COPY and against plain per-page INSERTs (Postgres only). */
export async function measureWriteStage(pool: pg.Pool, total: number): Promise<{ writeSeconds: number; copySeconds: number; plainInsertSeconds: number }> {
  const rows = transactionsInMemory(total);
  for (const table of [COPY_TABLE, PLAIN_TABLE]) await pool.query(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (LIKE fc_transactions INCLUDING ALL)`);
  let writeSeconds = 0;
  let copySeconds = 0;
  let plainInsertSeconds = 0;
  let added = 0;
  // The three take turns going first, block by block, so load from elsewhere falls on each alike.
  const sides = ['write', 'copy', 'plain'] as const;
  try {
    for (let start = 0, block = 0; start < rows.length; start += BLOCK, block++) {
      const slice = rows.slice(start, start + BLOCK);
      for (let turn = 0; turn < sides.length; turn++) {
        const side = sides[(block + turn) % sides.length];
        if (side === 'copy') copySeconds += await timeCopy(pool, slice);
        else if (side === 'plain') plainInsertSeconds += await timePlainInserts(pool, slice);
        else {
          const written = await timeWrites(pool, slice);
          writeSeconds += written.seconds;
          added += written.added;
        }
      }
    }
    const { rows: counted } = await pool.query<{ copied: number; inserted: number }>(
      `SELECT (SELECT count(*) FROM ${COPY_TABLE})::int AS copied, (SELECT count(*) FROM ${PLAIN_TABLE})::int AS inserted`,
    );
    const { copied, inserted } = counted[0] ?? {};
    if (added !== total || copied !== total || inserted !== total) throw new Error(`write stage added ${added}, COPY ${copied}, plain INSERT ${inserted}, expected ${total}`);
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${COPY_TABLE}; DROP TABLE IF EXISTS ${PLAIN_TABLE}`);
  }
  const rate = (seconds: number) => `${seconds.toFixed(2)} s (${Math.round(total / seconds)}/s)`;
  log(`ingest: write stage ${total} rows in ${rate(writeSeconds)}; COPY ${rate(copySeconds)}; plain INSERT per page ${rate(plainInsertSeconds)}`);
  return { writeSeconds, copySeconds, plainInsertSeconds };
}

/** Time from scheduling syncTransactions to its completion, summed over a run's history (retries included). */
export async function syncActivitySeconds(client: Client, workflowId: string, runId: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const scheduledAt = new Map<string, number>();
  let total = 0;
  for (const event of history.events ?? []) {
    const at = tsToMs(event.eventTime);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name === 'syncTransactions') scheduledAt.set(String(event.eventId), at);
    const completed = event.activityTaskCompletedEventAttributes;
    const from = completed ? scheduledAt.get(String(completed.scheduledEventId)) : undefined;
    if (from !== undefined) total += at - from;
  }
  return total / 1000;
}

/** The pagination floor: every page of the account's list, one after another, nothing written. */
async function timeListing(stripe: Stripe, accountId: string): Promise<{ seconds: number; rows: number; pages: number }> {
  let rows = 0;
  let pages = 0;
  const started = performance.now();
  for (let after: string | undefined; ; ) {
    const page = await stripe.financialConnections.transactions.list({ account: accountId, limit: PAGE, ...(after ? { starting_after: after } : {}) });
    rows += page.data.length;
    pages += 1;
    after = page.data.at(-1)?.id;
    if (!page.has_more || !after) break;
  }
  return { seconds: (performance.now() - started) / 1000, rows, pages };
}

/** First syncs end to end against listing the same pages, with the simulator's page latency on. */
export async function measureSyncAgainstPagination(stack: ProductStack, plan: IngestPlan): Promise<{ syncSeconds: number; floorSeconds: number; rows: number; pages: number }> {
  const ids = await linkAccounts(stack, plan.syncAccounts, { transactionCount: plan.transactionsPerAccount, newTransactionsPerRefresh: 0, updatesPerRefresh: 0, voidEvery: 0 });
  const control = stack.simulator.control;
  await control.setLatency([{ route: TRANSACTION_LIST, minMs: plan.pageLatencyMs, maxMs: plan.pageLatencyMs }]);
  let syncSeconds = 0;
  let floorSeconds = 0;
  let rows = 0;
  let pages = 0;
  try {
    for (const accountId of ids) {
      const { runId } = await runRefresh(stack.client, stack.taskQueue, accountId, 'transactions');
      syncSeconds += await syncActivitySeconds(stack.client, refreshWorkflowId('transactions', accountId), runId);
      const listed = await timeListing(stack.stripe, accountId);
      floorSeconds += listed.seconds;
      rows += listed.rows;
      pages += listed.pages;
      const { rows: stored } = await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM fc_transactions WHERE account_id = $1`, [accountId]);
      if (stored[0]?.n !== listed.rows || listed.rows !== plan.transactionsPerAccount) throw new Error(`${accountId}: synced ${stored[0]?.n}, listed ${listed.rows}, expected ${plan.transactionsPerAccount}`);
    }
  } finally {
    await control.setLatency([]);
  }
  log(`ingest: ${ids.length} first syncs of ${plan.transactionsPerAccount} rows (${pages} pages at ${plan.pageLatencyMs} ms): ${syncSeconds.toFixed(2)} s in syncTransactions, ${floorSeconds.toFixed(2)} s listing alone`);
  return { syncSeconds, floorSeconds, rows, pages };
}

export async function measureTransactionIngest(stack: ProductStack, plan: IngestPlan): Promise<{ result: IngestResult; detail: IngestDetail }> {
  const { writeSeconds, copySeconds, plainInsertSeconds } = await measureWriteStage(stack.pool, plan.writeRows);
  const sync = await measureSyncAgainstPagination(stack, plan);
  const firstSync = await measureFirstSync(stack, plan.firstSync);
  const writeRowsPerSec = plan.writeRows / writeSeconds;
  const copyRowsPerSec = plan.writeRows / copySeconds;
  const endToEndRowsPerSec = sync.rows / sync.syncSeconds;
  const paginationFloorRowsPerSec = sync.rows / sync.floorSeconds;
  return {
    result: {
      writeRowsPerSec: Math.round(writeRowsPerSec),
      copyRowsPerSec: Math.round(copyRowsPerSec),
      writeRatioToCopy: round(writeRowsPerSec / copyRowsPerSec, 3),
      plainInsertRowsPerSec: Math.round(plan.writeRows / plainInsertSeconds),
      plainInsertRatioToCopy: round(copySeconds / plainInsertSeconds, 3),
      endToEndRowsPerSec: Math.round(endToEndRowsPerSec),
      paginationFloorRowsPerSec: Math.round(paginationFloorRowsPerSec),
      endToEndRatio: round(endToEndRowsPerSec / paginationFloorRowsPerSec, 3),
      ...firstSync.result,
    },
    detail: { ...plan, firstSync: firstSync.detail, blockRows: Math.min(BLOCK, plan.writeRows), writeSeconds: round(writeSeconds, 2), copySeconds: round(copySeconds, 2), plainInsertSeconds: round(plainInsertSeconds, 2), syncSeconds: round(sync.syncSeconds, 2), floorSeconds: round(sync.floorSeconds, 2), pages: sync.pages },
  };
}

const n = (value: number): string => value.toLocaleString('en-US');

/** Figure 3's row and note in results.md. */
export function ingestMarkdown(i: IngestResult, d: IngestDetail, measured: string): { row: string; note: string } {
  const f = d.firstSync;
  return {
    row: `| 3. transaction ingest: write stage, ${n(d.writeRows)} rows in pages of 100; first syncs of ${d.syncAccounts} × ${n(d.transactionsPerAccount)} rows, ${d.pageLatencyMs} ms a page | write stage ${n(i.writeRowsPerSec)} rows/s; sync end to end ${n(i.endToEndRowsPerSec)} rows/s | COPY ${n(i.copyRowsPerSec)} rows/s (plain INSERT per page ${n(i.plainInsertRowsPerSec)} rows/s, ${i.plainInsertRatioToCopy} of COPY); pagination floor ${n(i.paginationFloorRowsPerSec)} rows/s | ${i.writeRatioToCopy} of COPY; ${i.endToEndRatio} of the floor |\n| 3b. first sync of one account with ${n(f.transactions)} transactions, ${f.pageLatencyMs} ms a page, ${f.requestsPerSecond} Stripe requests/s | ${f.ranges} \`transacted_at\` ranges side by side: ${n(i.parallelFirstSyncRowsPerSec)} rows/s (${f.parallelSeconds} s) | sequential: ${n(i.sequentialFirstSyncRowsPerSec)} rows/s (${f.sequentialSeconds} s) | ${i.parallelSpeedup}× |`,
    note:
      `- 3 (${measured}): the write stage is upsertTransactions (the page upsert of syncTransactions, a named prepared statement, with the change feed's triggers) on the pool, one page of 100 rows and one commit after another, rows generated in memory as Stripe lists them (${n(d.writeRows)} new rows: ${d.writeSeconds} s); COPY writes the same rows into a table LIKE fc_transactions (indexes, no triggers) in ${d.copySeconds} s, serialising included; the per-page floor inserts the same pages, the upsert's very arrays, with a plain INSERT (no ON CONFLICT, no triggers, one commit a page) into another such table in ${d.plainInsertSeconds} s: no statement-per-page writer does better, so it bounds what the upsert can reach against COPY. The three take turns going first in blocks of ${n(d.blockRows)} rows. ` +
      `The sync end to end is syncTransactions from scheduling to completion in a transactions refresh (first sync: list, upsert each page while the next is fetched, heartbeat, settle and advance the cursor with the last page): ${d.syncSeconds} s for ${d.syncAccounts} × ${d.pages / d.syncAccounts} pages; the floor lists the same pages with the same Stripe client and writes nothing: ${d.floorSeconds} s. The simulator answered every transaction list request after ${d.pageLatencyMs} ms. ` +
      `3b: one new account each, synced through a refresh on workers of their own with FC_FIRST_SYNC_RANGES=1 and =${f.ranges}, each pacing its Stripe requests with its own fleet budget at ${f.requestsPerSecond}/s (the shipped STRIPE_MAX_REQUESTS_PER_SECOND); time in syncTransactions; ${n(f.sequentialListCalls)} list calls sequential, ${n(f.parallelListCalls)} in ranges (the boundary probes and each range's own last page on top).`,
  };
}

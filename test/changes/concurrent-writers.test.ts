import { setTimeout as sleep } from 'node:timers/promises';
import type Stripe from 'stripe';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ChangeFeed } from '../../client/change-feed';
import { registerConsumer } from '../../client/consumers';
import { decodeChangeCursor } from '../../common/change-cursor';
import { upsertAccountSnapshot } from '../../db/queries/accounts';
import { runRefresh } from '../helpers/refresh';
import { startStack, type Stack } from '../helpers/stack';
import { runDailySync, settleTransactionRefreshes } from '../helpers/sync';
import { drain, expectContiguous } from './feed-helpers';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

/** A consumer polling with small pages while writers run; every seq it was handed, in the order it was handed. */
function tail(consumer: string, from: string) {
  const feed = new ChangeFeed(stack.pool);
  const seen: number[] = [];
  let stop = false;
  const done = (async () => {
    let cursor = from;
    for (;;) {
      // Read before the sync: once writers are done, one whole sync must start after that to see their last commit.
      const stopping = stop;
      const page = await feed.sync({ consumer, cursor, limit: 7 });
      seen.push(...page.changes.map((change) => change.seq));
      cursor = page.nextCursor;
      if (!page.hasMore) {
        if (stopping) return cursor;
        await sleep(5);
      }
    }
  })();
  return { seen, finish: async () => ((stop = true), done) };
}

const insertTransactions = (accountId: string, ids: string[]) =>
  `INSERT INTO fc_transactions (id, account_id, amount, currency, status, transacted_at, transaction_refresh_id, stripe_updated)
   SELECT id, '${accountId}', -100, 'usd', 'pending', now(), 'fctxnref_w', now() FROM unnest(ARRAY[${ids.map((id) => `'${id}'`).join(',')}]) AS id`;

test('a transaction holding sequence numbers makes later writers wait: nothing is visible out of order', async () => {
  const feed = new ChangeFeed(stack.pool);
  await registerConsumer(stack.pool, { name: 'order', fromNow: true });
  const head = await feed.head();
  const first = await stack.pool.connect();
  try {
    await first.query('BEGIN');
    await first.query(insertTransactions('fca_orderA', ['fctxn_oa1', 'fctxn_oa2']));
    // A second writer commits "after" the first took its numbers: with a plain sequence it would be visible first.
    let secondDone = false;
    const second = stack.pool.query(insertTransactions('fca_orderB', ['fctxn_ob1'])).then(() => (secondDone = true));
    await sleep(300);
    expect(secondDone).toBe(false);
    expect((await feed.sync({ consumer: 'order', cursor: head })).changes).toEqual([]);
    await first.query('COMMIT');
    await second;
  } finally {
    first.release();
  }
  const { changes } = await drain(stack.pool, { consumer: 'order', cursor: head });
  expect(changes.map((change) => ('transactionId' in change ? change.transactionId : ''))).toEqual(['fctxn_oa1', 'fctxn_oa2', 'fctxn_ob1']);
  expect(expectContiguous(changes.map((change) => change.seq), (decodeChangeCursor(head) ?? 0) + 1)).toBe(true);
});

test('eight writers committing with random delays: a tailing consumer sees every seq once, in order, no gap', async () => {
  const feed = new ChangeFeed(stack.pool);
  await registerConsumer(stack.pool, { name: 'tail', fromNow: true });
  const head = await feed.head();
  const reader = tail('tail', head);
  const WRITERS = 8;
  const COMMITS = 20;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      const client = await stack.pool.connect();
      try {
        for (let commit = 0; commit < COMMITS; commit++) {
          await client.query('BEGIN');
          await client.query(insertTransactions(`fca_writer${writer}`, [0, 1, 2].map((n) => `fctxn_w${writer}_${commit}_${n}`)));
          await sleep(Math.random() * 10);
          await client.query('COMMIT');
        }
      } finally {
        client.release();
      }
    }),
  );
  await reader.finish();
  expect(reader.seen).toHaveLength(WRITERS * COMMITS * 3);
  expect(expectContiguous(reader.seen, (decodeChangeCursor(head) ?? 0) + 1)).toBe(true);
});

test('the daily sync and webhook-started syncs running together: one gapless, ordered sequence with each transaction added once', async () => {
  await stack.simulator.setWebhookEndpoint({ url: null });
  const accounts = await Promise.all(Array.from({ length: 8 }, () => stack.simulator.createAccount({ transactionCount: 150, newTransactionsPerRefresh: 40, updatesPerRefresh: 10 })));
  await Promise.all(accounts.map((account) => upsertAccountSnapshot(stack.pool, account as unknown as Stripe.FinancialConnections.Account, new Date())));
  await stack.simulator.waitForWebhooksIdle({ timeoutMs: 10_000 });
  await stack.simulator.setWebhookEndpoint({ url: stack.webhookUrl, secret: stack.webhookSecret });

  const feed = new ChangeFeed(stack.pool);
  await registerConsumer(stack.pool, { name: 'mixed', fromNow: true });
  const head = await feed.head();
  const reader = tail('mixed', head);
  await Promise.all([
    runDailySync(stack, { concurrency: 4, pageSize: 3 }),
    ...accounts.slice(0, 4).map(async (account) => {
      await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions');
      await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions');
    }),
  ]);
  for (const account of accounts) await settleTransactionRefreshes(stack, account.id);
  await reader.finish();

  expect(expectContiguous(reader.seen, (decodeChangeCursor(head) ?? 0) + 1)).toBe(true);
  const { changes } = await drain(stack.pool, { consumer: 'mixed', cursor: head });
  expect(changes.map((change) => change.seq)).toEqual(reader.seen);
  const added = changes.flatMap((change) => (change.kind === 'transaction.added' ? [change.transactionId] : []));
  const { rows } = await stack.pool.query<{ id: string }>(`SELECT id FROM fc_transactions WHERE account_id = ANY($1)`, [accounts.map((account) => account.id)]);
  expect(added.sort()).toEqual(rows.map((row) => row.id).sort());
});

// Property: whatever order Stripe delivers the events of several refreshes in (delayed, duplicated, reordered,
// concurrent), the stored state ends equal to the newest refresh's data, for every feature.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type Stripe from 'stripe';
import type { Feature } from '../../common/features';
import { refreshWorkflowId } from '../../common/workflow-ids';
import { startStack, type Stack } from '../helpers/stack';
import { capturedEvent, deliver, refreshAtStripe, type CapturedEvent } from './deliveries';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

/** A small seeded generator (mulberry32), so a failing interleaving can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Each event once or twice, in a shuffled order, sent in waves of up to three concurrent deliveries. */
async function deliverInterleaved(events: CapturedEvent[], next: () => number): Promise<void> {
  const sends = events.flatMap((event) => (next() < 0.5 ? [event, event] : [event]));
  for (let i = sends.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [sends[i], sends[j]] = [sends[j] as CapturedEvent, sends[i] as CapturedEvent];
  }
  while (sends.length > 0) {
    const wave = sends.splice(0, 1 + Math.floor(next() * 3));
    const responses = await Promise.all(wave.map((event) => deliver(stack, event)));
    expect(responses.map((response) => response.status)).toEqual(wave.map(() => 200));
  }
}

/** Waits until no refresh workflow of the account and feature is running. */
async function settled(feature: Feature, accountId: string): Promise<void> {
  await stack.client.workflow.getHandle(refreshWorkflowId(feature, accountId)).result().catch(() => undefined);
}

async function storedState(feature: Feature, accountId: string): Promise<unknown> {
  if (feature === 'balance') {
    const { rows } = await stack.pool.query('SELECT extract(epoch FROM balance_as_of)::int AS as_of FROM fc_accounts WHERE id = $1', [accountId]);
    return rows[0]?.as_of;
  }
  if (feature === 'ownership') {
    const { rows } = await stack.pool.query('SELECT ownership_id FROM fc_accounts WHERE id = $1', [accountId]);
    return rows[0]?.ownership_id;
  }
  const cursor = await stack.pool.query('SELECT transaction_refresh_id FROM fc_transaction_cursors WHERE account_id = $1', [accountId]);
  const rows = await stack.pool.query('SELECT id, status, amount FROM fc_transactions WHERE account_id = $1 ORDER BY id COLLATE "C"', [accountId]);
  return { cursor: cursor.rows[0]?.transaction_refresh_id, rows: rows.rows };
}

async function newestTruth(feature: Feature, account: Stripe.FinancialConnections.Account): Promise<unknown> {
  if (feature === 'balance') return account.balance?.as_of;
  if (feature === 'ownership') return account.ownership;
  const truth = await stack.simulator.groundTruth(account.id);
  const rows = truth.transactions
    .map((transaction) => ({ id: transaction.id, status: transaction.status, amount: transaction.amount }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  return { cursor: account.transaction_refresh?.id, rows };
}

const FEATURES: Feature[] = ['balance', 'ownership', 'transactions'];
const SEEDS = [11, 23, 37];

test.each(FEATURES.flatMap((feature) => SEEDS.map((seed) => ({ feature, seed }))))(
  '$feature, seed $seed: the newest refresh wins whatever the delivery order',
  async ({ feature, seed }) => {
    const next = random(seed);
    const account = await stack.simulator.createAccount({
      ownerCount: 2,
      transactionCount: 15,
      newTransactionsPerRefresh: 4,
      updatesPerRefresh: 2,
      voidEvery: 3,
      subscriptions: [],
    });
    await stack.simulator.dropWebhooks({ accountId: account.id, forMs: 120_000 });
    const refreshes = 2 + Math.floor(next() * 3);
    const events: CapturedEvent[] = [];
    let newest: Stripe.FinancialConnections.Account | undefined;
    for (let i = 0; i < refreshes; i++) {
      await stack.simulator.updateAccount(account.id, {
        balance: { current: { usd: 1_000 + i }, available: { usd: 900 + i } },
        owners: [{ name: `Owner ${seed}-${i}` }],
      });
      newest = await refreshAtStripe(stack, account.id, feature);
      events.push(capturedEvent(newest, feature));
    }
    await stack.simulator.clearWebhookDrops();

    await deliverInterleaved(events, next);
    await settled(feature, account.id);

    if (!newest) throw new Error('no refresh ran');
    expect(await storedState(feature, account.id)).toEqual(await newestTruth(feature, newest));
  },
);

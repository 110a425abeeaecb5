import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ChangeFeed } from '../../client/change-feed';
import type { Change } from '../../client/change-types';
import { registerConsumer } from '../../client/consumers';
import { decodeChangeCursor, encodeChangeCursor } from '../../common/change-cursor';
import { refreshWorkflowId } from '../../common/workflow-ids';
import { runRefresh } from '../helpers/refresh';
import { startStack, type Stack } from '../helpers/stack';
import { signatureFor, deliver } from '../webhooks/support/stripe-events';
import { drain, expectContiguous, seqs } from './feed-helpers';

let stack: Stack;

/**
 * Until the refresh's webhooks are delivered and any run they started has ended: a request made meanwhile would join
 * a webhook-started run settling the previous refresh (USE_EXISTING) instead of starting a new one.
 */
async function refreshEnded(feature: 'transactions', accountId: string): Promise<void> {
  await stack.simulator.waitForWebhooksIdle({ timeoutMs: 30_000 });
  await stack.client.workflow.getHandle(refreshWorkflowId(feature, accountId)).result().catch(() => undefined);
}
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const idsOf = (changes: Change[]): string[] => changes.map((change) => ('transactionId' in change ? change.transactionId : change.accountId)).sort();

test('two consumers see a full sync, then 50 added, 20 posted, 5 voided, a balance and an ownership change: each once, in commit order', async () => {
  const account = await stack.simulator.createAccount({
    transactionCount: 10,
    newTransactionsPerRefresh: 0,
    updatesPerRefresh: 0,
    voidEvery: 0,
    balance: { current: { usd: 100_000 }, available: { usd: 90_000 } },
    owners: [{ name: 'Ada Lovelace', email: 'ada@example.org' }],
  });
  await registerConsumer(stack.pool, { name: 'ledger' });
  await registerConsumer(stack.pool, { name: 'risk' });
  for (const feature of ['balance', 'ownership', 'transactions'] as const) expect((await runRefresh(stack.client, stack.taskQueue, account.id, feature)).outcome).toBe('succeeded');

  const initial = await drain(stack.pool, { consumer: 'ledger', accountId: account.id });
  expect(initial.changes.map((change) => change.kind).sort()).toEqual(
    ['account.status_changed', 'balance.changed', 'ownership.changed', ...Array<string>(10).fill('transaction.added')].sort(),
  );

  const before = new Map((await stack.simulator.groundTruth(account.id)).transactions.map((t) => [t.id, t.status]));
  await stack.simulator.updateAccount(account.id, { newTransactionsPerRefresh: 50 });
  await refreshEnded('transactions', account.id);
  const adding = await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions');
  expect(adding.stored.transactionsAdded, JSON.stringify(adding)).toBe(50);
  const pendingBeforeSettling = new Set((await stack.simulator.groundTruth(account.id)).transactions.filter((t) => t.status === 'pending').map((t) => t.id));
  await stack.simulator.updateAccount(account.id, { newTransactionsPerRefresh: 0, updatesPerRefresh: 25, voidEvery: 5 });
  await refreshEnded('transactions', account.id);
  const settling = await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions');
  expect(settling.stored.transactionsUpdated, JSON.stringify(settling)).toBe(25);
  await stack.simulator.updateAccount(account.id, { balance: { current: { usd: 120_000 }, available: { usd: 95_000 } } });
  await runRefresh(stack.client, stack.taskQueue, account.id, 'balance');
  await stack.simulator.updateAccount(account.id, { owners: [{ name: 'Ada Lovelace', email: 'ada@example.org' }, { name: 'Charles Babbage' }] });
  await runRefresh(stack.client, stack.taskQueue, account.id, 'ownership');

  const truth = await stack.simulator.groundTruth(account.id);
  const added = truth.transactions.filter((t) => !before.has(t.id)).map((t) => t.id).sort();
  const settled = truth.transactions.filter((t) => pendingBeforeSettling.has(t.id) && t.status !== 'pending');
  const voided = settled.filter((t) => t.status === 'void').map((t) => t.id).sort();
  const postedNow = settled.filter((t) => t.status === 'posted').map((t) => t.id).sort();
  expect(added).toHaveLength(50);
  expect(voided).toHaveLength(5);
  expect(postedNow).toHaveLength(20);

  const next = await drain(stack.pool, { consumer: 'ledger', cursor: initial.cursor, limit: 9 });
  const byKind = (kind: Change['kind']) => next.changes.filter((change) => change.kind === kind);
  expect(idsOf(byKind('transaction.added'))).toEqual(added);
  expect(idsOf(byKind('transaction.modified'))).toEqual(postedNow);
  expect(idsOf(byKind('transaction.removed'))).toEqual(voided);
  for (const change of byKind('transaction.modified')) {
    expect(change).toMatchObject({ transaction: { status: 'posted' }, previous: { status: 'pending', postedAt: null } });
  }
  const [balance] = byKind('balance.changed');
  expect(byKind('balance.changed')).toHaveLength(1);
  expect(balance).toMatchObject({ balance: { usd: { current: 120_000, cashAvailable: 95_000 } }, previous: { usd: { current: 100_000, cashAvailable: 90_000 } } });
  expect(balance && 'changed' in balance ? balance.changed : []).toEqual(['usd.cashAvailable', 'usd.current']);
  const ownership = byKind('ownership.changed');
  expect(ownership).toHaveLength(1);
  expect(ownership[0]).toMatchObject({ ownershipId: truth.ownership?.id, owners: 2, ownersRemoved: [] });
  expect(ownership[0] && 'ownersAdded' in ownership[0] ? ownership[0].ownersAdded : []).toHaveLength(1);
  expect(byKind('account.status_changed')).toHaveLength(0);
  expect(next.changes).toHaveLength(50 + 20 + 5 + 2);
  // Commit order: the refresh that added 50 committed before the one that settled 25, then balance, then ownership.
  const kinds = next.changes.map((change) => change.kind);
  expect(kinds.lastIndexOf('transaction.added')).toBeLessThan(kinds.indexOf('transaction.modified'));
  expect(kinds.indexOf('balance.changed')).toBeLessThan(kinds.indexOf('ownership.changed'));
  const all = [...initial.changes, ...next.changes];
  expect(expectContiguous(seqs(all), all[0]?.seq ?? 0)).toBe(true);

  // The second consumer, with its own cursor and another page size, sees the same changes in the same order.
  const risk = await drain(stack.pool, { consumer: 'risk', accountId: account.id, limit: 7 });
  expect(seqs(risk.changes)).toEqual(seqs(all));
  const ledgerState = await stack.pool.query(`SELECT name, cursor_seq FROM fc_consumers ORDER BY name`);
  expect(ledgerState.rows.map((row) => row.name)).toEqual(['ledger', 'risk']);

  // Nothing new: syncing again from the end returns nothing.
  const again = await new ChangeFeed(stack.pool).sync({ consumer: 'ledger', cursor: next.cursor, accountId: account.id });
  expect(again.changes).toEqual([]);
});

test('stale and duplicate Stripe events write no change rows', async () => {
  // The history's two newest transactions are pending; the second refresh settles both (one posted, one voided).
  const account = await stack.simulator.createAccount({ transactionCount: 30, newTransactionsPerRefresh: 5, updatesPerRefresh: 2, voidEvery: 2 });
  await registerConsumer(stack.pool, { name: 'dedupe' });
  await stack.simulator.setWebhookFaults({ duplicateRate: 1, staleResendRate: 1, reorder: true, reorderWindowMs: 200, seed: 11 });
  try {
    await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions');
    await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions');
    await runRefresh(stack.client, stack.taskQueue, account.id, 'balance');
    await stack.simulator.waitForWebhooksIdle({ timeoutMs: 20_000 });
    await expect.poll(async () => {
      const { rows } = await stack.pool.query(`SELECT count(*)::int AS n FROM fc_refreshes WHERE account_id = $1 AND completed_at IS NULL`, [account.id]);
      return rows[0].n;
    }, { timeout: 20_000 }).toBe(0);
  } finally {
    await stack.simulator.setWebhookFaults({});
  }
  expect((await stack.simulator.counters()).webhooks.duplicated).toBeGreaterThan(0);
  const truth = await stack.simulator.groundTruth(account.id);
  const { changes } = await drain(stack.pool, { consumer: 'dedupe', accountId: account.id });
  const added = changes.filter((change) => change.kind === 'transaction.added');
  expect(idsOf(added)).toEqual(truth.transactions.map((t) => t.id).sort());
  expect(changes.filter((change) => change.kind === 'transaction.modified' || change.kind === 'transaction.removed').map((change) => change.kind).sort()).toEqual(['transaction.modified', 'transaction.removed']);
  expect(changes.filter((change) => change.kind === 'balance.changed')).toHaveLength(1);

  // A real lifecycle event, then the same event again and an older one: one status change only.
  const head = await new ChangeFeed(stack.pool).head();
  await stack.simulator.deactivateAccount(account.id);
  await stack.simulator.waitForWebhooksIdle({ timeoutMs: 10_000 });
  const { rows } = await stack.pool.query<{ payload: { created: number; data: { object: Record<string, unknown> } } }>(
    `SELECT payload FROM stripe_events WHERE account_id = $1 AND type = 'financial_connections.account.deactivated'`,
    [account.id],
  );
  const deactivated = rows[0]?.payload;
  if (!deactivated) throw new Error('deactivated event not stored');
  const duplicate = JSON.stringify(deactivated);
  expect((await deliver(stack.webhookUrl.replace('/webhooks/stripe', ''), duplicate, signatureFor(duplicate, { secret: stack.webhookSecret }))).status).toBe(200);
  const stale = JSON.stringify({
    ...deactivated,
    id: 'evt_stale_reactivation',
    type: 'financial_connections.account.reactivated',
    created: deactivated.created - 60,
    data: { object: { ...deactivated.data.object, status: 'active' } },
  });
  expect((await deliver(stack.webhookUrl.replace('/webhooks/stripe', ''), stale, signatureFor(stale, { secret: stack.webhookSecret }))).status).toBe(200);
  const after = await drain(stack.pool, { consumer: 'dedupe', cursor: head, accountId: account.id });
  expect(after.changes.map((change) => change.kind)).toEqual(['account.status_changed']);
  expect(after.changes[0]).toMatchObject({ status: 'inactive', previousStatus: 'active' });
});

const launcher = fileURLToPath(new URL('../../bin/fc-refresh.mjs', import.meta.url));

test('a consumer killed mid-page resumes from the last cursor it printed: nothing lost, nothing repeated', async () => {
  const account = await stack.simulator.createAccount({ transactionCount: 120 });
  await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions');
  await registerConsumer(stack.pool, { name: 'crashy' });
  const expected = seqs((await drain(stack.pool, { consumer: 'crashy', accountId: account.id })).changes);
  const first = expected[0];
  if (first === undefined) throw new Error('no changes');
  const start = encodeChangeCursor(first - 1);

  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: stack.databaseUrl };
  const received: { seq: number; cursor: string }[] = [];
  const run = (args: string[], stopAfter: number | null) =>
    new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [launcher, 'changes', '--consumer', 'crashy', '--account', account.id, '--json', '--limit', '25', ...args], { env });
      createInterface({ input: child.stdout }).on('line', (line) => {
        const parsed = JSON.parse(line) as { seq?: number; cursor: string };
        if (parsed.seq === undefined) return;
        received.push({ seq: parsed.seq, cursor: parsed.cursor });
        // SIGKILL in the middle of the second page: no chance to acknowledge anything.
        if (stopAfter !== null && received.length === stopAfter) child.kill('SIGKILL');
      });
      child.on('close', () => resolve());
    });
  await run(['--cursor', start], 37);
  const killedAt = received.length;
  const last = received.at(-1);
  if (!last) throw new Error('nothing printed before the kill');
  const kept = received.length;
  await run(['--cursor', last.cursor], null);
  expect(killedAt).toBeGreaterThanOrEqual(37);
  expect(kept).toBeLessThan(expected.length);
  expect(received.map((change) => change.seq)).toEqual(expected);
});

test('cursors are opaque but checked', () => {
  expect(decodeChangeCursor(encodeChangeCursor(42))).toBe(42);
  expect(decodeChangeCursor('not a cursor!')).toBeNull();
  expect(decodeChangeCursor(Buffer.from('other:42').toString('base64url'))).toBeNull();
});

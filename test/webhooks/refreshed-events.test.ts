import { WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, test } from 'vitest';
import { createReportEventBalance, createStoreBalance } from '../../activities/store-balance';
import { FC_ACCOUNT_ID, FC_FEATURE, FC_REFRESH_STATUS } from '../../common/search-attributes';
import { refreshWorkflowId } from '../../common/workflow-ids';
import { REFRESH_WORKFLOW_TYPE } from '../../common/workflow-types';
import { claimEvent } from '../../db/queries/events';
import { receivedQuery } from './fixtures/workflows';
import { uniqueAccountId } from './support/fixture-worker';
import { useWebhookTestBed } from './support/test-bed';
import { deliver, fcAccount, signatureFor, stripe, stripeEvent } from './support/stripe-events';

const bed = useWebhookTestBed();

async function storedEvent(id: string) {
  const { rows } = await bed.pool.query<{ processed_at: Date | null; deliveries: number; account_id: string | null }>(
    'SELECT processed_at, deliveries, account_id FROM stripe_events WHERE id = $1',
    [id],
  );
  return rows[0];
}

describe('refreshed_* webhooks reach the refresh workflow by signal-with-start', () => {
  test('with no workflow running (Stripe refreshed a subscribed account), one is started and signalled', async () => {
    const accountId = uniqueAccountId();
    const event = stripeEvent('financial_connections.account.refreshed_balance', fcAccount(accountId));

    const response = await deliver(bed.baseUrl, event.payload, signatureFor(event.payload));

    expect(response).toEqual({ status: 200, body: { received: true } });
    const handle = bed.client.workflow.getHandle(refreshWorkflowId('balance', accountId));
    const received = await handle.query(receivedQuery);
    expect(received.input).toEqual({ accountId, feature: 'balance', trigger: 'webhook' });
    // Counts, ids and timestamps only: the balance in the event never enters workflow history.
    expect(received.signals).toEqual([
      { eventId: event.id, eventCreated: event.created, refresh: { status: 'succeeded', lastAttemptedAt: 1_700_000_000, nextRefreshAvailableAt: 1_700_003_600, id: null } },
    ]);
    const execution = await handle.describe();
    expect(execution.typedSearchAttributes.get(FC_ACCOUNT_ID)).toBe(accountId);
    expect(execution.typedSearchAttributes.get(FC_FEATURE)).toBe('balance');
    expect(execution.typedSearchAttributes.get(FC_REFRESH_STATUS)).toBe('checking');
    expect(await storedEvent(event.id)).toMatchObject({ deliveries: 1, account_id: accountId, processed_at: expect.any(Date) });
  });

  test('a redelivered event is acknowledged as a duplicate and signalled only once', async () => {
    const accountId = uniqueAccountId();
    const event = stripeEvent('financial_connections.account.refreshed_ownership', fcAccount(accountId));

    const first = await deliver(bed.baseUrl, event.payload, signatureFor(event.payload));
    const second = await deliver(bed.baseUrl, event.payload, signatureFor(event.payload));

    expect(first).toEqual({ status: 200, body: { received: true } });
    expect(second).toEqual({ status: 200, body: { received: true, duplicate: true } });
    const received = await bed.client.workflow.getHandle(refreshWorkflowId('ownership', accountId)).query(receivedQuery);
    expect(received.signals.map((signal) => signal.eventId)).toEqual([event.id]);
    expect(await storedEvent(event.id)).toMatchObject({ deliveries: 2 });
  });

  test('while a requested refresh is running, the event signals that run instead of starting another', async () => {
    const accountId = uniqueAccountId();
    const workflowId = refreshWorkflowId('transactions', accountId);
    const running = await bed.client.workflow.start(REFRESH_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: bed.taskQueue,
      args: [{ accountId, feature: 'transactions', trigger: 'request' }],
    });
    const event = stripeEvent('financial_connections.account.refreshed_transactions', fcAccount(accountId));

    const response = await deliver(bed.baseUrl, event.payload, signatureFor(event.payload));

    expect(response.status).toBe(200);
    const handle = bed.client.workflow.getHandle(workflowId);
    expect((await handle.describe()).runId).toBe(running.firstExecutionRunId);
    const received = await handle.query(receivedQuery);
    expect(received.input.trigger).toBe('request');
    expect(received.signals).toEqual([
      { eventId: event.id, eventCreated: event.created, refresh: { status: 'succeeded', lastAttemptedAt: 1_700_000_000, nextRefreshAvailableAt: 1_700_003_600, id: 'fctxnref_123' } },
    ]);
  });

  test('a refresh still pending is recorded and acknowledged without a signal', async () => {
    const accountId = uniqueAccountId();
    const pending = { status: 'pending', last_attempted_at: 1_700_000_000, next_refresh_available_at: null };
    const event = stripeEvent('financial_connections.account.refreshed_balance', fcAccount(accountId, { balance_refresh: pending }));

    const response = await deliver(bed.baseUrl, event.payload, signatureFor(event.payload));

    expect(response).toEqual({ status: 200, body: { received: true } });
    await expect(bed.client.workflow.getHandle(refreshWorkflowId('balance', accountId)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(await storedEvent(event.id)).toMatchObject({ processed_at: expect.any(Date) });
  });

  test('a succeeded refreshed_balance event has its balance committed before the 200; a late event of an older refresh stores nothing', async () => {
    const accountId = uniqueAccountId();
    const balanceOf = async () =>
      (await bed.pool.query<{ as_of: Date; current: string }>(
        `SELECT b.as_of, b.current FROM fc_accounts a JOIN fc_balances b ON b.account_id = a.id AND b.as_of = a.balance_as_of WHERE a.id = $1`,
        [accountId],
      )).rows.map((row) => ({ asOf: row.as_of.getTime() / 1000, current: Number(row.current) }));
    const settler = async () =>
      (await bed.pool.query<{ settled_by: string }>(`SELECT settled_by FROM fc_feature_state WHERE account_id = $1 AND feature = 'balance'`, [accountId])).rows[0]?.settled_by;
    const newer = stripeEvent('financial_connections.account.refreshed_balance', fcAccount(accountId, {
      balance: { as_of: 1_700_000_500, cash: { available: { usd: 900 } }, current: { usd: 900 }, type: 'cash' },
      balance_refresh: { status: 'succeeded', last_attempted_at: 1_700_000_500, next_refresh_available_at: 1_700_004_100 },
    }));

    expect((await deliver(bed.baseUrl, newer.payload, signatureFor(newer.payload))).status).toBe(200);
    expect(await balanceOf()).toEqual([{ asOf: 1_700_000_500, current: 900 }]);
    expect(await settler()).toBe(`event/${newer.id}`);

    // Stripe does not order its deliveries: the older refresh's event arrives last and changes nothing.
    const older = stripeEvent('financial_connections.account.refreshed_balance', fcAccount(accountId), { created: newer.created - 60 });
    expect((await deliver(bed.baseUrl, older.payload, signatureFor(older.payload))).status).toBe(200);
    expect(await balanceOf()).toEqual([{ asOf: 1_700_000_500, current: 900 }]);
    expect(await settler()).toBe(`event/${newer.id}`);
  });

  test(`the workflow's store reports a balance the receiver stored without writing it again, and stores one the receiver did not`, async () => {
    const accountId = uniqueAccountId();
    // An event's balance is settled under the event's name, which needs no activity context: called as a function.
    const storeBalance = createStoreBalance({ stripe, pool: bed.pool });
    const settled = async () =>
      (await bed.pool.query<{ settled_by: string; settled_at: Date }>(`SELECT settled_by, settled_at FROM fc_feature_state WHERE account_id = $1 AND feature = 'balance'`, [accountId])).rows[0];
    const delivered = stripeEvent('financial_connections.account.refreshed_balance', fcAccount(accountId));
    expect((await deliver(bed.baseUrl, delivered.payload, signatureFor(delivered.payload))).status).toBe(200);
    const byReceiver = await settled();

    expect(await storeBalance({ accountId, eventId: delivered.id })).toEqual({ verdict: 'applied', currencies: 1, asOf: 1_700_000_000, source: 'event' });
    expect(await settled()).toEqual(byReceiver); // reported, not written again

    // A newer refresh's event recorded by a receiver whose write failed after it signalled: the workflow stores it.
    const newer = stripeEvent('financial_connections.account.refreshed_balance', fcAccount(accountId, {
      balance: { as_of: 1_700_000_500, cash: { available: { usd: 900 } }, current: { usd: 900, eur: 5 }, type: 'cash' },
      balance_refresh: { status: 'succeeded', last_attempted_at: 1_700_000_500, next_refresh_available_at: 1_700_004_100 },
    }));
    await claimEvent(bed.pool, { id: newer.id, type: 'financial_connections.account.refreshed_balance', accountId, created: newer.created, livemode: false, payload: JSON.parse(newer.payload) }, 1_000);
    expect(await storeBalance({ accountId, eventId: newer.id })).toEqual({ verdict: 'applied', currencies: 2, asOf: 1_700_000_500, source: 'event' });
    expect((await settled())?.settled_by).toBe(`event/${newer.id}`);

    // The older event's run, late: a newer refresh is settled, so it stores nothing.
    expect(await storeBalance({ accountId, eventId: delivered.id })).toMatchObject({ verdict: 'stale', source: 'event' });
  });

  test(`the workflow's local first look reports only a balance the receiver settled under the event's name`, async () => {
    const accountId = uniqueAccountId();
    const reportEventBalance = createReportEventBalance({ pool: bed.pool });
    const delivered = stripeEvent('financial_connections.account.refreshed_balance', fcAccount(accountId));
    expect((await deliver(bed.baseUrl, delivered.payload, signatureFor(delivered.payload))).status).toBe(200);
    expect(await reportEventBalance({ eventId: delivered.id })).toEqual({ verdict: 'applied', currencies: 1, asOf: 1_700_000_000, source: 'event' });

    // Recorded, not stored by the receiver (its write failed after it signalled): nothing to report, storeBalance stores it.
    const recorded = stripeEvent('financial_connections.account.refreshed_balance', fcAccount(accountId, {
      balance: { as_of: 1_700_000_500, cash: { available: { usd: 900 } }, current: { usd: 900 }, type: 'cash' },
      balance_refresh: { status: 'succeeded', last_attempted_at: 1_700_000_500, next_refresh_available_at: 1_700_004_100 },
    }));
    await claimEvent(bed.pool, { id: recorded.id, type: 'financial_connections.account.refreshed_balance', accountId, created: recorded.created, livemode: false, payload: JSON.parse(recorded.payload) }, 1_000);
    expect(await reportEventBalance({ eventId: recorded.id })).toBeNull();
    await createStoreBalance({ stripe, pool: bed.pool })({ accountId, eventId: recorded.id });
    expect(await reportEventBalance({ eventId: recorded.id })).toMatchObject({ verdict: 'applied', asOf: 1_700_000_500 });
    // The first event's balance is no longer the newest settled: not reported (storeBalance then says stale).
    expect(await reportEventBalance({ eventId: delivered.id })).toBeNull();
    expect(await reportEventBalance({ eventId: 'evt_never_received' })).toBeNull();
  });

  test(`the receiver and the workflow storing the same event at once (the signal races the receiver's write): one balance, settled once`, async () => {
    const accountId = uniqueAccountId();
    const storeBalance = createStoreBalance({ stripe, pool: bed.pool });
    const event = stripeEvent('financial_connections.account.refreshed_balance', fcAccount(accountId));
    await claimEvent(bed.pool, { id: event.id, type: 'financial_connections.account.refreshed_balance', accountId, created: event.created, livemode: false, payload: JSON.parse(event.payload) }, 1);
    await new Promise((resolve) => setTimeout(resolve, 5)); // the claim's lease lapses: the delivery below takes it over

    const [delivered, ...stores] = await Promise.all([
      deliver(bed.baseUrl, event.payload, signatureFor(event.payload)),
      storeBalance({ accountId, eventId: event.id }),
      storeBalance({ accountId, eventId: event.id }),
    ]);

    expect(delivered.status).toBe(200);
    for (const stored of stores) expect(stored).toEqual({ verdict: 'applied', currencies: 1, asOf: 1_700_000_000, source: 'event' });
    const { rows } = await bed.pool.query(`SELECT count(*)::int AS n FROM fc_balances WHERE account_id = $1`, [accountId]);
    expect(rows[0].n).toBe(1);
    const state = await bed.pool.query(`SELECT settled_by FROM fc_feature_state WHERE account_id = $1 AND feature = 'balance'`, [accountId]);
    expect(state.rows).toEqual([{ settled_by: `event/${event.id}` }]);
  });
});

import { fileURLToPath } from 'node:url';
import { WorkflowNotFoundError } from '@temporalio/client';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createTestDatabase } from '../helpers/database';
import { createPool } from '../../db/pool';
import { FC_ACCOUNT_ID, FC_FEATURE, FC_REFRESH_STATUS } from '../../common/search-attributes';
import { refreshWorkflowId } from '../../common/workflow-ids';
import { receivedQuery } from './fixtures/workflows';
import { startFixtureWorker, uniqueAccountId, type FixtureWorker } from './support/fixture-worker';
import { startReceiver, type Receiver } from './support/receiver';
import { deliver, fcAccount, signatureFor, stripeEvent } from './support/stripe-events';

let pool: pg.Pool;
let worker: FixtureWorker;
let receiver: Receiver;

beforeAll(async () => {
  pool = createPool(await createTestDatabase(inject('databaseUrl')));
  worker = await startFixtureWorker(fileURLToPath(new URL('./fixtures/workflows.ts', import.meta.url)));
  receiver = await startReceiver({ pool, temporal: worker.client, taskQueue: worker.taskQueue });
});

afterAll(async () => {
  await receiver?.close();
  await worker?.stop();
  await pool?.end();
});

async function storedEvent(id: string) {
  const { rows } = await pool.query<{ processed_at: Date | null; deliveries: number; account_id: string | null }>(
    'SELECT processed_at, deliveries, account_id FROM stripe_events WHERE id = $1',
    [id],
  );
  return rows[0];
}

describe('refreshed_* webhooks reach the refresh workflow by signal-with-start', () => {
  test('with no workflow running (Stripe refreshed a subscribed account), one is started and signalled', async () => {
    const accountId = uniqueAccountId();
    const event = stripeEvent('financial_connections.account.refreshed_balance', fcAccount(accountId));

    const response = await deliver(receiver.baseUrl, event.payload, signatureFor(event.payload));

    expect(response).toEqual({ status: 200, body: { received: true } });
    const handle = worker.client.workflow.getHandle(refreshWorkflowId('balance', accountId));
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

    const first = await deliver(receiver.baseUrl, event.payload, signatureFor(event.payload));
    const second = await deliver(receiver.baseUrl, event.payload, signatureFor(event.payload));

    expect(first).toEqual({ status: 200, body: { received: true } });
    expect(second).toEqual({ status: 200, body: { received: true, duplicate: true } });
    const received = await worker.client.workflow.getHandle(refreshWorkflowId('ownership', accountId)).query(receivedQuery);
    expect(received.signals.map((signal) => signal.eventId)).toEqual([event.id]);
    expect(await storedEvent(event.id)).toMatchObject({ deliveries: 2 });
  });

  test('while a requested refresh is running, the event signals that run instead of starting another', async () => {
    const accountId = uniqueAccountId();
    const workflowId = refreshWorkflowId('transactions', accountId);
    const running = await worker.client.workflow.start('refreshWorkflow', {
      workflowId,
      taskQueue: worker.taskQueue,
      args: [{ accountId, feature: 'transactions', trigger: 'request' }],
    });
    const event = stripeEvent('financial_connections.account.refreshed_transactions', fcAccount(accountId));

    const response = await deliver(receiver.baseUrl, event.payload, signatureFor(event.payload));

    expect(response.status).toBe(200);
    const handle = worker.client.workflow.getHandle(workflowId);
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

    const response = await deliver(receiver.baseUrl, event.payload, signatureFor(event.payload));

    expect(response).toEqual({ status: 200, body: { received: true } });
    await expect(worker.client.workflow.getHandle(refreshWorkflowId('balance', accountId)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(await storedEvent(event.id)).toMatchObject({ processed_at: expect.any(Date) });
  });
});

import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { freePort } from '../../db/local-postgres';
import { createPool } from '../../db/pool';
import { createTestDatabase } from '../helpers/database';
import { refreshWorkflowId } from '../../common/workflow-ids';
import { receivedQuery } from './fixtures/workflows';
import { startFixtureWorker, uniqueAccountId, type FixtureWorker } from './support/fixture-worker';
import { startReceiver } from './support/receiver';
import { deliver, fcAccount, signatureFor, stripeEvent } from './support/stripe-events';

let pool: pg.Pool;
let worker: FixtureWorker;
let closedPort: number;

beforeAll(async () => {
  pool = createPool(await createTestDatabase(inject('databaseUrl'), inject('templateDatabase')));
  worker = await startFixtureWorker(fileURLToPath(new URL('./fixtures/workflows.ts', import.meta.url)));
  closedPort = await freePort();
});

afterAll(async () => {
  await worker?.stop();
  await pool?.end();
});

describe('when a dependency is down, Stripe is told to retry and nothing is lost', () => {
  test('Temporal unreachable: 503, the event stays unprocessed, and the retry processes it', async () => {
    const unreachable = new Client({ connection: Connection.lazy({ address: `127.0.0.1:${closedPort}` }) });
    const down = await startReceiver({ pool, temporal: unreachable, taskQueue: worker.taskQueue, temporalTimeoutMs: 1_000 });
    const up = await startReceiver({ pool, temporal: worker.client, taskQueue: worker.taskQueue });
    const accountId = uniqueAccountId();
    const event = stripeEvent('financial_connections.account.refreshed_balance', fcAccount(accountId));
    try {
      const refused = await deliver(down.baseUrl, event.payload, signatureFor(event.payload));

      expect(refused).toEqual({ status: 503, body: { error: 'temporarily_unavailable' } });
      const { rows: afterFailure } = await pool.query('SELECT processed_at, last_error FROM stripe_events WHERE id = $1', [event.id]);
      expect(afterFailure).toEqual([{ processed_at: null, last_error: expect.any(String) }]);

      const retried = await deliver(up.baseUrl, event.payload, signatureFor(event.payload));

      expect(retried).toEqual({ status: 200, body: { received: true } });
      const { rows: afterRetry } = await pool.query('SELECT processed_at, last_error, deliveries FROM stripe_events WHERE id = $1', [event.id]);
      expect(afterRetry).toEqual([{ processed_at: expect.any(Date), last_error: null, deliveries: 2 }]);
      const received = await worker.client.workflow.getHandle(refreshWorkflowId('balance', accountId)).query(receivedQuery);
      expect(received.signals.map((signal) => signal.eventId)).toEqual([event.id]);
    } finally {
      await down.close();
      await up.close();
      // The unreachable connection is left open: the client's gRPC retry of the abandoned call may still have a timer
      // pending (it ends at the call's deadline), and closing the channel under it throws from that timer.
    }
  });

  test('Postgres unreachable: deliveries get 503 and /readyz reports not ready', async () => {
    const deadPool = createPool(`postgres://postgres:postgres@127.0.0.1:${closedPort}/postgres`);
    const receiver = await startReceiver({ pool: deadPool, temporal: worker.client, taskQueue: worker.taskQueue });
    try {
      const event = stripeEvent('financial_connections.account.refreshed_balance', fcAccount(uniqueAccountId()));

      expect((await deliver(receiver.baseUrl, event.payload, signatureFor(event.payload))).status).toBe(503);
      expect((await fetch(`${receiver.baseUrl}/healthz`)).status).toBe(200);
      const ready = await fetch(`${receiver.baseUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ ready: false, postgres: false, temporal: true });
    } finally {
      await receiver.close();
      await deadPool.end();
    }
  });

  test('Temporal unreachable: /readyz reports not ready', async () => {
    const unreachable = new Client({ connection: Connection.lazy({ address: `127.0.0.1:${closedPort}` }) });
    const receiver = await startReceiver({ pool, temporal: unreachable, taskQueue: worker.taskQueue });
    try {
      const ready = await fetch(`${receiver.baseUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ ready: false, postgres: true, temporal: false });
    } finally {
      await receiver.close();
      // Left open for the same reason as above.
    }
  });
});

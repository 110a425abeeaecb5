import { describe, expect, test } from 'vitest';
import { uniqueAccountId } from './support/fixture-worker';
import { useWebhookTestBed } from './support/test-bed';
import { deliver, fcAccount, signatureFor, stripeEvent } from './support/stripe-events';

const bed = useWebhookTestBed();

async function recordedEvents(): Promise<number> {
  const { rows } = await bed.pool.query<{ count: number }>('SELECT count(*)::int AS count FROM stripe_events');
  return rows[0]?.count ?? 0;
}

describe('a delivery that cannot be trusted or read is refused with 400 and nothing is recorded', () => {
  const event = stripeEvent('financial_connections.account.refreshed_balance', fcAccount(uniqueAccountId()));

  test.each([
    ['signed with another secret', event.payload, signatureFor(event.payload, { secret: 'whsec_someone_else' }), 'bad_signature'],
    ['signed more than 5 minutes ago (a replay)', event.payload, signatureFor(event.payload, { timestamp: Math.floor(Date.now() / 1000) - 301 }), 'bad_signature'],
    ['without a Stripe-Signature header', event.payload, undefined, 'bad_signature'],
    ['with a body changed after signing', event.payload.replace('"livemode":false', '"livemode":true'), signatureFor(event.payload), 'bad_signature'],
    ['correctly signed but not JSON', '{"id": "evt_1", ', signatureFor('{"id": "evt_1", '), 'malformed'],
    ['correctly signed JSON that is not an event', '{"hello":"world"}', signatureFor('{"hello":"world"}'), 'malformed'],
  ])('%s', async (_scenario, payload, signature, reason) => {
    const response = await deliver(bed.baseUrl, payload, signature);

    expect(response).toEqual({ status: 400, body: { error: reason } });
    expect(await recordedEvents()).toBe(0);
  });
});

describe('event types fc-refresh does not act on', () => {
  test('are recorded, marked processed and acknowledged', async () => {
    const event = stripeEvent('customer.created', { id: 'cus_123', object: 'customer' });

    const response = await deliver(bed.baseUrl, event.payload, signatureFor(event.payload));

    expect(response).toEqual({ status: 200, body: { received: true } });
    const { rows } = await bed.pool.query('SELECT type, account_id, processed_at FROM stripe_events WHERE id = $1', [event.id]);
    expect(rows).toEqual([{ type: 'customer.created', account_id: null, processed_at: expect.any(Date) }]);
  });
});

describe('health and metrics', () => {
  test('/healthz and /readyz answer 200 when Postgres and Temporal are up', async () => {
    expect((await fetch(`${bed.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${bed.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, postgres: true, temporal: true });
  });

  test('/metrics counts deliveries by type and result', async () => {
    const text = await (await fetch(`${bed.baseUrl}/metrics`)).text();

    expect(text).toMatch(/fc_webhook_events_total\{type="customer.created",result="ignored"\} 1/);
    expect(text).toMatch(/fc_webhook_events_total\{type="unknown",result="bad_signature"\} 4/);
    expect(text).toMatch(/fc_webhook_events_total\{type="unknown",result="malformed"\} 2/);
    expect(text).toMatch(/fc_webhook_handling_seconds_count\{result="ignored"\} 1/);
  });
});

import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { raw, startHarness, type Harness } from './helpers';

// Stripe's rate limits, enforced on request: 429 with code rate_limit and Stripe-Rate-Limited-Reason,
// what the real SDK does with it (no retry: Stripe sends no Stripe-Should-Retry), and the traffic
// histogram that benchmarks read to check pacing. Assertions hold however the requests spread in time.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control.setRateLimit({ enabled: false });
  await h.control.clearApiFaults();
  await h.control.resetCounters();
});

async function settle<T>(calls: Promise<T>[]): Promise<{ ok: T[]; limited: Stripe.errors.StripeRateLimitError[] }> {
  const results = await Promise.allSettled(calls);
  const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  for (const err of errors) expect(err).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
  return { ok, limited: errors as Stripe.errors.StripeRateLimitError[] };
}

describe('enforced rate limit', () => {
  it('is off by default and takes Stripe’s numbers when enabled', async () => {
    expect(await h.control.getRateLimit()).toEqual({ enabled: false, testPerSecond: 25, livePerSecond: 100, endpointPerSecond: 25 });
    expect(await h.control.setRateLimit({ enabled: true })).toEqual({ enabled: true, testPerSecond: 25, livePerSecond: 100, endpointPerSecond: 25 });
  });

  it('refuses past the test-mode limit with Stripe’s 429, and never lets more through in any one-second window', async () => {
    const account = await h.control.createAccount({});
    await h.control.setRateLimit({ enabled: true, testPerSecond: 5, endpointPerSecond: 0 });
    const { ok, limited } = await settle(Array.from({ length: 12 }, () => h.stripe.financialConnections.accounts.retrieve(account.id)));
    expect(ok.length).toBeGreaterThanOrEqual(5);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    const err = limited[0]!;
    expect(err).toMatchObject({ statusCode: 429, code: 'rate_limit', type: 'StripeRateLimitError', rawType: 'invalid_request_error' });
    expect(err.headers?.['stripe-rate-limited-reason']).toBe('global-rate');
    expect(err.headers?.['stripe-should-retry']).toBeUndefined();
    expect(err.headers?.['request-id']).toMatch(/^req_/);

    const traffic = await h.control.traffic();
    expect(traffic.maxAcceptedPerSecond).toBeLessThanOrEqual(5);
    expect(traffic).toMatchObject({ requests: 12, rateLimited: limited.length });
    expect(traffic.maxPerSecond).toBeGreaterThan(traffic.maxAcceptedPerSecond);
    expect((await h.control.counters()).rateLimited).toBe(limited.length);
  });

  it('the SDK does not retry the 429 even with maxNetworkRetries, so the caller must pace', async () => {
    const account = await h.control.createAccount({});
    await h.control.setRateLimit({ enabled: true, testPerSecond: 1, endpointPerSecond: 0 });
    const client = h.client({ maxNetworkRetries: 2 });
    await client.financialConnections.accounts.retrieve(account.id);
    const second = client.financialConnections.accounts.retrieve(account.id);
    await expect(second).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect((await h.control.traffic()).requests).toBe(2);
  });

  it('live keys get the live limit', async () => {
    const account = await h.control.createAccount({});
    await h.control.setRateLimit({ enabled: true, testPerSecond: 1, livePerSecond: 3, endpointPerSecond: 0 });
    const live = h.client({ apiKey: 'sk_live_simulator' });
    const { ok } = await settle(Array.from({ length: 3 }, () => live.financialConnections.accounts.retrieve(account.id)));
    expect(ok).toHaveLength(3);
  });

  it('per-endpoint limit: endpoint-rate on the busy endpoint, other endpoints unaffected', async () => {
    const account = await h.control.createAccount({});
    await h.control.setRateLimit({ enabled: true, testPerSecond: 100, endpointPerSecond: 2 });
    const busy = Array.from({ length: 6 }, () => h.stripe.financialConnections.accounts.retrieve(account.id));
    const other = Array.from({ length: 2 }, () => h.stripe.financialConnections.accounts.list({ limit: 1 }));
    const [busyResult, otherResult] = await Promise.all([settle(busy), settle(other)]);
    expect(otherResult.ok).toHaveLength(2);
    expect(busyResult.limited.length).toBeGreaterThanOrEqual(1);
    for (const err of busyResult.limited) expect(err.headers?.['stripe-rate-limited-reason']).toBe('endpoint-rate');
  });

  it('refused requests are not stored under their Idempotency-Key and run once let through', async () => {
    const account = await h.control.createAccount({});
    await h.control.setRateLimit({ enabled: true, testPerSecond: 1, endpointPerSecond: 0 });
    await h.stripe.financialConnections.accounts.retrieve(account.id);
    const refused = await raw(h.running.url, {
      method: 'POST',
      path: `/v1/financial_connections/accounts/${account.id}/refresh`,
      body: 'features[]=balance',
      headers: { 'idempotency-key': 'rl-1' },
    });
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'rate_limit',
        doc_url: 'https://stripe.com/docs/error-codes/rate-limit',
        message: expect.stringContaining('Request rate limit exceeded'),
      },
    });
    expect((await h.control.counters()).refreshes[account.id]).toBeUndefined();
    await h.control.setRateLimit({ enabled: false });
    const accepted = await raw(h.running.url, {
      method: 'POST',
      path: `/v1/financial_connections/accounts/${account.id}/refresh`,
      body: 'features[]=balance',
      headers: { 'idempotency-key': 'rl-1' },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('idempotent-replayed')).toBeNull();
  });

  it('injected 429 faults carry the same header', async () => {
    await h.control.setApiFaults({ failNext: 1, statuses: [429] });
    const res = await raw(h.running.url, { path: '/v1/financial_connections/accounts' });
    expect(res.status).toBe(429);
    expect(res.headers.get('stripe-rate-limited-reason')).toBe('global-rate');
  });
});

describe('traffic histogram', () => {
  it('counts every /v1 request per second (never the control API) and resets with the counters', async () => {
    for (let i = 0; i < 4; i++) await h.stripe.financialConnections.accounts.list({ limit: 1 });
    await h.control.counters();
    const traffic = await h.control.traffic();
    expect(traffic.requests).toBe(4);
    expect(traffic.rateLimited).toBe(0);
    expect(traffic.perSecond.reduce((n, b) => n + b.requests, 0)).toBe(4);
    expect(traffic.perSecond.every((b, i, all) => i === 0 || b.second > all[i - 1]!.second)).toBe(true);
    expect(traffic.maxPerSecond).toBeGreaterThanOrEqual(1);
    await h.control.resetCounters();
    expect(await h.control.traffic()).toEqual({ requests: 0, rateLimited: 0, maxPerSecond: 0, maxAcceptedPerSecond: 0, perSecond: [] });
  });
});

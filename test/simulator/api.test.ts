import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SimulatorControlError } from '../../simulator/control-client';
import { raw, startHarness, type Harness } from './helpers';

// Wire behaviour shared by every endpoint: auth, Stripe's error envelope and statuses, parameter
// validation, Idempotency-Key replay, injected API faults, lists, payments, and robustness.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control.clearApiFaults();
});

const fc = () => h.stripe.financialConnections.accounts;
const caught = <T>(p: Promise<T>): Promise<Stripe.errors.StripeError> => p.then(() => { throw new Error('expected a Stripe error'); }, (e: unknown) => e as Stripe.errors.StripeError);

function expectEnvelope(json: unknown, type: string): void {
  const error = (json as { error?: Record<string, unknown> }).error;
  expect(error).toBeDefined();
  expect(error?.type).toBe(type);
  expect(typeof error?.message).toBe('string');
}

describe('authentication', () => {
  it('401 without a key, with a malformed key; Bearer and Basic both work', async () => {
    const account = await h.control.createAccount({});
    const none = await raw(h.running.url, { path: `/v1/financial_connections/accounts/${account.id}`, auth: null });
    expect(none.status).toBe(401);
    expectEnvelope(none.json, 'invalid_request_error');
    expect(none.headers.get('request-id')).toMatch(/^req_/);

    const bad = await caught(h.client({ apiKey: 'pk_test_nope' }).financialConnections.accounts.retrieve(account.id));
    expect(bad).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(bad.statusCode).toBe(401);

    const basic = await raw(h.running.url, {
      path: `/v1/financial_connections/accounts/${account.id}`,
      auth: `Basic ${Buffer.from('sk_test_abc:').toString('base64')}`,
    });
    expect(basic.status).toBe(200);
    const live = await h.client({ apiKey: 'sk_live_anything' }).financialConnections.accounts.retrieve(account.id);
    expect(live.id).toBe(account.id);
  });
});

describe('errors and validation', () => {
  it('unknown account -> 404 resource_missing; unknown route -> 404 Stripe-shaped', async () => {
    const missing = await caught(fc().retrieve('fca_doesnotexist'));
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect([missing.statusCode, missing.code, missing.type]).toEqual([404, 'resource_missing', 'StripeInvalidRequestError']);
    expect(missing.requestId).toMatch(/^req_/);
    for (const [method, path] of [['GET', '/v1/nothing/here'], ['DELETE', '/v1/financial_connections/accounts/fca_x'], ['GET', '/']]) {
      const res = await raw(h.running.url, { method: method ?? 'GET', path: path ?? '/' });
      expect(res.status).toBe(404);
      expectEnvelope(res.json, 'invalid_request_error');
    }
  });

  it('unknown, missing, empty and invalid parameters', async () => {
    const account = await h.control.createAccount({});
    const unknown = await caught(fc().retrieve(account.id, { foo: 'bar' } as Stripe.FinancialConnections.AccountRetrieveParams));
    expect([unknown.statusCode, unknown.code, unknown.param]).toEqual([400, 'parameter_unknown', 'foo']);
    const nested = await caught(fc().list({ account_holder: { nope: 'x' } as Stripe.FinancialConnections.AccountListParams.AccountHolder }));
    expect(nested.param).toBe('account_holder[nope]');
    const missing = await caught(fc().refresh(account.id, {} as Stripe.FinancialConnections.AccountRefreshParams));
    expect([missing.code, missing.param]).toEqual(['parameter_missing', 'features']);
    const badFeature = await caught(fc().refresh(account.id, { features: ['everything'] }));
    expect(badFeature).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(badFeature.param).toBe('features[0]');
    const badExpand = await caught(fc().retrieve(account.id, { expand: ['balance'] }));
    expect(badExpand.statusCode).toBe(400);

    const empty = await raw(h.running.url, { method: 'POST', path: `/v1/financial_connections/accounts/${account.id}/refresh`, body: 'features[]=' });
    expect(empty.status).toBe(400);
    expect((empty.json as { error: { code: string } }).error.code).toBe('parameter_invalid_empty');
    // curl-style `features[]=` arrays work like the SDK's `features[0]=`.
    const curlStyle = await raw(h.running.url, { method: 'POST', path: `/v1/financial_connections/accounts/${account.id}/refresh`, body: 'features[]=balance&features[]=ownership' });
    expect(curlStyle.status).toBe(200);
    expect((curlStyle.json as Stripe.FinancialConnections.Account).ownership_refresh?.status).toBe('pending');
    const badInt = await caught(h.stripe.financialConnections.transactions.list({ account: account.id, limit: 'ten' as unknown as number }));
    expect([badInt.code, badInt.param]).toEqual(['parameter_invalid_integer', 'limit']);
    await h.control.waitForWebhooksIdle();
  });

  it('never crashes on malformed input', async () => {
    const account = await h.control.createAccount({});
    const path = `/v1/financial_connections/accounts/${account.id}/refresh`;
    for (const body of ['%E0%A4%A', 'features[0]=balance&features[0][x]=1', 'a[b[c]=1&features[]=balance', `${'x[a]'.repeat(1)}${'[b]'.repeat(10)}=1`, '&&&=&features=']) {
      const res = await raw(h.running.url, { method: 'POST', path, body });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectEnvelope(res.json, 'invalid_request_error');
    }
    const json = await raw(h.running.url, { method: 'POST', path, body: '{"features": ["balance"]', headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(400);
    const weird = await raw(h.running.url, { method: 'POST', path, body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(weird.status).toBe(400);
    const badQuery = await raw(h.running.url, { path: `/v1/financial_connections/transactions?account=%ZZ` });
    expect(badQuery.status).toBe(400);
    const control = await raw(h.running.url, { method: 'POST', path: '/_simulator/accounts', body: '{nope', headers: { 'content-type': 'application/json' } });
    expect(control.status).toBe(400);
    await expect(h.control.createAccount({ category: 'savings' as 'cash' })).rejects.toBeInstanceOf(SimulatorControlError);
    await expect(h.control.createAccount({ prefetch: ['transactions'], permissions: ['balances'] })).rejects.toThrow(/permission/);
    await expect(h.control.groundTruth('fca_none')).rejects.toMatchObject({ status: 404 });
    await expect(h.control.advanceClock(-1)).rejects.toMatchObject({ status: 400 });
    expect((await h.control.health()).ok).toBe(true);
    await h.control.waitForWebhooksIdle();
  });
});

describe('idempotency', () => {
  it('replays the stored response for the same key and params; refuses the key with other params', async () => {
    const account = await h.control.createAccount({ refreshLatencyMs: 10 });
    const first = await fc().refresh(account.id, { features: ['balance'] }, { idempotencyKey: 'key-1' });
    await h.control.waitForWebhooksIdle();
    const replay = await fc().refresh(account.id, { features: ['balance'] }, { idempotencyKey: 'key-1' });
    expect(replay).toEqual(first);
    expect(replay.balance_refresh?.status).toBe('pending');
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
    const counters = await h.control.counters();
    expect(counters.refreshes[account.id]?.balance.initiated).toBe(1);
    expect(counters.idempotentReplays).toBeGreaterThanOrEqual(1);

    const mismatch = await caught(fc().refresh(account.id, { features: ['ownership'] }, { idempotencyKey: 'key-1' }));
    expect(mismatch).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(mismatch.statusCode).toBe(400);
    // A request refused by validation is not stored: the key stays usable.
    await caught(fc().refresh(account.id, { features: ['bogus'] }, { idempotencyKey: 'key-2' }));
    const ok = await fc().refresh(account.id, { features: ['ownership'] }, { idempotencyKey: 'key-2' });
    expect(ok.ownership_refresh?.status).toBe('pending');
    await h.control.waitForWebhooksIdle();
  });
});

describe('API faults', () => {
  it('injects 429 rate_limit and 500 api_error with the matching SDK error classes', async () => {
    const account = await h.control.createAccount({});
    await h.control.setApiFaults({ failNext: 1, statuses: [429] });
    const limited = await caught(fc().retrieve(account.id));
    expect(limited).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect([limited.statusCode, limited.code]).toEqual([429, 'rate_limit']);
    await h.control.setApiFaults({ failNext: 1, statuses: [500] });
    const broken = await caught(fc().retrieve(account.id));
    expect(broken).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(broken.statusCode).toBe(500);
    expect((await fc().retrieve(account.id)).id).toBe(account.id);
    expect((await h.control.counters()).apiFaultsInjected).toBeGreaterThanOrEqual(2);
  });

  it('mode "after": the request ran, the SDK retry with the same Idempotency-Key gets the stored result', async () => {
    const account = await h.control.createAccount({});
    await h.control.setApiFaults({ failNext: 1, statuses: [500], mode: 'after', routes: ['/refresh'] });
    const retrying = h.client({ maxNetworkRetries: 1 });
    const result = await retrying.financialConnections.accounts.refresh(account.id, { features: ['balance'] });
    expect(result.balance_refresh?.status).toBe('pending');
    expect(result.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await h.control.counters()).refreshes[account.id]?.balance.initiated).toBe(1);
    await h.control.waitForWebhooksIdle();
  });

  it('latency and seeded error rates; routes filter; never the control API', async () => {
    const account = await h.control.createAccount({});
    await h.control.setApiFaults({ latencyMs: 120, routes: ['GET /v1/financial_connections/accounts/:id'] });
    const t0 = Date.now();
    await fc().retrieve(account.id);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
    const pattern = async (): Promise<boolean[]> => {
      await h.control.setApiFaults({ errorRate: 0.5, statuses: [503], seed: 7 });
      const out: boolean[] = [];
      for (let i = 0; i < 12; i++) out.push(await fc().retrieve(account.id).then(() => true, () => false));
      return out;
    };
    const a = await pattern();
    expect(await pattern()).toEqual(a);
    expect(a.some(Boolean) && a.some((x) => !x)).toBe(true);
    expect((await h.control.health()).ok).toBe(true);
  });
});

describe('lists', () => {
  it('lists accounts newest first, filters by account_holder[customer], auto-paginates', async () => {
    const customer = 'cus_listtest';
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await h.control.createAccount({ customer })).id);
    const listed = await fc().list({ account_holder: { customer }, limit: 3 }).autoPagingToArray({ limit: 100 });
    expect(listed.map((a) => a.id)).toEqual([...ids].reverse());
    const page = await fc().list({ account_holder: { customer }, limit: 3 });
    expect(page).toMatchObject({ object: 'list', has_more: true, url: '/v1/financial_connections/accounts' });
    const other = await fc().list({ account_holder: { customer: 'cus_nobody' } });
    expect(other.data).toEqual([]);
    await expect(fc().list({ session: 'fcsess_x' })).rejects.toMatchObject({ statusCode: 404 });
    await h.control.waitForWebhooksIdle();
  });
});

describe('payments', () => {
  it('finds the FC account on the expanded payment method; null for manual entry', async () => {
    const account = await h.control.createAccount({ institutionName: 'Test Bank', last4: '6789' });
    const linked = await h.control.createPaymentIntent({ accountId: account.id, amount: 1_500 });
    const manual = await h.control.createPaymentIntent({ id: 'pi_manualEntry', accountId: null });

    const plain = await h.stripe.paymentIntents.retrieve(linked.payment_intent.id);
    expect(plain.payment_method).toBe(linked.payment_method.id);
    expect(plain).toMatchObject({ amount: 1_500, currency: 'usd', payment_method_types: ['us_bank_account'] });
    const expanded = await h.stripe.paymentIntents.retrieve(linked.payment_intent.id, { expand: ['payment_method'] });
    const pm = expanded.payment_method as Stripe.PaymentMethod;
    expect(pm.us_bank_account?.financial_connections_account).toBe(account.id);
    expect(pm.us_bank_account).toMatchObject({ last4: '6789', bank_name: 'TEST BANK' });

    const manualExpanded = await h.stripe.paymentIntents.retrieve('pi_manualEntry', { expand: ['payment_method'] });
    expect((manualExpanded.payment_method as Stripe.PaymentMethod).us_bank_account?.financial_connections_account).toBeNull();
    expect((await h.stripe.paymentMethods.retrieve(manual.payment_method.id)).type).toBe('us_bank_account');

    await expect(h.stripe.paymentIntents.retrieve('pi_nope')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    await expect(h.stripe.paymentMethods.retrieve('pm_nope')).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    await expect(h.control.createPaymentIntent({ accountId: 'fca_nope' })).rejects.toMatchObject({ status: 404 });
    await h.control.waitForWebhooksIdle();
  });
});

describe('control API', () => {
  it('counts calls per route and account, and resets', async () => {
    await h.control.resetCounters();
    const account = await h.control.createAccount({});
    await fc().retrieve(account.id);
    await fc().retrieve(account.id);
    await caught(fc().retrieve('fca_missing'));
    const counters = await h.control.counters();
    expect(counters.calls['GET /v1/financial_connections/accounts/:id']).toBe(3);
    expect(counters.callsByAccount[account.id]?.['GET /v1/financial_connections/accounts/:id']).toBe(2);
    await h.control.resetCounters();
    expect((await h.control.counters()).calls).toEqual({});
    const state = await h.control.getAccount(account.id);
    expect(state.config).toMatchObject({ refreshLatencyMs: 20, cooldownSeconds: { balance: 0, ownership: 0, transactions: 0 } });
    const clock = await h.control.getClock();
    expect(Math.abs(clock.now - (Math.floor(Date.now() / 1000) + clock.offsetSeconds))).toBeLessThanOrEqual(1);
    await h.control.waitForWebhooksIdle();
  });

  it('reset empties the world', async () => {
    const other = await startHarness();
    try {
      const account = await other.control.createAccount({});
      await other.control.reset();
      await expect(other.stripe.financialConnections.accounts.retrieve(account.id)).rejects.toMatchObject({ statusCode: 404 });
      expect((await other.stripe.events.list()).data).toEqual([]);
    } finally {
      await other.close();
    }
  });
});

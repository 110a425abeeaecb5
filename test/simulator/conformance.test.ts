import { readFileSync } from 'node:fs';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, refreshAndSettle, startHarness, type Harness } from './helpers';

// Every object, list and event the simulator returns must have exactly the key set, recursively, of
// Stripe's own example objects (openapi fixtures3, the subset kept in test/fixtures/: see its README).
//
// Deliberate, doc-backed differences from the raw fixtures (applied to the expected shapes below):
//  - Currency maps (`balance.current`, `cash.available`, `credit.used`) and `metadata` are maps keyed by
//    currency / user key: compared as maps (values), not by key set.
//  - `balance` is polymorphic by `type` (balances.md: "If the balance has type: "cash", you'll see a cash
//    sub-object with the available property ... type: "credit" ... a credit sub-object with the used
//    property"); the fixture shows neither sub-object, so each type adds its own.
//  - `ownership` is an id string, null, or with expand[]=ownership the account_ownership object
//    (ownership.md), compared against the account_ownership fixture.
//  - A payment method's per-type hash is named after its type (`card` in the fixture,
//    `us_bank_account` for ACH: ach-direct-debit-payments.md), with the SDK's UsBankAccount keys.
//  - payment_intent.payment_method_options is keyed by payment method type (here us_bank_account).
//  - Event data.object is the event's object (a financial_connections.account here, a plan in the
//    fixture); it is compared against the account fixture.
//  - Where the fixture shows an object for a field the API reference documents as nullable (refresh
//    hashes, balance, last_payment_error, next_action, processing, shipping, transfer_data,
//    automatic_payment_methods, payment_method_configuration_details), null is accepted.
//  - The refresh hashes' `error` (a preview feature: "the error field on the refresh hash is a preview
//    feature that provides the cause of the failure and recommended next steps", balances.md) is not in
//    the fixture; only accounts with the refreshErrors option send it, as {code, message} or null.

type Shape =
  | { kind: 'any' }
  | { kind: 'map'; nullable?: boolean }
  | { kind: 'object'; keys: Record<string, Shape>; nullable?: boolean }
  | { kind: 'array'; of: Shape }
  | { kind: 'string-or'; shape: Shape };

const ANY: Shape = { kind: 'any' };
const MAP: Shape = { kind: 'map' };
const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function shapeOf(value: unknown): Shape {
  if (Array.isArray(value)) return { kind: 'array', of: value.length > 0 && isPlain(value[0]) ? shapeOf(value[0]) : ANY };
  if (isPlain(value)) return { kind: 'object', keys: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)])) };
  return ANY;
}

function at(shape: Shape, path: string): { parent: Extract<Shape, { kind: 'object' }>; key: string } {
  const parts = path.split('.');
  let node = shape;
  for (const part of parts.slice(0, -1)) {
    if (node.kind !== 'object' || !node.keys[part]) throw new Error(`no ${path}`);
    node = node.keys[part];
  }
  if (node.kind !== 'object') throw new Error(`no ${path}`);
  return { parent: node, key: parts.at(-1) ?? '' };
}
const set = (shape: Shape, path: string, value: Shape): void => {
  const { parent, key } = at(shape, path);
  parent.keys[key] = value;
};
const remove = (shape: Shape, path: string): void => {
  const { parent, key } = at(shape, path);
  delete parent.keys[key];
};
const nullable = (shape: Shape, path: string): void => {
  const { parent, key } = at(shape, path);
  const node = parent.keys[key];
  if (node && (node.kind === 'object' || node.kind === 'map')) node.nullable = true;
};

function check(actual: unknown, shape: Shape, path: string, problems: string[]): void {
  switch (shape.kind) {
    case 'any':
      return;
    case 'string-or':
      if (typeof actual === 'string' || actual === null) return;
      return check(actual, shape.shape, path, problems);
    case 'map':
      if (actual === null && shape.nullable) return;
      if (!isPlain(actual)) return void problems.push(`${path}: expected a map`);
      for (const [k, v] of Object.entries(actual)) if (typeof v !== 'number' && typeof v !== 'string') problems.push(`${path}.${k}: map value`);
      return;
    case 'array':
      if (!Array.isArray(actual)) return void problems.push(`${path}: expected an array`);
      actual.forEach((item, i) => check(item, shape.of, `${path}[${i}]`, problems));
      return;
    case 'object': {
      if (actual === null && shape.nullable) return;
      if (!isPlain(actual)) return void problems.push(`${path}: expected an object, got ${JSON.stringify(actual)}`);
      const expected = Object.keys(shape.keys).sort();
      const got = Object.keys(actual).sort();
      for (const k of expected) if (!got.includes(k)) problems.push(`${path}.${k}: missing`);
      for (const k of got) if (!expected.includes(k)) problems.push(`${path}.${k}: unexpected`);
      for (const k of expected) if (k in actual) check(actual[k], shape.keys[k] ?? ANY, `${path}.${k}`, problems);
    }
  }
}

const fixtures = (JSON.parse(readFileSync(new URL('../fixtures/stripe-fixtures3.subset.json', import.meta.url), 'utf8')) as { resources: Record<string, unknown> })
  .resources;
const REFRESH_HASHES = ['balance_refresh', 'ownership_refresh', 'transaction_refresh'];

const ownerShape = shapeOf(fixtures['financial_connections.account_owner']);
const listOf = (of: Shape): Shape => ({ kind: 'object', keys: { object: ANY, data: { kind: 'array', of }, has_more: ANY, url: ANY } });

const ownershipShape = shapeOf(fixtures['financial_connections.account_ownership']);
set(ownershipShape, 'owners', listOf(ownerShape));

function accountShape(balanceType: 'cash' | 'credit' | null, opts: { refreshErrors?: boolean } = {}): Shape {
  const shape = shapeOf(fixtures['financial_connections.account']);
  set(shape, 'balance.current', MAP);
  if (balanceType === 'cash') set(shape, 'balance.cash', { kind: 'object', keys: { available: { kind: 'map', nullable: true } } });
  if (balanceType === 'credit') set(shape, 'balance.credit', { kind: 'object', keys: { used: { kind: 'map', nullable: true } } });
  if (opts.refreshErrors) {
    for (const p of REFRESH_HASHES) set(shape, `${p}.error`, { kind: 'object', keys: { code: ANY, message: ANY }, nullable: true });
  }
  for (const p of ['balance', ...REFRESH_HASHES]) nullable(shape, p);
  set(shape, 'ownership', { kind: 'string-or', shape: ownershipShape });
  return shape;
}

const transactionShape = shapeOf(fixtures['financial_connections.transaction']);

const paymentMethodShape = shapeOf(fixtures.payment_method);
remove(paymentMethodShape, 'card');
set(paymentMethodShape, 'metadata', MAP);
set(paymentMethodShape, 'us_bank_account', {
  kind: 'object',
  keys: Object.fromEntries(
    ['account_holder_type', 'account_type', 'bank_name', 'financial_connections_account', 'fingerprint', 'last4', 'routing_number', 'status_details'].map((k) => [k, ANY]),
  ),
});
set(paymentMethodShape, 'us_bank_account.networks', { kind: 'object', keys: { preferred: ANY, supported: ANY } });

const paymentIntentShape = shapeOf(fixtures.payment_intent);
for (const p of ['automatic_payment_methods', 'last_payment_error', 'next_action', 'payment_method_configuration_details', 'processing', 'shipping', 'transfer_data']) {
  nullable(paymentIntentShape, p);
}
set(paymentIntentShape, 'metadata', MAP);
set(paymentIntentShape, 'payment_method_options', ANY);
set(paymentIntentShape, 'payment_method', { kind: 'string-or', shape: paymentMethodShape });

function eventShape(balanceType: 'cash' | 'credit' | null): Shape {
  const shape = shapeOf(fixtures.event);
  set(shape, 'data.object', accountShape(balanceType));
  return shape;
}

function conforms(actual: unknown, shape: Shape, name: string): void {
  const problems: string[] = [];
  check(JSON.parse(JSON.stringify(actual)) as unknown, shape, name, problems);
  expect(problems).toEqual([]);
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('key sets match Stripe fixtures', () => {
  it('financial_connections.account in every state, lists, ownership, owners', async () => {
    const fresh = await h.control.createAccount({ category: 'cash', ownerCount: 12 });
    conforms(fresh, accountShape(null), 'account(fresh)');
    const cash = await refreshAndSettle(h, fresh.id, ['balance', 'ownership', 'transactions']);
    conforms(cash, accountShape('cash'), 'account(cash)');
    const onlyCurrent = await h.control.createAccount({ balance: { current: { usd: 5 } } });
    conforms(await refreshAndSettle(h, onlyCurrent.id, ['balance']), accountShape('cash'), 'account(current only)');
    const credit = await h.control.createAccount({ category: 'credit', balance: { current: { usd: -1, eur: -2 }, used: { usd: -1, eur: -2 } } });
    conforms(await refreshAndSettle(h, credit.id, ['balance']), accountShape('credit'), 'account(credit)');
    const noBalance = await h.control.createAccount({ balance: null });
    conforms(await refreshAndSettle(h, noBalance.id, ['balance']), accountShape(null), 'account(null balance)');

    const expanded = await h.stripe.financialConnections.accounts.retrieve(fresh.id, { expand: ['ownership'] });
    expect(typeof expanded.ownership).toBe('object');
    conforms(expanded, accountShape('cash'), 'account(expanded)');
    conforms(expanded.ownership, ownershipShape, 'ownership');
    const owners = await h.stripe.financialConnections.accounts.listOwners(fresh.id, { ownership: (expanded.ownership as Stripe.FinancialConnections.AccountOwnership).id });
    conforms(owners, listOf(ownerShape), 'owners');

    const list = await h.stripe.financialConnections.accounts.list({ limit: 100, expand: ['data.ownership'] });
    for (const account of list.data) conforms(account, accountShape(account.balance?.type === 'credit' ? 'credit' : account.balance ? 'cash' : null), 'list.data');
    conforms({ ...list, data: [] }, listOf(ANY), 'accounts list');

    await h.stripe.financialConnections.accounts.disconnect(fresh.id);
    conforms(await h.stripe.financialConnections.accounts.retrieve(fresh.id), accountShape(null), 'account(disconnected)');
  });

  it('financial_connections.transaction and its list', async () => {
    const account = await h.control.createAccount({ transactionCount: 8, updatesPerRefresh: 3, voidEvery: 2 });
    await refreshAndSettle(h, account.id, ['transactions']);
    await h.control.advanceClock(60);
    await refreshAndSettle(h, account.id, ['transactions']);
    const list = await h.stripe.financialConnections.transactions.list({ account: account.id, limit: 100 });
    expect(new Set(list.data.map((t) => t.status))).toEqual(new Set(['pending', 'posted', 'void']));
    conforms(list, listOf(transactionShape), 'transactions');
    conforms(await h.stripe.financialConnections.transactions.retrieve(list.data[0]!.id), transactionShape, 'transaction');
  });

  it('payment_intent (plain and expanded) and payment_method', async () => {
    const account = await h.control.createAccount({});
    for (const accountId of [account.id, null]) {
      const { payment_intent: pi, payment_method: pm } = await h.control.createPaymentIntent({ accountId });
      conforms(await h.stripe.paymentIntents.retrieve(pi.id), paymentIntentShape, 'payment_intent');
      const expanded = await h.stripe.paymentIntents.retrieve(pi.id, { expand: ['payment_method'] });
      expect(typeof expanded.payment_method).toBe('object');
      conforms(expanded, paymentIntentShape, 'payment_intent(expanded)');
      conforms(await h.stripe.paymentMethods.retrieve(pm.id), paymentMethodShape, 'payment_method');
    }
  });

  it('event: delivered webhooks, retrieved events and event lists', async () => {
    await h.control.waitForWebhooksIdle();
    expect(h.receiver.received.length).toBeGreaterThan(5);
    for (const { event } of h.receiver.received) {
      const object = event.data.object as Stripe.FinancialConnections.Account;
      const type = object.balance?.type === 'credit' ? 'credit' : object.balance ? 'cash' : null;
      conforms(event, eventShape(type), `event ${event.type}`);
      conforms(await h.stripe.events.retrieve(event.id), eventShape(type), 'event(retrieved)');
    }
    const list = await raw(h.running.url, { path: '/v1/events?limit=3' });
    conforms({ ...(list.json as object), data: [] }, listOf(ANY), 'events list');
  });

  it('the checker itself flags missing, extra and mistyped keys', async () => {
    const account = await h.control.createAccount({});
    const problems: string[] = [];
    const broken: Record<string, unknown> = { ...account, extra: 1, status_details: {} };
    delete broken.last4;
    broken.account_holder = { customer: 'cus_x' };
    check(broken, accountShape(null), 'account', problems);
    expect(problems.sort()).toEqual(['account.account_holder.type: missing', 'account.extra: unexpected', 'account.last4: missing', 'account.status_details: unexpected']);
  });

  it('error envelope', async () => {
    const res = await raw(h.running.url, { path: '/v1/financial_connections/accounts/fca_missing' });
    expect(Object.keys(res.json as object)).toEqual(['error']);
    expect(Object.keys((res.json as { error: object }).error).sort()).toEqual(['code', 'doc_url', 'message', 'param', 'type']);
  });

  it('failed refreshes as in Stripe’s example object: status failed, next_refresh_available_at null, (preview) error hash', async () => {
    const example = fixtures['financial_connections.account'] as Record<string, { status: string; next_refresh_available_at: number | null }>;
    const failNext = (['balance', 'ownership', 'transactions'] as const).map((feature) => ({ feature, count: 1 }));
    for (const refreshErrors of [false, true]) {
      const account = await h.control.createAccount({ failedNextRefreshAvailableAt: 'null', refreshErrors, failNext });
      const failed = await refreshAndSettle(h, account.id, ['balance', 'ownership', 'transactions']);
      conforms(failed, accountShape(null, { refreshErrors }), `account(failed, refreshErrors ${refreshErrors})`);
      for (const p of REFRESH_HASHES) {
        const hash = (failed as unknown as Record<string, { status: string; next_refresh_available_at: number | null; error?: unknown }>)[p]!;
        expect({ status: hash.status, next: hash.next_refresh_available_at }).toEqual({ status: example[p]!.status, next: example[p]!.next_refresh_available_at });
        if (refreshErrors) expect(hash.error).toEqual({ code: 'institution_unavailable', message: expect.any(String) });
      }
      const [event] = h.receiver.events({ account: account.id, type: 'financial_connections.account.refreshed_balance' });
      const eventWithErrors = shapeOf(fixtures.event);
      set(eventWithErrors, 'data.object', accountShape(null, { refreshErrors }));
      conforms(event, eventWithErrors, 'event(failed refresh)');
    }
  });

  it('balance whose as_of is older than the refresh', async () => {
    const account = await h.control.createAccount({ balanceAsOfLagSeconds: 3_600 });
    conforms(await refreshAndSettle(h, account.id, ['balance']), accountShape('cash'), 'account(lagging as_of)');
  });

  it('429 rate_limit envelope and headers (enforced limit)', async () => {
    await h.control.setRateLimit({ enabled: true, testPerSecond: 1, endpointPerSecond: 0 });
    try {
      let res = await raw(h.running.url, { path: '/v1/financial_connections/accounts' });
      for (let i = 0; i < 5 && res.status !== 429; i++) res = await raw(h.running.url, { path: '/v1/financial_connections/accounts' });
      expect(res.status).toBe(429);
      expect(Object.keys(res.json as object)).toEqual(['error']);
      expect((res.json as { error: object }).error).toEqual({
        type: 'invalid_request_error',
        code: 'rate_limit',
        doc_url: 'https://stripe.com/docs/error-codes/rate-limit',
        message: expect.any(String),
      });
      expect(res.headers.get('stripe-rate-limited-reason')).toBe('global-rate');
      expect(res.headers.get('request-id')).toMatch(/^req_/);
    } finally {
      await h.control.setRateLimit({ enabled: false });
    }
  });
});

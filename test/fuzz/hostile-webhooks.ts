// Malformed and hostile deliveries for the webhook receiver, drawn from a seeded generator (the same seed draws the
// same cases), each with the answers it may get. Shared by test/fuzz/webhook-fuzz.test.ts (CI, ~1,000 cases) and
// bench/fuzz.ts (10,000).
//
// Deliveries that are not signed with the endpoint's secret are built around one event that would complete a running
// refresh if it were believed. Correctly signed ones (as only Stripe can make) are about event types fc-refresh does
// not act on or accounts it does not know; none of them may start or signal a workflow.
import type Stripe from 'stripe';
import { seededRandom } from '../../bench/measure';

export const HOSTILE_KINDS = {
  'missing-signature': 5,
  'empty-signature': 2,
  'garbage-signature': 8,
  'wrong-secret': 8,
  'stale-timestamp': 8,
  'tampered-body': 8,
  'malformed-signature-header': 8,
  'oversized-header': 0.3,
  'oversized-body': 0.3,
  'wrong-content-type': 8,
  'wrong-route': 4,
  'signed-not-json': 6,
  'signed-not-an-event': 8,
  'signed-unstorable': 6,
  'signed-unknown-type': 8,
  'signed-unknown-account-lifecycle': 5,
  'signed-pending-refresh': 4,
  'signed-not-an-fc-account': 5,
  'signed-duplicate': 3,
  'signed-prototype-pollution': 2,
} as const;

export type HostileKind = keyof typeof HOSTILE_KINDS;

export interface HostileDelivery {
  kind: HostileKind;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** The answers a correct receiver may give. */
  expect: readonly number[];
  /** For signed deliveries answered 2xx: the event the receiver records. */
  recordsEventId?: string;
}

export interface HostileOptions {
  count: number;
  seed: number;
  /** Only its webhook signing helper is used. */
  stripe: Stripe;
  secret: string;
  /** An account whose refresh is running: forged events try to complete it. */
  targetAccountId: string;
}

const ROUTE = '/webhooks/stripe';
const JSON_TYPE = 'application/json; charset=utf-8';
const UNKNOWN_TYPES = ['customer.created', 'charge.succeeded', 'payment_intent.processing', 'financial_connections.account.refreshed_everything', 'financial_connections.session.updated', 'account.updated', 'ping'];
const LIFECYCLE_TYPES = ['financial_connections.account.deactivated', 'financial_connections.account.reactivated', 'financial_connections.account.disconnected'];
const REFRESHED_TYPES = ['financial_connections.account.refreshed_balance', 'financial_connections.account.refreshed_ownership', 'financial_connections.account.refreshed_transactions'];

export function hostileDeliveries(options: HostileOptions): HostileDelivery[] {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[random(0, items.length - 1)] as T;
  const text = (min: number, max: number, alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'): string =>
    Array.from({ length: random(min, max) }, () => alphabet[random(0, alphabet.length - 1)]).join('');
  /** Arbitrary bytes read as Latin-1 text: control characters, invalid UTF-8 once re-encoded, anything. */
  const binary = (min: number, max: number): string => Buffer.from(Array.from({ length: random(min, max) }, () => random(0, 255))).toString('latin1');
  const now = (): number => Math.floor(Date.now() / 1000);
  const sign = (payload: string, overrides: { secret?: string; timestamp?: number } = {}): string =>
    options.stripe.webhooks.generateTestHeaderString({ payload, secret: overrides.secret ?? options.secret, ...(overrides.timestamp === undefined ? {} : { timestamp: overrides.timestamp }) });
  const refreshed = { status: 'succeeded', last_attempted_at: now(), next_refresh_available_at: now() + 3600 };
  const account = (id: string, refresh: Record<string, unknown> = refreshed): Record<string, unknown> => ({
    id,
    object: 'financial_connections.account',
    balance: { as_of: now(), cash: { available: { usd: 1 } }, current: { usd: 1 }, type: 'cash' },
    balance_refresh: refresh,
    ownership: 'fcaowns_fuzz',
    ownership_refresh: refresh,
    transaction_refresh: { id: `fctxnref_${text(10, 20)}`, ...refresh },
    permissions: ['balances', 'ownership', 'transactions'],
    status: 'active',
    subscriptions: [],
  });
  const event = (type: string, object: unknown, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    id: `evt_fuzz${text(12, 24)}`,
    object: 'event',
    api_version: '2025-03-31.basil',
    created: now(),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
    ...overrides,
  });
  const unknownAccount = (): string => `fca_fuzz${text(10, 24, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`;
  /** The forgery's goal: complete the running refresh with a balance of the attacker's choosing. */
  const forged = (): string => JSON.stringify(event(pick(REFRESHED_TYPES), account(options.targetAccountId)));
  const post = (body: string | Buffer, headers: Record<string, string>, expect: readonly number[], extra: Partial<HostileDelivery> = {}) => ({
    method: 'POST',
    path: ROUTE,
    headers,
    body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
    expect,
    ...extra,
  });
  const signedEvent = (payload: Record<string, unknown>, expect: readonly number[]): Omit<HostileDelivery, 'kind'> => {
    const body = JSON.stringify(payload);
    return post(body, { 'content-type': JSON_TYPE, 'stripe-signature': sign(body) }, expect, expect[0] === 200 ? { recordsEventId: String(payload.id) } : {});
  };
  const delivered: string[] = [];

  const build: Record<HostileKind, () => Omit<HostileDelivery, 'kind'>> = {
    'missing-signature': () => post(forged(), { 'content-type': JSON_TYPE }, [400]),
    'empty-signature': () => post(forged(), { 'content-type': JSON_TYPE, 'stripe-signature': '' }, [400]),
    'garbage-signature': () => post(forged(), { 'content-type': JSON_TYPE, 'stripe-signature': text(1, 2_000, 'abcdef0123456789=,tv ;:/+-') }, [400]),
    'wrong-secret': () => {
      const body = forged();
      return post(body, { 'content-type': JSON_TYPE, 'stripe-signature': sign(body, { secret: `whsec_${text(20, 40)}` }) }, [400]);
    },
    'stale-timestamp': () => {
      const body = forged();
      return post(body, { 'content-type': JSON_TYPE, 'stripe-signature': sign(body, { timestamp: now() - random(301, 100_000_000) }) }, [400]);
    },
    'tampered-body': () => {
      const body = forged();
      const signature = sign(body);
      const tampered = body.replace(/"usd":1/, `"usd":${random(2, 1_000_000_000)}`);
      return post(tampered, { 'content-type': JSON_TYPE, 'stripe-signature': signature }, [400]);
    },
    'malformed-signature-header': () => {
      const body = forged();
      const valid = sign(body);
      const v1 = valid.split(',').find((part) => part.startsWith('v1=')) ?? '';
      const header = pick([
        `t=${now()}`,
        v1,
        `t=abc,${v1}`,
        `t=${now()},v0=${v1.slice(3)}`,
        valid.replace(/t=(\d+)/, (_, t: string) => `t=${Number(t) + 1}`),
        `t=${now()},v1=${'0'.repeat(64)}`,
        sign(`${body} `),
        `,,,,${'t=1,'.repeat(random(1, 500))}`,
        `t=${'9'.repeat(random(20, 400))},${v1}`,
      ]);
      return post(body, { 'content-type': JSON_TYPE, 'stripe-signature': header }, [400]);
    },
    // Node's HTTP server refuses header blocks over 16 KiB before the application sees them.
    'oversized-header': () => post(forged(), { 'content-type': JSON_TYPE, 'stripe-signature': `t=${now()},v1=${'a'.repeat(random(17_000, 40_000))}` }, [431]),
    // Fastify's default body limit: 1 MiB.
    'oversized-body': () => {
      const body = Buffer.alloc(random(1_048_577, 3_000_000), 0x20);
      return post(body, { 'content-type': JSON_TYPE, 'stripe-signature': sign(body.toString('utf8')) }, [413]);
    },
    'wrong-content-type': () => {
      const contentType = pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'image/png', '', '!!!', '*/*', 'application/json; charset=utf-16', 'a'.repeat(random(1, 300))]);
      const headers: Record<string, string> = { 'stripe-signature': text(10, 100) };
      if (contentType) headers['content-type'] = contentType;
      // A body that is not JSON, or not even text; the signature is junk either way.
      const body = pick([forged(), 'a=1&b=2', '<xml/>', binary(1, 2_000)]);
      return post(body, headers, [400, 415]);
    },
    'wrong-route': () => {
      const body = forged();
      const signature = sign(body);
      const [method, path] = pick([
        ['GET', ROUTE], ['PUT', ROUTE], ['DELETE', ROUTE], ['PATCH', ROUTE],
        ['POST', `${ROUTE}/x`], ['POST', '/webhooks/STRIPE'], ['POST', '/webhooks/stripe%00'], ['POST', '/webhooks'], ['POST', '/'], ['POST', `/${text(1, 200)}`],
      ] as const);
      return { method, path, headers: { 'content-type': JSON_TYPE, 'stripe-signature': signature }, body: method === 'GET' ? Buffer.alloc(0) : Buffer.from(body), expect: [404] };
    },
    'signed-not-json': () => {
      const body = pick([`{"id": "evt_1", `, '<event/>', 'null,', text(1, 500), forged().slice(0, random(1, 100)), binary(1, 500)]);
      return post(body, { 'content-type': JSON_TYPE, 'stripe-signature': sign(body) }, [400]);
    },
    'signed-not-an-event': () => {
      const payload = pick<unknown>([
        [], 42, 'event', null, true, {}, { hello: 'world' },
        { ...event('customer.created', {}), id: 42 },
        { ...event('customer.created', {}), created: 'yesterday' },
        { ...event('customer.created', {}), livemode: 'no' },
        { ...event('customer.created', {}), data: null },
        { ...event('customer.created', {}), data: { object: [] } },
        { ...event('customer.created', {}), type: '' },
        { ...event('customer.created', {}), created: 1.5 },
      ]);
      const body = JSON.stringify(payload);
      return post(body, { 'content-type': JSON_TYPE, 'stripe-signature': sign(body) }, [400]);
    },
    // Correctly signed, but nothing Stripe sends and nothing Postgres would store: refused, not retried as an outage.
    'signed-unstorable': () =>
      signedEvent(
        pick([
          () => event('customer.created', {}, { id: `evt_${text(3_000, 6_000)}` }),
          () => event('customer.created', {}, { id: `evt_\u0001${text(5, 10)}` }),
          () => event(`x.${text(300, 600)}`, {}),
          () => event('customer.created', {}, { created: -1 }),
          () => event('customer.created', {}, { created: 10 ** random(13, 20) }),
          () => event('customer.created', { id: 'cus_1', object: 'customer', description: `a\u0000b` }),
          () => event('customer.created', { id: 'cus_1', object: 'customer', description: `a\ud800b` }),
        ])(),
        [400],
      ),
    'signed-unknown-type': () => signedEvent(event(pick([...UNKNOWN_TYPES, `${text(1, 20).toLowerCase()}.${text(1, 20).toLowerCase()}`]), account(unknownAccount())), [200]),
    'signed-unknown-account-lifecycle': () => signedEvent(event(pick(LIFECYCLE_TYPES), { ...account(unknownAccount()), status: pick(['inactive', 'active', 'disconnected']) }), [200]),
    'signed-pending-refresh': () => {
      const pending = { status: 'pending', last_attempted_at: now(), next_refresh_available_at: null };
      return signedEvent(event(pick(REFRESHED_TYPES), account(unknownAccount(), pending)), [200]);
    },
    'signed-not-an-fc-account': () =>
      signedEvent(
        event(
          pick(REFRESHED_TYPES),
          pick<unknown>([
            { id: 'cus_1', object: 'customer' },
            { ...account(unknownAccount()), object: 'financial_connections.session' },
            { ...account(unknownAccount()), id: 42 },
            { ...account(unknownAccount()), id: `fca_${text(3_000, 6_000)}` },
            { ...account(unknownAccount()), id: `fca_${text(3, 8)}/../../${text(3, 8)}` },
            { object: 'financial_connections.account' },
          ]),
        ),
        [200],
      ),
    'signed-duplicate': () => {
      const previous = delivered.length > 0 ? pick(delivered) : undefined;
      const payload = previous ? (JSON.parse(previous) as Record<string, unknown>) : event(pick(UNKNOWN_TYPES), account(unknownAccount()));
      return signedEvent(payload, [200]);
    },
    'signed-prototype-pollution': () => {
      const body = `{"id":"evt_fuzz${text(12, 20)}","object":"event","created":${now()},"livemode":false,"type":"customer.created","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"data":{"object":{"id":"cus_1","object":"customer","__proto__":{"polluted":true}}}}`;
      return post(body, { 'content-type': JSON_TYPE, 'stripe-signature': sign(body) }, [200], { recordsEventId: (JSON.parse(body) as { id: string }).id });
    },
  };

  const kinds = Object.entries(HOSTILE_KINDS) as [HostileKind, number][];
  const total = kinds.reduce((sum, [, weight]) => sum + weight, 0);
  return Array.from({ length: options.count }, () => {
    let draw = random(0, 1_000_000) / 1_000_000 * total;
    const kind = kinds.find(([, weight]) => (draw -= weight) < 0)?.[0] ?? 'garbage-signature';
    const delivery = { kind, ...build[kind]() };
    if (kind === 'signed-unknown-type') delivered.push(delivery.body.toString('utf8'));
    return delivery;
  });
}

import type { FastifyInstance } from 'fastify';
import { errors } from '../errors';
import { paginate, readExpand, readPageParams } from '../http/pagination';
import { registerStripeRoute } from '../http/pipeline';
import type { Simulator } from '../simulator';
import type { AccountRecord } from '../state/accounts';
import { FEATURE_PERMISSION, FEATURES, type Feature } from '../types';

// /v1/financial_connections/accounts: retrieve, list, refresh, subscribe, unsubscribe, disconnect,
// owners (https://docs.stripe.com/api/financial_connections/accounts).

const BASE = '/v1/financial_connections/accounts';

/** "Refreshes aren't allowed on inactive accounts." / "Subscriptions aren't allowed on inactive accounts." */
function assertActive(account: AccountRecord, action: string): void {
  if (account.status !== 'active') throw errors.accountInactive(account.id, action);
}

function assertPermissions(account: AccountRecord, features: readonly Feature[]): void {
  for (const feature of features) {
    const permission = FEATURE_PERMISSION[feature];
    if (!account.permissions.includes(permission)) throw errors.missingPermission(account.id, feature, permission);
  }
}

export function registerAccountRoutes(app: FastifyInstance, sim: Simulator): void {
  registerStripeRoute(app, sim, 'GET', `${BASE}/:id`, ({ params, path }) => {
    const expand = readExpand(params, ['ownership']);
    params.assertNoUnknown();
    return sim.render(sim.account(path.id ?? ''), expand.has('ownership'));
  });

  registerStripeRoute(app, sim, 'GET', BASE, ({ params }) => {
    const holder = params.hash('account_holder', ['account', 'customer', 'customer_account']);
    const session = params.string('session');
    const expand = readExpand(params, ['data.ownership']);
    const page = readPageParams(params);
    params.assertNoUnknown();
    if (holder && Object.keys(holder).length > 1) {
      throw errors.invalidValue('account_holder', 'You may only specify one of these parameters: account_holder[account], account_holder[customer].');
    }
    // Sessions are not simulated: accounts are linked through the control API.
    if (session !== undefined) throw errors.resourceMissing('financial_connections.session', session, 'session');
    const matching = sim.accounts
      .list()
      .filter((a) => !holder?.customer || a.customer === holder.customer)
      // Simulated accounts are all held by customers: a Connect-account holder filter matches none.
      .filter(() => !holder?.account && !holder?.customer_account);
    const list = paginate(matching, page, BASE, 'financial_connections.account');
    return { ...list, data: list.data.map((a) => sim.render(a, expand.has('data.ownership'))) };
  });

  registerStripeRoute(app, sim, 'POST', `${BASE}/:id/refresh`, ({ params, path }) => {
    const features = [...new Set(params.enumArray('features', FEATURES, { required: true }) ?? [])];
    const expand = readExpand(params, ['ownership']);
    params.assertNoUnknown();
    const account = sim.account(path.id ?? '');
    assertActive(account, 'be refreshed');
    assertPermissions(account, features);
    // Each feature follows its own availability; a refused one leaves its hash untouched (200).
    for (const feature of features) sim.refreshes.request(account, feature);
    return sim.render(account, expand.has('ownership'));
  });

  registerStripeRoute(app, sim, 'POST', `${BASE}/:id/subscribe`, ({ params, path }) => {
    params.enumArray('features', ['transactions'] as const, { required: true });
    const expand = readExpand(params, ['ownership']);
    params.assertNoUnknown();
    const account = sim.account(path.id ?? '');
    sim.counters.subscribe(account.id);
    assertActive(account, 'be subscribed to');
    assertPermissions(account, ['transactions']);
    // "In addition to activating a subscription ... this API call automatically initiates a transaction
    // refresh" - subject to the usual availability rules. Subscribing again is a no-op.
    if (!account.subscriptions.includes('transactions')) {
      account.subscriptions = ['transactions'];
      sim.refreshes.request(account, 'transactions');
    }
    return sim.render(account, expand.has('ownership'));
  });

  registerStripeRoute(app, sim, 'POST', `${BASE}/:id/unsubscribe`, ({ params, path }) => {
    params.enumArray('features', ['transactions'] as const, { required: true });
    const expand = readExpand(params, ['ownership']);
    params.assertNoUnknown();
    const account = sim.account(path.id ?? '');
    sim.counters.unsubscribe(account.id);
    account.subscriptions = [];
    account.dailyBacklog = [];
    return sim.render(account, expand.has('ownership'));
  });

  registerStripeRoute(app, sim, 'POST', `${BASE}/:id/disconnect`, ({ params, path, requestId, idempotencyKey }) => {
    const expand = readExpand(params, ['ownership']);
    params.assertNoUnknown();
    const account = sim.account(path.id ?? '');
    sim.disconnect(account, { id: requestId, idempotency_key: idempotencyKey });
    return sim.render(account, expand.has('ownership'));
  });

  registerStripeRoute(app, sim, 'GET', `${BASE}/:id/owners`, ({ params, path }) => {
    const ownershipId = params.string('ownership', { required: true }) ?? '';
    const page = readPageParams(params);
    readExpand(params, []);
    params.assertNoUnknown();
    const account = sim.account(path.id ?? '');
    const ownership = sim.ownerships.get(ownershipId);
    if (!ownership || ownership.accountId !== account.id) {
      throw errors.resourceMissing('financial_connections.account_ownership', ownershipId, 'ownership');
    }
    return sim.ownerships.listOwners(ownership, page);
  });
}

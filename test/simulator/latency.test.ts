import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SimulatorControlError } from '../../simulator/control-client';
import { routeKind } from '../../simulator/http/latency';
import { startSimulator } from '../../simulator/server';
import { startHarness, stripeFor, type Harness } from './helpers';

// Per-route latency (e.g. 150-400 ms per list page, as the real API takes), set at start or through
// the control API. Only lower bounds are asserted: a busy machine can only add time.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control.setLatency([]);
});

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

describe('per-route latency', () => {
  it('applies a rule to list pages only; the first matching rule wins', async () => {
    const account = await h.control.createAccount({ transactionCount: 3 });
    await h.stripe.financialConnections.accounts.refresh(account.id, { features: ['transactions'] });
    await h.control.waitForWebhooksIdle();
    const rules = await h.control.setLatency([
      { route: 'GET /v1/financial_connections/transactions', minMs: 300, maxMs: 320 },
      { route: 'list', minMs: 150, maxMs: 200 },
    ]);
    expect(rules).toHaveLength(2);
    expect(await h.control.getLatency()).toEqual(rules);
    expect(await timed(() => h.stripe.financialConnections.accounts.list({ limit: 1 }))).toBeGreaterThanOrEqual(145);
    expect(await timed(() => h.stripe.financialConnections.transactions.list({ account: account.id }))).toBeGreaterThanOrEqual(295);
  });

  it('classifies routes: a GET ending in a path parameter retrieves, other GETs list, POSTs post', () => {
    expect(routeKind('GET', '/v1/financial_connections/accounts/:id')).toBe('retrieve');
    expect(routeKind('GET', '/v1/financial_connections/accounts')).toBe('list');
    expect(routeKind('GET', '/v1/financial_connections/accounts/:id/owners')).toBe('list');
    expect(routeKind('GET', '/v1/financial_connections/transactions')).toBe('list');
    expect(routeKind('POST', '/v1/financial_connections/accounts/:id/refresh')).toBe('post');
  });

  it('matches POST routes by their "METHOD /route" key', async () => {
    const account = await h.control.createAccount({});
    await h.control.setLatency([{ route: 'POST /v1/financial_connections/accounts/:id/refresh', minMs: 200, maxMs: 200 }, { route: '*', minMs: 0, maxMs: 0 }]);
    expect(await timed(() => h.stripe.financialConnections.accounts.refresh(account.id, { features: ['balance'] }))).toBeGreaterThanOrEqual(195);
    await h.control.waitForWebhooksIdle();
  });

  it('rejects a rule with maxMs < minMs', async () => {
    await expect(h.control.setLatency([{ route: 'list', minMs: 10, maxMs: 5 }])).rejects.toBeInstanceOf(SimulatorControlError);
  });

  it('the latency start option', async () => {
    const sim = await startSimulator({ port: 0, latency: [{ route: 'list', minMs: 120, maxMs: 140 }] });
    try {
      expect(await sim.control.getLatency()).toEqual([{ route: 'list', minMs: 120, maxMs: 140 }]);
      expect(await timed(() => stripeFor(sim.url).financialConnections.accounts.list())).toBeGreaterThanOrEqual(115);
    } finally {
      await sim.close();
    }
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, WEBHOOK_SECRET, type Harness } from './helpers';

// Stripe delivers to one endpoint in parallel: several events (and, with the concurrent-duplicate fault,
// several copies of one event) are in flight at once. The receiver answers slowly so overlaps are visible.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control.setWebhookFaults({});
  await h.control.setWebhookEndpoint({ url: h.receiver.url, secret: WEBHOOK_SECRET, concurrency: 4 });
  await h.control.waitForWebhooksIdle();
  await h.control.resetCounters();
  h.receiver.clear();
});

async function createMany(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await h.control.createAccount({})).id);
  return ids;
}

describe('delivery concurrency', () => {
  it('defaults to 4 deliveries in flight at once', async () => {
    const fresh = await startHarness();
    try {
      expect((await fresh.control.getWebhookEndpoint()).concurrency).toBe(4);
    } finally {
      await fresh.close();
    }
  });

  it('overlaps deliveries up to the configured concurrency', async () => {
    h.receiver.respondDelayMs = 150;
    const ids = await createMany(8);
    await h.control.waitForWebhooksIdle();
    expect(h.receiver.maxInFlight).toBeGreaterThanOrEqual(2);
    expect(h.receiver.maxInFlight).toBeLessThanOrEqual(4);
    expect(new Set(h.receiver.events().map((e) => (e.data.object as { id: string }).id))).toEqual(new Set(ids));
    expect(h.receiver.verificationFailures).toEqual([]);
  });

  it('concurrency 1 sends one at a time', async () => {
    await h.control.setWebhookEndpoint({ concurrency: 1 });
    h.receiver.respondDelayMs = 50;
    await createMany(4);
    await h.control.waitForWebhooksIdle();
    expect(h.receiver.maxInFlight).toBe(1);
    expect(h.receiver.received).toHaveLength(4);
  });

  it('concurrentDuplicateRate: the same event on several connections at once', async () => {
    await h.control.setWebhookFaults({ concurrentDuplicateRate: 1, concurrentCopies: 3 });
    h.receiver.respondDelayMs = 150;
    const account = await h.control.createAccount({});
    await h.control.waitForWebhooksIdle();
    const got = h.receiver.events({ account: account.id });
    expect(got).toHaveLength(3);
    expect(new Set(got.map((e) => e.id)).size).toBe(1);
    expect(h.receiver.maxInFlight).toBe(3);
    expect((await h.control.counters()).webhooks).toMatchObject({ concurrentCopies: 2, delivered: 3, attempts: 3 });
    const kinds = (await h.control.webhookDeliveries()).filter((d) => d.accountId === account.id).map((d) => d.kind);
    expect(kinds.sort()).toEqual(['concurrent', 'concurrent', 'original']);
  });
});

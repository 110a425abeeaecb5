import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/server';
import { stripeFor } from './helpers';

// close() must leave nothing behind: no refresh, retry, delay or clock timers, and the port free.

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('startSimulator / close', () => {
  it('close() stops every timer and frees the port, even with work queued', async () => {
    const baseline = timers();
    const sim = await startSimulator({
      port: 0,
      webhookUrl: 'http://127.0.0.1:9/unreachable',
      webhookRetry: { maxAttempts: 10, baseDelayMs: 5_000 },
      refreshLatencyMs: 10_000,
    });
    const stripe = stripeFor(sim.url);
    const account = await sim.control.createAccount({ prefetch: ['balance'], subscriptions: ['transactions'] });
    await stripe.financialConnections.accounts.refresh(account.id, { features: ['ownership'] });
    await sim.control.setWebhookFaults({ delayMs: 60_000 });
    await sim.control.createAccount({});
    await sim.control.advanceClock(3 * 86_400);
    expect(timers()).toBeGreaterThan(baseline);

    const t0 = Date.now();
    await sim.close();
    await sim.close(); // idempotent
    expect(Date.now() - t0).toBeLessThan(2_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(timers()).toBeLessThanOrEqual(baseline);

    await new Promise<void>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(sim.port, '127.0.0.1', () => server.close(() => resolve()));
    });
  });

  it('listens on a requested port', async () => {
    const probe = createServer();
    const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const sim = await startSimulator({ port });
    try {
      expect(sim.url).toBe(`http://127.0.0.1:${port}`);
      expect((await sim.control.health()).ok).toBe(true);
      await expect(startSimulator({ port })).rejects.toThrow();
    } finally {
      await sim.close();
    }
  });
});

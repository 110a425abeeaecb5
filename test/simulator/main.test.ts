import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SimulatorControl } from '../../simulator/control-client';
import { DEMO_IDS } from '../../simulator/demo';
import { stripeFor } from './helpers';

// The standalone entry point (npm run simulator): one line when ready, one line per bad variable.

const ROOT = new URL('../../', import.meta.url).pathname;

function run(env: Record<string, string>): { child: ReturnType<typeof spawn>; stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'simulator/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

describe('simulator/main.ts', () => {
  it('prints exactly one ready line, serves the demo accounts, and exits cleanly on SIGTERM', async () => {
    const proc = run({
      SIMULATOR_PORT: '0',
      SIMULATOR_DEMO: '1',
      SIMULATOR_WEBHOOK_CONCURRENCY: '2',
      SIMULATOR_WEBHOOK_RETRY_SCHEDULE: 'stripe-test',
      SIMULATOR_DEFAULT_COOLDOWN_SECONDS: '60',
      SIMULATOR_RATE_LIMIT: 'stripe',
      SIMULATOR_LATENCY: 'list:0-1,POST /v1/financial_connections/accounts/:id/refresh:2-3',
    });
    const deadline = Date.now() + 15_000;
    while (!proc.stdout().includes('\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const line = proc.stdout().trim();
    expect(line).toMatch(/^simulator listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = line.replace('simulator listening on ', '');
    const stripe = stripeFor(url);
    const checking = await stripe.financialConnections.accounts.retrieve(DEMO_IDS.checking);
    expect(checking.status).toBe('active');
    const prefetched = await stripe.financialConnections.accounts.retrieve(DEMO_IDS.prefetched);
    expect(prefetched.subscriptions).toEqual(['transactions']);
    const pi = await stripe.paymentIntents.retrieve(DEMO_IDS.paymentIntent, { expand: ['payment_method'] });
    expect(pi.payment_method).toMatchObject({ us_bank_account: { financial_connections_account: DEMO_IDS.checking } });
    const control = new SimulatorControl(url);
    expect(await control.getWebhookEndpoint()).toMatchObject({ concurrency: 2, retry: { schedule: 'stripe-test', timeScale: 0.001 } });
    expect(await control.getDefaults()).toMatchObject({ cooldownSeconds: { balance: 60, ownership: 60, transactions: 60 } });
    expect(await control.getRateLimit()).toEqual({ enabled: true, testPerSecond: 25, livePerSecond: 100, endpointPerSecond: 25 });
    expect(await control.getLatency()).toEqual([
      { route: 'list', minMs: 0, maxMs: 1 },
      { route: 'POST /v1/financial_connections/accounts/:id/refresh', minMs: 2, maxMs: 3 },
    ]);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.stdout().split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('names each bad variable on its own line and exits 2', async () => {
    const proc = run({
      SIMULATOR_PORT: 'http',
      SIMULATOR_WEBHOOK_URL: 'not a url',
      STRIPE_WEBHOOK_SECRET: 'secret',
      SIMULATOR_RATE_LIMIT: 'fast',
      SIMULATOR_LATENCY: 'list:400-150',
    });
    expect(await proc.exited).toBe(2);
    const lines = proc.stderr().trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.map((l) => l.split(' ')[3])).toEqual(['SIMULATOR_PORT', 'SIMULATOR_WEBHOOK_URL', 'STRIPE_WEBHOOK_SECRET', 'SIMULATOR_RATE_LIMIT', 'SIMULATOR_LATENCY']);
    expect(proc.stdout()).toBe('');
  });
});

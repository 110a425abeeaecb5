import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { startSimulator, type RunningSimulator, type StartSimulatorOptions } from '../../simulator/server';
import type { SimulatorControl } from '../../simulator/control-client';

// Shared wiring for the simulator's own tests: the simulator in-process on a free port, the real
// Stripe SDK pointed at it, and a tiny webhook receiver that verifies every delivery with
// stripe.webhooks.constructEvent (a delivery that does not verify is answered 400 and recorded).

export const WEBHOOK_SECRET = 'whsec_simulator_test_secret';

export interface ReceivedWebhook {
  event: Stripe.Event;
  body: string;
  signature: string;
  receivedAt: number;
}

export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  readonly verificationFailures: string[] = [];
  /** Statuses to answer with, consumed one per request; then 200. */
  readonly nextStatuses: number[] = [];
  /** How long each answer waits (to see deliveries overlap). */
  respondDelayMs = 0;
  /** Requests being answered right now, and the most at once since clear(). */
  inFlight = 0;
  maxInFlight = 0;
  private server: Server | undefined;
  url = '';

  constructor(
    private readonly stripe: Stripe,
    private readonly secret: string,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.on('close', () => (this.inFlight -= 1));
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.answer(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks`;
  }

  private async answer(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    // The status is picked in arrival order, before the (optional) slow answer.
    const status = this.nextStatuses.shift() ?? 200;
    if (this.respondDelayMs > 0) await new Promise((r) => setTimeout(r, this.respondDelayMs));
    const signature = String(req.headers['stripe-signature'] ?? '');
    if (status >= 200 && status < 300) {
      try {
        const event = this.stripe.webhooks.constructEvent(body, signature, this.secret);
        this.received.push({ event, body, signature, receivedAt: Date.now() });
      } catch (err) {
        this.verificationFailures.push(err instanceof Error ? err.message : String(err));
        res.writeHead(400).end();
        return;
      }
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  }

  events(filter?: { type?: string; account?: string }): Stripe.Event[] {
    return this.received
      .map((r) => r.event)
      .filter((e) => !filter?.type || e.type === filter.type)
      .filter((e) => !filter?.account || (e.data.object as { id?: string }).id === filter.account);
  }

  clear(): void {
    this.received.length = 0;
    this.verificationFailures.length = 0;
    this.nextStatuses.length = 0;
    this.respondDelayMs = 0;
    this.maxInFlight = this.inFlight;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface Harness {
  running: RunningSimulator;
  control: SimulatorControl;
  stripe: Stripe;
  receiver: WebhookReceiver;
  /** An SDK client with different settings against the same simulator. */
  client(opts?: { apiKey?: string; maxNetworkRetries?: number }): Stripe;
  close(): Promise<void>;
}

export function stripeFor(url: string, opts: { apiKey?: string; maxNetworkRetries?: number } = {}): Stripe {
  const u = new URL(url);
  return new Stripe(opts.apiKey ?? 'sk_test_simulator', {
    host: u.hostname,
    port: Number(u.port),
    protocol: 'http',
    maxNetworkRetries: opts.maxNetworkRetries ?? 0,
  });
}

export async function startHarness(opts: StartSimulatorOptions = {}): Promise<Harness> {
  const running = await startSimulator({
    port: 0,
    webhookSecret: WEBHOOK_SECRET,
    webhookRetry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    refreshLatencyMs: 20,
    ...opts,
  });
  const stripe = stripeFor(running.url);
  const receiver = new WebhookReceiver(stripe, WEBHOOK_SECRET);
  await receiver.start();
  await running.control.setWebhookEndpoint({ url: receiver.url });
  return {
    running,
    control: running.control,
    stripe,
    receiver,
    client: (o) => stripeFor(running.url, o),
    async close() {
      await running.close();
      await receiver.close();
    },
  };
}

export async function waitFor<T>(probe: () => T | Promise<T>, opts: { timeoutMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 5_000);
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'condition'}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Raw HTTP against the simulator, for what the SDK would never send. */
export async function raw(
  url: string,
  init: { method?: string; path: string; body?: string; headers?: Record<string, string>; auth?: string | null },
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.auth !== null) headers.authorization = init.auth ?? 'Bearer sk_test_simulator';
  if (init.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(`${url}${init.path}`, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: init.body } : {}) });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    /* keep text */
  }
  return { status: response.status, headers: response.headers, json };
}

/** Refresh, then wait until the simulator has completed it and delivered its webhook. */
export async function refreshAndSettle(h: Harness, id: string, features: ('balance' | 'ownership' | 'transactions')[]): Promise<Stripe.FinancialConnections.Account> {
  await h.stripe.financialConnections.accounts.refresh(id, { features });
  await h.control.waitForWebhooksIdle();
  return h.stripe.financialConnections.accounts.retrieve(id);
}

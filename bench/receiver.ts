// 6. The webhook receiver on loopback: verified events per second and p99, against a bare Node HTTP server
// answering 200 (the floor). Every measured request is a correctly signed delivery of an event already processed,
// so it exercises the whole duplicate path: raw-body capture, signature verification, JSON and envelope checks,
// the stripe_events upsert (deliveries + 1) and the 200 answer. 1,000 distinct events are cycled, so concurrent
// requests do not all queue on one row lock.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inParallel, log, round } from './measure';
import type { ProductStack } from './stack';
import type { LoadPlan, LoadResult } from './webhook-load';

export interface ReceiverResult {
  eventsPerSec: number;
  floorEventsPerSec: number;
  ratio: number;
  p99Ms: number;
}

const DISTINCT_EVENTS = 1_000;
const CONNECTIONS = 50;

/**
 * A refreshed_balance event whose refresh is still pending: recorded and acknowledged without a signal, so priming
 * the 1,000 events starts no workflows. The measured path (a duplicate) is the same for every event type.
 */
function pendingRefreshEvent(): string {
  const accountId = `fca_bench${randomBytes(6).toString('hex')}`;
  const now = Math.floor(Date.now() / 1000);
  return JSON.stringify({
    id: `evt_bench${randomBytes(10).toString('hex')}`,
    object: 'event',
    api_version: '2025-03-31.basil',
    created: now,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'financial_connections.account.refreshed_balance',
    data: {
      object: {
        id: accountId,
        object: 'financial_connections.account',
        balance_refresh: { status: 'pending', last_attempted_at: now, next_refresh_available_at: null },
        permissions: ['balances'],
        status: 'active',
      },
    },
  });
}

async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'fc-refresh-load-'));
  try {
    const planFile = join(dir, 'plan.json');
    await writeFile(planFile, JSON.stringify(plan));
    const script = fileURLToPath(new URL('./webhook-load.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, planFile], { maxBuffer: 1 << 20 });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as LoadResult;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The floor: reads the body and answers 200 with a small JSON body, nothing else. */
async function startBareServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks/stripe`, server };
}

export async function measureWebhookReceiver(stack: ProductStack, durationSeconds: number): Promise<{ result: ReceiverResult; floorP99Ms: number }> {
  const deliveries = Array.from({ length: DISTINCT_EVENTS }, () => {
    const body = pendingRefreshEvent();
    return { body, signature: stack.stripe.webhooks.generateTestHeaderString({ payload: body, secret: stack.webhookSecret }) };
  });
  // First deliveries: recorded and processed. Everything after is a verified duplicate.
  await inParallel(deliveries, 10, async (delivery) => {
    const response = await fetch(stack.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': delivery.signature },
      body: delivery.body,
    });
    if (response.status !== 200) throw new Error(`priming delivery answered ${response.status}`);
  });

  const bare = await startBareServer();
  try {
    const floor = await runLoad({ url: bare.url, connections: CONNECTIONS, durationSeconds, deliveries });
    const receiver = await runLoad({ url: stack.webhookUrl, connections: CONNECTIONS, durationSeconds, deliveries });
    log(`receiver: ${Math.round(receiver.requestsPerSec)}/s p99 ${receiver.p99Ms} ms (${receiver.non2xx} non-2xx); floor ${Math.round(floor.requestsPerSec)}/s p99 ${floor.p99Ms} ms`);
    if (receiver.non2xx > 0 || receiver.errors > 0) throw new Error(`receiver answered ${receiver.non2xx} non-2xx and ${receiver.errors} errors under load`);
    const { rows } = await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM stripe_events WHERE id LIKE 'evt_bench%' AND processed_at IS NOT NULL`);
    if (rows[0]?.n !== DISTINCT_EVENTS) throw new Error(`expected ${DISTINCT_EVENTS} processed bench events, found ${rows[0]?.n}`);
    return {
      result: {
        eventsPerSec: Math.round(receiver.requestsPerSec),
        floorEventsPerSec: Math.round(floor.requestsPerSec),
        ratio: round(receiver.requestsPerSec / floor.requestsPerSec, 3),
        p99Ms: receiver.p99Ms,
      },
      floorP99Ms: floor.p99Ms,
    };
  } finally {
    await new Promise((resolve) => bare.server.close(resolve));
  }
}

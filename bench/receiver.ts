// 6. The webhook receiver on loopback, 50 connections, load from autocannon in its own process.
//
// First deliveries: every request is a new, correctly signed `refreshed_balance` event of its own account whose
// refresh succeeded, so the receiver does all of its work: raw-body capture, signature verification, JSON and
// envelope checks, the stripe_events insert that claims it, signal-with-start of the account's refresh workflow and
// the account snapshot, then marking it processed, before the 200. Its floor is bare signal-with-start calls of the
// same workflows (signalRefreshCompleted, the receiver's own call) from this process through the same Temporal
// client, 50 at a time. Both start their workflows on a task queue no worker polls, so neither pays for the
// workflows running meanwhile; rounds alternate floor and receiver.
//
// Duplicates, reported apart: 1,000 events processed once before, then cycled for a duration; every measured
// request verifies the signature and is answered from stripe_events without a Temporal call. Their floor is a bare
// Node HTTP server answering 200.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pino } from 'pino';
import type { FcAccount } from '../common/stripe-account';
import { buildWebhookApp } from '../webhooks/app';
import { signalRefreshCompleted } from '../webhooks/refreshed-event';
import { inParallel, log, percentile, round } from './measure';
import type { ProductStack } from './stack';
import type { LoadPlan, LoadResult } from './webhook-load';

export interface ReceiverResult {
  /** First deliveries (verify, record, signal-with-start, mark processed) per second. */
  firstDeliveryPerSec: number;
  /** Bare signal-with-start calls per second from the same process on the same server. */
  signalFloorPerSec: number;
  ratio: number;
  /** Verified duplicates per second (no Temporal call). */
  duplicatePerSec: number;
  /** p99 of first deliveries. */
  p99Ms: number;
  duplicateP99Ms: number;
  /** Bare Node HTTP 200s per second, the duplicates' floor. */
  httpFloorPerSec: number;
}

export interface ReceiverDetail {
  firstDeliveries: number;
  rounds: number;
  firstDeliveryP50Ms: number;
  signalFloorP50Ms: number;
  signalFloorP99Ms: number;
  httpFloorP99Ms: number;
  duplicateSeconds: number;
}

export interface ReceiverPlan {
  /** First deliveries in all (and as many floor calls), split over the rounds. */
  firstDeliveries: number;
  rounds: number;
  duplicateSeconds: number;
}

const DISTINCT_DUPLICATES = 1_000;
const CONNECTIONS = 50;

function refreshedBalanceEvent(status: 'pending' | 'succeeded'): { body: string; account: FcAccount; id: string; created: number } {
  const now = Math.floor(Date.now() / 1000);
  const account = {
    id: `fca_bench${randomBytes(6).toString('hex')}`,
    object: 'financial_connections.account',
    balance_refresh: { status, last_attempted_at: now, next_refresh_available_at: status === 'pending' ? null : now + 60 },
    permissions: ['balances'],
    status: 'active',
  } as unknown as FcAccount;
  const id = `evt_bench${randomBytes(10).toString('hex')}`;
  const body = JSON.stringify({
    id,
    object: 'event',
    api_version: '2025-03-31.basil',
    created: now,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'financial_connections.account.refreshed_balance',
    data: { object: account },
  });
  return { body, account, id, created: now };
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

/** The duplicates' floor: reads the body and answers 200 with a small JSON body, nothing else. */
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

const signed = (stack: ProductStack, body: string) => ({ body, signature: stack.stripe.webhooks.generateTestHeaderString({ payload: body, secret: stack.webhookSecret }) });

/** First deliveries against bare signal-with-start calls, on a task queue without workers. */
async function measureFirstDeliveries(stack: ProductStack, plan: ReceiverPlan) {
  const idleQueue = `${stack.taskQueue}-receiver-bench`;
  const receiver = buildWebhookApp({ temporal: stack.client, taskQueue: idleQueue, pool: stack.pool, stripe: stack.stripe, webhookSecret: stack.webhookSecret, logger: pino({ level: 'silent' }) });
  await receiver.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(receiver.server.address() as { port: number }).port}/webhooks/stripe`;
  const perRound = Math.floor(plan.firstDeliveries / plan.rounds);
  const totals = { receiver: { requests: 0, seconds: 0, p50: [] as number[], p99: [] as number[] }, floor: { calls: 0, seconds: 0, latencies: [] as number[] } };
  const eventIds: string[] = [];
  try {
    for (let round = 0; round < plan.rounds; round++) {
      const sides = round % 2 === 0 ? (['floor', 'receiver'] as const) : (['receiver', 'floor'] as const);
      for (const side of sides) {
        if (side === 'floor') {
          const events = Array.from({ length: perRound }, () => refreshedBalanceEvent('succeeded'));
          const started = performance.now();
          await inParallel(events, CONNECTIONS, async (event) => {
            const callStarted = performance.now();
            await signalRefreshCompleted(stack.client, idleQueue, event, event.account, 'balance');
            totals.floor.latencies.push(performance.now() - callStarted);
          });
          totals.floor.seconds += (performance.now() - started) / 1000;
          totals.floor.calls += events.length;
        } else {
          const events = Array.from({ length: perRound }, () => refreshedBalanceEvent('succeeded'));
          eventIds.push(...events.map((event) => event.id));
          const load = await runLoad({ url, connections: CONNECTIONS, durationSeconds: 0, amount: events.length, deliveries: events.map((event) => signed(stack, event.body)) });
          if (load.non2xx > 0 || load.errors > 0) throw new Error(`receiver answered ${load.non2xx} non-2xx and ${load.errors} errors to first deliveries`);
          totals.receiver.requests += load.total;
          totals.receiver.seconds += load.total / load.requestsPerSec;
          totals.receiver.p50.push(load.p50Ms);
          totals.receiver.p99.push(load.p99Ms);
        }
      }
    }
  } finally {
    await receiver.close();
  }
  const { rows } = await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM stripe_events WHERE id = ANY($1) AND processed_at IS NOT NULL`, [eventIds]);
  if (rows[0]?.n !== eventIds.length || totals.receiver.requests !== eventIds.length) {
    throw new Error(`first deliveries: ${totals.receiver.requests} answered, ${rows[0]?.n} of ${eventIds.length} events processed`);
  }
  const firstPerSec = totals.receiver.requests / totals.receiver.seconds;
  const floorPerSec = totals.floor.calls / totals.floor.seconds;
  log(`receiver: first deliveries ${Math.round(firstPerSec)}/s (p99 ${Math.max(...totals.receiver.p99)} ms); bare signal-with-start ${Math.round(floorPerSec)}/s (p99 ${round(percentile(totals.floor.latencies, 99))} ms)`);
  return {
    firstPerSec,
    floorPerSec,
    p50Ms: Math.max(...totals.receiver.p50),
    p99Ms: Math.max(...totals.receiver.p99),
    floorP50Ms: round(percentile(totals.floor.latencies, 50)),
    floorP99Ms: round(percentile(totals.floor.latencies, 99)),
  };
}

async function measureDuplicates(stack: ProductStack, durationSeconds: number) {
  // Pending refreshes: recorded and acknowledged without a signal, so priming starts no workflows. The measured path
  // (a duplicate) is the same for every event type.
  const deliveries = Array.from({ length: DISTINCT_DUPLICATES }, () => signed(stack, refreshedBalanceEvent('pending').body));
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
    log(`receiver: duplicates ${Math.round(receiver.requestsPerSec)}/s p99 ${receiver.p99Ms} ms (${receiver.non2xx} non-2xx); bare HTTP ${Math.round(floor.requestsPerSec)}/s p99 ${floor.p99Ms} ms`);
    if (receiver.non2xx > 0 || receiver.errors > 0) throw new Error(`receiver answered ${receiver.non2xx} non-2xx and ${receiver.errors} errors under load`);
    return { receiver, floor };
  } finally {
    await new Promise((resolve) => bare.server.close(resolve));
  }
}

export async function measureWebhookReceiver(stack: ProductStack, plan: ReceiverPlan): Promise<{ result: ReceiverResult; detail: ReceiverDetail }> {
  const first = await measureFirstDeliveries(stack, plan);
  const duplicates = await measureDuplicates(stack, plan.duplicateSeconds);
  return {
    result: {
      firstDeliveryPerSec: Math.round(first.firstPerSec),
      signalFloorPerSec: Math.round(first.floorPerSec),
      ratio: round(first.firstPerSec / first.floorPerSec, 3),
      duplicatePerSec: Math.round(duplicates.receiver.requestsPerSec),
      p99Ms: first.p99Ms,
      duplicateP99Ms: duplicates.receiver.p99Ms,
      httpFloorPerSec: Math.round(duplicates.floor.requestsPerSec),
    },
    detail: {
      firstDeliveries: plan.firstDeliveries,
      rounds: plan.rounds,
      firstDeliveryP50Ms: first.p50Ms,
      signalFloorP50Ms: first.floorP50Ms,
      signalFloorP99Ms: first.floorP99Ms,
      httpFloorP99Ms: duplicates.floor.p99Ms,
      duplicateSeconds: plan.duplicateSeconds,
    },
  };
}

const n = (value: number): string => value.toLocaleString('en-US');

/** Figure 6's row and note in results.md. */
export function receiverMarkdown(w: ReceiverResult, d: ReceiverDetail, measured: string): { row: string; note: string } {
  return {
    row: `| 6. webhook receiver, 50 connections: ${n(d.firstDeliveries)} first deliveries; duplicates for ${d.duplicateSeconds} s | first deliveries ${n(w.firstDeliveryPerSec)} events/s, p99 ${w.p99Ms} ms; duplicates ${n(w.duplicatePerSec)}/s, p99 ${w.duplicateP99Ms} ms | bare signal-with-start ${n(w.signalFloorPerSec)}/s (p99 ${d.signalFloorP99Ms} ms); bare HTTP 200 ${n(w.httpFloorPerSec)}/s | ${w.ratio} of signal-with-start; duplicates ${round(w.duplicatePerSec / w.httpFloorPerSec, 3)} of HTTP |`,
    note: `- 6 (${measured}): first deliveries are new signed refreshed_balance events of a succeeded refresh, one account each, sent once each by autocannon in its own process (${d.rounds} rounds alternating with the floor): each verifies the signature, claims the event in stripe_events, signal-with-starts the account's balance refresh workflow while it stores the account snapshot and then the balance the event carries (settle and store in one transaction), marks the event processed, then answers 200 (p50 ${d.firstDeliveryP50Ms} ms). The floor is the receiver's own signal-with-start call (signalRefreshCompleted) made directly from the bench process through the same Temporal client, 50 at a time (p50 ${d.signalFloorP50Ms} ms); both start their workflows on a task queue no worker polls, so the runs of the workflows are not part of either. Duplicates: 1,000 events processed once before, cycled for ${d.duplicateSeconds} s: signature, JSON and envelope checks, the stripe_events upsert (deliveries + 1), 200 without a Temporal call (p99 ${w.duplicateP99Ms} ms; bare HTTP p99 ${d.httpFloorP99Ms} ms).`,
  };
}

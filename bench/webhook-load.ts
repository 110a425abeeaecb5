// The load generator for the webhook receiver benchmark, run as its own process so it does not share the
// receiver's event loop. Reads {url, connections, durationSeconds, deliveries: [{body, signature}]} from the JSON
// file named on the command line (optionally `amount`), cycles through the deliveries, and prints autocannon's figures as one JSON line.
import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';

export interface LoadPlan {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Send exactly this many requests (each delivery once when it equals their number) instead of for a duration. */
  amount?: number;
  deliveries: { body: string; signature: string }[];
}

export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

const planFile = process.argv[2];
if (!planFile) throw new Error('usage: webhook-load.ts <plan.json>');
const plan = JSON.parse(await readFile(planFile, 'utf8')) as LoadPlan;
let next = 0;
const result = await autocannon({
  url: plan.url,
  connections: plan.connections,
  ...(plan.amount ? { amount: plan.amount } : { duration: plan.durationSeconds }),
  requests: [
    {
      method: 'POST',
      setupRequest: (request) => {
        const delivery = plan.deliveries[next++ % plan.deliveries.length];
        if (!delivery) return request;
        return {
          ...request,
          body: delivery.body,
          headers: { ...request.headers, 'content-type': 'application/json; charset=utf-8', 'stripe-signature': delivery.signature },
        };
      },
    },
  ],
});
const output: LoadResult = {
  requestsPerSec: result.requests.total / result.duration,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  total: result.requests.total,
  non2xx: result.non2xx,
  errors: result.errors,
};
process.stdout.write(`${JSON.stringify(output)}\n`);

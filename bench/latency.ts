// 2. Webhook-to-commit latency: from the refreshed_balance webhook's arrival at the receiver
// (stripe_events.received_at) to the refresh's 'succeeded' row committed (fc_refreshes.updated_at), with
// 50 refreshes in flight at all times. Both timestamps come from Postgres' clock.
import { linkAccounts } from './accounts';
import { inParallel, log, percentile, round } from './measure';
import { runRefresh } from './refreshes';
import type { ProductStack } from './stack';

export interface LatencyResult {
  p50Ms: number;
  p99Ms: number;
}

export const CONCURRENT_REFRESHES = 50;

export async function measureWebhookToCommit(stack: ProductStack, samples: number): Promise<LatencyResult> {
  const accounts = await linkAccounts(stack, samples, {});
  await inParallel(accounts, CONCURRENT_REFRESHES, (id) => runRefresh(stack.client, stack.taskQueue, id, 'balance'));
  const { rows } = await stack.pool.query<{ ms: number }>(
    `SELECT extract(epoch FROM (r.updated_at - e.received_at)) * 1000 AS ms
       FROM fc_refreshes r
       JOIN stripe_events e ON e.account_id = r.account_id AND e.type = 'financial_connections.account.refreshed_balance'
      WHERE r.status = 'succeeded' AND r.feature = 'balance' AND r.account_id = ANY($1)`,
    [accounts],
  );
  if (rows.length !== samples) throw new Error(`expected ${samples} webhook/commit pairs, found ${rows.length}`);
  const latencies = rows.map((row) => Number(row.ms));
  log(`latency: ${samples} refreshes, ${CONCURRENT_REFRESHES} in flight`);
  return { p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)) };
}

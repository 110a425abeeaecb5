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
  // Refreshes complete 300 ms after they start, as in figures 1, 1b and 4 (the ordinary path).
  const accounts = await linkAccounts(stack, samples, { refreshLatencyMs: 300 });
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

/** Figure 2's row and note in results.md. */
export function latencyMarkdown(l: LatencyResult, samples: number, measured: string): { row: string; note: string } {
  return {
    row: `| 2. webhook → commit latency, ${samples} refreshes, ${CONCURRENT_REFRESHES} in flight | p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms | | |`,
    note: `- 2 (${measured}): from \`stripe_events.received_at\` of the refreshed_balance event to \`fc_refreshes.updated_at\` of the succeeded row; both Postgres timestamps. The simulator completes each refresh 300 ms after it starts.`,
  };
}

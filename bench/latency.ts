// 2. Webhook-to-commit latency, with 50 refreshes in flight at all times: from the refreshed_balance webhook's
// arrival at the receiver (stripe_events.received_at) to the balance it announces committed (fc_balances.stored_at
// of the event's as_of), and to the refresh's 'succeeded' row (fc_refreshes.updated_at). Beside it, the floor: the
// same signal-with-start path into a workflow that only records one row, as many at once. Every timestamp comes
// from Postgres' clock.
import { randomUUID } from 'node:crypto';
import type { NativeConnection } from '@temporalio/worker';
import { linkAccounts } from './accounts';
import { floorRecordSignal, type floorRecordWorkflow } from './floor-workflow';
import { FLOOR_ROWS, startFloorWorkers } from './floor-worker';
import { inParallel, log, percentile, round } from './measure';
import { runRefresh } from './refreshes';
import type { ProductStack } from './stack';

export interface LatencyResult {
  /** Webhook received → its balance committed. */
  p50Ms: number;
  p99Ms: number;
  /** Signal-with-start → one row recorded by the signalled workflow. */
  floorP50Ms: number;
  floorP99Ms: number;
  /** Webhook received → the refresh's 'succeeded' row (the workflow's last step). */
  refreshRowP50Ms: number;
  refreshRowP99Ms: number;
}

export const CONCURRENT_REFRESHES = 50;

const percentiles = (samples: number[]) => ({ p50: round(percentile(samples, 50)), p99: round(percentile(samples, 99)) });

export async function measureWebhookToCommit(stack: ProductStack, samples: number): Promise<LatencyResult> {
  // Refreshes complete 300 ms after they start, as in figures 1, 1b and 4 (the ordinary path).
  const accounts = await linkAccounts(stack, samples, { refreshLatencyMs: 300 });
  await inParallel(accounts, CONCURRENT_REFRESHES, (id) => runRefresh(stack.client, stack.taskQueue, id, 'balance'));
  const { rows } = await stack.pool.query<{ data_ms: number; row_ms: number }>(
    `SELECT extract(epoch FROM (b.stored_at - e.received_at)) * 1000 AS data_ms,
            extract(epoch FROM (r.updated_at - e.received_at)) * 1000 AS row_ms
       FROM fc_refreshes r
       JOIN stripe_events e ON e.account_id = r.account_id AND e.type = 'financial_connections.account.refreshed_balance'
       JOIN LATERAL (SELECT min(stored_at) AS stored_at FROM fc_balances
                      WHERE account_id = e.account_id AND as_of = to_timestamp((e.payload #>> '{data,object,balance,as_of}')::bigint)) b ON true
      WHERE r.status = 'succeeded' AND r.feature = 'balance' AND r.account_id = ANY($1)`,
    [accounts],
  );
  if (rows.length !== samples) throw new Error(`expected ${samples} webhook/commit pairs, found ${rows.length}`);
  const data = percentiles(rows.map((row) => Number(row.data_ms)));
  const row = percentiles(rows.map((row) => Number(row.row_ms)));
  const floor = await measureFloor(stack, samples);
  log(`latency: ${samples} refreshes, ${CONCURRENT_REFRESHES} in flight: balance committed p50 ${data.p50} ms; floor p50 ${floor.p50} ms; refresh row p50 ${row.p50} ms`);
  return { p50Ms: data.p50, p99Ms: data.p99, floorP50Ms: floor.p50, floorP99Ms: floor.p99, refreshRowP50Ms: row.p50, refreshRowP99Ms: row.p99 };
}

/** Signal-with-start → row recorded, `samples` times with 50 in flight, on floor workers of its own. */
async function measureFloor(stack: ProductStack, samples: number): Promise<{ p50: number; p99: number }> {
  const connection: NativeConnection | undefined = stack.nativeConnection;
  if (!connection) throw new Error('the latency floor needs in-process workers');
  const taskQueue = `${stack.taskQueue}-latency-floor`;
  await stack.pool.query(`CREATE TABLE IF NOT EXISTS ${FLOOR_ROWS} (id text PRIMARY KEY, sent_at timestamptz NOT NULL DEFAULT now(), recorded_at timestamptz)`);
  const workers = await startFloorWorkers(connection, stack.client, taskQueue, stack.pool);
  const ids = Array.from({ length: samples }, () => randomUUID());
  const signalAndWait = async (id: string) => {
    // As the receiver records the event (received_at) before it signals.
    await stack.pool.query(`INSERT INTO ${FLOOR_ROWS} (id) VALUES ($1)`, [id]);
    const handle = await stack.client.workflow.signalWithStart<typeof floorRecordWorkflow, []>('floorRecordWorkflow', {
      workflowId: `bench-latency-floor-${id}`, taskQueue, args: [id], signal: floorRecordSignal, signalArgs: [],
    });
    await handle.result();
  };
  try {
    // Warm-up, not counted: the workers' first workflow tasks (bundle load, caches, the table's first pages).
    await inParallel(Array.from({ length: CONCURRENT_REFRESHES }, () => randomUUID()), CONCURRENT_REFRESHES, signalAndWait);
    await inParallel(ids, CONCURRENT_REFRESHES, signalAndWait);
  } finally {
    await workers.stop();
  }
  const { rows } = await stack.pool.query<{ ms: number }>(
    `SELECT extract(epoch FROM (recorded_at - sent_at)) * 1000 AS ms FROM ${FLOOR_ROWS} WHERE id = ANY($1) AND recorded_at IS NOT NULL`,
    [ids],
  );
  if (rows.length !== samples) throw new Error(`expected ${samples} floor rows, found ${rows.length}`);
  return percentiles(rows.map((row) => Number(row.ms)));
}

/** Figure 2's row and note in results.md. */
export function latencyMarkdown(l: LatencyResult, samples: number, measured: string): { row: string; note: string } {
  return {
    row:
      `| 2. webhook → commit latency, ${samples} refreshes, ${CONCURRENT_REFRESHES} in flight | balance committed p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms; ` +
      `refresh row 'succeeded' p50 ${l.refreshRowP50Ms} ms, p99 ${l.refreshRowP99Ms} ms | signal-with-start → one row recorded: p50 ${l.floorP50Ms} ms, p99 ${l.floorP99Ms} ms | |`,
    note:
      `- 2 (${measured}): from \`stripe_events.received_at\` of the refreshed_balance event to \`fc_balances.stored_at\` of the balance it carries ` +
      `(the receiver stores it from the event before it answers, storeEventBalance in db/queries/refreshed-balance.ts) and to \`fc_refreshes.updated_at\` of the succeeded row ` +
      `(the workflow's last step, after it reads in a local activity that the receiver stored the balance); all Postgres timestamps (\`now()\`: the start of the writing transaction). ` +
      `The simulator completes each refresh 300 ms after it starts. The floor: a row inserted, then signal-with-start of a workflow on workers of its own ` +
      `that updates that row in a local activity once the signal is handled, ${CONCURRENT_REFRESHES} at once.`,
  };
}

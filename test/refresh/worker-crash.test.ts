import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { refreshWorkflowId } from '../../common/workflow-ids';
import { REFRESH_WORKFLOW_TYPE } from '../../common/workflow-types';
import type { RefreshResult } from '../../workflows/refresh-definitions';
import { FAST_POLL } from '../helpers/refresh';
import { startStack, type Stack } from '../helpers/stack';
import { killProcess, startWorkerProcess } from '../helpers/worker-process';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  await stack.stopWorkers(); // this file's workers run as real processes that can be killed
});
afterAll(async () => {
  await stack?.close();
});

test('worker killed mid-wait and restarted: the refresh completes, initiated once, no duplicate rows', async () => {
  const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: stack.taskQueue, DATABASE_URL: stack.databaseUrl, STRIPE_API_BASE: stack.simulatorUrl, WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath') };
  const account = await stack.simulator.createAccount({ transactionCount: 300, refreshLatencyMs: 4000 });
  const first = await startWorkerProcess(env);
  const handle = await stack.client.workflow.start(REFRESH_WORKFLOW_TYPE, {
    taskQueue: stack.taskQueue,
    workflowId: refreshWorkflowId('transactions', account.id),
    args: [{ accountId: account.id, feature: 'transactions', trigger: 'request', pollIntervalSeconds: FAST_POLL }],
  });
  await expect.poll(async () => {
    const { rows } = await stack.pool.query('SELECT status FROM fc_refreshes WHERE workflow_id = $1', [handle.workflowId]);
    return rows[0]?.status;
  }, { timeout: 30_000, interval: 100 }).toBe('pending');
  await killProcess(first);

  const second = await startWorkerProcess(env);
  try {
    const result = (await handle.result()) as RefreshResult;
    expect(result.outcome).toBe('succeeded');
    expect(result.initiations).toBe(1);
    expect((await stack.simulator.counters()).refreshes[account.id]?.transactions.initiated).toBe(1);
    const { rows } = await stack.pool.query('SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct_ids FROM fc_transactions WHERE account_id = $1', [account.id]);
    expect(rows[0]).toEqual({ n: 300, distinct_ids: 300 });
  } finally {
    await killProcess(second);
  }
}, 180_000); // two worker processes start within the test: each takes its time on a busy machine

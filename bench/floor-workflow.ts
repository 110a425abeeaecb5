// The orchestration floor for the throughput benchmark: the same shape as a balance refresh whose event the receiver
// stored (six local activities, two activities on a second task queue, one signal to wait for) with no I/O at all.
// What a refresh costs above this is fc-refresh's own work: Stripe calls, Postgres writes, the webhook path.
import { condition, defineSignal, proxyActivities, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { FloorActivities } from './floor-worker';

export const floorSignal = defineSignal('floorCompleted');
export const floorRecordSignal = defineSignal('floorRecord');

export async function floorWorkflow(): Promise<number> {
  let signalled = false;
  setHandler(floorSignal, () => {
    signalled = true;
  });
  const local = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '30 seconds' });
  const remote = proxyActivities<FloorActivities>({ taskQueue: `${workflowInfo().taskQueue}-remote`, startToCloseTimeout: '1 minute' });

  await local.noop(); // checking
  await remote.noop(); // getRefreshState
  await local.noop(); // initiating
  await remote.requestSignal(); // initiateRefresh: the "webhook" follows
  await local.noop(); // pending
  await condition(() => signalled);
  await local.noop(); // storing
  await local.noop(); // reportEventBalance
  await local.noop(); // succeeded
  return 8;
}

/**
 * Figure 2's floor: the receiver's path at its barest. Started by signal-with-start (as the receiver starts a
 * refresh), it records one row (a local activity, one commit) once the signal is handled.
 */
export async function floorRecordWorkflow(id: string): Promise<void> {
  let signalled = false;
  setHandler(floorRecordSignal, () => {
    signalled = true;
  });
  await condition(() => signalled);
  await proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '30 seconds' }).recordRow(id);
}

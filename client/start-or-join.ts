import { randomUUID } from 'node:crypto';
import type { Client, Workflow, WorkflowSignalWithStartOptions, WorkflowStartOptions } from '@temporalio/client';
import type { WithWorkflowArgs } from '@temporalio/common';

export interface StartedOrJoined {
  /** The run this call started, or the run it joined (for a signal, the run that received it). */
  runId: string;
  /** True when an execution was already running under the id, so this call joined it instead of starting one. */
  joined: boolean;
}

/**
 * Starts a workflow, or joins the execution already running under the same id (USE_EXISTING), so concurrent
 * callers share one. The SDK returns the running run id either way (it does not surface the server's `started`
 * flag), so each start carries a fresh nonce in its memo: a joining call finds another call's nonce there.
 */
export async function startOrJoin<T extends Workflow>(client: Client, workflowType: string, options: WorkflowStartOptions<T>): Promise<StartedOrJoined> {
  const startNonce = randomUUID();
  const handle = await client.workflow.start<T>(workflowType, {
    ...options,
    workflowIdConflictPolicy: 'USE_EXISTING',
    memo: { ...options.memo, startNonce },
  });
  return { runId: handle.firstExecutionRunId, joined: await startedElsewhere(client, options.workflowId, handle.firstExecutionRunId, startNonce) };
}

/**
 * As startOrJoin, for a workflow that must hear from each caller that joins it: signal-with-start hands the signal
 * to the execution running under the id, or starts one that receives it first.
 */
export async function signalWithStartOrJoin<T extends Workflow, SignalArgs extends unknown[]>(
  client: Client,
  workflowType: string,
  options: WithWorkflowArgs<T, WorkflowSignalWithStartOptions<SignalArgs>>,
): Promise<StartedOrJoined> {
  const startNonce = randomUUID();
  const handle = await client.workflow.signalWithStart<T, SignalArgs>(workflowType, { ...options, memo: { ...options.memo, startNonce } });
  return { runId: handle.signaledRunId, joined: await startedElsewhere(client, options.workflowId, handle.signaledRunId, startNonce) };
}

async function startedElsewhere(client: Client, workflowId: string, runId: string, startNonce: string): Promise<boolean> {
  const execution = await client.workflow.getHandle(workflowId, runId).describe();
  return execution.memo?.startNonce !== startNonce;
}

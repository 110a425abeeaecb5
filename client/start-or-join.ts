import { randomUUID } from 'node:crypto';
import type { Client, Workflow, WorkflowStartOptions } from '@temporalio/client';

export interface StartedOrJoined {
  /** The first run of the execution now running under the id: this start's, or the one it joined. */
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
  const runId = handle.firstExecutionRunId;
  const execution = await client.workflow.getHandle(options.workflowId, runId).describe();
  return { runId, joined: execution.memo?.startNonce !== startNonce };
}

import type { Client, WorkflowHandleWithSignaledRunId } from '@temporalio/client';
import { refreshRequest } from '../client/start-refresh';
import type { Feature } from '../common/features';
import { REFRESH_WORKFLOW_TYPE, type RefreshWorkflow } from '../common/workflow-types';
import type { RefreshResult, RefreshWorkflowInput } from '../workflows/refresh-definitions';

/** Starts a requested refresh the way client/start-refresh.ts does (same signal-with-start), minus its describe call. */
export function startRefreshWorkflow(
  client: Client,
  taskQueue: string,
  accountId: string,
  feature: Feature,
  extra: Partial<RefreshWorkflowInput> = {},
): Promise<WorkflowHandleWithSignaledRunId<RefreshWorkflow>> {
  return client.workflow.signalWithStart<RefreshWorkflow, [RefreshWorkflowInput]>(
    REFRESH_WORKFLOW_TYPE,
    refreshRequest(taskQueue, { accountId, feature, trigger: 'request', ...extra }),
  );
}

/** Runs one refresh to its end; a refresh that does not succeed fails the benchmark. */
export async function runRefresh(
  client: Client,
  taskQueue: string,
  accountId: string,
  feature: Feature,
  extra: Partial<RefreshWorkflowInput> = {},
): Promise<{ result: RefreshResult; runId: string }> {
  const handle = await startRefreshWorkflow(client, taskQueue, accountId, feature, extra);
  const result = await handle.result();
  if (result.outcome !== 'succeeded') throw new Error(`${feature} refresh of ${accountId} ended ${result.outcome}: ${JSON.stringify(result.error)}`);
  return { result, runId: handle.signaledRunId };
}

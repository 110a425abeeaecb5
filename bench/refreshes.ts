import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { Feature } from '../common/features';
import { FC_ACCOUNT_ID, FC_FEATURE, FC_REFRESH_STATUS } from '../common/search-attributes';
import { refreshWorkflowId } from '../common/workflow-ids';
import { REFRESH_WORKFLOW_TYPE, type RefreshWorkflow } from '../common/workflow-types';
import type { RefreshResult, RefreshWorkflowInput } from '../workflows/refresh-definitions';

/** Starts a requested refresh the way client/start-refresh.ts does (same id, search attributes), minus its describe call. */
export function startRefreshWorkflow(
  client: Client,
  taskQueue: string,
  accountId: string,
  feature: Feature,
  extra: Partial<RefreshWorkflowInput> = {},
): Promise<WorkflowHandleWithFirstExecutionRunId<RefreshWorkflow>> {
  return client.workflow.start<RefreshWorkflow>(REFRESH_WORKFLOW_TYPE, {
    workflowId: refreshWorkflowId(feature, accountId),
    taskQueue,
    args: [{ accountId, feature, trigger: 'request', ...extra }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [
      { key: FC_ACCOUNT_ID, value: accountId },
      { key: FC_FEATURE, value: feature },
      { key: FC_REFRESH_STATUS, value: 'checking' },
    ],
  });
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
  return { result, runId: handle.firstExecutionRunId };
}

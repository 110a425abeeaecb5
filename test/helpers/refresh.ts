import type { Client } from '@temporalio/client';
import type { Feature } from '../../common/features';
import { refreshWorkflowId } from '../../common/workflow-ids';
import { REFRESH_WORKFLOW_TYPE, type RefreshWorkflow } from '../../common/workflow-types';
import type { RefreshResult, RefreshWorkflowInput } from '../../workflows/refresh-definitions';

/** Test defaults: poll quickly so a lost webhook costs seconds, not minutes. */
export const FAST_POLL = { initial: 1, max: 2 };

/** Starts (or joins) the refresh workflow for a test and waits for its result. */
export async function runRefresh(
  client: Client,
  taskQueue: string,
  accountId: string,
  feature: Feature,
  extra: Partial<RefreshWorkflowInput> = {},
): Promise<RefreshResult> {
  const handle = await client.workflow.start<RefreshWorkflow>(REFRESH_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: refreshWorkflowId(feature, accountId),
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [{ accountId, feature, trigger: 'request', pollIntervalSeconds: FAST_POLL, ...extra } satisfies RefreshWorkflowInput],
  });
  return handle.result();
}

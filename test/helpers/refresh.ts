import type { Client } from '@temporalio/client';
import type { Feature } from '../../common/features';
import { refreshRequest } from '../../client/start-refresh';
import { REFRESH_WORKFLOW_TYPE, type RefreshWorkflow } from '../../common/workflow-types';
import type { RefreshResult, RefreshWorkflowInput } from '../../workflows/refresh-definitions';

/** Test defaults: poll quickly so a lost webhook costs seconds, not minutes. */
export const FAST_POLL = { initial: 1, max: 2 };

/** Requests a refresh as the client does (signal-with-start: starts or joins) and waits for its result. */
export async function runRefresh(
  client: Client,
  taskQueue: string,
  accountId: string,
  feature: Feature,
  extra: Partial<RefreshWorkflowInput> = {},
): Promise<RefreshResult> {
  const input: RefreshWorkflowInput = { accountId, feature, trigger: 'request', pollIntervalSeconds: FAST_POLL, ...extra };
  const handle = await client.workflow.signalWithStart<RefreshWorkflow, [RefreshWorkflowInput]>(REFRESH_WORKFLOW_TYPE, refreshRequest(taskQueue, input));
  return handle.result();
}

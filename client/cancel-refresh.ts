import type { Client } from '@temporalio/client';
import type { Feature } from '../common/features';
import { refreshWorkflowId } from '../common/workflow-ids';
import { toFcRefreshError } from './temporal-errors';
import { parseAccountId, parseFeature } from './validate';

export interface CancelledRefresh {
  workflowId: string;
  runId: string;
  /** False when the latest refresh had already ended, so there was nothing to cancel. */
  wasRunning: boolean;
}

/**
 * Requests cancellation of the running refresh of this feature. The workflow decides how to stop (a Stripe
 * refresh already initiated cannot be recalled); RefreshNotFoundError when there has never been one.
 */
export async function cancelRefresh(client: Client, accountId: string, feature: Feature): Promise<CancelledRefresh> {
  const account = parseAccountId(accountId);
  const checkedFeature = parseFeature(feature);
  const workflowId = refreshWorkflowId(checkedFeature, account);
  try {
    const execution = await client.workflow.getHandle(workflowId).describe();
    const wasRunning = execution.status.name === 'RUNNING';
    if (wasRunning) await client.workflow.getHandle(workflowId, execution.runId).cancel();
    return { workflowId, runId: execution.runId, wasRunning };
  } catch (err) {
    throw toFcRefreshError(err, { accountId: account, feature: checkedFeature });
  }
}

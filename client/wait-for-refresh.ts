import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { RefreshResult } from '../workflows/refresh-definitions';
import { RefreshFailedError } from './errors';
import type { RefreshWorkflow } from '../common/workflow-types';
import { startRefresh, type StartedRefresh, type StartRefreshOptions } from './start-refresh';
import { toFcRefreshError } from './temporal-errors';

/**
 * Waits for a started (or joined) refresh to end. Resolves with the result when fresh data was stored;
 * rejects with RefreshFailedError carrying the result for every other outcome, and with `result: null`
 * when the execution itself was cancelled, terminated or timed out.
 */
export async function waitForRefresh(client: Client, started: Pick<StartedRefresh, 'accountId' | 'feature' | 'workflowId' | 'runId'>): Promise<RefreshResult> {
  const { accountId, feature } = started;
  let result: RefreshResult;
  try {
    result = await client.workflow.getHandle<RefreshWorkflow>(started.workflowId, started.runId).result();
  } catch (err) {
    if (err instanceof WorkflowFailedError) {
      throw new RefreshFailedError(accountId, feature, null, err.cause?.message ?? err.message, err);
    }
    throw toFcRefreshError(err, { accountId, feature });
  }
  if (result.outcome !== 'succeeded') {
    throw new RefreshFailedError(accountId, feature, result, result.error ? `${result.outcome} (${result.error.code})` : result.outcome);
  }
  return result;
}

/** startRefresh, then waitForRefresh. */
export async function refreshAndWait(client: Client, options: StartRefreshOptions): Promise<RefreshResult> {
  return waitForRefresh(client, await startRefresh(client, options));
}

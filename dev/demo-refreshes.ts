import type { Client } from '@temporalio/client';
import { startRefresh } from '../client/start-refresh';
import { waitForRefresh } from '../client/wait-for-refresh';
import { FEATURES } from '../common/features';
import { logger } from '../common/node/logger';
import type { RefreshResult } from '../workflows/refresh-definitions';

/** One refresh of each feature of a demo account, so a new user sees workflows complete in the Web UI. */
export async function runDemoRefreshes(client: Client, taskQueue: string, accountId: string): Promise<void> {
  await Promise.all(
    FEATURES.map(async (feature) => {
      const started = await startRefresh(client, { accountId, feature, taskQueue });
      try {
        const result: RefreshResult = await waitForRefresh(client, started);
        logger.info({ accountId, feature, workflowId: started.workflowId, outcome: result.outcome, stored: result.stored }, 'demo refresh finished');
      } catch (err) {
        logger.warn({ accountId, feature, workflowId: started.workflowId, err: err instanceof Error ? err.message : String(err) }, 'demo refresh did not succeed');
      }
    }),
  );
}

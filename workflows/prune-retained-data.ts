// The daily retention job (schedule `fc-refresh/prune/<task queue>`): prunes the change feed and the stored data
// the product no longer needs, with the ages the worker was configured with.
import { proxyActivities } from '@temporalio/workflow';
import type { DbActivities } from '../activities';
import type { PruneCounts } from '../db/queries/retention';

export async function pruneRetainedDataWorkflow(): Promise<PruneCounts> {
  const { pruneRetainedData } = proxyActivities<DbActivities>({ startToCloseTimeout: '30 minutes', retry: { maximumInterval: '5 minutes' } });
  return pruneRetainedData();
}

import { pruneRetainedData as prune, type PruneCounts, type RetentionAges } from '../db/queries/retention';
import type { ActivityDeps } from './deps';

/** The daily retention job's work: the ages come from the worker's validated configuration. */
export function createPruneRetainedData({ pool, retention }: Pick<ActivityDeps, 'pool'> & { retention: RetentionAges }) {
  return async function pruneRetainedData(): Promise<PruneCounts> {
    return prune(pool, retention);
  };
}

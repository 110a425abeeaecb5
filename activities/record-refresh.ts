import { upsertRefreshRecord, type RefreshRecord } from '../db/queries/refreshes';
import type { ActivityDeps } from './deps';

/** Writes the refresh lifecycle row other services read (fc_refreshes). */
export function createRecordRefresh({ pool }: Pick<ActivityDeps, 'pool'>) {
  return async function recordRefresh(record: RefreshRecord): Promise<void> {
    await upsertRefreshRecord(pool, record);
  };
}

import type pg from 'pg';
import { ChangeFeed } from '../../client/change-feed';
import type { Change, SyncOptions } from '../../client/change-types';

/** Syncs page by page until caught up, as a consumer would; returns every change and the cursor it ended at. */
export async function drain(pool: pg.Pool, options: SyncOptions): Promise<{ changes: Change[]; cursor: string; pages: number }> {
  const feed = new ChangeFeed(pool);
  const changes: Change[] = [];
  let cursor = options.cursor;
  let pages = 0;
  for (;;) {
    const page = await feed.sync({ ...options, ...(cursor === undefined ? {} : { cursor }) });
    pages += 1;
    changes.push(...page.changes);
    cursor = page.nextCursor;
    if (!page.hasMore) return { changes, cursor, pages };
  }
}

export const seqs = (changes: Change[]): number[] => changes.map((change) => change.seq);

/** Consecutive integers from `first`: strictly increasing, nothing missing, nothing twice. */
export function expectContiguous(values: number[], first: number): boolean {
  return values.every((value, index) => value === first + index);
}

import type { Queryable } from '../pool';

/** The features whose latest stored result is stamped on fc_accounts. */
export type StampedFeature = 'balance' | 'ownership';

const REFRESHED_AT_COLUMN = {
  balance: 'balance_refreshed_at',
  ownership: 'ownership_refreshed_at',
} as const satisfies Record<StampedFeature, string>;

/** When fc-refresh last stored a result of `feature` for the account; null if never (or unknown account). */
export async function getFeatureRefreshedAt(db: Queryable, accountId: string, feature: StampedFeature): Promise<Date | null> {
  const { rows } = await db.query<{ refreshed_at: Date | null }>(
    `SELECT ${REFRESHED_AT_COLUMN[feature]} AS refreshed_at FROM fc_accounts WHERE id = $1`,
    [accountId],
  );
  return rows[0]?.refreshed_at ?? null;
}

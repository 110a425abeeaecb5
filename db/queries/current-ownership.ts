import type { AccountOwner } from '../../domain/ownership-match';
import type { Queryable } from '../pool';

export interface StoredOwner extends AccountOwner {
  id: string;
}

export interface CurrentOwnership {
  /** fc_accounts.ownership_id: the last fully stored snapshot; null when none was stored. */
  ownershipId: string | null;
  refreshedAt: Date | null;
  /** The account's status as last seen from Stripe (fc_accounts.status). */
  accountStatus: 'active' | 'inactive' | 'disconnected';
  /** That snapshot's owners (PII), in id order so ties between owners resolve the same way every time. */
  owners: StoredOwner[];
}

/** The account's current ownership snapshot; null for an account fc-refresh has never seen. */
export async function loadCurrentOwnership(db: Queryable, accountId: string): Promise<CurrentOwnership | null> {
  const account = await db.query<{ status: CurrentOwnership['accountStatus']; ownership_id: string | null; ownership_refreshed_at: Date | null }>(
    `SELECT status, ownership_id, ownership_refreshed_at FROM fc_accounts WHERE id = $1`,
    [accountId],
  );
  const row = account.rows[0];
  if (!row) return null;
  if (!row.ownership_id) return { ownershipId: null, refreshedAt: row.ownership_refreshed_at, accountStatus: row.status, owners: [] };
  const { rows } = await db.query<{ id: string; name: string | null; email: string | null; phone: string | null; raw_address: string | null }>(
    `SELECT id, name, email, phone, raw_address FROM fc_owners
      WHERE account_id = $1 AND ownership_id = $2 ORDER BY id COLLATE "C"`,
    [accountId, row.ownership_id],
  );
  return {
    ownershipId: row.ownership_id,
    refreshedAt: row.ownership_refreshed_at,
    accountStatus: row.status,
    owners: rows.map((owner) => ({ id: owner.id, name: owner.name, email: owner.email, phone: owner.phone, rawAddress: owner.raw_address })),
  };
}

import type { Queryable } from '../pool';

/** What the caller expects the account's owner to be (PII: written by the client, read by one activity). */
export interface ExpectedOwnerValues {
  name: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
}

export interface OwnershipCheckRequest {
  id: string;
  accountId: string;
  maxAgeSeconds: number;
  expected: ExpectedOwnerValues;
}

/** The comparison's outcome as recorded: statuses, scores and ids only. */
export interface OwnershipCheckCompletion {
  id: string;
  workflowId: string;
  ownershipId: string | null;
  ownersCompared: number;
  bestOwnerId: string | null;
  overall: 'match' | 'review' | 'no_match';
  reason: string;
  score: number | null;
  fields: object | null;
  ownershipRefreshedAt: Date | null;
  dataSource: 'stored' | 'refreshed';
  fresh: boolean;
  staleReason: string | null;
  refresh: object | null;
}

/** Stores a verification request as `pending` before its workflow starts, so the workflow only needs its id. */
export async function insertOwnershipCheckRequest(db: Queryable, request: OwnershipCheckRequest): Promise<void> {
  await db.query(
    `INSERT INTO fc_ownership_checks (id, account_id, status, expected_name, expected_email, expected_phone,
        expected_address, max_age_seconds)
     VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7)`,
    [request.id, request.accountId, request.expected.name, request.expected.email, request.expected.phone, request.expected.address, request.maxAgeSeconds],
  );
}

export async function getOwnershipCheckRequest(db: Queryable, id: string): Promise<OwnershipCheckRequest | null> {
  const { rows } = await db.query<{
    id: string; account_id: string; max_age_seconds: number;
    expected_name: string | null; expected_email: string | null; expected_phone: string | null; expected_address: string | null;
  }>(
    `SELECT id, account_id, max_age_seconds, expected_name, expected_email, expected_phone, expected_address
       FROM fc_ownership_checks WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    accountId: row.account_id,
    maxAgeSeconds: row.max_age_seconds,
    expected: { name: row.expected_name, email: row.expected_email, phone: row.expected_phone, address: row.expected_address },
  };
}

/** Writes the comparison; idempotent, so a retried activity records the same check once. */
export async function completeOwnershipCheck(db: Queryable, completion: OwnershipCheckCompletion): Promise<void> {
  await db.query(
    `UPDATE fc_ownership_checks SET status = 'completed', workflow_id = $2, ownership_id = $3, owners_compared = $4,
        best_owner_id = $5, overall = $6, reason = $7, score = $8, fields = $9, ownership_refreshed_at = $10,
        data_source = $11, fresh = $12, stale_reason = $13, refresh = $14, completed_at = now()
      WHERE id = $1`,
    [
      completion.id, completion.workflowId, completion.ownershipId, completion.ownersCompared, completion.bestOwnerId,
      completion.overall, completion.reason, completion.score, completion.fields ? JSON.stringify(completion.fields) : null,
      completion.ownershipRefreshedAt, completion.dataSource, completion.fresh, completion.staleReason,
      completion.refresh ? JSON.stringify(completion.refresh) : null,
    ],
  );
}

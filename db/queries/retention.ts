import type { Queryable } from '../pool';

/** Ages in days (fractions allowed), as configured by the FC_*_RETENTION_DAYS / FC_CHANGES_MAX_AGE_DAYS variables. */
export interface RetentionAges {
  changesRetentionDays: number;
  changesMaxAgeDays: number;
  ownersRetentionDays: number;
  eventPayloadRetentionDays: number;
  ownershipCheckRetentionDays: number;
}

export interface PruneCounts {
  changes: number;
  /** Every change up to this seq is gone; consumers behind it must resync. */
  changesPrunedThrough: number;
  owners: number;
  eventPayloads: number;
  ownershipChecks: number;
}

const SECONDS_PER_DAY = 86_400;
const cutoff = (days: number) => new Date(Date.now() - days * SECONDS_PER_DAY * 1000);

/**
 * Prunes the change feed and the stored data the product no longer needs (and which may hold personal data).
 * Change rows go as a prefix of the feed, so "pruned through seq N" describes exactly what is gone: up to the
 * oldest consumer's cursor once the retention has elapsed, and anything older than the maximum age regardless.
 * recorded_at grows with seq, so the first change young enough is found by walking seq from the oldest (no index on
 * recorded_at: it would cost every change-writing transaction one more index insert per row).
 */
export async function pruneRetainedData(db: Queryable, ages: RetentionAges): Promise<PruneCounts> {
  const { rows: bounds } = await db.query<{ through: number }>(
    `WITH state AS (SELECT last_seq, pruned_through FROM fc_change_log_state),
          read_by_all AS (SELECT least((SELECT last_seq FROM state), (SELECT min(cursor_seq) FROM fc_consumers)) AS seq),
          retained AS (SELECT coalesce(least((SELECT seq - 1 FROM fc_changes WHERE recorded_at >= $1 ORDER BY seq LIMIT 1),
                                             (SELECT first_seq - 1 FROM fc_transaction_changes WHERE recorded_at >= $1 ORDER BY last_seq LIMIT 1)),
                                       (SELECT last_seq FROM state)) AS seq),
          too_old AS (SELECT coalesce(least((SELECT seq - 1 FROM fc_changes WHERE recorded_at >= $2 ORDER BY seq LIMIT 1),
                                            (SELECT first_seq - 1 FROM fc_transaction_changes WHERE recorded_at >= $2 ORDER BY last_seq LIMIT 1)),
                                      (SELECT last_seq FROM state)) AS seq)
     SELECT greatest((SELECT pruned_through FROM state), least((SELECT seq FROM read_by_all), (SELECT seq FROM retained)), (SELECT seq FROM too_old)) AS through`,
    [cutoff(ages.changesRetentionDays), cutoff(ages.changesMaxAgeDays)],
  );
  const through = bounds[0]?.through ?? 0;
  const changes = await db.query(`DELETE FROM fc_changes WHERE seq <= $1`, [through]);
  // A batch of transaction changes goes once all of it is pruned; the part of one still kept is never read again
  // (every cursor is past pruned_through), so its changes count as pruned with the rest.
  const batches = await db.query<{ count: number }>(
    `WITH gone AS (DELETE FROM fc_transaction_changes WHERE last_seq <= $1 RETURNING cardinality(changes) AS n) SELECT coalesce(sum(n), 0)::bigint AS count FROM gone`,
    [through],
  );
  // Last, so the state row (which every change-writing transaction updates) is locked only for the commit.
  await db.query(`UPDATE fc_change_log_state SET pruned_through = greatest(pruned_through, $1)`, [through]);
  const owners = await db.query(
    `DELETE FROM fc_owners o WHERE o.stored_at < $1
        AND NOT EXISTS (SELECT 1 FROM fc_accounts a WHERE a.id = o.account_id AND a.ownership_id = o.ownership_id)`,
    [cutoff(ages.ownersRetentionDays)],
  );
  const events = await db.query(
    `UPDATE stripe_events SET payload = NULL WHERE payload IS NOT NULL AND processed_at IS NOT NULL AND received_at < $1`,
    [cutoff(ages.eventPayloadRetentionDays)],
  );
  const checks = await db.query(
    `UPDATE fc_ownership_checks SET expected_name = NULL, expected_email = NULL, expected_phone = NULL, expected_address = NULL
      WHERE created_at < $1
        AND (expected_name IS NOT NULL OR expected_email IS NOT NULL OR expected_phone IS NOT NULL OR expected_address IS NOT NULL)`,
    [cutoff(ages.ownershipCheckRetentionDays)],
  );
  return {
    changes: (changes.rowCount ?? 0) + (batches.rows[0]?.count ?? 0),
    changesPrunedThrough: through,
    owners: owners.rowCount ?? 0,
    eventPayloads: events.rowCount ?? 0,
    ownershipChecks: checks.rowCount ?? 0,
  };
}

/** The configured ages, from the validated `retention` config section. */
export function retentionAgesOf(config: {
  FC_CHANGES_RETENTION_DAYS: number;
  FC_CHANGES_MAX_AGE_DAYS: number;
  FC_OWNERS_RETENTION_DAYS: number;
  FC_EVENT_PAYLOAD_RETENTION_DAYS: number;
  FC_OWNERSHIP_CHECK_RETENTION_DAYS: number;
}): RetentionAges {
  return {
    changesRetentionDays: config.FC_CHANGES_RETENTION_DAYS,
    changesMaxAgeDays: config.FC_CHANGES_MAX_AGE_DAYS,
    ownersRetentionDays: config.FC_OWNERS_RETENTION_DAYS,
    eventPayloadRetentionDays: config.FC_EVENT_PAYLOAD_RETENTION_DAYS,
    ownershipCheckRetentionDays: config.FC_OWNERSHIP_CHECK_RETENTION_DAYS,
  };
}

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Queryable } from '../pool';
import { toTimestamp } from '../pool';

/** A verified webhook event as stored: the envelope fields we index, and the event itself. */
export interface StripeEventRecord {
  id: string;
  type: string;
  /** The Financial Connections account the event is about, when it is about one. */
  accountId: string | null;
  /** Unix seconds, as Stripe sends it. */
  created: number;
  livemode: boolean;
  payload: unknown;
}

/**
 * Postgres refused the event's content itself (SQLSTATE class 22, data exception: a \u0000 or an unpaired surrogate in
 * its JSON, …). Storing it again would fail again, so this is not an outage to wait out.
 */
export class UnstorableEventError extends Error {
  constructor(eventId: string, cause: Error) {
    super(`stripe event ${eventId.slice(0, 64)} cannot be stored: ${cause.message}`, { cause });
    this.name = 'UnstorableEventError';
  }
}

/**
 * What a delivery may do with the event. claimed: this delivery holds the processing lease and must act, then mark
 * the event processed or failed. processed: an earlier delivery finished the work (Stripe delivers at least once).
 * busy: a concurrent delivery holds the lease right now.
 */
export type EventClaim = { state: 'claimed'; token: string } | { state: 'processed' } | { state: 'busy'; until: Date };

/**
 * Stores the event on its first delivery, counts each redelivery, and claims it for processing in the same
 * statement: the row lock of INSERT … ON CONFLICT makes concurrent deliveries of one event take turns, and only one
 * of them gets the lease (`claim_token`) while it is unprocessed and unclaimed or its lease expired.
 */
export async function claimEvent(db: Queryable, event: StripeEventRecord, leaseMs: number): Promise<EventClaim> {
  const token = randomUUID();
  const { rows } = await db
    .query<{ processed_at: Date | null; claim_token: string | null; claimed_until: Date | null }>(
      `INSERT INTO stripe_events (id, type, account_id, created, livemode, payload, claim_token, claimed_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, clock_timestamp() + $8 * interval '1 millisecond')
       ON CONFLICT (id) DO UPDATE SET deliveries = stripe_events.deliveries + 1,
          (claim_token, claimed_until) = (
            SELECT CASE WHEN claimable THEN EXCLUDED.claim_token ELSE stripe_events.claim_token END,
                   CASE WHEN claimable THEN EXCLUDED.claimed_until ELSE stripe_events.claimed_until END
              FROM (SELECT stripe_events.processed_at IS NULL
                       AND (stripe_events.claimed_until IS NULL OR stripe_events.claimed_until < clock_timestamp()) AS claimable) AS c)
       RETURNING processed_at, claim_token, claimed_until`,
      [event.id, event.type, event.accountId, toTimestamp(event.created), event.livemode, JSON.stringify(event.payload), token, leaseMs],
    )
    .catch((err: unknown) => {
      throw err instanceof pg.DatabaseError && err.code?.startsWith('22') ? new UnstorableEventError(event.id, err) : err;
    });
  const row = rows[0];
  if (!row) throw new Error(`recording stripe event ${event.id} returned no row`);
  if (row.processed_at !== null) return { state: 'processed' };
  if (row.claim_token === token) return { state: 'claimed', token };
  return { state: 'busy', until: row.claimed_until ?? new Date() };
}

/** Whether a delivery holds an unexpired lease on the event. */
export async function isEventClaimed(db: Queryable, eventId: string): Promise<boolean> {
  const { rows } = await db.query<{ claimed: boolean }>(
    `SELECT claimed_until IS NOT NULL AND claimed_until >= clock_timestamp() AS claimed FROM stripe_events WHERE id = $1`,
    [eventId],
  );
  return rows[0]?.claimed ?? false;
}

/** Whether the event was processed (by whichever delivery held its lease). */
export async function isEventProcessed(db: Queryable, eventId: string): Promise<boolean> {
  const { rows } = await db.query<{ processed: boolean }>(`SELECT processed_at IS NOT NULL AS processed FROM stripe_events WHERE id = $1`, [eventId]);
  return rows[0]?.processed ?? false;
}

export async function markEventProcessed(db: Queryable, eventId: string): Promise<void> {
  await db.query(`UPDATE stripe_events SET processed_at = now(), last_error = NULL, claim_token = NULL, claimed_until = NULL WHERE id = $1`, [eventId]);
}

/** Keeps the event unprocessed, so Stripe's next delivery does the work again, and says why it failed. */
export async function markEventFailed(db: Queryable, eventId: string, error: string): Promise<void> {
  await db.query(`UPDATE stripe_events SET last_error = $2, claim_token = NULL, claimed_until = NULL WHERE id = $1`, [eventId, error.slice(0, 2000)]);
}

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
 * Stores the event on its first delivery and counts each redelivery. `alreadyProcessed` tells the receiver that an
 * earlier delivery finished the work, so this one is only acknowledged (Stripe delivers at least once).
 */
export async function recordEvent(db: Queryable, event: StripeEventRecord): Promise<{ alreadyProcessed: boolean; deliveries: number }> {
  const { rows } = await db
    .query<{ processed_at: Date | null; deliveries: number }>(
      `INSERT INTO stripe_events (id, type, account_id, created, livemode, payload)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET deliveries = stripe_events.deliveries + 1
       RETURNING processed_at, deliveries`,
      [event.id, event.type, event.accountId, toTimestamp(event.created), event.livemode, JSON.stringify(event.payload)],
    )
    .catch((err: unknown) => {
      throw err instanceof pg.DatabaseError && err.code?.startsWith('22') ? new UnstorableEventError(event.id, err) : err;
    });
  const row = rows[0];
  if (!row) throw new Error(`recording stripe event ${event.id} returned no row`);
  return { alreadyProcessed: row.processed_at !== null, deliveries: row.deliveries };
}

export async function markEventProcessed(db: Queryable, eventId: string): Promise<void> {
  await db.query(`UPDATE stripe_events SET processed_at = now(), last_error = NULL WHERE id = $1`, [eventId]);
}

/** Keeps the event unprocessed, so Stripe's next delivery does the work again, and says why it failed. */
export async function markEventFailed(db: Queryable, eventId: string, error: string): Promise<void> {
  await db.query(`UPDATE stripe_events SET last_error = $2 WHERE id = $1`, [eventId, error.slice(0, 2000)]);
}

import type { FcAccount } from '../../common/stripe-account';
import type { Queryable } from '../pool';

/** The account object a stored webhook event carried (`data.object`), if that event is stored. */
export async function getEventAccountObject(db: Queryable, eventId: string): Promise<FcAccount | null> {
  const { rows } = await db.query<{ account: FcAccount | null }>(
    `SELECT payload->'data'->'object' AS account FROM stripe_events WHERE id = $1`,
    [eventId],
  );
  const account = rows[0]?.account;
  return account && account.object === 'financial_connections.account' ? account : null;
}

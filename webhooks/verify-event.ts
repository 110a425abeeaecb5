import Stripe from 'stripe';
import { z } from 'zod';

/** Why a delivery was refused before anything was recorded. */
export type RejectionReason = 'bad_signature' | 'malformed';

export class WebhookRejectedError extends Error {
  constructor(
    readonly reason: RejectionReason,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookRejectedError';
  }
}

/**
 * Stripe's ids and event types are short printable ASCII; anything else cannot be an event of Stripe's and would not
 * fit the indexes it is stored under. `created` must be a time Postgres can hold.
 */
const stripeToken = z.string().regex(/^[\x21-\x7e]{1,255}$/);
const LAST_UNIX_SECOND = 253_402_300_799; // 9999-12-31T23:59:59Z

/** The envelope fields the receiver relies on; the SDK's Event type is a promise about the payload, not a check. */
const envelopeSchema = z.object({
  id: stripeToken,
  type: stripeToken,
  created: z.number().int().min(0).max(LAST_UNIX_SECOND),
  livemode: z.boolean(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

/**
 * Verifies the signature over the exact bytes Stripe sent, then parses. Parsing first and re-serialising
 * would change the bytes and break the signature (https://docs.stripe.com/webhooks#verify-events). Signatures older
 * than the SDK's DEFAULT_TOLERANCE (five minutes) are refused as replays.
 */
export function verifyStripeEvent(stripe: Stripe, rawBody: unknown, signature: string | string[] | undefined, secret: string): Stripe.Event {
  if (typeof signature !== 'string' || signature === '') throw new WebhookRejectedError('bad_signature', 'missing Stripe-Signature header');
  if (!Buffer.isBuffer(rawBody) || rawBody.length === 0) throw new WebhookRejectedError('malformed', 'empty body');
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(rawBody, signature, secret, stripe.webhooks.DEFAULT_TOLERANCE);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) {
      // The SDK's message continues with paragraphs of advice; its first line is the reason.
      throw new WebhookRejectedError('bad_signature', err.message.trim().split('\n')[0] ?? 'signature verification failed');
    }
    throw new WebhookRejectedError('malformed', 'body is not JSON');
  }
  if (!envelopeSchema.safeParse(event).success) throw new WebhookRejectedError('malformed', 'body is not a Stripe event');
  return event;
}

import { ApplicationFailure } from '@temporalio/activity';
import Stripe from 'stripe';
import { stripeFailureType } from '../common/failure-types';

/**
 * The one place Stripe errors become Temporal failures. A retryable error is thrown as it is, so the activity retry
 * policy backs off and tries again; a request Stripe will reject again (bad id, missing permission, inactive
 * account) becomes non-retryable, typed with Stripe's code.
 */
export function toActivityFailure(err: unknown, context: { accountId: string; operation: string }): unknown {
  if (!(err instanceof Stripe.errors.StripeError) || isRetryable(err)) return err;
  return ApplicationFailure.create({
    type: stripeFailureType(err.code ?? err.type),
    message: `${context.operation} ${context.accountId}: ${err.message}`,
    nonRetryable: true,
    details: [{ code: err.code ?? null, statusCode: err.statusCode ?? null, requestId: err.requestId ?? null }],
  });
}

/**
 * stripe-node's own rule for its network retries (RequestSender `_shouldRetry`): no response at all, Stripe's
 * `Stripe-Should-Retry` header when present, else 409 and 5xx. A rate limit is retried too, whatever the header:
 * Stripe asks clients to back off and try again (https://docs.stripe.com/rate-limits), which the activity's
 * retry policy does.
 */
function isRetryable(err: Stripe.errors.StripeError): boolean {
  if (err instanceof Stripe.errors.StripeConnectionError || err instanceof Stripe.errors.StripeRateLimitError) return true;
  const shouldRetry = err.headers?.['stripe-should-retry'];
  if (shouldRetry !== undefined) return shouldRetry === 'true';
  return err.statusCode === 409 || (err.statusCode ?? 0) >= 500;
}

/** Whether `err` is a Stripe error worth sending the same request again for (the rule above). */
export function isRetryableStripeError(err: unknown): boolean {
  return err instanceof Stripe.errors.StripeError && isRetryable(err);
}

export function stripeCode(err: unknown): string | undefined {
  return err instanceof Stripe.errors.StripeError ? err.code : undefined;
}

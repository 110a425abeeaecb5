import { ApplicationFailure } from '@temporalio/activity';
import Stripe from 'stripe';
import { stripeFailureType } from '../common/failure-types';

/**
 * The one place Stripe errors become Temporal failures. Rate limits, Stripe outages and network errors are
 * thrown as they are, so the activity retry policy backs off and tries again. A request Stripe rejects
 * (bad id, missing permission, inactive account) will be rejected again: non-retryable, with Stripe's code.
 */
export function toActivityFailure(err: unknown, context: { accountId: string; operation: string }): unknown {
  if (!(err instanceof Stripe.errors.StripeError)) return err;
  const retryable =
    err instanceof Stripe.errors.StripeRateLimitError ||
    err instanceof Stripe.errors.StripeAPIError ||
    err instanceof Stripe.errors.StripeConnectionError ||
    (err.statusCode !== undefined && err.statusCode >= 500) ||
    err.statusCode === 409;
  if (retryable) return err;
  return ApplicationFailure.create({
    type: stripeFailureType(err.code ?? err.type),
    message: `${context.operation} ${context.accountId}: ${err.message}`,
    nonRetryable: true,
    details: [{ code: err.code ?? null, statusCode: err.statusCode ?? null, requestId: err.requestId ?? null }],
  });
}

export function stripeCode(err: unknown): string | undefined {
  return err instanceof Stripe.errors.StripeError ? err.code : undefined;
}

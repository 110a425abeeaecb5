// Which Stripe errors an activity retries: the SDK's own error classes, built as the SDK builds them from a response.
import { ApplicationFailure } from '@temporalio/common';
import Stripe from 'stripe';
import { describe, expect, test } from 'vitest';
import { toActivityFailure } from '../../activities/stripe-errors';
import { stripeFailureType } from '../../common/failure-types';

type RawError = Parameters<typeof Stripe.errors.StripeError.generate>[0];

const fromResponse = (statusCode: number, raw: Partial<RawError> = {}) =>
  Stripe.errors.StripeError.generate({ statusCode, message: `HTTP ${statusCode}`, type: 'invalid_request_error', ...raw });

describe('a Stripe error is retried by the activity, or ends it with a typed non-retryable failure', () => {
  test.each([
    { situation: 'no response (network)', err: new Stripe.errors.StripeConnectionError({ message: 'ECONNRESET', type: 'api_error' }), retried: true },
    { situation: 'a rate limit', err: fromResponse(429, { code: 'rate_limit' }), retried: true },
    { situation: 'a rate limit even when told not to retry', err: fromResponse(429, { code: 'rate_limit', headers: { 'stripe-should-retry': 'false' } }), retried: true },
    { situation: 'a 500', err: fromResponse(500, { type: 'api_error' }), retried: true },
    { situation: 'a 503', err: fromResponse(503, { type: 'api_error' }), retried: true },
    { situation: 'a 409 conflict', err: fromResponse(409, { type: 'api_error' }), retried: true },
    { situation: 'a 500 Stripe says not to retry (its idempotency replays it)', err: fromResponse(500, { type: 'api_error', headers: { 'stripe-should-retry': 'false' } }), retried: false },
    { situation: 'a 400 Stripe says to retry (lock timeout)', err: fromResponse(400, { code: 'lock_timeout', headers: { 'stripe-should-retry': 'true' } }), retried: true },
    { situation: 'an unknown account (404)', err: fromResponse(404, { code: 'resource_missing' }), retried: false },
    { situation: 'an inactive account (400)', err: fromResponse(400, { code: 'financial_connections_account_inactive' }), retried: false },
    { situation: 'a missing permission (403)', err: fromResponse(403, { type: 'invalid_request_error' }), retried: false },
  ])('$situation → retried: $retried', ({ err, retried }) => {
    const failure = toActivityFailure(err, { accountId: 'fca_1', operation: 'refresh' });
    if (retried) {
      expect(failure).toBe(err);
    } else {
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect((failure as ApplicationFailure).nonRetryable).toBe(true);
      expect((failure as ApplicationFailure).type).toBe(stripeFailureType(err.code ?? err.type));
    }
  });

  test('anything that is not a Stripe error is left to the retry policy', () => {
    const err = new Error('socket hang up');
    expect(toActivityFailure(err, { accountId: 'fca_1', operation: 'refresh' })).toBe(err);
  });
});

import type { WebhookRetryInput } from './control-types';

// When a failed webhook delivery is tried again. Stripe documents only the envelope
// (docs.stripe.com/webhooks, "Retry behavior"): "In live mode, Stripe attempts to deliver a given event to
// your webhook endpoint for up to 3 days with an exponential back off"; in a sandbox/test mode "Stripe
// retries three times over a few hours". The stripe-* schedules below fill that envelope with concrete
// delays (an approximation: Stripe does not publish the exact steps):
//   stripe-test: retries 5 min, 30 min and 2 h after the previous attempt (3 retries, about 2.6 h in all);
//   stripe-live: 12 retries, 1 min doubling each time (1, 2, 4 ... 2048 min), the last about 68 h after the
//                first attempt, inside the 3 days.
// Real delays are multiplied by `timeScale` (default 0.001) so tests run in seconds: with it a retried
// event still arrives well after the newer events of its account, which is the point.

export const STRIPE_RETRY_SECONDS = {
  'stripe-test': [300, 1_800, 7_200],
  'stripe-live': Array.from({ length: 12 }, (_, i) => 60 * 2 ** i),
} as const;

export const DEFAULT_RETRY: Required<WebhookRetryInput> = {
  schedule: 'exponential',
  maxAttempts: 4,
  baseDelayMs: 50,
  maxDelayMs: 2_000,
  timeScale: 0.001,
};

/** Attempts in all, the first included. */
export function totalAttempts(retry: Required<WebhookRetryInput>): number {
  return retry.schedule === 'exponential' ? retry.maxAttempts : STRIPE_RETRY_SECONDS[retry.schedule].length + 1;
}

/** Milliseconds to wait after failed attempt number `attempt` (1-based) before the next one. */
export function retryDelayMs(retry: Required<WebhookRetryInput>, attempt: number): number {
  if (retry.schedule === 'exponential') return Math.min(retry.baseDelayMs * 2 ** (attempt - 1), retry.maxDelayMs);
  const seconds = STRIPE_RETRY_SECONDS[retry.schedule][attempt - 1] ?? 0;
  return Math.round(seconds * 1000 * retry.timeScale);
}

// Node-only: never imported by workflow code (eslint.config.js forbids it under workflows/).
import Stripe from 'stripe';
import { PacedHttpClient } from './paced-http-client';

/**
 * The official SDK, pointed at api.stripe.com or at any Stripe-compatible base URL (the simulator).
 * Network retries stay on: the SDK resends with the same idempotency key, so they are safe.
 * With `maxRequestsPerSecond`, requests from this process are paced to that rate (workers pass
 * STRIPE_MAX_REQUESTS_PER_SECOND).
 */
export function createStripeClient(options: { secretKey: string; apiBase?: string; maxNetworkRetries?: number; maxRequestsPerSecond?: number }): Stripe {
  const base = options.apiBase ? new URL(options.apiBase) : undefined;
  return new Stripe(options.secretKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: 30_000,
    appInfo: { name: 'fc-refresh' },
    ...(options.maxRequestsPerSecond ? { httpClient: new PacedHttpClient(Stripe.createNodeHttpClient(), options.maxRequestsPerSecond) } : {}),
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}

// Node-only: never imported by workflow code (eslint.config.js forbids it under workflows/).
import Stripe from 'stripe';
import { PacedHttpClient } from './paced-http-client';
import { LocalRequestBudget, type RequestBudget } from './request-budget';

export interface StripeClientOptions {
  secretKey: string;
  apiBase?: string;
  maxNetworkRetries?: number;
  /** Paces this process' requests to that rate. */
  maxRequestsPerSecond?: number;
  /** Paces every request by this budget instead (workers: the fleet-wide one, common/node/fleet-request-budget.ts). */
  requestBudget?: RequestBudget;
}

/**
 * The official SDK, pointed at api.stripe.com or at any Stripe-compatible base URL (the simulator).
 * Network retries stay on: the SDK resends with the same idempotency key, so they are safe.
 */
export function createStripeClient(options: StripeClientOptions): Stripe {
  const base = options.apiBase ? new URL(options.apiBase) : undefined;
  const budget = options.requestBudget ?? (options.maxRequestsPerSecond ? new LocalRequestBudget(options.maxRequestsPerSecond) : undefined);
  return new Stripe(options.secretKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: 30_000,
    appInfo: { name: 'fc-refresh' },
    ...(budget ? { httpClient: new PacedHttpClient(Stripe.createNodeHttpClient(), budget) } : {}),
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}

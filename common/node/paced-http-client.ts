// Node-only: never imported by workflow code (eslint.config.js forbids it under workflows/).
import Stripe from 'stripe';
import type { RequestBudget } from './request-budget';

/**
 * Starts each Stripe request only when the request budget allows: per process (LocalRequestBudget) or across the
 * whole worker fleet (FleetRequestBudget). It sits under the SDK, so every page of a list and every network retry
 * counts, which a limit on activities cannot see.
 */
export class PacedHttpClient extends Stripe.HttpClient {
  constructor(
    private readonly inner: Stripe.HttpClient,
    private readonly budget: RequestBudget,
  ) {
    super();
  }

  override getClientName(): string {
    return this.inner.getClientName();
  }

  override async makeRequest(...request: Parameters<Stripe.HttpClient['makeRequest']>): Promise<Stripe.HttpClientResponse> {
    await this.budget.take();
    return this.inner.makeRequest(...request);
  }
}

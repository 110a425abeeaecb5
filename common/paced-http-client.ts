// Node-only: never imported by workflow code (eslint.config.js forbids it under workflows/).
import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';

/**
 * Starts at most `requestsPerSecond` Stripe requests in any one-second window from this process, evenly spaced.
 * It sits under the SDK, so every page of a list and every network retry counts, which a limit on activities cannot
 * see; the Stripe task queue's rate limit, meanwhile, keeps a fleet of workers together under the same budget.
 */
export class PacedHttpClient extends Stripe.HttpClient {
  private readonly spacingMs: number;
  private nextStartMs = 0;

  constructor(
    private readonly inner: Stripe.HttpClient,
    requestsPerSecond: number,
  ) {
    super();
    this.spacingMs = 1000 / requestsPerSecond;
  }

  override getClientName(): string {
    return this.inner.getClientName();
  }

  override async makeRequest(...request: Parameters<Stripe.HttpClient['makeRequest']>): Promise<Stripe.HttpClientResponse> {
    await this.waitForTurn();
    return this.inner.makeRequest(...request);
  }

  private async waitForTurn(): Promise<void> {
    const startAt = Math.max(performance.now(), this.nextStartMs);
    this.nextStartMs = startAt + this.spacingMs;
    // Timers measure from the event loop's cached clock and may fire a little early: check again until it is time.
    for (let waitMs = startAt - performance.now(); waitMs > 0; waitMs = startAt - performance.now()) await sleep(Math.ceil(waitMs));
  }
}

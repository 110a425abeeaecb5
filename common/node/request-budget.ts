// Node-only: never imported by workflow code (eslint.config.js forbids it under workflows/).
import { setTimeout as sleep } from 'node:timers/promises';

/** Decides when the next Stripe request may start; every request (each page, each SDK retry) takes one turn. */
export interface RequestBudget {
  /** Resolves when this request may start. */
  take(): Promise<void>;
}

/** Waits until `performance.now()` reaches `atMs`. */
export async function waitUntil(atMs: number): Promise<void> {
  // Timers measure from the event loop's cached clock and may fire a little early: check again until it is time.
  for (let waitMs = atMs - performance.now(); waitMs > 0; waitMs = atMs - performance.now()) await sleep(Math.ceil(waitMs));
}

/** At most `requestsPerSecond` starts in any one-second window from this process, evenly spaced. */
export class LocalRequestBudget implements RequestBudget {
  private readonly spacingMs: number;
  private nextStartMs = 0;

  constructor(requestsPerSecond: number) {
    this.spacingMs = 1000 / requestsPerSecond;
  }

  async take(): Promise<void> {
    const startAt = Math.max(performance.now(), this.nextStartMs);
    this.nextStartMs = startAt + this.spacingMs;
    await waitUntil(startAt);
  }
}

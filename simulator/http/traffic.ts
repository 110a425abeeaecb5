import type { TrafficView } from '../control-types';

// What the benchmarks and the chaos run read to check pacing against Stripe's limits: every /v1 request
// the simulator received, per wall-clock second, and the most received (and let through) in any sliding
// one-second window. Recorded whether or not a limit is enforced.

const WINDOW_MS = 1_000;
const KEEP_SECONDS = 3_600;

export class TrafficRecorder {
  private requests = 0;
  private rateLimited = 0;
  private maxPerSecond = 0;
  private maxAcceptedPerSecond = 0;
  private recent: number[] = [];
  private recentAccepted: number[] = [];
  private readonly perSecond = new Map<number, { requests: number; rateLimited: number }>();

  record(accepted: boolean, nowMs = Date.now()): void {
    this.requests += 1;
    if (!accepted) this.rateLimited += 1;
    this.maxPerSecond = Math.max(this.maxPerSecond, slide(this.recent, nowMs));
    if (accepted) this.maxAcceptedPerSecond = Math.max(this.maxAcceptedPerSecond, slide(this.recentAccepted, nowMs));
    const second = Math.floor(nowMs / 1000);
    const bucket = this.perSecond.get(second) ?? { requests: 0, rateLimited: 0 };
    bucket.requests += 1;
    if (!accepted) bucket.rateLimited += 1;
    this.perSecond.set(second, bucket);
    for (const old of this.perSecond.keys()) {
      if (old > second - KEEP_SECONDS) break;
      this.perSecond.delete(old);
    }
  }

  view(): TrafficView {
    return {
      requests: this.requests,
      rateLimited: this.rateLimited,
      maxPerSecond: this.maxPerSecond,
      maxAcceptedPerSecond: this.maxAcceptedPerSecond,
      perSecond: [...this.perSecond.entries()].map(([second, b]) => ({ second, ...b })),
    };
  }

  reset(): void {
    this.requests = 0;
    this.rateLimited = 0;
    this.maxPerSecond = 0;
    this.maxAcceptedPerSecond = 0;
    this.recent = [];
    this.recentAccepted = [];
    this.perSecond.clear();
  }
}

/** Adds a request at nowMs to a one-second window; returns how many the window now holds. */
function slide(times: number[], nowMs: number): number {
  while (times.length > 0 && (times[0] ?? 0) <= nowMs - WINDOW_MS) times.shift();
  times.push(nowMs);
  return times.length;
}

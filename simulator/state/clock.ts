// The simulated clock: wall time plus an offset that only moves forward. Every Stripe timestamp the
// simulator emits (created, last_attempted_at, next_refresh_available_at, as_of, transacted_at...) is
// read from it. It runs at real speed so a consumer comparing next_refresh_available_at with its own
// Date.now() sees a consistent world; tests jump it forward with advance().
//
// Subscribed accounts are refreshed "every day" (transactions.md: "As long as you remain subscribed to
// transaction data, Stripe initiates a new refresh every day"), so the clock reports each UTC day
// boundary it passes, whether by advance() or by real time (a slow ticker).

export const DAY_SECONDS = 86_400;

export type DayBoundaryListener = (boundaries: number[]) => void;

export class SimClock {
  private offsetMs = 0;
  private lastDay: number;
  private readonly listeners: DayBoundaryListener[] = [];
  private ticker: NodeJS.Timeout | undefined;

  constructor(tickMs = 1000) {
    this.lastDay = Math.floor(this.now() / DAY_SECONDS);
    if (tickMs > 0) {
      this.ticker = setInterval(() => this.checkDayBoundaries(), tickMs);
      this.ticker.unref();
    }
  }

  /** Unix seconds, as in every Stripe timestamp. */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  offsetSeconds(): number {
    return Math.floor(this.offsetMs / 1000);
  }

  onDayBoundary(listener: DayBoundaryListener): void {
    this.listeners.push(listener);
  }

  /** Moves time forward; returns the UTC day boundaries (unix seconds) crossed, oldest first. */
  advance(seconds: number): number[] {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('seconds must be a non-negative number');
    this.offsetMs += Math.round(seconds * 1000);
    return this.checkDayBoundaries();
  }

  private checkDayBoundaries(): number[] {
    const today = Math.floor(this.now() / DAY_SECONDS);
    if (today <= this.lastDay) return [];
    const boundaries: number[] = [];
    for (let day = this.lastDay + 1; day <= today; day++) boundaries.push(day * DAY_SECONDS);
    this.lastDay = today;
    for (const listener of this.listeners) {
      try {
        listener(boundaries);
      } catch (err) {
        process.stderr.write(`simulator: day-boundary listener failed: ${String(err)}\n`);
      }
    }
    return boundaries;
  }

  close(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.listeners.length = 0;
  }
}

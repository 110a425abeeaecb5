// The "delay first delivery" fault: an event's first delivery is held back until a given number of
// *later* events of the same account have been attempted, or for a time, so it arrives after newer
// events under its own id (Stripe: "does not guarantee the delivery of events in the order in which
// they're generated"). A hold waiting for later events that never come ends after DEFAULT_HOLD_MS.

export const DEFAULT_HOLD_MS = 5_000;

export interface HoldSpec {
  /** Release once this many later events of the same account were attempted. */
  laterEvents?: number | undefined;
  /** Release after this long at the latest. */
  ms?: number | undefined;
}

interface Held<T> {
  item: T;
  accountId: string;
  seq: number;
  laterEvents: number;
  timer: NodeJS.Timeout;
}

export class HoldQueue<T> {
  private held: Held<T>[] = [];

  constructor(private readonly release: (item: T) => void) {}

  hold(item: T, accountId: string, seq: number, spec: HoldSpec): void {
    const ms = spec.ms ?? DEFAULT_HOLD_MS;
    const entry: Held<T> = {
      item,
      accountId,
      seq,
      laterEvents: spec.laterEvents ?? Number.POSITIVE_INFINITY,
      timer: setTimeout(() => this.let(entry), ms),
    };
    this.held.push(entry);
  }

  /** An event of `accountId` emitted as number `seq` has had its first attempt (or was dropped). */
  noteAttempted(accountId: string, seq: number): void {
    for (const entry of [...this.held]) {
      if (entry.accountId !== accountId || entry.seq >= seq) continue;
      entry.laterEvents -= 1;
      if (entry.laterEvents <= 0) this.let(entry);
    }
  }

  private let(entry: Held<T>): void {
    if (!this.held.includes(entry)) return;
    clearTimeout(entry.timer);
    this.held = this.held.filter((h) => h !== entry);
    this.release(entry.item);
  }

  size(): number {
    return this.held.length;
  }

  /** Forget everything held (reset/close): nothing is released. */
  clear(): void {
    for (const entry of this.held) clearTimeout(entry.timer);
    this.held = [];
  }
}

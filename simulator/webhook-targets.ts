// Targeted webhook faults ("the next N events of this account / type"): each rule matches events by
// account and type and is used up after `count` matches. Matching happens when an event is emitted, so
// a test knows exactly which event a rule hits.

export interface TargetRule<T> {
  remaining: number;
  accountId?: string | undefined;
  type?: string | undefined;
  payload: T;
}

export class TargetRules<T> {
  private rules: TargetRule<T>[] = [];

  add(input: { count?: number | undefined; accountId?: string | undefined; type?: string | undefined }, payload: T): void {
    this.rules.push({ remaining: input.count ?? 1, accountId: input.accountId, type: input.type, payload });
  }

  /** The payload of the first rule matching the event (using up one of its matches), if any. */
  take(accountId: string, type: string): T | undefined {
    const rule = this.rules.find(
      (r) => r.remaining > 0 && (r.accountId === undefined || r.accountId === accountId) && (r.type === undefined || r.type === type),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return rule.payload;
  }

  clear(): void {
    this.rules = [];
  }
}

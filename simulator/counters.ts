import type { Feature } from './types';

// What tests assert on: how often each endpoint was called, how many refreshes were actually
// initiated versus refused as "not initiated" (docs: a refresh requested while pending or before
// next_refresh_available_at "won't be initiated"), and the fate of every webhook delivery.

export interface RefreshCounts {
  /** Initiated by the API (refresh or subscribe). */
  initiated: number;
  /** API refresh/subscribe attempts that were accepted but not initiated (pending, null or future next_refresh_available_at). */
  notInitiated: number;
  /** Initiated by Stripe itself: prefetch at account creation, daily subscription refreshes. */
  automatic: number;
  succeeded: number;
  failed: number;
}

export interface WebhookCounts {
  /** HTTP POSTs made, retries and duplicates included. */
  attempts: number;
  /** Deliveries answered 2xx (duplicates and stale resends included). */
  delivered: number;
  /** Events never sent because of a drop fault. */
  dropped: number;
  /** Extra copies scheduled by the duplicate fault. */
  duplicated: number;
  /** Old events sent again by the stale-resend fault. */
  staleResent: number;
  /** First deliveries held back by a hold fault (released after later events or a time). */
  held: number;
  /** Extra copies sent at the same moment as their original (concurrent-duplicate fault). */
  concurrentCopies: number;
  /** Attempts failed by a fault without being sent (as if answered 503); retried. */
  injectedErrors: number;
  /** Attempts sent but counted as timed out by a fault; retried. */
  injectedTimeouts: number;
  /** Attempts that will be retried after a non-2xx answer or network error. */
  retried: number;
  /** Deliveries given up after the last retry. */
  failed: number;
  /** Delivered, by event type. */
  byType: Record<string, number>;
}

export interface CountersSnapshot {
  /** Keyed "METHOD /route/:pattern", e.g. "POST /v1/financial_connections/accounts/:id/refresh". */
  calls: Record<string, number>;
  /** Same, per account id (for routes that name one). */
  callsByAccount: Record<string, Record<string, number>>;
  refreshes: Record<string, Record<Feature, RefreshCounts>>;
  subscribeCalls: Record<string, number>;
  unsubscribeCalls: Record<string, number>;
  webhooks: WebhookCounts;
  apiFaultsInjected: number;
  /** /v1 requests refused with 429 by the enforced rate limit. */
  rateLimited: number;
  idempotentReplays: number;
}

const emptyRefresh = (): RefreshCounts => ({ initiated: 0, notInitiated: 0, automatic: 0, succeeded: 0, failed: 0 });
const emptyWebhooks = (): WebhookCounts => ({
  attempts: 0,
  delivered: 0,
  dropped: 0,
  duplicated: 0,
  staleResent: 0,
  held: 0,
  concurrentCopies: 0,
  injectedErrors: 0,
  injectedTimeouts: 0,
  retried: 0,
  failed: 0,
  byType: {},
});

function bump(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

export class Counters {
  private state: CountersSnapshot = Counters.empty();

  private static empty(): CountersSnapshot {
    return {
      calls: {},
      callsByAccount: {},
      refreshes: {},
      subscribeCalls: {},
      unsubscribeCalls: {},
      webhooks: emptyWebhooks(),
      apiFaultsInjected: 0,
      rateLimited: 0,
      idempotentReplays: 0,
    };
  }

  call(route: string, accountId?: string): void {
    bump(this.state.calls, route);
    if (accountId) bump((this.state.callsByAccount[accountId] ??= {}), route);
  }

  refresh(accountId: string, feature: Feature, outcome: keyof RefreshCounts): void {
    const perAccount = (this.state.refreshes[accountId] ??= {
      balance: emptyRefresh(),
      ownership: emptyRefresh(),
      transactions: emptyRefresh(),
    });
    perAccount[feature][outcome] += 1;
  }

  subscribe(accountId: string): void {
    bump(this.state.subscribeCalls, accountId);
  }

  unsubscribe(accountId: string): void {
    bump(this.state.unsubscribeCalls, accountId);
  }

  webhook(field: Exclude<keyof WebhookCounts, 'byType'>, by = 1): void {
    this.state.webhooks[field] += by;
  }

  webhookDelivered(type: string): void {
    this.state.webhooks.delivered += 1;
    bump(this.state.webhooks.byType, type);
  }

  apiFault(): void {
    this.state.apiFaultsInjected += 1;
  }

  rateLimited(): void {
    this.state.rateLimited += 1;
  }

  idempotentReplay(): void {
    this.state.idempotentReplays += 1;
  }

  snapshot(): CountersSnapshot {
    return structuredClone(this.state);
  }

  reset(): void {
    this.state = Counters.empty();
  }
}

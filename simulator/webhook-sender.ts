import { createHmac } from 'node:crypto';
import type { DeliveryRecord, WebhookConfigView, WebhookDropInput, WebhookFaults, WebhookRetryInput } from './control-types';
import type { Counters } from './counters';
import { createRng, type Rng } from './state/random';
import type { StripeEventJson } from './types';

// Webhook delivery the way Stripe does it (https://docs.stripe.com/webhooks): a JSON POST per event,
// signed with `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the endpoint
// secret>` (what stripe.webhooks.constructEvent verifies), retried with exponential backoff on non-2xx
// answers and network errors, no ordering guarantee. `t` is wall-clock time, not the simulated clock:
// receivers check it against their own clock (default tolerance 300 s).
// Faults (drop, duplicate, delay, reorder, stale re-send) are decided by a seeded stream.

export function signPayload(payload: string, secret: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

interface Delivery {
  eventId: string;
  type: string;
  accountId: string;
  payload: string;
  kind: DeliveryRecord['kind'];
  attempt: number;
}

export const DEFAULT_RETRY: Required<WebhookRetryInput> = { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 2_000 };
const LOG_LIMIT = 5_000;
const HISTORY_LIMIT = 500;

export class WebhookSender {
  private config: WebhookConfigView;
  private faults: WebhookFaults = {};
  private rng: Rng;
  private queue: Delivery[] = [];
  private inFlight = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private reorderBuffer: Delivery[] = [];
  private readonly aborts = new Set<AbortController>();
  private dropNext: { count: number; accountId?: string | undefined }[] = [];
  private readonly dropAccountUntil = new Map<string, number>();
  private deliveredHistory: Delivery[] = [];
  private log: DeliveryRecord[] = [];
  private waiters: (() => void)[] = [];
  private closed = false;
  /** Bumped by reset/close so deliveries aborted mid-flight do not retry into the new state. */
  private generation = 0;

  constructor(
    config: { url: string | null; secret: string; retry?: WebhookRetryInput; timeoutMs?: number },
    private readonly seed: number,
    private readonly counters: Counters,
    /** Called once per event when its original delivery is settled (delivered, dropped or given up). */
    private readonly onSettled: (eventId: string) => void,
  ) {
    this.config = { url: config.url, secret: config.secret, retry: { ...DEFAULT_RETRY, ...config.retry }, timeoutMs: config.timeoutMs ?? 5_000 };
    this.rng = createRng(seed);
  }

  hasEndpoint(): boolean {
    return this.config.url !== null;
  }

  getConfig(): WebhookConfigView {
    return structuredClone(this.config);
  }

  setConfig(input: { url?: string | null | undefined; secret?: string | undefined; retry?: WebhookRetryInput | undefined; timeoutMs?: number | undefined }): WebhookConfigView {
    if (input.url !== undefined) this.config.url = input.url;
    if (input.secret !== undefined) this.config.secret = input.secret;
    if (input.retry !== undefined) this.config.retry = { ...this.config.retry, ...input.retry };
    if (input.timeoutMs !== undefined) this.config.timeoutMs = input.timeoutMs;
    return this.getConfig();
  }

  setFaults(faults: WebhookFaults): WebhookFaults {
    this.faults = { ...faults };
    if (faults.seed !== undefined) this.rng = createRng(faults.seed);
    return this.getFaults();
  }

  getFaults(): WebhookFaults {
    return { ...this.faults };
  }

  /** Drop the next `count` webhooks (of one account if given), or all of an account for `forMs` / until cleared. */
  drop(input: WebhookDropInput): void {
    if (input.count !== undefined) this.dropNext.push({ count: input.count, accountId: input.accountId });
    else if (input.accountId !== undefined) {
      this.dropAccountUntil.set(input.accountId, input.forMs !== undefined ? Date.now() + input.forMs : Infinity);
    }
  }

  clearDrops(): void {
    this.dropNext = [];
    this.dropAccountUntil.clear();
  }

  deliveries(): DeliveryRecord[] {
    return structuredClone(this.log);
  }

  enqueue(event: StripeEventJson): void {
    if (this.closed || this.config.url === null) return;
    const base: Delivery = {
      eventId: event.id,
      type: event.type,
      accountId: event.data.object.id,
      payload: JSON.stringify(event, null, 2),
      kind: 'original',
      attempt: 1,
    };
    if (this.shouldDrop(base.accountId)) {
      this.counters.webhook('dropped');
      this.record(base, 'dropped', null);
      this.onSettled(base.eventId);
      return;
    }
    const delay = this.faults.delayMs ?? 0;
    this.schedule(base, delay);
    if (this.rng.chance(this.faults.duplicateRate ?? 0)) {
      this.counters.webhook('duplicated');
      this.schedule({ ...base, kind: 'duplicate' }, delay);
    }
    // Stale re-send: an earlier, already delivered event of the same account arrives again, carrying
    // its old snapshot (receivers must not let it overwrite newer data).
    const history = this.deliveredHistory.filter((d) => d.accountId === base.accountId);
    if (history.length > 0 && this.rng.chance(this.faults.staleResendRate ?? 0)) {
      const old = this.rng.pick(history);
      this.counters.webhook('staleResent');
      this.schedule({ ...old, kind: 'stale', attempt: 1 }, delay);
    }
  }

  private shouldDrop(accountId: string): boolean {
    const rule = this.dropNext.find((r) => r.count > 0 && (r.accountId === undefined || r.accountId === accountId));
    if (rule) {
      rule.count -= 1;
      this.dropNext = this.dropNext.filter((r) => r.count > 0);
      return true;
    }
    const until = this.dropAccountUntil.get(accountId);
    if (until !== undefined) {
      if (until > Date.now()) return true;
      this.dropAccountUntil.delete(accountId);
    }
    return this.rng.chance(this.faults.dropRate ?? 0);
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    const ready = (): void => {
      if (this.faults.reorder && delivery.attempt === 1) this.buffer(delivery);
      else this.queue.push(delivery);
      this.pump();
    };
    if (delayMs <= 0) return ready();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      ready();
      this.checkIdle();
    }, delayMs);
    this.timers.add(timer);
  }

  /** Reorder fault: hold a window's worth of deliveries, then release them newest first. */
  private buffer(delivery: Delivery): void {
    this.reorderBuffer.push(delivery);
    if (this.reorderBuffer.length > 1) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const held = this.reorderBuffer.reverse();
      this.reorderBuffer = [];
      this.queue.push(...held);
      this.pump();
      this.checkIdle();
    }, this.faults.reorderWindowMs ?? 50);
    this.timers.add(timer);
  }

  private pump(): void {
    while (!this.closed && this.inFlight === 0 && this.queue.length > 0) {
      const next = this.queue.shift();
      if (next) void this.send(next);
    }
  }

  private async send(delivery: Delivery): Promise<void> {
    const url = this.config.url;
    if (url === null) {
      this.settle(delivery);
      return;
    }
    const generation = this.generation;
    this.inFlight += 1;
    this.counters.webhook('attempts');
    const abort = new AbortController();
    this.aborts.add(abort);
    const timeout = setTimeout(() => abort.abort(), this.config.timeoutMs);
    let status: number | null = null;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': signPayload(delivery.payload, this.config.secret, Math.floor(Date.now() / 1000)),
        },
        body: delivery.payload,
        signal: abort.signal,
      });
      status = response.status;
      await response.body?.cancel().catch(() => undefined);
    } catch {
      status = null;
    } finally {
      clearTimeout(timeout);
      this.aborts.delete(abort);
      this.inFlight -= 1;
    }
    if (this.closed || generation !== this.generation) {
      this.checkIdle();
      return;
    }
    if (status !== null && status >= 200 && status < 300) {
      this.counters.webhookDelivered(delivery.type);
      this.record(delivery, 'delivered', status);
      if (delivery.kind === 'original') {
        this.deliveredHistory.push(delivery);
        if (this.deliveredHistory.length > HISTORY_LIMIT) this.deliveredHistory.shift();
      }
      this.settle(delivery);
    } else if (delivery.attempt < this.config.retry.maxAttempts) {
      this.counters.webhook('retried');
      this.record(delivery, status === null ? 'network_error' : 'http_error', status);
      const { baseDelayMs, maxDelayMs } = this.config.retry;
      this.schedule({ ...delivery, attempt: delivery.attempt + 1 }, Math.min(baseDelayMs * 2 ** (delivery.attempt - 1), maxDelayMs));
    } else {
      this.counters.webhook('failed');
      this.record(delivery, 'gave_up', status);
      this.settle(delivery);
    }
    this.pump();
    this.checkIdle();
  }

  private settle(delivery: Delivery): void {
    if (delivery.kind === 'original') this.onSettled(delivery.eventId);
  }

  private record(delivery: Delivery, outcome: DeliveryRecord['outcome'], status: number | null): void {
    this.log.push({
      eventId: delivery.eventId,
      type: delivery.type,
      accountId: delivery.accountId,
      kind: delivery.kind,
      attempt: delivery.attempt,
      outcome,
      status,
      at: Date.now(),
    });
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
  }

  isIdle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0 && this.timers.size === 0 && this.reorderBuffer.length === 0;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves when nothing is queued, in flight, delayed or awaiting retry. */
  whenIdle(): Promise<void> {
    if (this.isIdle() || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Forget queued work, faults, drops and history (control API reset). */
  reset(): void {
    this.cancelAll();
    this.faults = {};
    this.rng = createRng(this.seed);
    this.clearDrops();
    this.deliveredHistory = [];
    this.log = [];
    this.checkIdle();
  }

  private cancelAll(): void {
    this.generation += 1;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const abort of this.aborts) abort.abort();
    this.queue = [];
    this.reorderBuffer = [];
  }

  close(): void {
    this.closed = true;
    this.cancelAll();
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

import type {
  DeliveryRecord,
  WebhookConfigInput,
  WebhookConfigView,
  WebhookDropInput,
  WebhookFailInput,
  WebhookFaults,
  WebhookHoldInput,
  WebhookRetryInput,
} from './control-types';
import type { Counters } from './counters';
import { createRng, type Rng } from './state/random';
import type { StripeEventJson } from './types';
import { HoldQueue, type HoldSpec } from './webhook-hold';
import { DEFAULT_RETRY, retryDelayMs, totalAttempts } from './webhook-retry';
import { postSignedEvent } from './webhook-post';
import { TargetRules } from './webhook-targets';

// Webhook delivery the way Stripe does it (https://docs.stripe.com/webhooks): a signed JSON POST per event
// (webhook-post.ts), several deliveries in flight at once, no ordering guarantee, and an attempt without a 2xx
// (error status, timeout, refused connection) retried later under the same event id (webhook-retry.ts), so an old
// event can arrive after newer ones.
// Faults (drop, duplicate, delay, reorder, stale re-send, failed or timed-out attempts, held first
// deliveries, concurrent copies) are decided by a seeded stream or by targeted rules.

interface Delivery {
  eventId: string;
  type: string;
  accountId: string;
  payload: string;
  kind: DeliveryRecord['kind'];
  attempt: number;
  /** Emission order of the event; a hold counts later events by it. */
  seq: number;
  /** A targeted fail rule picked at emission: how the first attempt fails. */
  failFirst?: 'error' | 'timeout' | undefined;
}

export const DEFAULT_CONCURRENCY = 4;
const LOG_LIMIT = 5_000;
const HISTORY_LIMIT = 500;

export class WebhookSender {
  private config: WebhookConfigView;
  private faults: WebhookFaults = {};
  private rng: Rng;
  private queue: Delivery[] = [];
  private inFlight = 0;
  private seq = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private reorderBuffer: Delivery[] = [];
  private readonly aborts = new Set<AbortController>();
  private readonly dropRules = new TargetRules<true>();
  private readonly failRules = new TargetRules<'error' | 'timeout'>();
  private readonly holdRules = new TargetRules<HoldSpec>();
  private readonly holds = new HoldQueue<Delivery>((delivery) => {
    this.queue.push(delivery);
    this.pump();
    this.checkIdle();
  });
  private readonly dropAccountUntil = new Map<string, number>();
  private deliveredHistory: Delivery[] = [];
  private log: DeliveryRecord[] = [];
  private waiters: (() => void)[] = [];
  private closed = false;
  /** Bumped by reset/close so deliveries aborted mid-flight do not retry into the new state. */
  private generation = 0;

  constructor(
    config: { url: string | null; secret: string; retry?: WebhookRetryInput; timeoutMs?: number; concurrency?: number },
    private readonly seed: number,
    private readonly counters: Counters,
    /** Called once per event when its original delivery is settled (delivered, dropped or given up). */
    private readonly onSettled: (eventId: string) => void,
  ) {
    this.config = {
      url: config.url,
      secret: config.secret,
      retry: { ...DEFAULT_RETRY, ...config.retry },
      timeoutMs: config.timeoutMs ?? 5_000,
      concurrency: config.concurrency ?? DEFAULT_CONCURRENCY,
    };
    this.rng = createRng(seed);
  }

  hasEndpoint(): boolean {
    return this.config.url !== null;
  }

  getConfig(): WebhookConfigView {
    return structuredClone(this.config);
  }

  setConfig(input: WebhookConfigInput): WebhookConfigView {
    if (input.url !== undefined) this.config.url = input.url;
    if (input.secret !== undefined) this.config.secret = input.secret;
    if (input.retry !== undefined) this.config.retry = { ...this.config.retry, ...input.retry };
    if (input.timeoutMs !== undefined) this.config.timeoutMs = input.timeoutMs;
    if (input.concurrency !== undefined) this.config.concurrency = input.concurrency;
    this.pump();
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
    if (input.count !== undefined) this.dropRules.add(input, true);
    else if (input.accountId !== undefined) {
      this.dropAccountUntil.set(input.accountId, input.forMs !== undefined ? Date.now() + input.forMs : Infinity);
    }
  }

  clearDrops(): void {
    this.dropRules.clear();
    this.dropAccountUntil.clear();
  }

  /** Hold the first delivery of the next matching events (see webhook-hold.ts). */
  hold(input: WebhookHoldInput): void {
    this.holdRules.add(input, { laterEvents: input.laterEvents, ms: input.ms });
  }

  /** Fail the first attempt of the next matching events, so they are retried later under their own ids. */
  fail(input: WebhookFailInput): void {
    this.failRules.add(input, input.mode ?? 'error');
  }

  /** Forget pending hold and fail rules (events already held stay held until released). */
  clearRules(): void {
    this.holdRules.clear();
    this.failRules.clear();
  }

  deliveries(): DeliveryRecord[] {
    return structuredClone(this.log);
  }

  enqueue(event: StripeEventJson): void {
    if (this.closed || this.config.url === null) return;
    this.seq += 1;
    const base: Delivery = {
      eventId: event.id,
      type: event.type,
      accountId: event.data.object.id,
      payload: JSON.stringify(event, null, 2),
      kind: 'original',
      attempt: 1,
      seq: this.seq,
    };
    if (this.shouldDrop(base)) {
      this.counters.webhook('dropped');
      this.record(base, 'dropped', null);
      this.onSettled(base.eventId);
      this.holds.noteAttempted(base.accountId, base.seq);
      return;
    }
    base.failFirst = this.failRules.take(base.accountId, base.type);
    const hold = this.holdRules.take(base.accountId, base.type) ?? this.randomHold();
    const delay = this.faults.delayMs ?? 0;
    if (hold) {
      this.counters.webhook('held');
      this.record(base, 'held', null);
      this.holds.hold(base, base.accountId, base.seq, hold);
    } else {
      this.schedule(base, delay);
    }
    if (this.rng.chance(this.faults.duplicateRate ?? 0)) {
      this.counters.webhook('duplicated');
      this.schedule({ ...base, kind: 'duplicate', failFirst: undefined }, delay);
    }
    // Stale re-send: an earlier, already delivered event of the same account arrives again, carrying
    // its old snapshot (receivers must not let it overwrite newer data).
    const history = this.deliveredHistory.filter((d) => d.accountId === base.accountId);
    if (history.length > 0 && this.rng.chance(this.faults.staleResendRate ?? 0)) {
      const old = this.rng.pick(history);
      this.counters.webhook('staleResent');
      this.schedule({ ...old, kind: 'stale', attempt: 1, failFirst: undefined }, delay);
    }
  }

  private randomHold(): HoldSpec | undefined {
    if (!this.rng.chance(this.faults.holdRate ?? 0)) return undefined;
    return { laterEvents: this.faults.holdLaterEvents ?? 1, ms: this.faults.holdMs };
  }

  private shouldDrop(delivery: Delivery): boolean {
    if (this.dropRules.take(delivery.accountId, delivery.type)) return true;
    const until = this.dropAccountUntil.get(delivery.accountId);
    if (until !== undefined) {
      if (until > Date.now()) return true;
      this.dropAccountUntil.delete(delivery.accountId);
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
    while (!this.closed && this.inFlight < this.config.concurrency && this.queue.length > 0) {
      const next = this.queue.shift();
      if (next) void this.send(next);
    }
  }

  /** How this attempt is made to fail by a fault, if at all (only an event's own deliveries, not copies). */
  private injectedFailure(delivery: Delivery): 'error' | 'timeout' | null {
    if (delivery.kind !== 'original') return null;
    if (delivery.attempt === 1 && delivery.failFirst) return delivery.failFirst;
    if (this.rng.chance(this.faults.failAttemptRate ?? 0)) return 'error';
    if (this.rng.chance(this.faults.timeoutAttemptRate ?? 0)) return 'timeout';
    return null;
  }

  private async send(delivery: Delivery): Promise<void> {
    const url = this.config.url;
    if (url === null) {
      this.settle(delivery);
      return;
    }
    const generation = this.generation;
    const injected = this.injectedFailure(delivery);
    if (delivery.kind === 'original' && delivery.attempt === 1 && this.rng.chance(this.faults.concurrentDuplicateRate ?? 0)) {
      // The same event on several connections at the same moment, as parallel deliveries can do.
      const copies = (this.faults.concurrentCopies ?? 2) - 1;
      this.counters.webhook('concurrentCopies', copies);
      for (let i = 0; i < copies; i++) void this.sendCopy(url, { ...delivery, kind: 'concurrent' });
    }
    this.inFlight += 1;
    let status: number | null = null;
    if (injected === 'error') {
      this.counters.webhook('injectedErrors');
      status = 503;
    } else {
      status = await this.post(url, delivery);
      if (injected === 'timeout') this.counters.webhook('injectedTimeouts');
    }
    this.inFlight -= 1;
    if (this.closed || generation !== this.generation) {
      this.checkIdle();
      return;
    }
    const ok = injected === null && status !== null && status >= 200 && status < 300;
    if (ok) {
      this.counters.webhookDelivered(delivery.type);
      this.record(delivery, 'delivered', status);
      if (delivery.kind === 'original') {
        this.deliveredHistory.push(delivery);
        if (this.deliveredHistory.length > HISTORY_LIMIT) this.deliveredHistory.shift();
      }
      this.settle(delivery);
    } else {
      const outcome: DeliveryRecord['outcome'] =
        injected === 'error' ? 'injected_error' : injected === 'timeout' ? 'injected_timeout' : status === null ? 'network_error' : 'http_error';
      if (delivery.attempt < totalAttempts(this.config.retry)) {
        this.counters.webhook('retried');
        this.record(delivery, outcome, status);
        this.schedule({ ...delivery, attempt: delivery.attempt + 1 }, retryDelayMs(this.config.retry, delivery.attempt));
      } else {
        this.counters.webhook('failed');
        this.record(delivery, 'gave_up', status);
        this.settle(delivery);
      }
    }
    if (delivery.kind === 'original' && delivery.attempt === 1) this.holds.noteAttempted(delivery.accountId, delivery.seq);
    this.pump();
    this.checkIdle();
  }

  /** An extra copy from the concurrent-duplicate fault: sent once, never retried. */
  private async sendCopy(url: string, copy: Delivery): Promise<void> {
    const generation = this.generation;
    this.inFlight += 1;
    const status = await this.post(url, copy);
    this.inFlight -= 1;
    if (!this.closed && generation === this.generation) {
      const ok = status !== null && status >= 200 && status < 300;
      if (ok) this.counters.webhookDelivered(copy.type);
      this.record(copy, ok ? 'delivered' : status === null ? 'network_error' : 'http_error', status);
    }
    this.pump();
    this.checkIdle();
  }

  /** One signed POST; the HTTP status, or null for a network error or timeout. */
  private async post(url: string, delivery: Delivery): Promise<number | null> {
    this.counters.webhook('attempts');
    const abort = new AbortController();
    this.aborts.add(abort);
    try {
      return await postSignedEvent(url, delivery.payload, { secret: this.config.secret, timeoutMs: this.config.timeoutMs, abort });
    } finally {
      this.aborts.delete(abort);
    }
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
    return this.queue.length === 0 && this.inFlight === 0 && this.timers.size === 0 && this.reorderBuffer.length === 0 && this.holds.size() === 0;
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
    this.clearRules();
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
    this.holds.clear();
  }

  close(): void {
    this.closed = true;
    this.cancelAll();
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

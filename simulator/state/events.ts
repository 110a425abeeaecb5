import type { EventType, FcAccount, StripeEventJson } from '../types';
import { newId } from './ids';

// Events (https://docs.stripe.com/api/events/object): the key set of Stripe's event fixture
// (api_version, created, data.object, id, livemode, object, pending_webhooks, request{id,
// idempotency_key}, type). data.object is a snapshot of the account when the event happened, never
// a live view: a late or re-sent webhook carries old data, as real Stripe's do.

export interface EventRequestInfo {
  id: string | null;
  idempotency_key: string | null;
}

export type EventListener = (event: StripeEventJson) => void;

export class EventStore {
  private readonly events: StripeEventJson[] = [];
  private readonly byId = new Map<string, StripeEventJson>();
  private readonly listeners: EventListener[] = [];

  constructor(
    private readonly apiVersion: string,
    private readonly pendingWebhooks: () => number,
  ) {}

  apiVersionValue(): string {
    return this.apiVersion;
  }

  onEvent(listener: EventListener): void {
    this.listeners.push(listener);
  }

  emit(type: EventType, object: FcAccount, created: number, request: EventRequestInfo | null = null): StripeEventJson {
    const event: StripeEventJson = {
      api_version: this.apiVersion,
      created,
      data: { object: structuredClone(object) },
      id: newId('evt'),
      livemode: false,
      object: 'event',
      pending_webhooks: this.pendingWebhooks(),
      request: request ?? { id: null, idempotency_key: null },
      type,
    };
    this.events.push(event);
    this.byId.set(event.id, event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  get(id: string): StripeEventJson | undefined {
    return this.byId.get(id);
  }

  /** One webhook endpoint: once its delivery settles (delivered or given up), nothing is pending. */
  settled(id: string): void {
    const event = this.byId.get(id);
    if (event) event.pending_webhooks = 0;
  }

  /** Newest first. */
  list(): StripeEventJson[] {
    return [...this.events].reverse();
  }

  clear(): void {
    this.events.length = 0;
    this.byId.clear();
  }
}

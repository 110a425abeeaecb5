import type {
  AccountStateView,
  AdvanceResult,
  ApiFaults,
  ClockView,
  CountersSnapshot,
  CreateAccountInput,
  CreatePaymentIntentInput,
  DefaultsInput,
  DefaultsView,
  DeliveryRecord,
  GroundTruth,
  IdleInput,
  LatencyRule,
  PaymentIntentCreated,
  RateLimitInput,
  RateLimitView,
  TrafficView,
  UpdateAccountInput,
  WebhookConfigInput,
  WebhookConfigView,
  WebhookDropInput,
  WebhookFailInput,
  WebhookFaults,
  WebhookHoldInput,
} from './control-types';
import type { Feature, FcAccount, StripeErrorBody } from './types';

// Typed client for the simulator's control API (/_simulator/*). Uses fetch only, so tests in any
// process can drive a simulator started elsewhere (e.g. `npm run simulator`).

export class SimulatorControlError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const message =
      typeof body === 'object' && body !== null && 'error' in body
        ? (body as StripeErrorBody).error.message
        : `simulator control request failed with HTTP ${status}`;
    super(message);
    this.name = 'SimulatorControlError';
  }
}

export class SimulatorControl {
  private readonly base: string;

  constructor(baseUrl: string) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
    const response = await fetch(`${this.base}/_simulator${path}`, {
      method,
      headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
      ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
    });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      parsed = text;
    }
    if (!response.ok) throw new SimulatorControlError(response.status, parsed);
    return parsed as T;
  }

  health(): Promise<{ ok: true; now: number }> {
    return this.call('GET', '/health');
  }

  /** Empties the simulated world: accounts, events, faults, counters, queued webhooks (clock kept). */
  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  // --- accounts ---

  createAccount(input: CreateAccountInput = {}): Promise<FcAccount> {
    return this.call('POST', '/accounts', input);
  }

  getAccount(id: string): Promise<AccountStateView> {
    return this.call('GET', `/accounts/${encodeURIComponent(id)}`);
  }

  updateAccount(id: string, patch: UpdateAccountInput): Promise<FcAccount> {
    return this.call('POST', `/accounts/${encodeURIComponent(id)}/config`, patch);
  }

  /** The next `count` refreshes of `feature` on the account complete as `failed`. */
  failNextRefreshes(id: string, feature: Feature, count: number): Promise<FcAccount> {
    return this.updateAccount(id, { failNext: { feature, count } });
  }

  deactivateAccount(id: string): Promise<FcAccount> {
    return this.call('POST', `/accounts/${encodeURIComponent(id)}/deactivate`);
  }

  reactivateAccount(id: string): Promise<FcAccount> {
    return this.call('POST', `/accounts/${encodeURIComponent(id)}/reactivate`);
  }

  disconnectAccount(id: string): Promise<FcAccount> {
    return this.call('POST', `/accounts/${encodeURIComponent(id)}/disconnect`);
  }

  groundTruth(id: string): Promise<GroundTruth> {
    return this.call('GET', `/accounts/${encodeURIComponent(id)}/ground-truth`);
  }

  // --- payments ---

  createPaymentIntent(input: CreatePaymentIntentInput): Promise<PaymentIntentCreated> {
    return this.call('POST', '/payment_intents', input);
  }

  // --- webhooks ---

  getWebhookEndpoint(): Promise<WebhookConfigView> {
    return this.call('GET', '/webhooks/config');
  }

  /** Where (and with which secret, retry policy, timeout) webhooks are sent; url null stops sending. */
  setWebhookEndpoint(input: WebhookConfigInput): Promise<WebhookConfigView> {
    return this.call('POST', '/webhooks/config', input);
  }

  /** Replaces the webhook fault set ({} clears it). */
  setWebhookFaults(faults: WebhookFaults): Promise<WebhookFaults> {
    return this.call('POST', '/webhooks/faults', faults);
  }

  /** Drop the next `count` webhooks (of `accountId` if given), or every webhook of `accountId` for `forMs` / until cleared. */
  async dropWebhooks(input: WebhookDropInput): Promise<void> {
    await this.call('POST', '/webhooks/drop', input);
  }

  async clearWebhookDrops(): Promise<void> {
    await this.call('POST', '/webhooks/drop/clear');
  }

  /** Hold the first delivery of the next `count` (1) matching events until `laterEvents` later events of their account were attempted, or `ms` passed. */
  async holdWebhooks(input: WebhookHoldInput): Promise<void> {
    await this.call('POST', '/webhooks/hold', input);
  }

  /** Fail the first attempt of the next `count` (1) matching events ('error': unsent 503, 'timeout': sent, answer ignored); each is retried later under its own id. */
  async failWebhooks(input: WebhookFailInput = {}): Promise<void> {
    await this.call('POST', '/webhooks/fail', input);
  }

  /** Forget unused hold and fail rules (deliveries already held are still released as planned). */
  async clearWebhookRules(): Promise<void> {
    await this.call('POST', '/webhooks/rules/clear');
  }

  async webhookDeliveries(): Promise<DeliveryRecord[]> {
    return (await this.call<{ deliveries: DeliveryRecord[] }>('GET', '/webhooks/deliveries')).deliveries;
  }

  /** Waits until webhook deliveries (and by default pending refreshes) are settled; throws on timeout. */
  async waitForWebhooksIdle(input: IdleInput = {}): Promise<void> {
    const result = await this.call<{ idle: boolean }>('POST', '/webhooks/idle', input);
    if (!result.idle) throw new Error(`simulator webhooks not idle after ${input.timeoutMs ?? 10_000} ms`);
  }

  // --- API faults ---

  setApiFaults(faults: ApiFaults): Promise<ApiFaults> {
    return this.call('POST', '/faults', faults);
  }

  async clearApiFaults(): Promise<void> {
    await this.call('POST', '/faults/clear');
  }

  // --- rate limit, latency, traffic ---

  /** Enforce (or stop enforcing) Stripe's rate limits; omitted numbers take Stripe's (test 25, live 100, endpoint 25 per second). */
  setRateLimit(input: RateLimitInput): Promise<RateLimitView> {
    return this.call('POST', '/rate-limit', input);
  }

  getRateLimit(): Promise<RateLimitView> {
    return this.call('GET', '/rate-limit');
  }

  /** Replaces the per-route latency rules ([] clears them). */
  async setLatency(rules: LatencyRule[]): Promise<LatencyRule[]> {
    return (await this.call<{ rules: LatencyRule[] }>('POST', '/latency', { rules })).rules;
  }

  async getLatency(): Promise<LatencyRule[]> {
    return (await this.call<{ rules: LatencyRule[] }>('GET', '/latency')).rules;
  }

  /** /v1 requests seen: totals, refused by the rate limit, the most in any one-second window, per-second histogram. */
  traffic(): Promise<TrafficView> {
    return this.call('GET', '/traffic');
  }

  // --- defaults for new accounts ---

  setDefaults(input: DefaultsInput): Promise<DefaultsView> {
    return this.call('POST', '/defaults', input);
  }

  getDefaults(): Promise<DefaultsView> {
    return this.call('GET', '/defaults');
  }

  // --- clock ---

  getClock(): Promise<ClockView> {
    return this.call('GET', '/clock');
  }

  /** Moves simulated time forward; each UTC day boundary crossed triggers subscribed accounts' daily refresh. */
  advanceClock(seconds: number): Promise<AdvanceResult> {
    return this.call('POST', '/clock/advance', { seconds });
  }

  // --- counters ---

  counters(): Promise<CountersSnapshot> {
    return this.call('GET', '/counters');
  }

  /** Counters and the traffic histogram back to zero. */
  async resetCounters(): Promise<void> {
    await this.call('POST', '/counters/reset');
  }
}

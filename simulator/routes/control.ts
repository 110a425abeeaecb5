import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  advanceClockSchema,
  apiFaultsSchema,
  createAccountSchema,
  createPaymentIntentSchema,
  defaultsSchema,
  idleSchema,
  latencySchema,
  rateLimitSchema,
  updateAccountSchema,
  webhookConfigSchema,
  webhookDropSchema,
  webhookFailSchema,
  webhookFaultsSchema,
  webhookHoldSchema,
} from '../control-types';
import { errors, toStripeError } from '../errors';
import { sendStripeError } from '../http/pipeline';
import type { Simulator } from '../simulator';

// The control API (/_simulator/*): JSON in, JSON out, for tests and local development to shape the
// simulated world. Errors use the Stripe envelope too. Reference: simulator/README.md.

const P = '/_simulator';

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const detail = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  throw errors.control(`invalid control request: ${detail}`);
}

type ControlHandler = (req: FastifyRequest) => unknown;

function route(app: FastifyInstance, method: 'GET' | 'POST', url: string, handler: ControlHandler): void {
  app.route({
    method,
    url: `${P}${url}`,
    handler: async (req, reply) => {
      try {
        const result = (await handler(req)) ?? { ok: true };
        return reply.code(200).send(result);
      } catch (err) {
        return sendStripeError(reply, toStripeError(err));
      }
    },
  });
}

const idOf = (req: FastifyRequest): string => (req.params as { id?: string }).id ?? '';

export function registerControlRoutes(app: FastifyInstance, sim: Simulator): void {
  route(app, 'GET', '/health', () => ({ ok: true, now: sim.clock.now() }));
  route(app, 'POST', '/reset', () => sim.reset());

  route(app, 'POST', '/accounts', (req) => sim.createAccount(parse(createAccountSchema, req.body)));
  route(app, 'GET', '/accounts/:id', (req) => sim.accountState(idOf(req)));
  route(app, 'POST', '/accounts/:id/config', (req) => sim.updateAccount(idOf(req), parse(updateAccountSchema, req.body)));
  route(app, 'POST', '/accounts/:id/deactivate', (req) => sim.deactivate(idOf(req)));
  route(app, 'POST', '/accounts/:id/reactivate', (req) => sim.reactivate(idOf(req)));
  route(app, 'POST', '/accounts/:id/disconnect', (req) => sim.disconnect(sim.account(idOf(req))));
  route(app, 'GET', '/accounts/:id/ground-truth', (req) => sim.groundTruth(idOf(req)));

  route(app, 'POST', '/payment_intents', (req) => {
    const created = sim.createPaymentIntent(parse(createPaymentIntentSchema, req.body));
    return {
      payment_intent: sim.payments.renderIntent(created.intent.id, false),
      payment_method: sim.payments.method(created.paymentMethodId),
    };
  });

  route(app, 'GET', '/webhooks/config', () => sim.webhooks.getConfig());
  route(app, 'POST', '/webhooks/config', (req) => sim.webhooks.setConfig(parse(webhookConfigSchema, req.body)));
  route(app, 'GET', '/webhooks/faults', () => sim.webhooks.getFaults());
  route(app, 'POST', '/webhooks/faults', (req) => sim.webhooks.setFaults(parse(webhookFaultsSchema, req.body)));
  route(app, 'POST', '/webhooks/drop', (req) => sim.webhooks.drop(parse(webhookDropSchema, req.body)));
  route(app, 'POST', '/webhooks/drop/clear', () => sim.webhooks.clearDrops());
  route(app, 'POST', '/webhooks/hold', (req) => sim.webhooks.hold(parse(webhookHoldSchema, req.body)));
  route(app, 'POST', '/webhooks/fail', (req) => sim.webhooks.fail(parse(webhookFailSchema, req.body)));
  route(app, 'POST', '/webhooks/rules/clear', () => sim.webhooks.clearRules());
  route(app, 'GET', '/webhooks/deliveries', () => ({ deliveries: sim.webhooks.deliveries() }));
  const idle = async (input: unknown): Promise<{ idle: boolean }> => {
    const { timeoutMs, includeRefreshes } = parse(idleSchema, input);
    return { idle: await sim.whenIdle(timeoutMs ?? 10_000, includeRefreshes ?? true) };
  };
  route(app, 'POST', '/webhooks/idle', (req) => idle(req.body));
  route(app, 'GET', '/webhooks/idle', (req) => {
    const q = req.query as Record<string, string | undefined>;
    return idle({
      ...(q.timeoutMs !== undefined ? { timeoutMs: Number(q.timeoutMs) } : {}),
      ...(q.includeRefreshes !== undefined ? { includeRefreshes: q.includeRefreshes !== 'false' } : {}),
    });
  });

  route(app, 'GET', '/faults', () => sim.faults.get());
  route(app, 'POST', '/faults', (req) => sim.faults.set(parse(apiFaultsSchema, req.body)));
  route(app, 'POST', '/faults/clear', () => sim.faults.clear());

  route(app, 'GET', '/rate-limit', () => sim.rateLimit.get());
  route(app, 'POST', '/rate-limit', (req) => sim.rateLimit.set(parse(rateLimitSchema, req.body)));
  route(app, 'GET', '/latency', () => ({ rules: sim.latency.get() }));
  route(app, 'POST', '/latency', (req) => ({ rules: sim.latency.set(parse(latencySchema, req.body).rules) }));
  route(app, 'GET', '/traffic', () => sim.traffic.view());
  route(app, 'GET', '/defaults', () => sim.getDefaults());
  route(app, 'POST', '/defaults', (req) => sim.setDefaults(parse(defaultsSchema, req.body)));

  route(app, 'GET', '/clock', () => sim.clockView());
  route(app, 'POST', '/clock/advance', (req) => sim.advanceClock(parse(advanceClockSchema, req.body).seconds));

  route(app, 'GET', '/counters', () => sim.counters.snapshot());
  route(app, 'POST', '/counters/reset', () => sim.resetCounters());
}

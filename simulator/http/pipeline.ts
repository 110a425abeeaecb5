import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors, toStripeError, type StripeApiError } from '../errors';
import type { Simulator } from '../simulator';
import { requestId as newRequestId } from '../state/ids';
import { emptyForm, fromJson, parseForm, queryOf, type FormObject, type FormValue } from './form';
import { routeKind } from './latency';
import { Params } from './params';

// Everything a public /v1 request goes through, in api.stripe.com's order: a Request-Id, the API key
// (Bearer or Basic, sk_/rk_ test or live), the rate limit (when enforced; every request is recorded in
// the traffic histogram), per-route latency, injected faults, form/query decoding, Idempotency-Key replay
// for POSTs, the endpoint, and Stripe's error envelope for anything thrown. Handlers return the JSON
// object; they never touch the reply.

export interface StripeRequestContext {
  params: Params;
  path: Record<string, string>;
  requestId: string;
  idempotencyKey: string | null;
}

export type StripeHandler = (ctx: StripeRequestContext) => object | Promise<object>;

const KEY_PATTERN = /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/;

function apiKeyOf(req: FastifyRequest): string {
  const header = req.headers.authorization;
  if (!header) throw errors.missingApiKey();
  let key = '';
  if (/^bearer /i.test(header)) key = header.slice(7).trim();
  else if (/^basic /i.test(header)) {
    key = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8').split(':')[0] ?? '';
  }
  if (!key) throw errors.missingApiKey();
  if (!KEY_PATTERN.test(key)) throw errors.invalidApiKey(key);
  return key;
}

function canonical(value: FormValue | undefined): string {
  if (value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
    .join(',')}}`;
}

function bodyParams(req: FastifyRequest): FormObject {
  const fromQuery = parseForm(queryOf(req.raw.url ?? ''));
  if (req.method !== 'POST' || req.body === undefined || req.body === null) return fromQuery;
  const body = typeof req.body === 'object' && !Array.isArray(req.body) ? fromJson(req.body) : emptyForm();
  if (typeof body !== 'object' || Array.isArray(body)) return fromQuery;
  for (const [k, v] of Object.entries(body)) fromQuery[k] = v;
  return fromQuery;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function sendStripeError(reply: FastifyReply, err: StripeApiError): FastifyReply {
  for (const [name, value] of Object.entries(err.headers)) reply.header(name, value);
  return reply.code(err.status).type('application/json').send(err.toBody());
}

export function registerStripeRoute(
  app: FastifyInstance,
  sim: Simulator,
  method: 'GET' | 'POST',
  url: string,
  handler: StripeHandler,
): void {
  const routeKey = `${method} ${url}`;
  const kind = routeKind(method, url);
  app.route({
    method,
    url,
    handler: async (req, reply) => {
      const requestId = newRequestId();
      const path = (req.params ?? {}) as Record<string, string>;
      reply.header('request-id', requestId);
      reply.header('stripe-version', req.headers['stripe-version'] ?? sim.events.apiVersionValue());
      sim.counters.call(routeKey, path.id?.startsWith('fca_') ? path.id : undefined);
      let scope = '';
      let idempotencyKey: string | null = null;
      let began = false;
      let executed = false;
      try {
        let admitted = true;
        try {
          scope = apiKeyOf(req);
          const limited = sim.rateLimit.admit(/^(sk|rk)_live_/.test(scope) ? 'live' : 'test', routeKey);
          if (limited) {
            admitted = false;
            sim.counters.rateLimited();
            throw errors.rateLimited(limited);
          }
        } finally {
          sim.traffic.record(admitted);
        }
        const fault = sim.faults.decide(routeKey);
        const latencyMs = fault.latencyMs + sim.latency.delayMs(routeKey, kind);
        if (latencyMs > 0) await sleep(latencyMs);
        if (fault.error && fault.mode === 'before') {
          sim.counters.apiFault();
          throw fault.error;
        }
        const values = method === 'GET' ? parseForm(queryOf(req.raw.url ?? '')) : bodyParams(req);
        const headerKey = req.headers['idempotency-key'];
        idempotencyKey = method === 'POST' && typeof headerKey === 'string' && headerKey !== '' ? headerKey : null;
        if (idempotencyKey) {
          reply.header('idempotency-key', idempotencyKey);
          const stored = sim.idempotency.begin(scope, idempotencyKey, `${method} ${req.raw.url?.split('?')[0]} ${canonical(values)}`);
          if (stored) {
            sim.counters.idempotentReplay();
            reply.header('idempotent-replayed', 'true');
            reply.header('original-request', stored.originalRequestId);
            return reply.code(stored.status).type('application/json').send(stored.body);
          }
          began = true;
        }
        const body = JSON.stringify(await handler({ params: new Params(values), path, requestId, idempotencyKey }));
        executed = true;
        if (idempotencyKey) sim.idempotency.save(scope, idempotencyKey, { status: 200, body, originalRequestId: requestId });
        if (fault.error && fault.mode === 'after') {
          sim.counters.apiFault();
          throw fault.error;
        }
        return reply.code(200).type('application/json').send(body);
      } catch (err) {
        if (idempotencyKey && began && !executed) sim.idempotency.release(scope, idempotencyKey);
        return sendStripeError(reply, toStripeError(err));
      }
    },
  });
}

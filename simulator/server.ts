import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { SimulatorControl } from './control-client';
import { errors, toStripeError } from './errors';
import { parseForm } from './http/form';
import { sendStripeError } from './http/pipeline';
import { registerAccountRoutes } from './routes/accounts';
import { registerControlRoutes } from './routes/control';
import { registerEventRoutes } from './routes/events';
import { registerPaymentRoutes } from './routes/payments';
import { registerTransactionRoutes } from './routes/transactions';
import { Simulator, type SimulatorOptions } from './simulator';

// The HTTP face of the simulator: Stripe's /v1 Financial Connections API (wire-compatible, so the
// official SDK can point at it with host/port/protocol) plus the /_simulator control API.

export interface StartSimulatorOptions extends SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
}

export interface RunningSimulator {
  url: string;
  port: number;
  control: SimulatorControl;
  /** In-process access to the simulated world (tests in the same process). */
  simulator: Simulator;
  /** Stops every timer, cancels queued webhooks and frees the port. */
  close(): Promise<void>;
}

export function buildSimulatorApp(sim: Simulator): FastifyInstance {
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 1024 * 1024 });

  // Stripe's v1 wire format; the parser's errors are Stripe errors already.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseForm(String(body)));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  // The control API is JSON; an empty body means "no options" (curl -X POST .../reset).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body).trim();
    if (text === '') return done(null, {});
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      done(errors.malformedBody('body is not valid JSON'), undefined);
    }
  });

  app.setErrorHandler((err, _req, reply) => sendStripeError(reply, toStripeError(err)));
  app.setNotFoundHandler((req, reply) => sendStripeError(reply, errors.unrecognizedUrl(req.method, (req.raw.url ?? '').split('?')[0] ?? '')));

  registerAccountRoutes(app, sim);
  registerTransactionRoutes(app, sim);
  registerPaymentRoutes(app, sim);
  registerEventRoutes(app, sim);
  registerControlRoutes(app, sim);
  return app;
}

export async function startSimulator(opts: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = new Simulator(opts);
  const app = buildSimulatorApp(sim);
  const host = opts.host ?? '127.0.0.1';
  try {
    await app.listen({ port: opts.port ?? 0, host });
  } catch (err) {
    sim.close();
    throw err;
  }
  const port = (app.server.address() as AddressInfo).port;
  // A wildcard bind is reached through loopback.
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    control: new SimulatorControl(url),
    simulator: sim,
    close: () => {
      closing ??= (async () => {
        sim.close();
        await app.close();
      })();
      return closing;
    },
  };
}

import type { FastifyInstance } from 'fastify';
import { errors } from '../errors';
import { readExpand } from '../http/pagination';
import { registerStripeRoute } from '../http/pipeline';
import type { Simulator } from '../simulator';

// GET /v1/payment_intents/:id (expand[]=payment_method) and GET /v1/payment_methods/:id: how an ACH
// integration finds the FC account behind a payment (ach-direct-debit-payments.md).

export function registerPaymentRoutes(app: FastifyInstance, sim: Simulator): void {
  registerStripeRoute(app, sim, 'GET', '/v1/payment_intents/:id', ({ params, path }) => {
    const expand = readExpand(params, ['payment_method']);
    params.string('client_secret');
    params.assertNoUnknown();
    const id = path.id ?? '';
    const intent = sim.payments.renderIntent(id, expand.has('payment_method'));
    if (!intent) throw errors.resourceMissing('payment_intent', id, 'intent');
    return intent;
  });

  registerStripeRoute(app, sim, 'GET', '/v1/payment_methods/:id', ({ params, path }) => {
    readExpand(params, []);
    params.assertNoUnknown();
    const id = path.id ?? '';
    const method = sim.payments.method(id);
    if (!method) throw errors.resourceMissing('payment_method', id, 'payment_method');
    return method;
  });
}

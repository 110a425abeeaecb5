import type { FastifyInstance } from 'fastify';
import { errors } from '../errors';
import { paginate, readExpand, readPageParams } from '../http/pagination';
import { inRange } from '../http/params';
import { registerStripeRoute } from '../http/pipeline';
import type { Simulator } from '../simulator';

// GET /v1/events/:id and GET /v1/events (https://docs.stripe.com/api/events/list): newest first,
// `type` (a `*` wildcard as in "financial_connections.account.*"), `types[]`, `created` range.

function typeMatcher(pattern: string): (type: string) => boolean {
  if (!pattern.includes('*')) return (type) => type === pattern;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (type) => re.test(type);
}

export function registerEventRoutes(app: FastifyInstance, sim: Simulator): void {
  registerStripeRoute(app, sim, 'GET', '/v1/events/:id', ({ params, path }) => {
    readExpand(params, []);
    params.assertNoUnknown();
    const id = path.id ?? '';
    const event = sim.events.get(id);
    if (!event) throw errors.resourceMissing('event', id);
    return event;
  });

  registerStripeRoute(app, sim, 'GET', '/v1/events', ({ params }) => {
    const type = params.string('type');
    const types = params.stringArray('types');
    const created = params.range('created');
    params.string('delivery_success');
    const page = readPageParams(params);
    readExpand(params, []);
    params.assertNoUnknown();
    if (type !== undefined && types !== undefined) {
      throw errors.invalidValue('types', 'You may only specify one of these parameters: type, types.');
    }
    const matchers = (types ?? (type !== undefined ? [type] : [])).map(typeMatcher);
    const items = sim.events
      .list()
      .filter((e) => matchers.length === 0 || matchers.some((m) => m(e.type)))
      .filter((e) => inRange(e.created, created));
    return paginate(items, page, '/v1/events', 'event');
  });
}

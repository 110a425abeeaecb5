import type { FastifyInstance } from 'fastify';
import { errors } from '../errors';
import { paginate, readExpand, readPageParams } from '../http/pagination';
import { registerStripeRoute } from '../http/pipeline';
import type { Simulator } from '../simulator';

// /v1/financial_connections/transactions (transactions.md, "Retrieve transactions"): listing needs
// `account`; works only after a successful transaction refresh
// (financial_connections_no_successful_transaction_refresh otherwise); filters `transacted_at`
// (exact or gt/gte/lt/lte) and `transaction_refresh[after]` ("retrieve only new or updated transaction
// data since your last refresh"). Order and tagging rules: see state/transactions.ts.

const BASE = '/v1/financial_connections/transactions';

export function registerTransactionRoutes(app: FastifyInstance, sim: Simulator): void {
  registerStripeRoute(app, sim, 'GET', BASE, ({ params }) => {
    const accountId = params.string('account', { required: true }) ?? '';
    const transactedAt = params.range('transacted_at');
    const refreshFilter = params.hash('transaction_refresh', ['after']);
    const page = readPageParams(params);
    readExpand(params, []);
    params.assertNoUnknown();
    if (refreshFilter && refreshFilter.after === undefined) throw errors.missingParameter('transaction_refresh[after]');
    const account = sim.account(accountId, 'account');
    if (!account.transactionRefreshes.some((r) => r.status === 'succeeded')) {
      throw errors.noSuccessfulTransactionRefresh(account.id);
    }
    let afterRefreshSeq: number | undefined;
    if (refreshFilter?.after !== undefined) {
      const after = account.transactionRefreshes.find((r) => r.id === refreshFilter.after);
      if (!after) throw errors.resourceMissing('financial_connections.transaction_refresh', refreshFilter.after, 'transaction_refresh[after]', 400);
      afterRefreshSeq = after.seq;
    }
    const items = sim.transactions.listShared(account.id, {
      ...(afterRefreshSeq !== undefined ? { afterRefreshSeq } : {}),
      ...(transactedAt ? { transactedAt } : {}),
    });
    const list = paginate(items, page, BASE, 'financial_connections.transaction');
    return { ...list, data: list.data.map((t) => structuredClone(t)) };
  });

  registerStripeRoute(app, sim, 'GET', `${BASE}/:id`, ({ params, path }) => {
    readExpand(params, []);
    params.assertNoUnknown();
    const id = path.id ?? '';
    const transaction = sim.transactions.get(id);
    if (!transaction) throw errors.resourceMissing('financial_connections.transaction', id);
    return transaction;
  });
}

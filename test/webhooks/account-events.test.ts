import { describe, expect, test } from 'vitest';
import { accountWorkflowId } from '../../common/workflow-ids';
import { ACCOUNT_WORKFLOW_TYPE } from '../../common/workflow-types';
import { accountEventsQuery } from './fixtures/workflows';
import { uniqueAccountId } from './support/fixture-worker';
import { useWebhookTestBed } from './support/test-bed';
import { deliver, fcAccount, signatureFor, stripeEvent } from './support/stripe-events';

const bed = useWebhookTestBed();

async function storedAccount(id: string) {
  const { rows } = await bed.pool.query('SELECT status, customer_id, last4, stripe_seen_at FROM fc_accounts WHERE id = $1', [id]);
  return rows[0];
}

describe('account lifecycle webhooks update fc_accounts', () => {
  test('a deactivation is stored; the older reactivation delivered after it does not undo it', async () => {
    const accountId = uniqueAccountId();
    const now = Math.floor(Date.now() / 1000);
    const reactivated = stripeEvent('financial_connections.account.reactivated', fcAccount(accountId, { status: 'active' }), { created: now - 60 });
    const deactivated = stripeEvent('financial_connections.account.deactivated', fcAccount(accountId, { status: 'inactive' }), { created: now });

    expect((await deliver(bed.baseUrl, deactivated.payload, signatureFor(deactivated.payload))).status).toBe(200);
    expect((await deliver(bed.baseUrl, reactivated.payload, signatureFor(reactivated.payload))).status).toBe(200);

    expect(await storedAccount(accountId)).toEqual({ status: 'inactive', customer_id: 'cus_123', last4: '6789', stripe_seen_at: new Date(now * 1000) });
    const { rows } = await bed.pool.query('SELECT count(*)::int AS n FROM stripe_events WHERE account_id = $1 AND processed_at IS NOT NULL', [accountId]);
    expect(rows[0].n).toBe(2);
  });

  test('a disconnection is stored and the running account workflow is told', async () => {
    const accountId = uniqueAccountId();
    const accountWorkflow = await bed.client.workflow.start(ACCOUNT_WORKFLOW_TYPE, { workflowId: accountWorkflowId(accountId), taskQueue: bed.taskQueue });
    const event = stripeEvent('financial_connections.account.disconnected', fcAccount(accountId, { status: 'disconnected' }));

    const response = await deliver(bed.baseUrl, event.payload, signatureFor(event.payload));

    expect(response).toEqual({ status: 200, body: { received: true } });
    expect(await storedAccount(accountId)).toMatchObject({ status: 'disconnected' });
    expect(await accountWorkflow.query(accountEventsQuery)).toEqual([
      { eventId: event.id, type: 'financial_connections.account.disconnected', status: 'disconnected', created: event.created },
    ]);
  });
});
